//! No `HEALTHCHECK` for the image that ships.

use trustmap_model::Model;
use trustmap_model::docker::{Dockerfile, InstructionKind, Stage};

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A Dockerfile whose final stage — the image that ships — declares no `HEALTHCHECK`
    /// (neither itself nor through the earlier stage it is built `FROM`), or turns it off
    /// with `HEALTHCHECK NONE`. A base image pulled from a registry may declare one; trustmap
    /// cannot see it, so the policy is that the image you ship declares its own.
    ///
    /// ## Why it matters
    ///
    /// Without a health check, Docker, Compose and Swarm see a container as healthy as long
    /// as its process runs: a server that deadlocked, lost its database or was knocked over by
    /// a request flood keeps receiving traffic and is never restarted. Attacks that wedge a
    /// service (resource exhaustion, a poison message) then turn into lasting outages, and
    /// `depends_on: condition: service_healthy` has nothing to wait for.
    ///
    /// Kubernetes ignores `HEALTHCHECK` and uses the pod's probes; images that only run
    /// there, or that are not services (CLI tools, build images), can accept this finding.
    ///
    /// ## Example
    ///
    /// ```dockerfile
    /// FROM node:20.17-slim
    /// COPY . /app
    /// CMD ["node", "/app/server.js"]
    /// ```
    ///
    /// ## Fix
    ///
    /// ```dockerfile
    /// FROM node:20.17-slim
    /// COPY . /app
    /// HEALTHCHECK --interval=30s --timeout=3s --retries=3 \
    ///   CMD ["node", "/app/healthcheck.js"]
    /// CMD ["node", "/app/server.js"]
    /// ```
    pub(crate) DockerfileWithoutHealthcheck {
        id: "DKR-011",
        name: "dockerfile-without-healthcheck",
        severity: Low,
        capability: Failure,
        languages: [Dockerfile],
        equivalents: {
            checkov: ["CKV_DOCKER_2"],
            trivy: ["AVD-DS-0026"],
            kics: ["b03a748a-542d-44f4-bb86-9199ab4fd2d5"],
            cwe: ["CWE-754"],
        },
    }
}

/// The last `HEALTHCHECK` of a stage: `Some(true)` for `NONE`, `Some(false)` for a check.
fn last_healthcheck(stage: &Stage) -> Option<(bool, trustmap_source::Span)> {
    stage.instructions.iter().rev().find_map(|i| match &i.kind {
        InstructionKind::Healthcheck(h) => Some((h.command.is_none(), i.span)),
        _ => None,
    })
}

/// The healthcheck the final stage ends up with, following `FROM <earlier stage>`.
fn effective(d: &Dockerfile, stage: &Stage, depth: usize) -> Option<(bool, trustmap_source::Span)> {
    if let Some(h) = last_healthcheck(stage) {
        return Some(h);
    }
    if depth > d.stages.len() || !stage.from.is_stage_ref {
        return None;
    }
    let parent = d.stage_named(&stage.from.text).or_else(|| {
        stage
            .from
            .text
            .parse::<usize>()
            .ok()
            .and_then(|i| d.stages.get(i))
    })?;
    if parent.index >= stage.index {
        return None;
    }
    effective(d, parent, depth + 1)
}

impl Rule for DockerfileWithoutHealthcheck {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for d in &model.dockerfiles {
            let Some(last) = d.final_stage() else {
                continue;
            };
            match effective(d, last, 0) {
                Some((false, _)) => out.pass_at(d.meta.span),
                Some((true, span)) => {
                    out.report(
                        &d.meta,
                        span,
                        &[],
                        "`HEALTHCHECK NONE` turns off health checking for the image that ships",
                    );
                }
                None => {
                    out.report(
                        &d.meta,
                        last.from_span,
                        &[],
                        format!(
                            "the image built from `{}` declares no `HEALTHCHECK`, so a hung container still counts as healthy",
                            last.from.text
                        ),
                    );
                }
            }
        }
    }
}
