//! Pods that run as their namespace's `default` ServiceAccount.

use trustmap_model::Model;

use super::{pods_of, tally};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Pods that run as the namespace's `default` ServiceAccount, because they leave
    /// `serviceAccountName` out or name `default`, and that have an API token mounted.
    /// Pods with the token turned off (on the pod or the `default` account) hold no
    /// credential and are not reported.
    ///
    /// ## Why it matters
    ///
    /// Every pod of the namespace that names no account shares `default`, so any
    /// permission granted to it for one workload is held by all of them, and nobody can
    /// tell which workload needs it. An attacker who compromises the least important pod in
    /// the namespace inherits whatever the most privileged one was given, and audit logs
    /// cannot say which workload made a call.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: db-migrate
    ///   namespace: billing
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///         - name: migrate
    ///           image: registry.example.com/billing-migrate:7.1.0
    /// ```
    ///
    /// ## Fix
    ///
    /// Give each workload its own ServiceAccount, grant RBAC to that account only, and
    /// turn the token off where the workload never calls the API.
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: db-migrate
    ///   namespace: billing
    /// automountServiceAccountToken: false
    /// ---
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: db-migrate
    ///   namespace: billing
    /// spec:
    ///   template:
    ///     spec:
    ///       serviceAccountName: db-migrate
    ///       restartPolicy: Never
    ///       containers:
    ///         - name: migrate
    ///           image: registry.example.com/billing-migrate:7.1.0
    /// ```
    pub(crate) PodUsesDefaultServiceAccount {
        id: "K8S-010",
        name: "pod-uses-default-service-account",
        severity: Low,
        capability: Identity,
        languages: [Kubernetes, Kustomize],
        equivalents: {
            checkov: ["CKV_K8S_41"],
        },
    }
}

impl Rule for PodUsesDefaultServiceAccount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for workload in &model.k8s.workloads {
            let account = &workload.pod.service_account_name;
            let automount = model.k8s.automounts_token(workload);
            if account.is(|name| name == "default") && !automount.is_false() {
                if automount.is_unknown() {
                    out.unknown();
                    continue;
                }
                let (pods, plural) = pods_of(&workload.object);
                let verb = if plural { "run" } else { "runs" };
                let how = if account.is_default() {
                    " (no `serviceAccountName`)"
                } else {
                    ""
                };
                out.report(
                    &workload.object.meta,
                    account.span,
                    &account.via,
                    format!("{pods} {verb} as the namespace's `default` service account{how}"),
                );
            } else {
                tally(out, workload.object.meta.span, account);
            }
        }
    }
}
