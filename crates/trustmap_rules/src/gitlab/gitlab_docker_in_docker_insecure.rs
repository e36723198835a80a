use trustmap_model::Model;
use trustmap_model::gitlab::{Image, Job, Pipeline, Variable};
use trustmap_source::Span;

use super::runnable;
use crate::{Related, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A Docker-in-Docker service (`services: [docker:dind]`) run without TLS, or a job that
    /// starts `--privileged` containers on it.
    ///
    /// TLS is off when `DOCKER_TLS_CERTDIR` is set to `""` (job, pipeline or service
    /// variables), when `DOCKER_HOST` points at the plain-text port (`tcp://docker:2375`), or
    /// when the service is started with `--tls=false`. The privileged hint is a script running
    /// `docker run --privileged` (or `--cap-add=ALL`, `--pid=host`) against the service. The
    /// service comes from the job, or from `default:` when the job has none.
    ///
    /// ## Why it matters
    ///
    /// The `dind` service itself runs privileged on the runner host. Without TLS its Docker
    /// API listens unauthenticated on port 2375 of the job's network: any container of the
    /// job — a test dependency, a service, a build step running the merge request's code —
    /// can start a privileged container on it and from there take the runner host, its cached
    /// images and the other jobs it runs. A `--privileged` container gets the same reach
    /// directly.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// build:
    ///   image: docker:27
    ///   services:
    ///     - docker:27-dind
    ///   variables:
    ///     DOCKER_HOST: tcp://docker:2375
    ///     DOCKER_TLS_CERTDIR: ""
    ///   script:
    ///     - docker build -t app .
    /// ```
    ///
    /// ## Fix
    ///
    /// Keep TLS on (the default certificate directory), or build without a daemon (BuildKit
    /// rootless, kaniko, buildah):
    ///
    /// ```yaml
    /// build:
    ///   image: docker:27
    ///   services:
    ///     - docker:27-dind
    ///   variables:
    ///     DOCKER_HOST: tcp://docker:2376
    ///     DOCKER_TLS_CERTDIR: "/certs"
    ///     DOCKER_TLS_VERIFY: 1
    ///     DOCKER_CERT_PATH: "/certs/client"
    ///   script:
    ///     - docker build -t app .
    /// ```
    pub(crate) GitlabDockerInDockerInsecure {
        id: "GLCI-003",
        name: "gitlab-docker-in-docker-insecure",
        severity: High,
        capability: Design,
        languages: [GitlabCi],
        equivalents: {
            cwe: ["CWE-250", "CWE-306"],
        },
    }
}

impl Rule for GitlabDockerInDockerInsecure {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for p in &model.gitlab {
            for job in runnable(p) {
                let services = if job.services.is_empty() && job.inherits_default("services") {
                    &p.default.services
                } else {
                    &job.services
                };
                let Some(dind) = services.iter().find(|s| is_dind(s)) else {
                    continue;
                };
                let mut clean = true;
                if let Some((span, what)) = tls_off(p, job, dind) {
                    clean = false;
                    let message = format!(
                        "{what}, so the `{}` daemon accepts unauthenticated API calls from the job's network",
                        dind.name.value
                    );
                    out.report(&job.meta, span, &[], message)
                        .related
                        .push(Related {
                            span: dind.name.span,
                            note: "the Docker-in-Docker service starts here".to_string(),
                        });
                }
                for (_, line) in job.script_lines() {
                    for c in line.script.commands() {
                        let args: Vec<&str> = c.args().iter().map(|a| a.text.as_str()).collect();
                        let privileged = c.program() == Some("docker")
                            && matches!(args.first(), Some(&"run" | &"create"))
                            && args.iter().any(|a| {
                                matches!(
                                    *a,
                                    "--privileged"
                                        | "--privileged=true"
                                        | "--cap-add=ALL"
                                        | "--pid=host"
                                )
                            });
                        if privileged {
                            clean = false;
                            let message = format!(
                                "`docker run --privileged` on the `{}` service gives the container root on the runner host",
                                dind.name.value
                            );
                            out.report(&job.meta, c.span, &[], message);
                        }
                    }
                }
                if clean {
                    out.pass_at(job.meta.span);
                }
            }
        }
    }
}

fn is_dind(s: &Image) -> bool {
    let name = s.name.value.to_ascii_lowercase();
    name.contains("dind") && !name.contains("rootless")
}

/// Where TLS is turned off: its span and what does it.
fn tls_off(p: &Pipeline, job: &Job, dind: &Image) -> Option<(Span, String)> {
    let var = |name: &str| -> Option<&Variable> {
        dind.variables
            .iter()
            .rev()
            .find(|v| v.name == name)
            .or_else(|| p.variable(job, name))
    };
    if let Some(v) = var("DOCKER_TLS_CERTDIR")
        && let Some(value) = &v.value
        && value.value.trim().is_empty()
    {
        return Some((
            value.span,
            "`DOCKER_TLS_CERTDIR: \"\"` turns off TLS".to_string(),
        ));
    }
    if let Some(v) = var("DOCKER_HOST")
        && let Some(value) = &v.value
        && value.value.trim().starts_with("tcp://")
        && value.value.trim().ends_with(":2375")
    {
        return Some((
            value.span,
            format!(
                "`DOCKER_HOST: {}` talks to the plain-text port",
                value.value.trim()
            ),
        ));
    }
    dind.command
        .iter()
        .find(|c| c.value.contains("--tls=false"))
        .map(|c| (c.span, "the service runs with `--tls=false`".to_string()))
}
