//! Version 1 of the JSON report: the frozen contract of `trustmap scan --format json`.
//!
//! These types are separate from the engine's so internal refactors cannot change the
//! output. Adding an optional field is compatible; renaming, removing or changing the meaning
//! of one needs a new `schema_version`. `schemas/report.schema.json` is generated from them.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

/// The version of this JSON contract (not of trustmap).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub enum SchemaVersion {
    #[serde(rename = "1")]
    V1,
}

/// The result of one `trustmap scan`.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[schemars(title = "trustmap scan report")]
pub struct Report {
    /// The version of this JSON format; changes only when a field changes incompatibly.
    pub schema_version: SchemaVersion,
    /// The trustmap version that produced the report.
    pub version: String,
    /// Every finding, suppressed ones included (marked), sorted by path, line, column and
    /// rule id.
    pub findings: Vec<Finding>,
    /// Chains from an untrusted source (the internet, any GitHub repository, a fork's pull
    /// request, any AWS account) to something worth protecting, worst first.
    pub attack_paths: Vec<AttackPath>,
    /// The changes that break the most attack paths, best first (present when there are
    /// paths).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attack_path_fixes: Vec<AttackPathFix>,
    /// Findings rolled up into the four capabilities.
    pub scorecard: Scorecard,
    /// Problems with inputs that are not findings (files that do not parse, skipped files,
    /// values that could not be evaluated). The scan went on past each of them.
    pub errors: Vec<Error>,
    /// Parts of the input that were not analysed (a Helm template that did not render, a
    /// chart dependency that is not vendored), one sentence each. Present only when the
    /// scan is partial; the CLI then exits 2 unless `--allow-partial` was given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incomplete: Vec<String>,
    /// Present when inline suppressions were refused (`--no-inline-suppressions` or
    /// `[suppressions] inline = false`): the comments were ignored and the findings they
    /// would have hidden are reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline_suppressions_disabled: Option<InlineSuppressionsDisabled>,
    /// Present with `--baseline` or `--diff-base`: what the scan was compared with. `findings`
    /// then holds only the new ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    /// How much was scanned, and how much could not be decided.
    pub stats: Stats,
    /// Pod Security admission of each workload: present with `--profile`, or when a scanned
    /// Namespace sets a `pod-security.kubernetes.io/enforce` level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_security: Option<PodSecurity>,
}

/// Whether the API server would admit each workload's pods under the Pod Security
/// Standards level that applies to it.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct PodSecurity {
    /// The level given with `--profile`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<PssLevel>,
    /// Workloads evaluated (those with a level).
    pub evaluated: u64,
    /// Workloads whose pods would be admitted.
    pub admitted: u64,
    /// One entry per workload, by path and line.
    pub workloads: Vec<PodSecurityWorkload>,
}

/// A Pod Security Standards level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PssLevel {
    Privileged,
    Baseline,
    Restricted,
}

/// Where a workload's level comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PssLevelSource {
    /// `--profile`.
    Profile,
    /// The `pod-security.kubernetes.io/enforce` label of the workload's Namespace (it wins
    /// over `--profile`: it is what the admission controller applies).
    NamespaceLabel,
    /// No enforce label and no `--profile`, in a Namespace with `warn` or `audit` labels:
    /// admission enforces `privileged`.
    Unenforced,
}

/// One workload's admission verdict.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct PodSecurityWorkload {
    /// `Kind/namespace/name`.
    pub resource: String,
    pub path: String,
    /// First line of the workload's document.
    pub start_line: u32,
    /// The level it is evaluated against.
    pub level: PssLevel,
    pub level_source: PssLevelSource,
    /// The namespace label's location, when the level comes from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_source_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_source_line: Option<u32>,
    /// True when no control of the level fails.
    pub admitted: bool,
    /// Failing controls, by line.
    pub violations: Vec<PodSecurityViolation>,
    /// True when admitted but a `warn` level fails: the API server returns warnings.
    pub admitted_with_warnings: bool,
    /// The Namespace's `warn` and `audit` levels.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub advisories: Vec<PodSecurityAdvisory>,
}

/// A `pod-security.kubernetes.io/warn` or `audit` label of the workload's Namespace.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct PodSecurityAdvisory {
    /// `warn` (the client gets warnings) or `audit` (the audit event is annotated).
    pub mode: String,
    pub level: PssLevel,
    /// The label's location.
    pub path: String,
    pub line: u32,
    /// Failing controls of this level that `violations` does not already list.
    pub violations: Vec<PodSecurityViolation>,
}

/// A failing control of the Pod Security Standards.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct PodSecurityViolation {
    /// The control's name in the Kubernetes documentation (`Privilege Escalation`).
    pub control: String,
    /// The profile that introduces the control.
    pub control_level: PssLevel,
    /// The rule that enforces it (`trustmap rules show RULE_ID`).
    pub rule_id: String,
    pub message: String,
    pub path: String,
    pub start_line: u32,
    pub end_line: u32,
}

/// How bad a finding is if exploited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

/// The secure-coding capability a rule is evidence for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Capability {
    Identity,
    Failure,
    Iac,
    Design,
}

