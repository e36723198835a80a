//! Command-line arguments (clap). Parsing only: validation and resolution live in `main`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// trustmap reads a repository the way an attacker reads a cloud estate: it finds the
/// identities, permissions, exposures and pipelines the code defines, and what is wrong with them.
#[derive(Debug, Parser)]
#[command(name = "trustmap", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Scan files or directories for insecure infrastructure, pipelines and containers.
    Scan(ScanArgs),
    /// List the rules, or show one rule's documentation.
    Rules(RulesArgs),
    /// Scan only for secrets (the SEC-* rules): every text file, and with `--history` every
    /// commit of every branch. Takes the same options as `scan`.
    Secrets(ScanArgs),
    /// Write a baseline of the current findings (default `.trustmap-baseline.json` in the
    /// scanned directory), so `scan --baseline FILE` reports only new ones. Running it again
    /// updates the file. Takes the same options as `scan`.
    Baseline(BaselineArgs),
    // The graph commands: their help (with examples) is the doc comment of their arguments.
    Paths(crate::cmd_paths::PathsArgs),
    Graph(crate::cmd_graph::GraphArgs),
    BlastRadius(crate::cmd_blast::BlastArgs),
    Access(crate::cmd_access::AccessArgs),
    Capability(crate::cmd_capability::CapabilityArgs),
    /// Custom Rego policies: `policy test DIR` runs their unit tests.
    #[command(subcommand)]
    Policy(crate::cmd_policy::PolicyCommand),
    /// Run a language server on stdin/stdout: editors show findings as diagnostics for open
    /// Terraform, Kubernetes, Helm, Dockerfile, compose and CI workflow files.
    Lsp,
}

#[derive(Debug, Args)]
pub(crate) struct BaselineArgs {
    #[command(flatten)]
    pub(crate) scan: ScanArgs,

    /// Rewrite an existing baseline; fails when there is none at the path (a plain
    /// `trustmap baseline` creates or rewrites it).
    #[arg(long)]
    pub(crate) update: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Files or directories to scan (default: the current directory).
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,

    /// Write the report to FILE instead of standard output (written atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Exit with 1 when an unsuppressed finding is at or above this severity (default:
    /// `fail-on` of trustmap.toml, else low).
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub(crate) fail_on: Option<trustmap_rules::Severity>,

    /// Read this configuration file instead of the trustmap.toml (or .trustmap.toml) found
    /// in the scanned directory or above it, up to the git root.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub(crate) config: Option<PathBuf>,

    /// Ignore any trustmap.toml.
    #[arg(long)]
    pub(crate) no_config: bool,

    /// Ignore inline suppression comments (trustmap's and the peers'): their findings are
    /// reported. Path-scoped suppressions of trustmap.toml still apply.
    #[arg(long)]
    pub(crate) no_inline_suppressions: bool,

    /// Run only these rules (id or name; repeatable, comma-separated).
    #[arg(long = "rule", value_name = "RULE", value_delimiter = ',')]
    pub(crate) rules: Vec<String>,

    /// Skip these rules (id or name; repeatable, comma-separated).
    #[arg(long = "skip-rule", value_name = "RULE", value_delimiter = ',')]
    pub(crate) skip_rules: Vec<String>,

    /// Terraform variable file, applied after terraform.tfvars and *.auto.tfvars (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub(crate) var_files: Vec<PathBuf>,

    /// Terraform variable, `name=value`, applied last (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub(crate) vars: Vec<String>,

    /// CloudFormation parameter, `Name=Value`, overriding its `Default` in every template
    /// that declares it; pseudo parameters too (`AWS::Region=eu-west-1`) (repeatable).
    #[arg(long = "parameter", value_name = "NAME=VALUE")]
    pub(crate) parameters: Vec<String>,

    /// Helm values file applied to every chart after its values.yaml (repeatable; later
    /// files win).
    #[arg(long = "values", visible_alias = "helm-values", value_name = "FILE")]
    pub(crate) helm_values: Vec<PathBuf>,

