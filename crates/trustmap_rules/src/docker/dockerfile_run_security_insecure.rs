//! `RUN --security=insecure`.

use trustmap_model::Model;
use trustmap_model::docker::InstructionKind;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// `RUN --security=insecure` (BuildKit): a build step that runs without the build
    /// sandbox.
    ///
    /// ## Why it matters
    ///
    /// The step runs like a privileged container on the build machine: every capability,
    /// every device, no seccomp or AppArmor. Anything the step executes — a package's install
    /// script, a downloaded tool, a compromised base image — can take over the builder, read
    /// the registry and cloud credentials of every other build on it, and poison their
    /// caches and outputs. It also forces the builder to be started with the
    /// `security.insecure` entitlement, which then every Dockerfile built there may use.
    ///
    /// ## Example
    ///
    /// ```dockerfile
    /// # syntax=docker/dockerfile:1-labs
    /// FROM debian:12.7
    /// RUN --security=insecure mount -t tmpfs none /mnt && ./build.sh
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove the flag and do without the privilege: use a cache or tmpfs mount instead of
    /// `mount`, a rootless tool instead of one that needs devices, or a separate privileged
    /// CI job outside the image build:
    ///
    /// ```dockerfile
    /// FROM debian:12.7
    /// RUN --mount=type=tmpfs,target=/mnt ./build.sh
    /// ```
    ///
    /// ## References
    ///
    /// - Docker docs: Dockerfile reference, `RUN --security`
    pub(crate) DockerfileRunSecurityInsecure {
        id: "DKR-009",
        name: "dockerfile-run-security-insecure",
        severity: High,
        capability: Design,
        languages: [Dockerfile],
        equivalents: {
            cwe: ["CWE-250"],
        },
    }
}

impl Rule for DockerfileRunSecurityInsecure {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for d in &model.dockerfiles {
            for inst in super::instructions(d) {
                let InstructionKind::Run(run) = &inst.kind else {
                    continue;
                };
                let insecure = run.flags.iter().find(|f| {
                    f.name.eq_ignore_ascii_case("security")
                        && f.value
                            .as_ref()
                            .is_some_and(|v| v.value.eq_ignore_ascii_case("insecure"))
                });
                match insecure {
                    Some(flag) => {
                        out.report(
                            &d.meta,
                            flag.span,
                            &[],
                            "`RUN --security=insecure` runs the step without the build sandbox, with full privileges on the builder",
                        );
                    }
                    None => out.pass_at(d.meta.span),
                }
            }
        }
    }
}
