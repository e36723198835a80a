//! From the typed model to the graph: one module per technology, sharing the synthetic
//! nodes and the join index.

mod aws;
mod aws_access;
mod aws_ec2;
mod azure;
mod gcp;
mod gcp_run;
mod gha;
mod k8s;
mod k8s_access;

use trustmap_model::{Model, ResourceMeta};
use trustmap_source::Span;

use crate::graph::{Graph, NodeId};
use crate::joins::JoinIndex;
use crate::types::{Crown, Node, NodeKind};

/// Builds the graph of everything the scan defines.
pub fn build(model: &Model) -> Graph {
    let mut b = Builder::default();
    // Nodes that others join to come first: identities and data, then what uses them.
    let aws = aws::nodes(&mut b, model);
    let gcp = gcp::nodes(&mut b, model);
    let mut azure = azure::nodes(&mut b, model);
    let mut k8s = k8s::nodes(&mut b, model);
    aws::edges(&mut b, model, &aws);
    aws_access::edges(&mut b, model, &aws);
    aws_ec2::build(&mut b, model, &aws);
    gcp::edges(&mut b, model, &gcp);
    azure::edges(&mut b, model, &mut azure);
    k8s::edges(&mut b, model, &mut k8s);
    k8s_access::edges(&mut b, model, &k8s);
    gha::build(&mut b, model, &azure);
    b.g
}

/// The graph being built and its join index.
#[derive(Default)]
pub(crate) struct Builder {
    pub(crate) g: Graph,
    pub(crate) joins: JoinIndex,
    /// IAM role node → its index in `Iam::roles` (for trust-policy checks by joins).
    pub(crate) role_index: std::collections::HashMap<NodeId, usize>,
}

/// The synthetic nodes.
#[derive(Clone, Copy)]
pub(crate) enum Synthetic {
    Internet,
    AnyGithubRepo,
    ForkPullRequest,
    AnyAwsAccount,
    AwsAdmin,
    GcpAdmin,
    AzureAdmin,
    ClusterAdmin,
    NodeRoot,
}

impl Builder {
    /// A node for a model object; objects with the same address in different files
    /// (CloudFormation logical ids) get the file id appended.
    pub(crate) fn object(
        &mut self,
        kind: NodeKind,
        meta: &ResourceMeta,
        label: String,
        crown: Option<Crown>,
    ) -> NodeId {
        let mut key = meta.address.clone();
        if let Some(existing) = self.g.by_key(&key)
            && self.g.node(existing).span != Some(meta.span)
        {
            key = format!("{}@{}", meta.address, meta.span.file.0);
        }
        self.g.add_node(Node {
            kind,
            key,
            label,
            resource: Some(meta.address.clone()),
            span: Some(meta.span),
            crown,
        })
    }

    /// A node for a part declared inside another object (a SAM event's route, an inline
    /// function URL): its own key `address#part` when the address is already a node.
    pub(crate) fn object_distinct(
        &mut self,
        kind: NodeKind,
        meta: &ResourceMeta,
        part: &str,
        label: String,
    ) -> NodeId {
        if self.g.by_key(&meta.address).is_none() {
            return self.object(kind, meta, label, None);
        }
        self.g.add_node(Node {
            kind,
            key: format!("{}#{part}", meta.address),
            label,
            resource: Some(meta.address.clone()),
            span: Some(meta.span),
            crown: None,
        })
    }

    /// A node for something the scan names but does not define (a default
    /// ServiceAccount, a GCP service account known only from grants).
    pub(crate) fn named(
        &mut self,
        kind: NodeKind,
        key: String,
        label: String,
        span: Option<Span>,
    ) -> NodeId {
        self.g.add_node(Node {
            kind,
            key: key.clone(),
            label,
            resource: Some(key),
            span,
            crown: None,
        })
    }

    pub(crate) fn synthetic(&mut self, s: Synthetic) -> NodeId {
        let (kind, key, label, crown) = match s {
            Synthetic::Internet => (NodeKind::Internet, "internet", "the internet", None),
            Synthetic::AnyGithubRepo => (
                NodeKind::AnyGithubRepo,
                "github:any-repo",
                "any GitHub repository",
                None,
            ),
            Synthetic::ForkPullRequest => (
                NodeKind::ForkPullRequest,
                "github:fork-pull-request",
                "a fork's pull request",
                None,
            ),
            Synthetic::AnyAwsAccount => (
                NodeKind::AnyAwsAccount,
                "aws:any-account",
                "any AWS account",
                None,
            ),
            Synthetic::AwsAdmin => (
                NodeKind::Admin,
                "aws:account-admin",
                "AWS account administrator",
                Some(Crown::Admin),
            ),
            Synthetic::GcpAdmin => (
                NodeKind::Admin,
                "gcp:project-admin",
                "Google Cloud project owner",
                Some(Crown::Admin),
            ),
            Synthetic::AzureAdmin => (
                NodeKind::Admin,
                "azure:admin",
                "Azure subscription owner",
                Some(Crown::Admin),
            ),
            Synthetic::ClusterAdmin => (
                NodeKind::Admin,
                "k8s:cluster-admin",
                "Kubernetes cluster-admin",
                Some(Crown::Admin),
            ),
            Synthetic::NodeRoot => (
                NodeKind::Admin,
                "k8s:node-root",
                "root on a Kubernetes node",
                Some(Crown::Escalation),
            ),
        };
        self.g.add_node(Node {
            kind,
            key: key.to_string(),
            label: label.to_string(),
            resource: None,
            span: None,
            crown,
        })
    }
}

/// `name` when known, else the last segment of the address.
pub(crate) fn name_or_address(name: Option<&String>, meta: &ResourceMeta) -> String {
    name.cloned().unwrap_or_else(|| meta.address.clone())
}

/// An optional IAM / ABAC condition of a role binding, as shown on the edge it narrows
/// (GCP grants and Azure role assignments both carry one).
pub(crate) fn shown_conditions(condition: Option<&trustmap_model::Value<String>>) -> Vec<String> {
    condition
        .map(|c| {
            c.get()
                .cloned()
                .unwrap_or_else(|| "condition not known".to_string())
        })
        .into_iter()
        .collect()
}
