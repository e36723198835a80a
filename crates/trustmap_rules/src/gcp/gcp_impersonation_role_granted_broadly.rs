use trustmap_model::gcp::iam::IMPERSONATION_ROLES;
use trustmap_model::{Model, Value};

use super::{members_label, target_label};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A role that lets its holder act as service accounts granted on a whole project,
    /// folder or organization instead of on the service accounts it needs:
    /// `roles/iam.serviceAccountUser`, `roles/iam.serviceAccountTokenCreator`,
    /// `roles/iam.serviceAccountOpenIdTokenCreator`, `roles/iam.serviceAccountKeyAdmin` or
    /// `roles/iam.workloadIdentityUser`.
    ///
    /// Every IAM form is read: `_iam_member`, `_iam_binding`, `_iam_policy` and the
    /// bindings of a `google_iam_policy` data source.
    ///
    /// ## Why it matters
    /// Granted at project level, these roles apply to *every* service account in the
    /// project, today's and tomorrow's, including the Compute Engine default account (often
    /// an editor) and the accounts of deployment pipelines. The holder can mint an access
    /// token for the most privileged of them, or attach it to a VM they start, and act with
    /// its permissions: a one-step privilege escalation that IAM reviews of the project's
    /// own roles do not show.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_project_iam_member" "deployer" {
    ///   project = "acme-prod"
    ///   role    = "roles/iam.serviceAccountUser"
    ///   member  = "group:deployers@acme.test"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Grant the role on the one service account the principal must use:
    ///
    /// ```hcl
    /// resource "google_service_account_iam_member" "deployer" {
    ///   service_account_id = google_service_account.runtime.name
    ///   role               = "roles/iam.serviceAccountUser"
    ///   member             = "group:deployers@acme.test"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/iam/docs/service-account-impersonation>
    /// - <https://cloud.google.com/iam/docs/best-practices-service-accounts#project-folder-grants>
    pub(crate) GcpImpersonationRoleGrantedBroadly {
        id: "GCP-IAM-002",
        name: "gcp-impersonation-role-granted-broadly",
        severity: High,
        capability: Identity,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_GCP_41", "CKV_GCP_44", "CKV_GCP_45", "CKV_GCP_49"],
            trivy: ["AVD-GCP-0005", "AVD-GCP-0009", "AVD-GCP-0011"],
            cwe: ["CWE-269"],
        },
    }
}

impl Rule for GcpImpersonationRoleGrantedBroadly {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for grant in model.gcp.iam_grants.iter().filter(|g| g.on.is_hierarchy()) {
            let Some(role) = grant.role.get() else {
                out.unknown();
                continue;
            };
            if !IMPERSONATION_ROLES.contains(&role.as_str()) {
                out.pass_at(grant.meta.span);
                continue;
            }
            let members: Vec<&Value<String>> = grant.members.iter().collect();
            out.report(
                &grant.meta,
                grant.role.span,
                &grant.role.via,
                format!(
                    "{} grants `{role}` to {}, which lets them act as every service account in it",
                    target_label(model, grant),
                    members_label(&members)
                ),
            );
        }
    }
}
