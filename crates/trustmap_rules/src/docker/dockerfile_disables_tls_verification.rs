use trustmap_model::Model;
use trustmap_model::docker::InstructionKind;
use trustmap_model::docker::shell::Command;
use trustmap_source::Span;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Build steps and `ENV` settings that turn off TLS certificate verification.
    ///
    /// Commands: `curl -k`/`--insecure`, `wget --no-check-certificate`, `pip … --trusted-host`,
    /// `npm`/`yarn`/`pnpm` with `strict-ssl false`, `git -c http.sslVerify=false` or `git
    /// config http.sslVerify false`, and the environment variables that do the same for every
    /// later step: `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`,
    /// `GIT_SSL_NO_VERIFY`, `PIP_TRUSTED_HOST`, `NPM_CONFIG_STRICT_SSL=false`.
    ///
    /// ## Why it matters
    ///
    /// Without certificate checks, anyone on the network path — a compromised proxy, a hostile
    /// Wi-Fi on a developer laptop, a poisoned DNS answer in CI — can impersonate the server
    /// and hand the build a tampered package or script. Set through `ENV`, the switch also
    /// stays on in the running container, exposing its outbound calls the same way.
    ///
    /// ## Example
    ///
    /// ```dockerfile
    /// RUN curl -k -o /tmp/tool.tgz https://downloads.example.com/tool.tgz
    /// ENV NODE_TLS_REJECT_UNAUTHORIZED=0
    /// ```
    ///
    /// ## Fix
    ///
    /// Keep verification on; if a private CA is the reason, trust that CA instead:
    ///
    /// ```dockerfile
    /// COPY corp-root-ca.crt /usr/local/share/ca-certificates/
    /// RUN update-ca-certificates \
    ///  && curl -fsSLo /tmp/tool.tgz https://downloads.example.com/tool.tgz
    /// ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corp-root-ca.crt
    /// ```
    pub(crate) DockerfileDisablesTlsVerification {
        id: "DKR-006",
        name: "dockerfile-disables-tls-verification",
        severity: Medium,
        capability: Failure,
        languages: [Dockerfile],
        equivalents: {
            checkov: [
                "CKV2_DOCKER_2", "CKV2_DOCKER_3", "CKV2_DOCKER_4", "CKV2_DOCKER_5",
                "CKV2_DOCKER_6", "CKV2_DOCKER_12", "CKV2_DOCKER_13", "CKV2_DOCKER_14",
                "CKV2_DOCKER_16",
            ],
            cwe: ["CWE-295"],
        },
    }
}

impl Rule for DockerfileDisablesTlsVerification {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for d in &model.dockerfiles {
            let mut clean = true;
            for script in super::scripts(d) {
                for c in script.commands() {
                    if let Some((span, what)) = insecure_command(c) {
                        clean = false;
                        out.report(
                            &d.meta,
                            span,
                            &[],
                            format!("{what} disables TLS certificate verification"),
                        );
                    }
                }
            }
            for inst in super::instructions(d) {
                let InstructionKind::Env(kvs) = &inst.kind else {
                    continue;
                };
                for kv in kvs {
                    let value = kv.value.as_ref().map_or("", |v| v.value.as_str());
                    if insecure_env(&kv.key.value, value) {
                        clean = false;
                        let span = kv
                            .value
                            .as_ref()
                            .map_or(kv.key.span, |v| kv.key.span.to(v.span));
                        let message = format!(
                            "`ENV {}={value}` disables TLS certificate verification for every later step",
                            kv.key.value
                        );
                        out.report(&d.meta, span, &[], message);
                    }
                }
            }
            if clean {
                out.pass_at(d.meta.span);
            }
        }
    }
}

/// Environment switches that turn verification off.
fn insecure_env(key: &str, value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    match key {
        "NODE_TLS_REJECT_UNAUTHORIZED" | "PYTHONHTTPSVERIFY" => v == "0",
        "GIT_SSL_NO_VERIFY" | "PIP_TRUSTED_HOST" => !v.is_empty(),
        k if k.eq_ignore_ascii_case("NPM_CONFIG_STRICT_SSL") => v == "false",
        _ => false,
    }
}

/// `curl` short options that take a value: after one of these, the cluster's rest is that
/// value.
const CURL_SHORT_WITH_VALUE: &str = "AbcCdDeEFHKmoPQrTuUwxXyYz";

/// The word at fault and how to name it, when the command disables verification.
pub(crate) fn insecure_command(c: &Command) -> Option<(Span, String)> {
    let program = c.program()?.to_ascii_lowercase();
    let program = program.trim_end_matches(".exe");
    let args = c.args();
    let find = |pred: &dyn Fn(&str, Option<&str>) -> bool| {
        args.iter()
            .enumerate()
            .find(|(i, w)| pred(&w.text, args.get(i + 1).map(|n| n.text.as_str())))
            .map(|(_, w)| w)
    };
    let hit = match program {
        "curl" => find(&|t, _| t == "--insecure" || curl_cluster_has_k(t)),
        "wget" => find(&|t, _| t == "--no-check-certificate"),
        p if p.starts_with("pip") || p.starts_with("python") || p == "uv" => find(&|t, _| {
            t == "--trusted-host"
                || t.starts_with("--trusted-host=")
                || t.ends_with(".trusted-host")
        }),
        "npm" | "yarn" | "pnpm" => find(&|t, next| {
            let t = t.to_ascii_lowercase();
            t == "--strict-ssl=false"
                || t == "strict-ssl=false"
                || (t == "strict-ssl" && next.is_some_and(|n| n.eq_ignore_ascii_case("false")))
        }),
        "git" => find(&|t, next| {
            let t = t.to_ascii_lowercase();
            t == "http.sslverify=false"
                || (t == "http.sslverify" && next.is_some_and(|n| n.eq_ignore_ascii_case("false")))
        }),
        _ => None,
    }?;
    // `strict-ssl false`, `http.sslVerify false`: the setting and its value together.
    let pair = matches!(
        hit.text.to_ascii_lowercase().as_str(),
        "strict-ssl" | "http.sslverify"
    );
    let next = args
        .iter()
        .position(|w| std::ptr::eq(w, hit))
        .and_then(|i| args.get(i + 1))
        .filter(|_| pair);
    Some(match next {
        Some(n) => (
            hit.span.to(n.span),
            format!("`{program} … {} {}`", hit.text, n.text),
        ),
        None => (hit.span, format!("`{program} … {}`", hit.text)),
    })
}

/// `-k`, `-fsSLk`, `-kL`: a short-option cluster with `k` before any option taking a value.
fn curl_cluster_has_k(word: &str) -> bool {
    let Some(cluster) = word.strip_prefix('-') else {
        return false;
    };
    if cluster.starts_with('-') {
        return false;
    }
    for c in cluster.chars() {
        if c == 'k' {
            return true;
        }
        if CURL_SHORT_WITH_VALUE.contains(c) {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::curl_cluster_has_k;

    #[test]
    fn reads_curl_option_clusters() {
        assert!(
            curl_cluster_has_k("-k") && curl_cluster_has_k("-fsSLk") && curl_cluster_has_k("-kL")
        );
        assert!(
            !curl_cluster_has_k("-ok")
                && !curl_cluster_has_k("--keepalive")
                && !curl_cluster_has_k("-fsSL")
        );
    }
}
