//! `COPY`/`ADD` of key and credential files into an image.

use trustmap_model::Model;
use trustmap_model::docker::InstructionKind;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// `COPY` and `ADD` instructions whose source names a key or credential file: SSH private
    /// keys (`id_rsa`, `id_ecdsa`, `id_ed25519`, `id_dsa`, not `.pub`), `*.key`, `*.pem`
    /// (except certificate files named as such: `cert.pem`, `ca.pem`, `fullchain.pem`,
    /// `*-bundle.pem`), `*.p12`/`*.pfx`, `.env` files (not `.env.example`, `.env.sample`,
    /// `.env.template`), `credentials` files, `.npmrc`, `.pypirc`, `.netrc`,
    /// `.git-credentials`, `.aws/`, `.ssh/`, `.docker/config.json` and `.kube/config`.
    /// `COPY . .` is not judged: what it copies depends on `.dockerignore`.
    ///
    /// ## Why it matters
    ///
    /// Every instruction is a layer, and layers are kept: a file copied in is in the image
    /// even when a later `RUN rm` deletes it, and in intermediate stages and the build cache
    /// even when the final stage does not copy it along. Anyone who can pull the image — a
    /// registry reader, a leaked CI cache, a public mirror — extracts the key with
    /// `docker save` and uses it: to push to the repository, publish packages, reach the
    /// cloud account.
    ///
    /// ## Example
    ///
    /// ```dockerfile
    /// FROM node:20.17-slim AS build
    /// COPY .npmrc /root/.npmrc
    /// COPY id_rsa /root/.ssh/id_rsa
    /// RUN npm ci
    /// ```
    ///
    /// ## Fix
    ///
    /// Mount secrets for the one step that needs them; they never become part of a layer:
    ///
    /// ```dockerfile
    /// # docker build --secret id=npmrc,src=$HOME/.npmrc --ssh default .
    /// FROM node:20.17-slim AS build
    /// RUN --mount=type=secret,id=npmrc,target=/root/.npmrc \
    ///     --mount=type=ssh \
    ///     npm ci
    /// ```
    ///
    /// Then revoke the key that was copied: it is in every image built so far.
    pub(crate) DockerfileCopiesSecretFile {
        id: "DKR-008",
        name: "dockerfile-copies-secret-file",
        severity: High,
        capability: Iac,
        languages: [Dockerfile],
        equivalents: {
            trivy: ["AVD-DS-0031"],
            cwe: ["CWE-538", "CWE-312"],
        },
    }
}

/// What a source path is, when it is a secret file: a noun for the message.
fn secret_file(path: &str) -> Option<&'static str> {
    let p = path.trim().trim_end_matches('/').replace('\\', "/");
    let lower = p.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let dir_component = |d: &str| {
        lower == d || lower.ends_with(&format!("/{d}")) || lower.contains(&format!("{d}/"))
    };
    if dir_component(".ssh") {
        return Some("SSH keys");
    }
    if dir_component(".aws") {
        return Some("AWS credentials");
    }
    if lower.ends_with(".docker/config.json") {
        return Some("registry credentials");
    }
    if lower.ends_with(".kube/config") || name == "kubeconfig" {
        return Some("cluster credentials");
    }
    if ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"]
        .iter()
        .any(|k| {
            name == *k || name.starts_with(&format!("{k}_")) || name.starts_with(&format!("{k}."))
        })
        && !name.ends_with(".pub")
    {
        return Some("an SSH private key");
    }
    if name.ends_with(".key") {
        return Some("a private key");
    }
    if name.ends_with(".pem") {
        let stem = name.trim_end_matches(".pem");
        let certificate = stem.contains("cert")
            || stem.contains("chain")
            || stem.contains("bundle")
            || stem == "ca"
            || stem.starts_with("ca-")
            || stem.starts_with("ca_")
            || stem.ends_with("-ca")
            || stem.ends_with("_ca")
            || stem.contains("public");
        return (!certificate).then_some("a private key");
    }
    if name.ends_with(".p12") || name.ends_with(".pfx") {
        return Some("a key store");
    }
    if name == ".env"
        || (name.starts_with(".env.")
            && !matches!(
                name,
                ".env.example" | ".env.sample" | ".env.template" | ".env.dist" | ".env.defaults"
            ))
    {
        return Some("an environment file");
    }
    if name == "credentials" || name == "credentials.json" || name == ".git-credentials" {
        return Some("a credentials file");
    }
    if matches!(name, ".npmrc" | ".pypirc" | ".netrc" | ".yarnrc.yml") {
        return Some("a package registry credentials file");
    }
    None
}

impl Rule for DockerfileCopiesSecretFile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for d in &model.dockerfiles {
            for inst in super::instructions(d) {
                let (keyword, t) = match &inst.kind {
                    InstructionKind::Copy(t) => ("COPY", t),
                    InstructionKind::Add(t) => ("ADD", t),
                    _ => continue,
                };
                let mut clean = true;
                for src in &t.sources {
                    // Here-document sources and URLs are content, not files of the context.
                    if src.value.contains('\n') || src.value.contains("://") {
                        continue;
                    }
                    if let Some(what) = secret_file(&src.value) {
                        clean = false;
                        out.report(
                            &d.meta,
                            src.span,
                            &[],
                            format!(
                                "`{keyword} {}` copies {what} into an image layer",
                                src.value
                            ),
                        );
                    }
                }
                if clean {
                    out.pass_at(d.meta.span);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::secret_file;

    #[test]
    fn secret_files() {
        for p in [
            "id_rsa",
            "keys/id_ed25519",
            "server.key",
            "tls/privkey.pem",
            ".env",
            ".env.production",
            ".aws/",
            "home/.aws/credentials",
            ".npmrc",
            ".pypirc",
            "/root/.ssh",
            "certs/client.p12",
            ".docker/config.json",
        ] {
            assert!(secret_file(p).is_some(), "{p}");
        }
        for p in [
            "id_rsa.pub",
            "ca.pem",
            "certs/rds-ca-bundle.pem",
            "fullchain.pem",
            ".env.example",
            "package.json",
            "keyboard.txt",
            "src/",
        ] {
            assert!(secret_file(p).is_none(), "{p}");
        }
    }
}
