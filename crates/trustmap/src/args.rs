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

    /// Exit with 1 when an unsuppressed finding is at or above this severity.
    #[arg(long, value_name = "SEVERITY", default_value = "low", value_parser = parse_severity)]
    pub(crate) fail_on: trustmap_rules::Severity,

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

    /// Set by the `secrets` subcommand: only secret rules run.
    #[arg(skip)]
    pub(crate) secrets_only: bool,

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
