//! The `trustmap.toml` format. These doc comments become the JSON schema
//! (`schemas/trustmap-config.schema.json`), so they are written for users.

use std::borrow::Cow;
use std::collections::BTreeMap;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

/// trustmap configuration: `trustmap.toml` or `.trustmap.toml`, found in the scanned
/// directory or above it (up to the git root), or given with `--config`. Paths and globs are
/// relative to the directory of this file. Command-line flags override it.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "trustmap configuration")]
pub struct ConfigFile {
    /// Which rules run, and at which severity.
    #[serde(default)]
    pub rules: Rules,
    /// Files and directories not scanned at all: gitignore-style patterns (`legacy/`,
    /// `**/*.generated.yaml`, `!keep.tf`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub exclude: Vec<Spanned<String>>,
    /// Exit with 1 when an unsuppressed finding is at or above this severity (default `low`;
    /// `--fail-on` wins).
    #[serde(default)]
    pub fail_on: Option<SeverityName>,
    /// Settings for some paths only, applied in order (later entries win) on top of
    /// `[rules]`.
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// Terraform inputs, as `--var` and `--var-file` (which are applied after these).
    #[serde(default)]
    pub terraform: Terraform,
    /// Helm inputs for every chart, as `--values`, `--set` and `--set-string` (applied after
    /// these).
    #[serde(default)]
    pub helm: Helm,
    /// CloudFormation inputs, as `--parameter` (which wins).
    #[serde(default)]
    pub cloudformation: CloudFormation,
    /// The team owning each path, for the per-team scorecard: gitignore-style pattern →
    /// team. As in CODEOWNERS, the last matching entry wins.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub owners: IndexMap<Spanned<String>, String>,
    /// How suppressions are honoured.
    #[serde(default)]
    pub suppressions: Suppressions,
    /// Directories (or `.rego` files) of custom Rego policies, as `--policy` (whose
    /// directories are added to these). See docs/policies.md.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub policies: Vec<Spanned<String>>,
}

/// Rule selection. Selectors are rule ids (`AWS-S3-001`), rule names
/// (`s3-bucket-public-acl`), id prefixes (`AWS`, `K8S-RBAC`), capabilities (`identity`,
/// `failure`, `iac`, `design`) or `ALL`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rules {
    /// Run only the rules these selectors match (default: every rule). `--rule` replaces it.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub select: Option<Vec<Spanned<String>>>,
    /// Do not run the rules these selectors match (applied after `select`). `--skip-rule`
    /// adds to it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub ignore: Vec<Spanned<String>>,
    /// Severity overrides: selector → severity (`"AWS-S3-001" = "low"`). Later entries win.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, SeverityName>")]
    pub severity: IndexMap<Spanned<String>, SeverityName>,
}

/// Settings for the files matching `paths`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Override {
    /// Gitignore-style patterns of the files this entry is for.
    #[schemars(with = "Vec<String>")]
    pub paths: Vec<Spanned<String>>,
    /// Only these rules report findings in these files (replaces the selection there).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub select: Option<Vec<Spanned<String>>>,
    /// These rules report no findings in these files.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub ignore: Vec<Spanned<String>>,
    /// Severity overrides for these files: selector → severity.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, SeverityName>")]
    pub severity: IndexMap<Spanned<String>, SeverityName>,
}

/// A severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl SeverityName {
    pub fn severity(self) -> trustmap_rules::Severity {
        use trustmap_rules::Severity as S;
        match self {
            SeverityName::Critical => S::Critical,
            SeverityName::High => S::High,
            SeverityName::Medium => S::Medium,
            SeverityName::Low => S::Low,
            SeverityName::Info => S::Info,
        }
    }
}

/// Terraform inputs.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Terraform {
    /// Variables, `name = value` (strings, numbers, booleans, lists and tables), as `--var`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, AnyValue>")]
    pub vars: IndexMap<String, Spanned<toml::Value>>,
    /// Variable files, applied after `terraform.tfvars` and `*.auto.tfvars`, as `--var-file`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub var_files: Vec<Spanned<String>>,
}

/// Helm inputs for every chart of the scan.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Helm {
    /// Values files applied after each chart's `values.yaml`, as `--values`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub values: Vec<Spanned<String>>,
    /// Values in Helm's `--set` syntax (`a.b=c`, `list={x,y}`, `a[0].b=c`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub set: Vec<Spanned<String>>,
    /// Like `set`, but the values stay strings, as `--set-string`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub set_string: Vec<Spanned<String>>,
}

/// CloudFormation inputs.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CloudFormation {
    /// Parameters, `Name = "Value"`, overriding their `Default` in every template that
    /// declares them (pseudo parameters too: `"AWS::Region" = "eu-west-1"`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub parameters: IndexMap<String, String>,
}

/// How suppressions are honoured.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Suppressions {
    /// Whether inline comments (`trustmap:ignore[...]` and the peers' comments) silence
    /// findings (default `true`). `false` lets a security team refuse inline skips centrally:
    /// the findings are reported and the report says the comments were ignored.
    /// `--no-inline-suppressions` sets it to `false`.
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub inline: Option<Spanned<bool>>,
    /// Peers whose suppression comments are honoured, through each rule's equivalent checks
    /// (default: all four).
    #[serde(default)]
    pub migrate: Option<Vec<Peer>>,
    /// Accepted risks for whole paths, each with a reason.
    #[serde(default)]
    pub paths: Vec<PathSuppression>,
}

/// A tool whose suppression comments trustmap can honour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Peer {
    /// `checkov:skip=CKV_AWS_20:reason`, anywhere in the resource.
    Checkov,
    /// `tfsec:ignore:AVD-AWS-0088[:exp:YYYY-MM-DD]` (AVD ids only), on or above the line.
    Tfsec,
    /// `trivy:ignore:AVD-AWS-0088[:exp:YYYY-MM-DD]`, on or above the line.
    Trivy,
    /// `kics-scan ignore-line`, `ignore-block`, `ignore` and `disable=<query-id>,...`.
    Kics,
}

/// Findings of `rules` in files matching `paths` are suppressed (reported as accepted risk).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PathSuppression {
    /// Gitignore-style patterns of the files.
    #[schemars(with = "Vec<String>")]
    pub paths: Vec<Spanned<String>>,
    /// Selectors of the rules suppressed there.
    #[schemars(with = "Vec<String>")]
    pub rules: Vec<Spanned<String>>,
    /// Why the risk is accepted (required, shown with every suppressed finding).
    #[schemars(with = "String")]
    pub reason: Spanned<String>,
    /// Last day the suppression applies, `YYYY-MM-DD` (a TOML date or a string). After it,
    /// the findings are reported again and so is the expired entry (`TM-SUP-002`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub until: Option<Spanned<toml::Value>>,
}

/// Any TOML value (schema only).
pub(crate) struct AnyValue;

impl JsonSchema for AnyValue {
    fn schema_name() -> Cow<'static, str> {
        "AnyValue".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A string, number, boolean, list or table."
        })
    }
}
