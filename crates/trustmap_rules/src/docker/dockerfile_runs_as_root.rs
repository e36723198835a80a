use trustmap_model::Model;
use trustmap_model::docker::{Dockerfile, Stage, Text};

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A Dockerfile whose final stage — the image that ships — runs as root.
    ///
    /// Its last `USER` is `root` or `0` (with or without a group; `ContainerAdministrator` on
    /// Windows), or no `USER` is set in it nor in the earlier stage it is built `FROM`, so the
    /// container keeps the base image's user, which is root for almost every public image and
    /// for `scratch`. Base images tagged `nonroot` (the distroless convention) pass;
    /// `USER $NAME` is unknown.
    ///
    /// ## Why it matters
    ///
    /// Any code execution in the container — a deserialisation bug, a malicious dependency —
    /// starts as uid 0. That makes every container-escape and kernel bug reachable, lets the
    /// attacker rewrite the image's own binaries and read every mounted secret, and, where user
    /// namespaces are off, is root on the node as well.
    ///
    /// ## Example
    ///
    /// ```dockerfile
    /// FROM node:20-slim
    /// COPY . /app
    /// CMD ["node", "/app/server.js"]
    /// ```
    ///
    /// ## Fix
    ///
    /// Switch to an unprivileged user after the steps that need root:
    ///
    /// ```dockerfile
    /// FROM node:20-slim
    /// COPY --chown=node:node . /app
    /// USER node
    /// CMD ["node", "/app/server.js"]
    /// ```
    ///
    /// Use a numeric uid (`USER 10001:10001`) so Kubernetes `runAsNonRoot` can verify it.
    pub(crate) DockerfileRunsAsRoot {
        id: "DKR-002",
        name: "dockerfile-runs-as-root",
        severity: Medium,
        capability: Identity,
        languages: [Dockerfile],
        equivalents: {
            checkov: ["CKV_DOCKER_8", "CKV_DOCKER_3"],
            trivy: ["AVD-DS-0002"],
            cwe: ["CWE-250"],
        },
    }
}

/// Who the final stage runs as.
enum Effective<'a> {
    /// A `USER` instruction (in the stage or in the stage it builds on).
    User(&'a Text),
    /// No `USER` anywhere in the chain: the image's own default.
    Inherited(&'a Stage),
}

impl Rule for DockerfileRunsAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for d in &model.dockerfiles {
            let Some(last) = d.final_stage() else {
                continue;
            };
            match effective_user(d, last) {
                Effective::User(user) => {
                    if user.value.contains('$') {
                        out.unknown();
                        continue;
                    }
                    let name = user.value.split(':').next().unwrap_or("").trim();
                    // `ContainerAdministrator` is the administrator of Windows containers.
                    if name == "root"
                        || name == "0"
                        || name.eq_ignore_ascii_case("ContainerAdministrator")
                    {
                        let message = format!("the image runs as `{}`", user.value);
                        out.report(&d.meta, user.span, &[], message);
                    } else {
                        out.pass_at(d.meta.span);
                    }
                }
                Effective::Inherited(base) => {
                    let image = &base.from;
                    if image.resolved.is_none() {
                        out.unknown();
                    } else if image.tag.as_deref().is_some_and(|t| t.contains("nonroot")) {
                        out.pass_at(d.meta.span);
                    } else {
                        let message = format!(
                            "the final stage sets no `USER`, so the image runs as the default user of `{}`, root for almost every image",
                            image.text
                        );
                        out.report(&d.meta, last.from_span, &image.via, message);
                    }
                }
            }
        }
    }
}

/// The last `USER` of `stage`, else of the stage it is built `FROM`, and so on.
fn effective_user<'a>(d: &'a Dockerfile, stage: &'a Stage) -> Effective<'a> {
    let mut current = stage;
    // Each hop goes to an earlier stage, so this ends; the bound guards odd inputs.
    for _ in 0..=d.stages.len() {
        if let Some(user) = current.last_user() {
            return Effective::User(user);
        }
        let parent = current
            .from
            .is_stage_ref
            .then_some(current.from.resolved.as_deref())
            .flatten()
            .and_then(|name| d.stage_named(name))
            .filter(|p| p.index < current.index);
        match parent {
            Some(p) => current = p,
            None => break,
        }
    }
    Effective::Inherited(current)
}
