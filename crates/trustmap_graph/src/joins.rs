//! The joins by name, ARN, id or labels that cross technologies, declared in one table.
//!
//! References inside one cloud's templates are already resolved by the adapters into
//! [`trustmap_model::Link`]s (a function's role, a route's integration); what is left are
//! references the adapters cannot see: a workflow naming a role ARN, a Kubernetes
//! ServiceAccount annotation naming a cloud identity, a pod naming its ServiceAccount, a
//! Service selecting pods by labels. Each is one row of [`JOINS`]; builders register the
//! nodes that can be joined to ([`JoinIndex::register`]) and resolve a row's value with
//! [`JoinIndex::resolve`], a hash-map hit.

use std::collections::HashMap;

use crate::graph::NodeId;

/// What a join looks up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JoinTarget {
    AwsRole,
    AwsData,
    /// An API Gateway integration, by address (resolved against the API's own list).
    AwsIntegration,
    K8sServiceAccount,
    K8sService,
    K8sSecret,
    /// Pods, by the labels their template carries.
    K8sPods,
    GcpServiceAccount,
    AzureIdentity,
}

/// How the value names its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    Name,
    Arn,
    Id,
    /// A label selector: every `key=value` must match.
    Labels,
}

/// One row: where the reference is written, what it names and how to turn the written
/// value into the index key.
#[derive(Debug)]
pub struct Join {
    /// The kind of object holding the reference.
    pub from: &'static str,
    /// The field or annotation written.
    pub field: &'static str,
    pub to: JoinTarget,
    pub key: KeyKind,
    /// Written value → index key; `None` when the value cannot name a target (an
    /// expression, a foreign ARN type).
    pub extract: fn(&str) -> Option<String>,
}

pub const GHA_ROLE_TO_ASSUME: Join = Join {
    from: "GitHub Actions job",
    field: "aws-actions/configure-aws-credentials `role-to-assume`",
    to: JoinTarget::AwsRole,
    key: KeyKind::Arn,
    extract: aws_role_name,
};

pub const IRSA_ROLE_ARN: Join = Join {
    from: "Kubernetes ServiceAccount",
    field: "annotation eks.amazonaws.com/role-arn",
    to: JoinTarget::AwsRole,
    key: KeyKind::Arn,
    extract: aws_role_name,
};

pub const GKE_SERVICE_ACCOUNT: Join = Join {
    from: "Kubernetes ServiceAccount",
    field: "annotation iam.gke.io/gcp-service-account",
    to: JoinTarget::GcpServiceAccount,
    key: KeyKind::Id,
    extract: gcp_service_account_email,
};

pub const GHA_GCP_SERVICE_ACCOUNT: Join = Join {
    from: "GitHub Actions job",
    field: "google-github-actions/auth `service_account`",
    to: JoinTarget::GcpServiceAccount,
    key: KeyKind::Id,
    extract: gcp_service_account_email,
};

pub const GCP_MEMBER_SERVICE_ACCOUNT: Join = Join {
    from: "Google Cloud IAM grant",
    field: "member `serviceAccount:…`",
    to: JoinTarget::GcpServiceAccount,
    key: KeyKind::Id,
    extract: gcp_service_account_email,
};

pub const AZURE_CLIENT_ID: Join = Join {
    from: "Kubernetes ServiceAccount",
    field: "annotation azure.workload.identity/client-id",
    to: JoinTarget::AzureIdentity,
    key: KeyKind::Id,
    extract: literal_lowercase,
};

pub const POD_SERVICE_ACCOUNT: Join = Join {
    from: "Kubernetes workload",
    field: "spec.serviceAccountName (namespace/name)",
    to: JoinTarget::K8sServiceAccount,
    key: KeyKind::Name,
    extract: literal,
};

pub const BINDING_SUBJECT: Join = Join {
    from: "Kubernetes RoleBinding",
    field: "subjects[kind=ServiceAccount] (namespace/name)",
    to: JoinTarget::K8sServiceAccount,
    key: KeyKind::Name,
    extract: literal,
};

pub const INGRESS_BACKEND: Join = Join {
    from: "Kubernetes Ingress",
    field: "backend.service.name (namespace/name)",
    to: JoinTarget::K8sService,
    key: KeyKind::Name,
    extract: literal,
};

