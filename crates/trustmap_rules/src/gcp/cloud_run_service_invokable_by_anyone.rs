use trustmap_model::Model;
use trustmap_model::gcp::iam::GrantTarget;

use super::report_public_invokers;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A Cloud Run service that anyone can call: a role (normally `roles/run.invoker`)
    /// granted to `allUsers` or `allAuthenticatedUsers` with
    /// `google_cloud_run_service_iam_*` or `google_cloud_run_v2_service_iam_*`, or a
    /// `google_cloud_run_v2_service` with `invoker_iam_disabled = true`, which switches the
    /// invoker check off.
    ///
    /// ## Why it matters
    /// Cloud Run's IAM check is the service's authentication. Without it, every request from
    /// the internet reaches the code, which then runs with the service's own identity: an
    /// internal API, an admin endpoint or a webhook meant for one caller becomes an entry
    /// point for everyone. Public websites are a legitimate exception; suppress the finding
    /// for them with that reason.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_cloud_run_v2_service_iam_member" "public" {
    ///   name   = google_cloud_run_v2_service.orders.name
    ///   role   = "roles/run.invoker"
    ///   member = "allUsers"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Grant the invoker role to the callers' service accounts, or put Identity-Aware Proxy
    /// in front for people:
    ///
    /// ```hcl
    /// resource "google_cloud_run_v2_service_iam_member" "frontend" {
    ///   name   = google_cloud_run_v2_service.orders.name
    ///   role   = "roles/run.invoker"
    ///   member = "serviceAccount:${google_service_account.frontend.email}"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/run/docs/authenticating/service-to-service>
    /// - <https://cloud.google.com/run/docs/securing/managing-access>
    pub(crate) CloudRunServiceInvokableByAnyone {
        id: "GCP-RUN-001",
        name: "cloud-run-service-invokable-by-anyone",
        severity: Medium,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_GCP_102"],
            cwe: ["CWE-306"],
        },
    }
}

impl Rule for CloudRunServiceInvokableByAnyone {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        report_public_invokers(model, GrantTarget::CloudRunService, out);
        for service in &model.gcp.run_services {
            let v = &service.invoker_iam_disabled;
            match v.get() {
                None => out.unknown(),
                Some(false) => out.pass_at(service.meta.span),
                Some(true) => {
                    out.report(
                        &service.meta,
                        v.span,
                        &v.via,
                        format!(
                            "Cloud Run service `{}` sets `invoker_iam_disabled`, so anyone who can reach it can call it",
                            service.meta.address
                        ),
                    );
                }
            }
        }
    }
}
