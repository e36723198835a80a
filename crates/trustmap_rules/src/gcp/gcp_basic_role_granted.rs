use trustmap_model::gcp::iam::is_basic_write_role;
use trustmap_model::{Model, Value};

use super::{members_label, target_label};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// The basic roles `roles/owner` or `roles/editor` granted on a project, folder or
    /// organization, by `google_project_iam_member`/`_binding`/`_policy` (including the
    /// bindings of a `google_iam_policy` data source), or the folder and organization
    /// equivalents.
    ///
    /// Grants whose only members are Google-managed service agents
    /// (`…@cloudservices.gserviceaccount.com`, which Google gives `roles/editor` itself) are
    /// not reported. `roles/viewer` is not reported either: it reads almost everything, but
    /// changes nothing.
    ///
    /// ## Why it matters
    /// Editor can change almost every resource in its scope (and read most data); owner can
    /// also change IAM. A grant on a folder or organization reaches every project below it.
    /// Whoever holds the role, or steals a credential of someone who does, can deploy code,
    /// read databases and create keys for service accounts. Basic roles predate IAM and are
    /// never the least privilege a job needs.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_project_iam_member" "ci" {
    ///   project = "acme-prod"
    ///   role    = "roles/editor"
    ///   member  = "serviceAccount:ci@acme-prod.iam.gserviceaccount.com"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Grant the predefined roles the job needs, on the narrowest resource that works:
    ///
    /// ```hcl
    /// resource "google_project_iam_member" "ci" {
    ///   project = "acme-prod"
    ///   role    = "roles/run.developer"
    ///   member  = "serviceAccount:ci@acme-prod.iam.gserviceaccount.com"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/iam/docs/roles-overview#basic>
    /// - <https://cloud.google.com/iam/docs/using-iam-securely>
    pub(crate) GcpBasicRoleGranted {
        id: "GCP-IAM-001",
        name: "gcp-basic-role-granted",
        severity: High,
        capability: Identity,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_GCP_115", "CKV_GCP_116", "CKV_GCP_117", "CKV_GCP_42"],
            trivy: ["AVD-GCP-0007"],
            cwe: ["CWE-250"],
        },
    }
}

/// A Google-managed service agent that Google itself grants `roles/editor`.
fn is_google_service_agent(member: &str) -> bool {
    member.ends_with("@cloudservices.gserviceaccount.com")
}

impl Rule for GcpBasicRoleGranted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for grant in model.gcp.iam_grants.iter().filter(|g| g.on.is_hierarchy()) {
            let Some(role) = grant.role.get() else {
                out.unknown();
                continue;
            };
            if !is_basic_write_role(role) {
                out.pass_at(grant.meta.span);
                continue;
            }
            let members: Vec<&Value<String>> = grant
                .members
                .iter()
                .filter(|m| !m.is(|s| is_google_service_agent(s)))
                .collect();
            if members.is_empty() && !grant.members.is_empty() {
                out.pass_at(grant.meta.span);
                continue;
            }
            out.report(
                &grant.meta,
                grant.role.span,
                &grant.role.via,
                format!(
                    "{} grants basic role `{role}` to {}",
                    target_label(model, grant),
                    members_label(&members)
                ),
            );
        }
    }
}