/// One problem found by one rule.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Finding {
    /// Stable rule id, e.g. `AWS-S3-001`.
    pub rule_id: String,
    /// Kebab-case rule name, e.g. `s3-bucket-public-acl`.
    pub rule_name: String,
    pub severity: Severity,
    pub capability: Capability,
    /// What is wrong, naming the value at fault.
    pub message: String,
    /// Path of the file, relative to the scanned root, `/`-separated.
    pub path: String,
    /// 1-based first line of the smallest range that shows the problem.
    pub start_line: u32,
    /// 1-based last line of that range (inclusive).
    pub end_line: u32,
    /// 1-based column of the first character, counted in Unicode characters.
    pub start_column: u32,
    /// 1-based column just past the last character (exclusive), in Unicode characters.
    pub end_column: u32,
    /// The resource at fault: a Terraform address with instance keys
    /// (`aws_s3_bucket.b["x"]`), `Kind/namespace/name` for Kubernetes, a CloudFormation
    /// logical id, or `workflow-path#job`.
    pub resource: String,
    /// Stable identity of the finding across unrelated edits (rule, path, resource and the
    /// text at fault; not line numbers). Use it for baselines.
    pub fingerprint: String,
    /// True when a suppression accepted this finding (see `suppression`).
    pub suppressed: bool,
    /// The reason given with the suppression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression_reason: Option<String>,
    /// How the finding was suppressed, when it was: the mechanism and where it is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Suppression>,
    /// The team owning the file, from `[owners]` of trustmap.toml.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Other places that explain the finding (where a value was defined, the module call
    /// that instantiated the resource).
    pub related: Vec<Related>,
    /// Checks of other tools that find the same problem, by tool (`checkov`, `trivy`,
    /// `kics`, `cwe`).
    pub equivalents: BTreeMap<String, Vec<String>>,
    /// How to fix it, in short (`trustmap rules show RULE_ID` has the full text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// Secrets found with `--history`: the first commit that introduced the secret (also
    /// when a later commit removed it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<Commit>,
}

/// A git commit.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Commit {
    /// Full hexadecimal commit id.
    pub id: String,
    /// Author name.
    pub author: String,
    /// Author email.
    pub email: String,
    /// Author date, RFC 3339 in UTC.
    pub date: String,
}

/// A secondary location of a finding.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Related {
    pub path: String,
    pub start_line: u32,
    pub end_line: u32,
    /// What this location has to do with the finding.
    pub note: String,
}

/// An attack path: an untrusted source reaching a crown jewel or an escalation.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct AttackPath {
    /// From `score`: critical from 18, high from 9, medium from 4, else low.
    pub severity: Severity,
    /// exposure × privilege × data sensitivity, each 1–3 (so 1–27).
    pub score: u32,
    pub title: String,
    /// The hops, from the untrusted source to the target.
    pub steps: Vec<AttackPathStep>,
    /// Stable across line edits and `count`/`for_each` instance keys.
    pub fingerprint: String,
    /// The change that breaks this path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// One hop of an attack path.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct AttackPathStep {
    /// The resource this hop passes through (same address format as findings), or for the
    /// untrusted source `internet`, `github:any-repo`, `github:fork-pull-request` or
    /// `aws:any-account`; administrator targets are `aws:account-admin`,
    /// `k8s:cluster-admin`, `k8s:node-root`, `gcp:project-admin`.
    pub resource: String,
    /// What the node is: `internet`, `any-github-repo`, `fork-pull-request`,
    /// `any-aws-account`, `endpoint`, `workload`, `identity`, `data`, `secret`, `admin`.
    pub kind: String,
    /// A short human name of the node.
    pub label: String,
    /// Where the hop's evidence is written (for the source: where the exposure is).
    pub path: String,
    pub start_line: u32,
    /// How the previous hop reaches this one: `exposes`, `reaches`, `triggers`, `runs-as`,
    /// `can-assume`, `reads`, `writes`, `administers`, `escalates`; `source`
    /// for the first hop.
    pub relation: String,
    /// Why the hop holds, as an attacker would use it (absent for the source).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Conditions that could not be decided and were assumed to let the attacker through.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
}

/// A change that breaks attack paths.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct AttackPathFix {
    /// What to change.
    pub advice: String,
    /// How many of the reported paths disappear with it.
    pub breaks: u32,
    /// Where the link to remove is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_line: Option<u32>,
}

/// The capability scorecard.
///
/// For each capability, every rule applied to one target is a check that passes or fails
/// with the rule's severity; checks are weighted critical 10, high 5, medium 2, low and
/// info 1, and `score = round(100 × passed weight / all weight)`. Suppressed findings and
/// undecidable (unknown) targets are counted apart and left out of the score.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Scorecard {
    /// The four capabilities, always all of them, in a fixed order.
    pub capabilities: Vec<CapabilityScore>,
}

