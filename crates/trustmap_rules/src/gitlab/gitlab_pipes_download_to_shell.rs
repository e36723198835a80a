use trustmap_model::Model;

use super::script_lines;
use crate::docker::piped_downloads;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A GitLab CI script line that downloads a script and runs it in one go, without
    /// verifying it: `curl … | sh`, `wget -O- … | bash`, `bash <(curl …)`,
    /// `sh -c "$(curl …)"`, and the same into `python`, `node`, `pwsh` and other interpreters.
    ///
    /// `before_script`, `script` and `after_script` of every job, `extends:` templates and
    /// `default:` included, are read as shell; each written line is reported once.
    ///
    /// ## Why it matters
    ///
    /// Whoever controls the URL — the vendor, anyone who compromises its server, CDN or DNS,
    /// or anyone on the path of a plain `http://` download — runs code in the job with its
    /// CI/CD variables, job token and deployment rights. Nothing records which script ran,
    /// and a server can even serve a different script to CI than to a browser.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// build:
    ///   script:
    ///     - curl -sSfL https://get.example.com/install.sh | sh
    /// ```
    ///
    /// ## Fix
    ///
    /// Download to a file, check its published checksum, then run it — or use a pinned image
    /// that already contains the tool:
    ///
    /// ```yaml
    /// build:
    ///   script:
    ///     - curl -sSfL -o install.sh https://get.example.com/v1.4.2/install.sh
    ///     - echo "3f5a…e1  install.sh" | sha256sum -c -
    ///     - sh install.sh
    /// ```
    pub(crate) GitlabPipesDownloadToShell {
        id: "GLCI-007",
        name: "gitlab-pipes-download-to-shell",
        severity: High,
        capability: Iac,
        languages: [GitlabCi],
        equivalents: {
            cwe: ["CWE-494"],
            poutine: ["unverified_script_exec"],
        },
    }
}

impl Rule for GitlabPipesDownloadToShell {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for p in &model.gitlab {
            for (resource, _, line) in script_lines(p) {
                let found = piped_downloads(&line.script);
                if found.is_empty() {
                    out.pass_at(resource.span);
                }
                for (span, fetcher, interpreter) in found {
                    let message = format!(
                        "a script downloaded with `{fetcher}` is run by `{interpreter}` without verification"
                    );
                    out.report(resource, span, &[], message);
                }
            }
        }
    }
}
