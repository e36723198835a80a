//! Secret data written in the repository: Secret manifests and Kustomize secret generators.

use trustmap_model::Model;

use crate::plaintext_secret::{is_descriptive_name, is_placeholder};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Secrets whose data is written in the repository: `data` and `stringData` of a Secret
    /// manifest, and what a Kustomize `secretGenerator` puts in one — its `literals`, the
    /// lines of its `envs` files and its `files`. One finding per key. Empty values,
    /// placeholders (`<password>`, `${VAR}`, `$(VAR)`), keys that describe rather than hold a
    /// credential (`username`, `host`, `…_url`, `…_file`) and service-account token Secrets
    /// (filled in by the cluster) pass; values that cannot be known (a generator file outside
    /// the scan) are unknown.
    ///
    /// ## Why it matters
    ///
    /// `data` is base64, an encoding, not encryption; `stringData` and generator literals are
    /// plain text. Everyone who can read the repository — every clone, fork, CI log and
    /// backup, for the whole history — has the credential, and so does anyone who gets hold
    /// of one of them later. A Kustomize overlay makes this easy to miss: the Secret appears
    /// only when the overlay is built, from a literal line in `kustomization.yaml`.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// # overlays/staging/kustomization.yaml
    /// secretGenerator:
    ///   - name: db-credentials
    ///     literals:
    ///       - password=s3cr3t-staging
    /// ```
    ///
    /// ## Fix
    ///
    /// Rotate the credential, remove it from the repository, and deliver it from a secret
    /// store: an external-secrets `ExternalSecret`, a Sealed Secret or SOPS-encrypted file
    /// decrypted at deploy time, or the cloud's secret manager through the CSI driver.
    ///
    /// ```yaml
    /// apiVersion: external-secrets.io/v1beta1
    /// kind: ExternalSecret
    /// metadata:
    ///   name: db-credentials
    /// spec:
    ///   secretStoreRef: { name: vault, kind: ClusterSecretStore }
    ///   target: { name: db-credentials }
    ///   data:
    ///     - secretKey: password
    ///       remoteRef: { key: staging/db, property: password }
    /// ```
    pub(crate) SecretDataInRepository {
        id: "K8S-021",
        name: "secret-data-in-repository",
        severity: High,
        capability: Iac,
        languages: [Kubernetes, Kustomize],
        equivalents: {
            cwe: ["CWE-312", "CWE-798"],
        },
    }
}

/// A value written to be replaced: `<password>`, `REPLACE_ME`, `changeme`.
pub(crate) fn template_placeholder(v: &str) -> bool {
    let t = v.trim();
    (t.starts_with('<') && t.ends_with('>'))
        || (t.starts_with("{{") && t.ends_with("}}"))
        || matches!(
            t.to_ascii_lowercase().as_str(),
            "replace_me" | "replaceme" | "changeme" | "change_me" | "todo" | "tbd" | "xxx"
        )
}

impl Rule for SecretDataInRepository {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for secret in &model.k8s.secrets {
            if secret
                .secret_type
                .is(|t| t == "kubernetes.io/service-account-token")
            {
                out.pass_at(secret.object.meta.span);
                continue;
            }
            let (mut found, mut unknown) = (false, false);
            for entry in &secret.data {
                let Some(v) = entry.value.get() else {
                    unknown = true;
                    continue;
                };
                if is_placeholder(v) || template_placeholder(v) || is_descriptive_name(&entry.key) {
                    continue;
                }
                found = true;
                let how = if entry.base64 {
                    "base64-encoded, which is not encryption"
                } else {
                    "in plain text"
                };
                out.report(
                    &secret.object.meta,
                    entry.value.span,
                    &entry.value.via,
                    format!(
                        "Secret `{}` has key `{}` written in the repository {how}",
                        secret.object.name, entry.key
                    ),
                );
            }
            match (found, unknown) {
                (false, false) => out.pass_at(secret.object.meta.span),
                (false, true) => out.unknown(),
                _ => {}
            }
        }
    }
}
