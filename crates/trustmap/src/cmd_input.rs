//! What the graph commands (`paths`, `graph`, `blast-radius`, `access`) share: the scan inputs
//! (the same as `scan`'s, minus the options about findings), running the scan, and finding
//! the node a user names.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, FromArgMatches, ValueEnum};
use trustmap_engine::Report;
use trustmap_graph::{Graph, NodeId, NodeKind};

use crate::args::ScanArgs;

/// Text for people, JSON for scripts (`blast-radius`, `access`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    Text,
    Json,
}

/// `--format` and `--output` of the commands that print one text-or-JSON document.
#[derive(Debug, Args)]
pub(crate) struct ReportOutput {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Text)]
    pub(crate) format: ReportFormat,

    /// Write to FILE instead of standard output (written atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

impl ReportOutput {
    /// Writes the document in the chosen format (only that one is rendered) and gives the
    /// exit code: the partial-scan code, else success.
    pub(crate) fn emit(
        &self,
        input: &InputArgs,
        report: &Report,
        text: impl FnOnce() -> String,
        json: impl FnOnce() -> String,
    ) -> Result<ExitCode> {
        let out = match self.format {
            ReportFormat::Text => text(),
            ReportFormat::Json => json(),
        };
        crate::output::emit(self.output.as_deref(), &out)?;
        Ok(input.partial_exit(report).unwrap_or(ExitCode::SUCCESS))
    }
}

/// Inputs of a scan whose findings are not shown (they feed the graph only).
#[derive(Debug, Args)]
pub(crate) struct InputArgs {
    /// Files or directories to scan (default: the current directory).
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,

    /// Terraform variable file, applied after terraform.tfvars and *.auto.tfvars (repeatable).
    #[arg(long = "var-file", value_name = "FILE", help_heading = "Inputs")]
    pub(crate) var_files: Vec<PathBuf>,

    /// Terraform variable, `name=value`, applied last (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", help_heading = "Inputs")]
    pub(crate) vars: Vec<String>,

    /// CloudFormation parameter, `Name=Value`, overriding its `Default` (repeatable).
    #[arg(long = "parameter", value_name = "NAME=VALUE", help_heading = "Inputs")]
    pub(crate) parameters: Vec<String>,

    /// Helm values file applied to every chart after its values.yaml (repeatable).
    #[arg(long = "values", value_name = "FILE", help_heading = "Inputs")]
    pub(crate) helm_values: Vec<PathBuf>,

    /// Helm value, Helm's `--set` syntax (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", help_heading = "Inputs")]
    pub(crate) helm_set: Vec<String>,

    /// Like `--set`, but the values stay strings (repeatable).
    #[arg(long = "set-string", value_name = "KEY=VALUE", help_heading = "Inputs")]
    pub(crate) helm_set_string: Vec<String>,

    /// Answer even when part of the input could not be analysed (a Helm chart that did not
    /// render). Without it such a scan exits 2: a partial graph can hide paths.
    #[arg(long, help_heading = "Inputs")]
    pub(crate) allow_partial: bool,

    /// No progress bar.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

impl InputArgs {
    /// Scans the inputs. Secret detectors do not run: nothing in the graph comes from them.
    pub(crate) fn scan(&self) -> Result<Report> {
        let mut settings = crate::settings(&self.scan_args()?)?;
        settings
            .rules
            .retain(|r| trustmap_rules::secret_detector(r.meta()).is_none());
        let bar = crate::progress::Bar::new(!self.quiet && std::io::stderr().is_terminal());
        let report = trustmap_engine::scan(&settings, &bar).context("scan failed")?;
        bar.clear();
        Ok(report)
    }

    /// Exit 2 with a message when the scan was partial and `--allow-partial` was not given
    /// (call after printing, like `scan`).
    pub(crate) fn partial_exit(&self, report: &Report) -> Option<ExitCode> {
        if report.incomplete.is_empty() || self.allow_partial {
            return None;
        }
        anstream::eprintln!(
            "error: the scan is incomplete ({} not analysed, so paths may be missing); pass \
             --allow-partial to accept partial results",
            match report.incomplete.len() {
                1 => "1 part".to_string(),
                n => format!("{n} parts"),
            }
        );
        Some(ExitCode::from(2))
    }

