//! The `trustmap` command: turns arguments into engine settings, runs, prints, exits.
//!
//! Exit codes: 0 no unsuppressed finding at or above `--fail-on`; 1 such findings; 2 usage or
//! fatal error, or a partial scan (`Report::incomplete` non-empty) without `--allow-partial`.
//! Nothing is ever written into the scanned tree, except the baseline file that
//! `trustmap baseline` is asked to write.

mod args;
mod cmd_access;
mod cmd_baseline;
mod cmd_blast;
mod cmd_capability;
mod cmd_graph;
mod cmd_input;
mod cmd_lsp;
mod cmd_paths;
mod cmd_policy;
mod config;
mod output;
mod progress;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::Parser;
use trustmap_engine::Settings;
use trustmap_rules::{Rule, all_rules, find_rule};
use trustmap_source::{FileId, SourceFile};

use args::{Cli, ColorChoice, Command, Format, ListFormat, RulesAction, RulesArgs, ScanArgs};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Scan(args) => run_scan(&args),
        Command::Rules(args) => run_rules(&args).map(|()| ExitCode::SUCCESS),
        Command::Secrets(mut args) => {
            args.secrets_only = true;
            run_scan(&args)
        }
        Command::Baseline(args) => cmd_baseline::run(&args),
        Command::Paths(args) => cmd_paths::run(&args),
        Command::Graph(args) => cmd_graph::run(&args),
        Command::BlastRadius(args) => cmd_blast::run(&args),
        Command::Access(args) => cmd_access::run(&args),
        Command::Capability(args) => cmd_capability::run(&args),
        Command::Policy(command) => cmd_policy::run(&command),
        Command::Lsp => cmd_lsp::run(),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            anstream::eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn use_color(choice: ColorChoice, to_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    }
}

