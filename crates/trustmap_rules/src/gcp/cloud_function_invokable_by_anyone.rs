use trustmap_model::Model;
use trustmap_model::gcp::iam::GrantTarget;

use super::report_public_invokers;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A Cloud Function that anyone can call: a role (normally
    /// `roles/cloudfunctions.invoker`) granted to `allUsers` or `allAuthenticatedUsers` with
    /// `google_cloudfunctions_function_iam_*` (1st gen) or
    /// `google_cloudfunctions2_function_iam_*` (2nd gen).
    ///
    /// A 2nd-gen function is served by a Cloud Run service; grants on that service are
    /// reported by `cloud-run-service-invokable-by-anyone`.
    ///
    /// ## Why it matters
    /// The invoker check is the function's authentication. Without it, every HTTP request
    /// from the internet runs the function with its service account, so an internal
    /// handler, a webhook meant for one sender or a maintenance task becomes an entry point
    /// for everyone (and a way to run up the bill).
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_cloudfunctions2_function_iam_member" "public" {
    ///   cloud_function = google_cloudfunctions2_function.resize.name
    ///   role           = "roles/cloudfunctions.invoker"
    ///   member         = "allUsers"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Grant the invoker role to the callers that need it, and verify webhook signatures in
    /// the function when the caller cannot authenticate to Google:
    ///
    /// ```hcl
    /// resource "google_cloudfunctions2_function_iam_member" "scheduler" {
    ///   cloud_function = google_cloudfunctions2_function.resize.name
    ///   role           = "roles/cloudfunctions.invoker"
    ///   member         = "serviceAccount:${google_service_account.scheduler.email}"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/functions/docs/securing/authenticating>
    pub(crate) CloudFunctionInvokableByAnyone {
        id: "GCP-FUNCTIONS-001",
        name: "cloud-function-invokable-by-anyone",
        severity: Medium,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_GCP_107"],
            cwe: ["CWE-306"],
        },
    }
}

impl Rule for CloudFunctionInvokableByAnyone {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        report_public_invokers(model, GrantTarget::CloudFunction, out);
    }
}