/// The score of one capability.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct CapabilityScore {
    pub capability: Capability,
    /// Human name of the capability.
    pub title: String,
    /// 0–100, or null when nothing was evaluated.
    pub score: Option<u32>,
    /// Checks evaluated: passed plus failed.
    pub checks: u32,
    pub passed: u32,
    /// Failed checks (unsuppressed findings) by severity.
    pub failed: FailuresBySeverity,
    /// Findings accepted by an inline suppression.
    pub suppressed: u32,
    /// Targets that could not be decided because a value was unknown.
    pub unknown: u32,
}

/// Counts of failed checks per severity.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct FailuresBySeverity {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
    pub info: u32,
}

/// A problem with an input; the scan went on.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Error {
    /// Stable kebab-case code: `parse-error`, `io-error`, `binary-file`, `file-too-large`,
    /// `evaluation`, `unsupported`, `internal-error`.
    pub code: String,
    pub message: String,
    /// The file it belongs to, relative and `/`-separated, when it belongs to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// What the scan covered.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Stats {
    pub files_scanned: u64,
    /// Files skipped as binary, too large or unreadable (each also has an error entry).
    pub files_skipped: u64,
    pub terraform_resources: u64,
    pub kubernetes_objects: u64,
    pub dockerfiles: u64,
    pub workflows: u64,
    /// Values that could not be evaluated statically; targets depending on them were not
    /// decided, so a non-zero count means the scan is partial.
    pub unknown_values: u64,
    pub rules_run: u64,
    /// With `--history`: commits walked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commits_scanned: Option<u64>,
    /// With `--history`: distinct blobs scanned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blobs_scanned: Option<u64>,
    /// Helm charts rendered (present when the scan found charts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub helm_charts: Option<u64>,
    /// Templates of those charts (partials and `NOTES.txt` not counted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub helm_templates: Option<u64>,
    /// Templates that rendered to valid YAML and were checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub helm_templates_rendered: Option<u64>,
}

/// One rule, as listed by `trustmap rules list --format json`.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub capability: Capability,
    /// Input languages the rule covers: `terraform`, `kubernetes`, `dockerfile`,
    /// `github-actions`.
    pub languages: Vec<String>,
    /// One line: what the rule finds.
    pub summary: String,
    pub equivalents: BTreeMap<String, Vec<String>>,
    /// The full documentation, markdown.
    pub doc: String,
}

/// The rule list.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(transparent)]
#[schemars(title = "trustmap rule list")]
pub struct RuleList(pub Vec<Rule>);

/// The comparison of a scan with a baseline file or a git revision, by fingerprint.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Baseline {
    pub against: BaselineSource,
    /// Findings not in the baseline (the report's `findings`).
    pub new: u64,
    /// Findings also in the baseline (left out of `findings`).
    pub unchanged: u64,
    /// Findings of the baseline that are gone.
    pub fixed: Vec<FixedFinding>,
    /// Attack paths not in the baseline (the report's `attack_paths`).
    pub new_attack_paths: u64,
    /// Attack paths also in the baseline (left out of `attack_paths`).
    pub unchanged_attack_paths: u64,
    /// Attack paths of the baseline that are gone.
    pub fixed_attack_paths: Vec<FixedAttackPath>,
    /// Diff mode: the scorecard of the base revision, to compare with `scorecard`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_scorecard: Option<Scorecard>,
}

/// A baseline file, or a git revision.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BaselineSource {
    /// `--baseline FILE`.
    File { path: String },
    /// `--diff-base REF`: the revision as given and the full commit id it resolved to.
    Revision { rev: String, commit: String },
}

/// An attack path of the baseline that the scan no longer finds.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct FixedAttackPath {
    pub fingerprint: String,
    pub title: String,
}

/// A finding of the baseline that the scan no longer finds.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct FixedFinding {
    pub fingerprint: String,
    pub rule_id: String,
    pub rule_name: String,
    /// Where it was, relative to the scanned root.
    pub path: String,
    pub resource: String,
}

/// The suppression that accepted a finding.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Suppression {
    pub kind: SuppressionKind,
    /// Why the risk is accepted (absent for peers' comments that give none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The file holding the suppression: the scanned file for comments, the configuration
    /// file for `config`.
    pub path: String,
    /// 1-based line of the comment or configuration entry.
    pub line: u32,
    /// Last day it applies, `YYYY-MM-DD`, when it has an expiry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// The suppression mechanism.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SuppressionKind {
    /// A `trustmap:ignore[RULE] reason` comment.
    Inline,
    /// A `[[suppressions.paths]]` entry of `trustmap.toml`.
    Config,
    /// A `checkov:skip=` comment, honoured through the rule's Checkov equivalents.
    Checkov,
    /// A `tfsec:ignore:AVD-...` comment, honoured through the rule's Trivy equivalents.
    Tfsec,
    /// A `trivy:ignore:AVD-...` comment, honoured through the rule's Trivy equivalents.
    Trivy,
    /// A `kics-scan` comment, honoured through the rule's KICS equivalents.
    Kics,
}

/// Inline suppressions were refused for this scan.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct InlineSuppressionsDisabled {
    /// What refused them: `--no-inline-suppressions`, or the configuration entry
    /// (`trustmap.toml:7`).
    pub by: String,
    /// Inline suppression comments that were ignored.
    pub ignored: u64,
}
