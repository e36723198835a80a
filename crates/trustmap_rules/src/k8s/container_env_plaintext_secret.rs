//! Secret-named environment variables with a literal value in the manifest.

use trustmap_model::Model;
use trustmap_model::k8s::EnvValue;

use super::containers;
use crate::plaintext_secret::{is_placeholder, is_secret_name};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Environment variables whose name says they hold a credential (`PASSWORD`, `PASSWD`,
    /// `PASS`, `PASSPHRASE`, `SECRET`, `TOKEN`, `CREDENTIALS`, `API_KEY`, `ACCESS_KEY`,
    /// `PRIVATE_KEY`, ...) and whose value is written in the manifest instead of coming
    /// from a Secret. Names that describe the credential rather than hold it (ending in
    /// `_FILE`, `_PATH`, `_NAME`, `_ID`, `_URL`, ...), empty values, booleans, references
    /// to other variables (`$(VAR)`) and file paths are left alone.
    ///
    /// ## Why it matters
    ///
    /// The value is now in the repository's history forever, in every clone and fork, in
    /// CI logs that print manifests, and readable by anyone with `get` on the workload in
    /// the cluster (no access to Secrets needed). An attacker with read access to any of
    /// these has the credential, and rotating it means rewriting history.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: orders
    /// spec:
    ///   containers:
    ///     - name: orders
    ///       image: registry.example.com/orders:3.3.0
    ///       env:
    ///         - name: DB_PASSWORD
    ///           value: "correct-horse-battery-staple"
    /// ```
    ///
    /// ## Fix
    ///
    /// Rotate the credential (it has leaked), keep it in a Secret created outside the
    /// repository (an external secrets operator, sealed secrets, the cloud's secret
    /// manager) and reference it.
    ///
    /// ```yaml
    ///       env:
    ///         - name: DB_PASSWORD
    ///           valueFrom:
    ///             secretKeyRef:
    ///               name: orders-db
    ///               key: password
    /// ```
    pub(crate) ContainerEnvPlaintextSecret {
        id: "K8S-015",
        name: "container-env-plaintext-secret",
        severity: High,
        capability: Iac,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            cwe: ["CWE-798"],
        },
    }
}

impl Rule for ContainerEnvPlaintextSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (workload, container) in containers(model) {
            let (mut clean, mut unknown) = (true, false);
            for var in &container.env {
                let (Some(name), EnvValue::Literal(value)) = (var.name.get(), &var.value) else {
                    continue;
                };
                if !is_secret_name(name) {
                    continue;
                }
                match value.get() {
                    None => unknown = true,
                    Some(v) if value.is_explicit() && !is_placeholder(v) => {
                        clean = false;
                        out.report(
                            &workload.object.meta,
                            value.span,
                            &value.via,
                            format!(
                                "container `{}` sets `{name}` to a literal value in the manifest",
                                container.label()
                            ),
                        )
                        .redact(value.span);
                    }
                    Some(_) => {}
                }
            }
            match (clean, unknown) {
                (true, false) => out.pass_at(container.span),
                (true, true) => out.unknown(),
                _ => {}
            }
        }
    }
}