pub const SERVICE_SELECTOR: Join = Join {
    from: "Kubernetes Service",
    field: "spec.selector (namespace/key=value)",
    to: JoinTarget::K8sPods,
    key: KeyKind::Labels,
    extract: literal,
};

pub const POD_SECRET: Join = Join {
    from: "Kubernetes workload",
    field: "secretKeyRef, envFrom.secretRef, secret volume (namespace/name)",
    to: JoinTarget::K8sSecret,
    key: KeyKind::Name,
    extract: literal,
};

pub const LAMBDA_EVENT_SOURCE: Join = Join {
    from: "Lambda trigger",
    field: "event source (bucket, queue, topic: reference, name or ARN)",
    to: JoinTarget::AwsData,
    key: KeyKind::Arn,
    extract: aws_resource_name,
};

pub const POLICY_RESOURCE_REFERENCE: Join = Join {
    from: "IAM policy statement",
    field: "Resource written as a reference (`${aws_s3_bucket.b.arn}/*`, `!GetAtt Bucket.Arn`)",
    to: JoinTarget::AwsData,
    key: KeyKind::Id,
    extract: literal,
};

pub const CLOUD_RUN_SERVICE_ACCOUNT: Join = Join {
    from: "Cloud Run service",
    field: "template service account e-mail (v1 `spec.service_account_name`, v2 `service_account`)",
    to: JoinTarget::GcpServiceAccount,
    key: KeyKind::Id,
    extract: gcp_service_account_email,
};

/// Azure identities are registered by Terraform address here (client IDs are computed,
/// so [`AZURE_CLIENT_ID`] finds them only when a literal is registered).
pub const AZURE_PRINCIPAL_ID: Join = Join {
    from: "Azure role assignment",
    field: "principal_id (reference to an identity, or to an app's or cluster's `identity[0]`)",
    to: JoinTarget::AzureIdentity,
    key: KeyKind::Name,
    extract: literal,
};

pub const AZURE_FEDERATED_SUBJECT: Join = Join {
    from: "Azure federated identity credential",
    field: "subject `system:serviceaccount:NAMESPACE:NAME` (AKS workload identity)",
    to: JoinTarget::K8sServiceAccount,
    key: KeyKind::Name,
    extract: k8s_service_account_subject,
};

/// Every join, for documentation and tests.
pub const JOINS: &[&Join] = &[
    &GHA_ROLE_TO_ASSUME,
    &IRSA_ROLE_ARN,
    &GKE_SERVICE_ACCOUNT,
    &GHA_GCP_SERVICE_ACCOUNT,
    &GCP_MEMBER_SERVICE_ACCOUNT,
    &AZURE_CLIENT_ID,
    &POD_SERVICE_ACCOUNT,
    &BINDING_SUBJECT,
    &INGRESS_BACKEND,
    &SERVICE_SELECTOR,
    &POD_SECRET,
    &LAMBDA_EVENT_SOURCE,
    &POLICY_RESOURCE_REFERENCE,
    &CLOUD_RUN_SERVICE_ACCOUNT,
    &AZURE_PRINCIPAL_ID,
    &AZURE_FEDERATED_SUBJECT,
];

