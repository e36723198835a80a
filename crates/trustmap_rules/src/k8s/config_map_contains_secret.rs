//! ConfigMap entries that hold credentials.

use trustmap_model::Model;

use super::secret_data_in_repository::template_placeholder;
use crate::plaintext_secret::{is_placeholder, plaintext_secret};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// ConfigMap `data` entries that hold a credential: a key that names one (`password`,
    /// `DB_PASSWORD`, `api-key`, `client_secret`, `token`, `connection_string`, ...) with a
    /// literal value that is not a placeholder (`${VAR}`, `<changeme>`, `{{ ... }}`, a file
    /// path), or any value shaped like a credential: a PEM private key, a URL with a
    /// password, a connection string with `Password=`. The value is masked in every output.
    ///
    /// ## Why it matters
    ///
    /// ConfigMaps are not secret: every subject that may read configuration (often every
    /// developer, CI job and monitoring agent) reads them, they are printed by
    /// `kubectl describe`, and they sit in the repository in clear text. A credential in one
    /// is a credential for whoever reads the repository or the namespace, and it outlives
    /// the rotation everyone thinks happened.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: billing-config
    /// data:
    ///   DB_HOST: billing-db.internal
    ///   DB_PASSWORD: Sup3r-s3cret-2024
    /// ```
    ///
    /// ## Fix
    ///
    /// Keep configuration in the ConfigMap and the credential in a Secret created outside
    /// the repository (External Secrets, Sealed Secrets, the cloud's secret store CSI
    /// driver), then reference it.
    ///
    /// ```yaml
    /// data:
    ///   DB_HOST: billing-db.internal
    /// # in the container:
    /// #   env:
    /// #     - name: DB_PASSWORD
    /// #       valueFrom:
    /// #         secretKeyRef: { name: billing-db, key: password }
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, "ConfigMaps": ConfigMap does not provide secrecy or encryption
    pub(crate) ConfigMapContainsSecret {
        id: "K8S-130",
        name: "config-map-contains-secret",
        severity: High,
        capability: Iac,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            trivy: ["AVD-KSV-0109", "AVD-KSV-01010"],
            cwe: ["CWE-312"],
        },
    }
}

/// Why `value` looks like a credential whatever its key is called.
fn credential_shape(value: &str) -> Option<&'static str> {
    let lower = value.to_ascii_lowercase();
    if lower.contains("-----begin") && lower.contains("private key-----") {
        return Some("holds a private key");
    }
    let connection_password = lower
        .split(';')
        .filter_map(|part| part.split_once('='))
        .any(|(k, v)| {
            matches!(k.trim(), "password" | "pwd") && !v.trim().is_empty() && !is_placeholder(v)
        });
    connection_password.then_some("holds a connection string with a password")
}

impl Rule for ConfigMapContainsSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for config_map in &model.k8s.config_maps {
            let (mut found, mut unknown) = (false, false);
            for entry in config_map.data.iter().filter(|e| !e.base64) {
                let Some(value) = entry.value.get() else {
                    unknown = true;
                    continue;
                };
                if template_placeholder(value) {
                    continue;
                }
                // A multi-line value is a file, not one credential: only its shape counts.
                let why = credential_shape(value).or_else(|| {
                    (!value.trim().contains('\n'))
                        .then(|| plaintext_secret(&entry.key, value))
                        .flatten()
                });
                let Some(why) = why else { continue };
                found = true;
                out.report(
                    &config_map.object.meta,
                    entry.value.span,
                    &entry.value.via,
                    format!(
                        "ConfigMap `{}` key `{}` {why}",
                        config_map.object.name, entry.key
                    ),
                )
                .redact(entry.value.span);
            }
            match (found, unknown) {
                (false, false) => out.pass_at(config_map.object.meta.span),
                (false, true) => out.unknown(),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::credential_shape;

    #[test]
    fn credential_shapes() {
        assert!(credential_shape("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n").is_some());
        assert!(credential_shape("Server=db;User Id=app;Password=hunter22;").is_some());
        assert!(credential_shape("Server=db;Password=${DB_PASSWORD}").is_none());
        assert!(credential_shape("-----BEGIN CERTIFICATE-----").is_none());
        assert!(credential_shape("log_level=debug").is_none());
    }
}
