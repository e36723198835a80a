use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A VM-backed workload that runs as the Compute Engine default service account
    /// (`<project-number>-compute@developer.gserviceaccount.com`, or the `service_account`
    /// block without an `email`, which the provider fills in as `default`) with the
    /// `cloud-platform` scope: `google_compute_instance`, instance templates, and GKE node
    /// pools (`node_config` with no `service_account` and `cloud-platform` in
    /// `oauth_scopes`).
    ///
    /// An instance without a `service_account` block has no service account and is not
    /// reported; neither are GKE nodes left to GKE's default scopes, which exclude
    /// `cloud-platform`.
    ///
    /// ## Why it matters
    /// Unless the organization policy `iam.automaticIamGrantsForDefaultServiceAccounts` was
    /// enforced when the project was created, the default service account is an Editor of
    /// the whole project. With the `cloud-platform` scope, anyone who gets code execution on
    /// the VM (a vulnerable web app, an SSRF to the metadata server, a pod on a GKE node
    /// without workload identity) fetches its token and can change almost everything in the
    /// project.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_compute_instance" "web" {
    ///   name         = "web"
    ///   machine_type = "e2-small"
    ///   # boot_disk, network_interface ...
    ///   service_account {
    ///     scopes = ["cloud-platform"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Create a service account for the workload, grant it only the roles it needs, and
    /// attach it:
    ///
    /// ```hcl
    /// resource "google_service_account" "web" {
    ///   account_id = "web-runtime"
    /// }
    ///
    /// resource "google_compute_instance" "web" {
    ///   name         = "web"
    ///   machine_type = "e2-small"
    ///   service_account {
    ///     email  = google_service_account.web.email
    ///     scopes = ["cloud-platform"]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/compute/docs/access/service-accounts#default_service_account>
    /// - <https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa>
    pub(crate) GcpVmDefaultServiceAccountFullAccess {
        id: "GCP-COMPUTE-001",
        name: "gcp-vm-default-service-account-full-access",
        severity: High,
        capability: Identity,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_GCP_31", "CKV_GCP_30", "CKV2_GCP_1"],
            trivy: ["AVD-GCP-0044", "AVD-GCP-0050"],
            cwe: ["CWE-250"],
        },
    }
}

impl Rule for GcpVmDefaultServiceAccountFullAccess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for vm in &model.gcp.vm_identities {
            let Some(sa) = &vm.service_account else {
                out.pass_at(vm.meta.span);
                continue;
            };
            match sa.is_default() {
                None => {
                    out.unknown();
                    continue;
                }
                Some(false) => {
                    out.pass_at(vm.meta.span);
                    continue;
                }
                Some(true) => {}
            }
            match sa.full_access_scope() {
                Some(scope) => {
                    let how = if sa.email.is_default() {
                        "the Compute Engine default service account (no `email` set)"
                    } else {
                        "the Compute Engine default service account"
                    };
                    out.report(
                        &vm.meta,
                        scope.span,
                        &scope.via,
                        format!(
                            "{} `{}` runs as {how} with the `cloud-platform` scope, so code on it gets a token for the whole project",
                            vm.kind.as_str(),
                            vm.meta.address
                        ),
                    );
                }
                None if sa.scopes.iter().any(|s| s.is_unknown()) => out.unknown(),
                None => out.pass_at(vm.meta.span),
            }
        }
    }
}
