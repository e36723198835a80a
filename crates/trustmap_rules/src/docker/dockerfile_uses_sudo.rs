//! `sudo` in a `RUN`.

use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// `RUN` commands that use `sudo` (or `doas`).
    ///
    /// ## Why it matters
    ///
    /// A build step runs as the current `USER` already, so `sudo` is only useful when the
    /// image switched to a non-root user *and* that user may become root without a password.
    /// That same rule holds when the container runs: whoever gets code execution as the app
    /// user — the reason for switching users — becomes root with one command, undoing the
    /// protection `USER` was meant to give. It also ships `sudo` itself, a setuid binary with
    /// its own history of privilege-escalation bugs.
    ///
    /// ## Example
    ///
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN useradd -m app && echo "app ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers
    /// USER app
    /// RUN sudo apt-get update && sudo apt-get install -y curl
    /// ```
    ///
    /// ## Fix
    ///
    /// Do the root work before switching users, and do not install `sudo` or grant it:
    ///
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///  && rm -rf /var/lib/apt/lists/* && useradd -m app
    /// USER app
    /// ```
    pub(crate) DockerfileUsesSudo {
        id: "DKR-010",
        name: "dockerfile-uses-sudo",
        severity: Medium,
        capability: Identity,
        languages: [Dockerfile],
        equivalents: {
            checkov: ["CKV2_DOCKER_1"],
            trivy: ["AVD-DS-0010"],
            cwe: ["CWE-250"],
        },
    }
}

impl Rule for DockerfileUsesSudo {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for d in &model.dockerfiles {
            let mut clean = true;
            for script in super::scripts(d) {
                for c in script.commands() {
                    if let Some(w) = c.privilege_wrapper() {
                        clean = false;
                        let program = c.program().map_or_else(String::new, |p| format!(" {p}"));
                        out.report(
                            &d.meta,
                            w.span,
                            &[],
                            format!(
                                "`{}{program}` runs through `{}`, so the image's user can become root",
                                w.text, w.text
                            ),
                        );
                    }
                }
            }
            if clean {
                out.pass_at(d.meta.span);
            }
        }
    }
}