    /// Helm value, Helm's `--set` syntax: `a.b=c`, `list={x,y}`, `a[0].b=c` (repeatable).
    #[arg(long = "set", visible_alias = "helm-set", value_name = "KEY=VALUE")]
    pub(crate) helm_set: Vec<String>,

    /// Like `--set`, but the values stay strings (repeatable).
    #[arg(long = "set-string", value_name = "KEY=VALUE")]
    pub(crate) helm_set_string: Vec<String>,

    /// Exit 0/1 by the findings even when part of the input could not be analysed (a Helm
    /// chart that did not render). Without it such a scan exits 2.
    #[arg(long)]
    pub(crate) allow_partial: bool,

    /// Also show suppressed findings in the text report (JSON and SARIF always include them).
    #[arg(long)]
    pub(crate) show_suppressed: bool,

    /// Also scan the git history for secrets: every commit on every branch and tag, each blob
    /// once, reporting the commit that introduced each secret.
    #[arg(long)]
    pub(crate) history: bool,

    /// With history: only commits not reachable from REF (a branch, tag or commit); implies
    /// `--history`.
    #[arg(long, value_name = "REF")]
    pub(crate) since: Option<String>,

    /// Show secret values in messages and code frames (masked by default). For local triage
    /// only: never in CI logs or uploaded reports.
    #[arg(long)]
    pub(crate) show_secrets: bool,

    /// Pod Security Standards level: report whether each workload would be admitted (a
    /// Namespace's `pod-security.kubernetes.io/enforce` label wins for its workloads), and
    /// run only the Pod Security rules of that level (restricted includes baseline).
    #[arg(long, value_name = "LEVEL", value_enum)]
    pub(crate) profile: Option<PssProfile>,

    /// Directory (or file) of custom Rego policies: `*.rego` (not `*_test.rego`) and `*.json`
    /// data; each package with `deny`/`warn`/`violation` is a rule (repeatable; added to
    /// `policies` of trustmap.toml). See docs/policies.md.
    #[arg(long = "policy", value_name = "DIR")]
    pub(crate) policies: Vec<PathBuf>,

    /// Set by the `secrets` subcommand: only secret rules run.
    #[arg(skip)]
    pub(crate) secrets_only: bool,

    /// Report only findings that are not in this baseline file (`trustmap baseline` writes
    /// one), and list the baseline's findings that are fixed.
    #[arg(long, value_name = "FILE", conflicts_with = "diff_base")]
    pub(crate) baseline: Option<PathBuf>,

    /// Report only findings (and attack paths) introduced since REF (a branch, tag or commit):
    /// the whole repository is evaluated at REF, read from git, and in the working tree.
    #[arg(long, value_name = "REF")]
    pub(crate) diff_base: Option<String>,

    /// No progress bar.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,

    /// When to use colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
}

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    #[command(subcommand)]
    pub(crate) action: Option<RulesAction>,

    /// Output format of the list.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    pub(crate) format: ListFormat,

    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RulesAction {
    /// Print one rule's documentation: what it finds, why it matters, example, fix.
    Show {
        /// Rule id or name.
        rule: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
    Sarif,
    /// JUnit XML for CI test reports (GitLab, Jenkins).
    Junit,
    /// A pull-request comment.
    Markdown,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

/// `--profile`: the Pod Security Standards levels worth checking against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PssProfile {
    Baseline,
    Restricted,
}

impl PssProfile {
    pub(crate) fn level(self) -> trustmap_engine::pod_security::PssLevel {
        match self {
            PssProfile::Baseline => trustmap_engine::pod_security::PssLevel::Baseline,
            PssProfile::Restricted => trustmap_engine::pod_security::PssLevel::Restricted,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_severity(s: &str) -> Result<trustmap_rules::Severity, String> {
    trustmap_rules::Severity::parse(s).ok_or_else(|| {
        format!("unknown severity `{s}` (expected critical, high, medium, low or info)")
    })
}