/// The data stores an unknown policy element references (by Terraform address or
/// CloudFormation logical id) as a whole segment of its ARN.
pub fn references(index: &JoinIndex, element: &trustmap_model::Value<String>) -> Vec<NodeId> {
    let mut out = Vec::new();
    for (address, _) in element.segment_references() {
        for id in index.resolve(&POLICY_RESOURCE_REFERENCE, address) {
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }
    out
}

/// `arn:aws:iam::123456789012:role/path/ci` → `ci`; a bare role name stays itself;
/// expressions (`${{ secrets.ROLE }}`) name nothing.
pub fn aws_role_name(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.contains("${") {
        return None;
    }
    if !s.starts_with("arn:") {
        return Some(s.to_string());
    }
    let resource = s.splitn(6, ':').nth(5)?;
    resource
        .strip_prefix("role/")
        .and_then(|r| r.rsplit('/').next())
        .map(str::to_string)
}

/// The name inside an S3, SQS, SNS, Secrets Manager or DynamoDB ARN, a queue URL's last
/// segment, or the value itself (a name or a Terraform address).
pub fn aws_resource_name(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.contains("${") {
        return None;
    }
    if s.starts_with("https://") {
        return s
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .map(str::to_string);
    }
    if !s.starts_with("arn:") {
        return Some(s.to_string());
    }
    let resource = s.splitn(6, ':').nth(5)?;
    let name = resource
        .strip_prefix("secret:")
        .or_else(|| resource.strip_prefix("table/"))
        .unwrap_or(resource);
    Some(name.split('/').next().unwrap_or(name).to_string())
}

/// `serviceAccount:ci@p.iam.gserviceaccount.com` or the bare e-mail → the e-mail.
pub fn gcp_service_account_email(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.strip_prefix("serviceAccount:").unwrap_or(s);
    (s.contains('@') && !s.contains("${")).then(|| s.to_lowercase())
}

/// `system:serviceaccount:shop:api` → `shop/api`.
pub fn k8s_service_account_subject(s: &str) -> Option<String> {
    let rest = s.trim().strip_prefix("system:serviceaccount:")?;
    let (ns, name) = rest.split_once(':')?;
    (!ns.is_empty() && !name.is_empty() && !name.contains(':')).then(|| format!("{ns}/{name}"))
}

fn literal(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn literal_lowercase(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && !s.contains("${")).then(|| s.to_lowercase())
}

/// The nodes each join can reach, by key.
#[derive(Debug, Default)]
pub struct JoinIndex {
    keys: HashMap<(JoinTarget, String), Vec<NodeId>>,
}

impl JoinIndex {
    /// Makes `node` reachable from joins to `to` under `key` (a name, ARN, id, or for
    /// [`JoinTarget::K8sPods`] one `namespace/label=value`).
    pub fn register(&mut self, to: JoinTarget, key: &str, node: NodeId) {
        let ids = self.keys.entry((to, key.to_string())).or_default();
        if !ids.contains(&node) {
            ids.push(node);
        }
    }

    /// The nodes `value` names through `join`.
    pub fn resolve(&self, join: &Join, value: &str) -> Vec<NodeId> {
        let Some(key) = (join.extract)(value) else {
            return Vec::new();
        };
        self.keys.get(&(join.to, key)).cloned().unwrap_or_default()
    }

    /// For a [`KeyKind::Labels`] join: the nodes registered under every one of `keys`
    /// (an empty selector selects nothing, as a Service without selector has no pods).
    pub fn resolve_all(&self, join: &Join, keys: &[String]) -> Vec<NodeId> {
        let mut sets = keys.iter().map(|k| {
            self.keys
                .get(&(join.to, k.clone()))
                .map(Vec::as_slice)
                .unwrap_or_default()
        });
        let Some(first) = sets.next() else {
            return Vec::new();
        };
        let mut out: Vec<NodeId> = first.to_vec();
        for s in sets {
            out.retain(|n| s.contains(n));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_arns() {
        assert_eq!(
            aws_role_name("arn:aws:iam::123456789012:role/ci/deploy").as_deref(),
            Some("deploy")
        );
        assert_eq!(aws_role_name("${{ secrets.ROLE }}"), None);
        assert_eq!(aws_role_name("arn:aws:iam::123456789012:user/bob"), None);
        assert_eq!(
            aws_resource_name("arn:aws:s3:::uploads/*").as_deref(),
            Some("uploads")
        );
        assert_eq!(
            aws_resource_name("arn:aws:sqs:eu-west-1:123456789012:jobs").as_deref(),
            Some("jobs")
        );
        assert_eq!(
            gcp_service_account_email("serviceAccount:CI@p.iam.gserviceaccount.com").as_deref(),
            Some("ci@p.iam.gserviceaccount.com")
        );
    }

    #[test]
    fn every_join_is_listed_once() {
        let mut fields: Vec<_> = JOINS.iter().map(|j| (j.from, j.field)).collect();
        fields.sort();
        fields.dedup();
        assert_eq!(fields.len(), JOINS.len());
    }
}
