//! Service account tokens mounted into pods that never asked for them.

use trustmap_model::Model;

use super::{pods_of, tally};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Pods that get a Kubernetes API token mounted only because nobody said otherwise:
    /// neither the pod nor its ServiceAccount sets `automountServiceAccountToken`, so it
    /// defaults to `true`. The pod's setting wins over the ServiceAccount's; an explicit
    /// `true` on either is taken as a deliberate choice and not reported.
    ///
    /// ## Why it matters
    ///
    /// The token sits in every container at
    /// `/var/run/secrets/kubernetes.io/serviceaccount/token`. An attacker who can read one
    /// file (path traversal, SSRF to a file URL, a leaked core dump) or run one command in
    /// the pod gets a credential for the API server with all the permissions of the
    /// ServiceAccount, which is how a bug in a web app becomes listing secrets or creating
    /// pods in the cluster. Most applications never call the Kubernetes API.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: storefront
    /// spec:
    ///   selector:
    ///     matchLabels: { app: storefront }
    ///   template:
    ///     metadata:
    ///       labels: { app: storefront }
    ///     spec:
    ///       serviceAccountName: storefront
    ///       containers:
    ///         - name: web
    ///           image: registry.example.com/storefront:5.2.0
    /// ```
    ///
    /// ## Fix
    ///
    /// Turn the token off on the ServiceAccount, for all its pods (or on one pod with
    /// `automountServiceAccountToken: false` next to `serviceAccountName`). A workload that
    /// does call the API opts in with an explicit `true` on its pod spec, which documents
    /// the need.
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: storefront
    /// automountServiceAccountToken: false
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes documentation: "Configure Service Accounts for Pods", opting out of API
    ///   credential automounting
    pub(crate) PodAutomountsServiceAccountToken {
        id: "K8S-009",
        name: "pod-automounts-service-account-token",
        severity: Medium,
        capability: Identity,
        languages: [Kubernetes, Kustomize],
        equivalents: {
            checkov: ["CKV_K8S_38"],
            trivy: ["AVD-KSV-0036"],
            cwe: ["CWE-1188"],
        },
    }
}

impl Rule for PodAutomountsServiceAccountToken {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for workload in &model.k8s.workloads {
            let automount = model.k8s.automounts_token(workload);
            if automount.is_default() && automount.is_true() {
                let (pods, plural) = pods_of(&workload.object);
                let account = workload.pod.service_account_name.get().map_or_else(
                    || "the pod's service account".to_string(),
                    |name| format!("service account `{name}`"),
                );
                let verb = if plural { "get" } else { "gets" };
                out.report(
                    &workload.object.meta,
                    automount.span,
                    &automount.via,
                    format!("{pods} {verb} the API token of {account} mounted by default"),
                );
            } else {
                tally(out, workload.object.meta.span, &automount);
            }
        }
    }
}
