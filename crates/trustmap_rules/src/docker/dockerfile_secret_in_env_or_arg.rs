use trustmap_model::Model;
use trustmap_model::docker::{InstructionKind, KeyValue};

use crate::plaintext_secret::is_secret_name;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// An `ENV` or `ARG` with a secret-looking name and a literal value written in the file.
    ///
    /// Secret-looking names contain `PASSWORD`, `SECRET`, `TOKEN`, `API_KEY`, `ACCESS_KEY`,
    /// `PRIVATE_KEY`, `CREDENTIALS` and the like. Names that point at a secret rather than hold
    /// it (`…_FILE`, `…_PATH`, `…_URL`, `…_ID`, …), values that only reference another variable
    /// (`$TOKEN`), empty values and `ARG NAME` without a default pass.
    ///
    /// ## Why it matters
    ///
    /// The value is written into the image: `ENV` into its configuration, `ARG` defaults into
    /// its build history. Anyone who can pull the image — a registry reader, a leaked CI cache,
    /// a public mirror — reads it with `docker history` or `docker inspect`, and the same
    /// secret is in every copy of the repository.
    ///
    /// ## Example
    ///
    /// ```dockerfile
    /// ENV DB_PASSWORD=s3cr3t
    /// ARG NPM_TOKEN=npm_4f9…
    /// ```
    ///
    /// ## Fix
    ///
    /// Mount the secret for the one step that needs it, and pass runtime secrets when the
    /// container starts:
    ///
    /// ```dockerfile
    /// # docker build --secret id=npm_token,env=NPM_TOKEN .
    /// RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
    /// # DB_PASSWORD comes from the orchestrator's secret store at run time
    /// ```
    ///
    /// Then revoke the secret that was committed: it is in the git history.
    pub(crate) DockerfileSecretInEnvOrArg {
        id: "DKR-004",
        name: "dockerfile-secret-in-env-or-arg",
        severity: High,
        capability: Iac,
        languages: [Dockerfile],
        equivalents: {
            trivy: ["AVD-DS-0031"],
            cwe: ["CWE-798", "CWE-538"],
        },
    }
}

impl Rule for DockerfileSecretInEnvOrArg {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for d in &model.dockerfiles {
            let global = d.global_args.iter().map(|kv| ("ARG", kv));
            let staged = super::instructions(d).flat_map(|i| {
                let (keyword, kvs) = match &i.kind {
                    InstructionKind::Env(kvs) => ("ENV", kvs.as_slice()),
                    InstructionKind::Arg(kvs) => ("ARG", kvs.as_slice()),
                    _ => ("", &[][..]),
                };
                kvs.iter().map(move |kv| (keyword, kv))
            });
            for (keyword, kv) in global.chain(staged) {
                if !is_secret_name(&kv.key.value) {
                    continue;
                }
                match literal(kv) {
                    Some(span) => {
                        let message = if keyword == "ENV" {
                            format!(
                                "`ENV {}` bakes a literal secret into the image",
                                kv.key.value
                            )
                        } else {
                            format!(
                                "`ARG {}` has a literal secret as its default, kept in the image history",
                                kv.key.value
                            )
                        };
                        out.report(&d.meta, span, &[], message).redact(span);
                    }
                    None => out.pass_at(d.meta.span),
                }
            }
        }
    }
}

/// The value's span when it is a non-empty literal (no `$` reference).
fn literal(kv: &KeyValue) -> Option<trustmap_source::Span> {
    let v = kv.value.as_ref()?;
    let t = v.value.trim();
    (!t.is_empty() && !t.contains('$')).then_some(v.span)
}