    /// These inputs as `scan` arguments (every other option at its default), so both
    /// commands turn arguments into settings the same way.
    pub(crate) fn scan_args(&self) -> Result<ScanArgs> {
        let cmd = ScanArgs::augment_args(clap::Command::new("trustmap"));
        let matches = cmd
            .try_get_matches_from(["trustmap"])
            .context("internal: default scan arguments")?;
        let mut args =
            ScanArgs::from_arg_matches(&matches).context("internal: default scan arguments")?;
        args.paths.clone_from(&self.paths);
        args.var_files.clone_from(&self.var_files);
        args.vars.clone_from(&self.vars);
        args.parameters.clone_from(&self.parameters);
        args.helm_values.clone_from(&self.helm_values);
        args.helm_set.clone_from(&self.helm_set);
        args.helm_set_string.clone_from(&self.helm_set_string);
        args.allow_partial = self.allow_partial;
        args.quiet = self.quiet;
        Ok(args)
    }
}

/// The one node `query` names (a key such as `aws_iam_role.ci` or `ServiceAccount/ns/sa`, a
/// resource address, an ARN, a name), among those `keep` accepts. Ambiguous: an error listing
/// the candidates; unknown: an error with the closest names.
pub(crate) fn resolve(
    g: &Graph,
    report: &Report,
    query: &str,
    what: &str,
    keep: impl Fn(NodeKind) -> bool,
) -> Result<NodeId> {
    let lookup = |q: &str| -> Vec<NodeId> {
        g.find(q)
            .into_iter()
            .filter(|&id| keep(g.node(id).kind))
            .collect()
    };
    let mut found = lookup(query);
    // An IAM role or user ARN the graph does not know as such (its account is often a
    // variable in the code): the identity of that name.
    if found.is_empty()
        && let Some(name) = iam_arn_name(query)
    {
        found = lookup(name)
            .into_iter()
            .filter(|&id| g.node(id).kind == NodeKind::Identity)
            .collect();
    }
    match found.as_slice() {
        [one] => Ok(*one),
        [] => {
            let near = suggestions(g, query, &keep);
            if near.is_empty() {
                bail!(
                    "no {what} `{query}` in the scanned files (`trustmap graph --format json` \
                     lists every node by id)"
                );
            }
            bail!(
                "no {what} `{query}` in the scanned files; did you mean\n{}",
                describe(g, report, &near)
            )
        }
        many => bail!(
            "`{query}` is ambiguous: it matches {} nodes; give one by its id\n{}",
            many.len(),
            describe(g, report, many)
        ),
    }
}

/// `arn:<partition>:iam::<account>:role/<path/>NAME` (or `user/...`) → `NAME`.
fn iam_arn_name(query: &str) -> Option<&str> {
    let mut parts = query.trim().splitn(6, ':');
    let (arn, _partition, service, _region, _account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if arn != "arn" || service != "iam" {
        return None;
    }
    let rest = resource
        .strip_prefix("role/")
        .or_else(|| resource.strip_prefix("user/"))?;
    rest.rsplit('/').next().filter(|n| !n.is_empty())
}

/// One line per node: `  id  (kind, path:line)`.
fn describe(g: &Graph, report: &Report, ids: &[NodeId]) -> String {
    ids.iter()
        .map(|&id| {
            let n = g.node(id);
            match trustmap_graph::render::locate(&report.sources, n.span) {
                Some((path, line)) => format!("  {}  ({}, {path}:{line})", n.key, n.kind.as_str()),
                None => format!("  {}  ({})", n.key, n.kind.as_str()),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Up to five nodes whose key or label contains the query, or whose last key segment is
/// within two edits of it; closest first.
fn suggestions(g: &Graph, query: &str, keep: &impl Fn(NodeKind) -> bool) -> Vec<NodeId> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let last_segment = |key: &str| -> String {
        key.rsplit(['.', '/', '#', ':'])
            .next()
            .unwrap_or(key)
            .to_lowercase()
    };
    let q_last = last_segment(&q);
    let mut scored: Vec<(usize, &str, NodeId)> = g
        .nodes()
        .filter(|(_, n)| keep(n.kind))
        .filter_map(|(id, n)| {
            let key = n.key.to_lowercase();
            let distance = edit_distance(&last_segment(&key), &q_last);
            if key.contains(&q) || n.label.to_lowercase().contains(&q) {
                Some((0, n.key.as_str(), id))
            } else if distance <= 2 {
                Some((distance, n.key.as_str(), id))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, _, id)| id).collect()
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut row = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != *cb);
            row.push(substitute.min(prev[j + 1] + 1).min(row[j] + 1));
        }
        prev = row;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{edit_distance, iam_arn_name};

    #[test]
    fn iam_arns_name_their_identity() {
        assert_eq!(
            iam_arn_name("arn:aws:iam::111122223333:role/orders-api"),
            Some("orders-api")
        );
        assert_eq!(
            iam_arn_name("arn:aws-us-gov:iam::111122223333:user/ops/alice"),
            Some("alice")
        );
        assert_eq!(
            iam_arn_name("arn:aws:iam::aws:policy/AdministratorAccess"),
            None
        );
        assert_eq!(iam_arn_name("arn:aws:s3:::bucket"), None);
        assert_eq!(iam_arn_name("orders-api"), None);
        assert_eq!(iam_arn_name("arn:aws:iam::1:role/"), None);
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("orders-api", "orders-api"), 0);
        assert_eq!(edit_distance("orders-ap", "orders-api"), 1);
        assert_eq!(edit_distance("ordres-api", "orders-api"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