fn run_scan(args: &ScanArgs) -> Result<ExitCode> {
    let settings = settings(args)?;
    let stderr_tty = std::io::stderr().is_terminal();
    let bar = progress::Bar::new(!args.quiet && stderr_tty);
    let report = cmd_baseline::scan_compared(args, &settings, &bar)?;
    bar.clear();

    let version = env!("CARGO_PKG_VERSION");
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let rendered = match args.format {
        Format::Json => trustmap_report::json::render(&report, version, true),
        Format::Sarif => trustmap_report::sarif::render(&report, version),
        Format::Junit => trustmap_report::junit::render(&report),
        Format::Markdown => trustmap_report::markdown::render(&report),
        Format::Github => trustmap_report::github::render(&report),
        Format::Text => trustmap_report::text::render(
            &report,
            &trustmap_report::text::TextOptions {
                color: use_color(args.color, to_terminal),
                show_suppressed: args.show_suppressed,
                width: terminal_width(),
            },
        ),
    };
    output::emit(args.output.as_deref(), &rendered)?;
    // A partial scan is never a pass: exit 2 unless the user accepted partial results.
    if !report.incomplete.is_empty() && !args.allow_partial {
        anstream::eprintln!(
            "error: the scan is incomplete ({} not analysed, see `incomplete` in the report); \
             pass --allow-partial to accept partial results",
            if report.incomplete.len() == 1 {
                "1 part".to_string()
            } else {
                format!("{} parts", report.incomplete.len())
            }
        );
        return Ok(ExitCode::from(2));
    }
    Ok(if report.failing(config::fail_on(args, &settings)) > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn settings(args: &ScanArgs) -> Result<Settings> {
    let roots = if args.paths.is_empty() {
        vec![std::env::current_dir().context("cannot determine the current directory")?]
    } else {
        args.paths.clone()
    };
    for root in &roots {
        if !root.exists() {
            bail!("path `{}` does not exist", root.display());
        }
    }
    let mut settings = Settings::new(roots);
    config::apply(args, &mut settings)?;
    cmd_policy::apply(args, &mut settings)?;
    let configured = std::mem::take(&mut settings.rules);
    settings.rules = select_rules(&args.rules, &args.skip_rules, configured)?;
    if args.secrets_only {
        if let Some(r) = settings
            .rules
            .iter()
            .find(|r| !args.rules.is_empty() && trustmap_rules::secret_detector(r.meta()).is_none())
        {
            bail!(
                "`trustmap secrets` runs secret rules only; `{}` is not one (use `trustmap scan`)",
                r.meta().id
            );
        }
        settings
            .rules
            .retain(|r| trustmap_rules::secret_detector(r.meta()).is_some());
    }
    settings.secrets.history = args.history || args.since.is_some();
    settings.secrets.since = args.since.clone();
    settings.secrets.reveal = args.show_secrets;
    for (i, path) in args.var_files.iter().enumerate() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read --var-file `{}`", path.display()))?;
        // Ids are reassigned by the engine when it adds the file to the scan's source map.
        let id = FileId(u32::try_from(i).unwrap_or(u32::MAX));
        settings.terraform.var_files.push(Arc::new(SourceFile::new(
            id,
            path.display().to_string(),
            text,
        )));
    }
    for var in &args.vars {
        let Some((name, value)) = var.split_once('=') else {
            bail!("--var `{var}` must be NAME=VALUE");
        };
        if name.trim().is_empty() {
            bail!("--var `{var}` has an empty name");
        }
        settings
            .terraform
            .vars
            .push((name.trim().to_string(), value.to_string()));
    }
    for param in &args.parameters {
        let Some((name, value)) = param.split_once('=') else {
            bail!("--parameter `{param}` must be NAME=VALUE");
        };
        if name.trim().is_empty() {
            bail!("--parameter `{param}` has an empty name");
        }
        settings
            .cloudformation
            .parameters
            .push((name.trim().to_string(), value.to_string()));
    }
    helm_settings(args, &mut settings)?;
    if let Some(profile) = args.profile {
        settings.set_profile(profile.level());
    }
    Ok(settings)
}

/// `--values`, `--set` and `--set-string` for Helm charts; bad `--set` syntax is a usage error.
fn helm_settings(args: &ScanArgs, settings: &mut Settings) -> Result<()> {
    for (i, path) in args.helm_values.iter().enumerate() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read --values `{}`", path.display()))?;
        // Ids are reassigned by the engine when it adds the file to the scan's source map.
        let id = FileId(u32::try_from(i).unwrap_or(u32::MAX));
        settings.helm.values_files.push(Arc::new(SourceFile::new(
            id,
            path.display().to_string(),
            text,
        )));
    }
    for (flag, exprs, strings) in [
        ("--set", &args.helm_set, false),
        ("--set-string", &args.helm_set_string, true),
    ] {
        for expr in exprs {
            let scratch = trustmap_gotmpl::Value::empty_map();
            if let Err(e) = trustmap_gotmpl::helm::apply_set(expr, &scratch, strings) {
                bail!("{flag} `{expr}`: {e}");
            }
        }
    }
    settings.helm.set.extend(args.helm_set.iter().cloned());
    settings
        .helm
        .set_string
        .extend(args.helm_set_string.iter().cloned());
    Ok(())
}

/// `--rule` replaces the configured selection (`configured`); `--skip-rule` narrows it.
fn select_rules(
    only: &[String],
    skip: &[String],
    configured: Vec<&'static dyn Rule>,
) -> Result<Vec<&'static dyn Rule>> {
    let lookup = |key: &String| {
        find_rule(key.trim())
            .with_context(|| format!("unknown rule `{key}` (see `trustmap rules` for the list)"))
    };
    let mut rules: Vec<&'static dyn Rule> = if only.is_empty() {
        configured
    } else {
        only.iter().map(lookup).collect::<Result<_>>()?
    };
    let skipped: Vec<&'static str> = skip
        .iter()
        .map(|k| lookup(k).map(|r| r.meta().id))
        .collect::<Result<_>>()?;
    rules.retain(|r| !skipped.contains(&r.meta().id));
    rules.sort_by_key(|r| r.meta().id);
    rules.dedup_by_key(|r| r.meta().id);
    Ok(rules)
}

fn run_rules(args: &RulesArgs) -> Result<()> {
    let color = use_color(args.color, std::io::stdout().is_terminal());
    let text = match &args.action {
        Some(RulesAction::Show { rule }) => {
            let rule = find_rule(rule).with_context(|| {
                format!("unknown rule `{rule}` (see `trustmap rules` for the list)")
            })?;
            trustmap_report::rules_doc::show(rule.meta(), color)
        }
        None => {
            let metas: Vec<_> = all_rules().iter().map(|r| r.meta()).collect();
            match args.format {
                ListFormat::Text => trustmap_report::rules_doc::list_text(&metas, color),
                ListFormat::Json => trustmap_report::rules_doc::list_json(&metas),
            }
        }
    };
    output::emit(None, &text)
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}
