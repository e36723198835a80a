use trustmap_model::Model;
use trustmap_model::gha::Step;

use super::sites::job_sites;
use crate::{Related, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// `continue-on-error: true` on a security scan, or on a job that runs one.
    ///
    /// A security scan is an action such as `github/codeql-action`,
    /// `aquasecurity/trivy-action`, `bridgecrewio/checkov-action`, `zizmorcore/zizmor-action`,
    /// `semgrep/semgrep-action`, `gitleaks/gitleaks-action`, `snyk/actions`,
    /// `anchore/scan-action`, `actions/dependency-review-action`, or a `run:` of `trivy`,
    /// `checkov`, `zizmor`, `semgrep`, `gitleaks`, `trustmap`, `snyk`, `grype`, `tfsec`,
    /// `kics`, `trufflehog`, `osv-scanner`, `govulncheck`, `npm audit`, `cargo audit`, …
    /// Steps of composite actions of the same repository are followed. A
    /// `continue-on-error` computed by an expression is counted as undecided.
    ///
    /// ## Why it matters
    ///
    /// The scan is there to stop a vulnerable dependency, a leaked key or a pipeline
    /// injection before it merges or ships. With `continue-on-error` the job turns green
    /// whatever it finds, so the gate fails open: nobody looks at a passing check, and the
    /// finding ships. Teams often add it "temporarily" while adopting a scanner and never take
    /// it out.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// steps:
    ///   - uses: aquasecurity/trivy-action@0.28.0
    ///     continue-on-error: true
    ///     with:
    ///       scan-type: fs
    ///       exit-code: 1
    /// ```
    ///
    /// ## Fix
    ///
    /// Let the scan fail the job; accept known findings in the tool's own ignore file or
    /// baseline, where each exception is reviewed:
    ///
    /// ```yaml
    /// steps:
    ///   - uses: aquasecurity/trivy-action@0.28.0
    ///     with:
    ///       scan-type: fs
    ///       exit-code: 1
    ///       trivyignores: .trivyignore
    /// ```
    pub(crate) GhaSecurityStepContinueOnError {
        id: "GHA-012",
        name: "gha-security-step-continue-on-error",
        severity: Low,
        capability: Failure,
        languages: [GithubActions],
        equivalents: {
            cwe: ["CWE-636"],
        },
    }
}

impl Rule for GhaSecurityStepContinueOnError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for w in &model.workflows {
            for job in &w.jobs {
                let sites = job_sites(model, w, job);
                let scans: Vec<_> = sites
                    .iter()
                    .filter_map(|s| scanner(s.step).map(|name| (s, name)))
                    .collect();
                if scans.is_empty() {
                    continue;
                }
                if let Some(c) = &job.continue_on_error {
                    if c.value == "true" {
                        let (site, name) = &scans[0];
                        let message = format!(
                            "`continue-on-error: true` lets job `{}` pass whatever its `{name}` scan finds",
                            job.id
                        );
                        out.report(&job.meta, c.span, &[], message)
                            .related
                            .push(Related {
                                span: site.step.uses.as_ref().map_or(site.step.span, |u| u.span),
                                note: format!("the `{name}` scan runs here"),
                            });
                        continue;
                    }
                    if !c.expressions.is_empty() {
                        out.unknown();
                    }
                }
                for (site, name) in scans {
                    match &site.step.continue_on_error {
                        Some(c) if c.value == "true" => {
                            let message = format!(
                                "`continue-on-error: true` lets the `{name}` scan fail without failing the job"
                            );
                            out.report(site.resource(), c.span, &[], message);
                        }
                        Some(c) if !c.expressions.is_empty() => out.unknown(),
                        _ => out.pass_at(site.resource().span),
                    }
                }
            }
        }
    }
}

/// Scanner actions: (owner/repo, name shown).
const SCAN_ACTIONS: &[(&str, &str)] = &[
    ("github/codeql-action", "codeql"),
    ("aquasecurity/trivy-action", "trivy"),
    ("aquasecurity/tfsec-action", "tfsec"),
    ("bridgecrewio/checkov-action", "checkov"),
    ("zizmorcore/zizmor-action", "zizmor"),
    ("semgrep/semgrep-action", "semgrep"),
    ("returntocorp/semgrep-action", "semgrep"),
    ("gitleaks/gitleaks-action", "gitleaks"),
    ("snyk/actions", "snyk"),
    ("anchore/scan-action", "grype"),
    ("trufflesecurity/trufflehog", "trufflehog"),
    ("checkmarx/kics-github-action", "kics"),
    ("checkmarx/ast-github-action", "checkmarx"),
    ("ossf/scorecard-action", "scorecard"),
    ("actions/dependency-review-action", "dependency-review"),
    ("docker/scout-action", "docker scout"),
    ("securego/gosec", "gosec"),
    ("pypa/gh-action-pip-audit", "pip-audit"),
    ("golang/govulncheck-action", "govulncheck"),
    ("rustsec/audit-check", "cargo audit"),
    ("embarkstudios/cargo-deny-action", "cargo deny"),
    ("hadolint/hadolint-action", "hadolint"),
    ("google/osv-scanner-action", "osv-scanner"),
    ("trustmap/trustmap-action", "trustmap"),
];

/// Scanner programs run from `run:`.
const SCAN_PROGRAMS: &[&str] = &[
    "trivy",
    "checkov",
    "zizmor",
    "semgrep",
    "gitleaks",
    "trustmap",
    "grype",
    "tfsec",
    "kics",
    "trufflehog",
    "osv-scanner",
    "govulncheck",
    "gosec",
    "bandit",
    "pip-audit",
    "safety",
    "hadolint",
    "terrascan",
    "ggshield",
    "detect-secrets",
    "dockle",
    "brakeman",
];

/// The scanner a step runs, if it is one.
fn scanner(step: &Step) -> Option<String> {
    if let Some(u) = &step.uses {
        return SCAN_ACTIONS
            .iter()
            .find(|(a, _)| u.owner_repo().eq_ignore_ascii_case(a))
            .map(|(_, n)| (*n).to_string());
    }
    let script = step.script.as_ref()?;
    script.commands().find_map(|c| {
        let p = c.program()?;
        let first = c.args().first().map_or("", |a| a.text.as_str());
        if SCAN_PROGRAMS.contains(&p) {
            return Some(p.to_string());
        }
        let sub = match p {
            "npm" | "yarn" | "pnpm" => first == "audit",
            "cargo" => matches!(first, "audit" | "deny"),
            "snyk" => matches!(first, "test" | "code" | "iac" | "container"),
            "codeql" => first == "database",
            _ => false,
        };
        sub.then(|| format!("{p} {first}"))
    })
}
