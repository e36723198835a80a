//! `trustmap baseline`, and the comparisons of `scan --baseline FILE` and
//! `scan --diff-base REF`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use trustmap_engine::baseline::{Against, Known, compare};
use trustmap_engine::{Progress, Report, Settings, scan};

use crate::args::{BaselineArgs, ScanArgs};

/// Where `trustmap baseline` writes without `-o`: in the scanned directory, the name peers'
/// users expect.
pub(crate) const DEFAULT_FILE: &str = ".trustmap-baseline.json";

/// Runs the scan `args` ask for: plain, against a baseline file, or against a git revision.
pub(crate) fn scan_compared(
    args: &ScanArgs,
    settings: &Settings,
    progress: &dyn Progress,
) -> Result<Report> {
    if let Some(rev) = &args.diff_base {
        return trustmap_engine::scan_diff(settings, rev, progress)
            .with_context(|| format!("cannot compare with `{rev}`"));
    }
    // The baseline is read first: a bad file fails before the scan.
    let known = match &args.baseline {
        Some(path) => Some((path, read_baseline(path)?)),
        None => None,
    };
    let mut report = scan(settings, progress).context("scan failed")?;
    if let Some((path, known)) = known {
        compare(
            &mut report,
            &known,
            Against::Baseline {
                path: path.display().to_string(),
            },
            None,
        );
    }
    Ok(report)
}

fn read_baseline(path: &Path) -> Result<Known> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "cannot read the baseline `{}` (create it with `trustmap baseline`)",
            path.display()
        )
    })?;
    trustmap_report::baseline::parse(&text)
        .with_context(|| format!("cannot use the baseline `{}`", path.display()))
}

/// `trustmap baseline [PATH] [-o FILE] [--update]`.
pub(crate) fn run(args: &BaselineArgs) -> Result<ExitCode> {
    let scan_args = &args.scan;
    if scan_args.baseline.is_some() || scan_args.diff_base.is_some() {
        bail!(
            "`trustmap baseline` records every current finding; --baseline and --diff-base are for `trustmap scan`"
        );
    }
    let target = match &scan_args.output {
        Some(path) => path.clone(),
        None => default_path(&scan_args.paths)?,
    };
    if args.update && !target.is_file() {
        bail!(
            "there is no baseline to update at `{}` (run `trustmap baseline` to create it)",
            target.display()
        );
    }
    let settings = crate::settings(scan_args)?;
    let bar = crate::progress::Bar::new(
        !scan_args.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
    );
    let report = scan(&settings, &bar).context("scan failed")?;
    bar.clear();
    if !report.incomplete.is_empty() && !scan_args.allow_partial {
        bail!(
            "the scan is incomplete ({} not analysed), so the baseline was not written; \
             pass --allow-partial to record a partial baseline",
            report.incomplete.len()
        );
    }
    let text = trustmap_report::baseline::render(&report, env!("CARGO_PKG_VERSION"));
    crate::output::emit(Some(&target), &text)?;
    let n = report.findings.len();
    anstream::eprintln!(
        "wrote {n} {} to {}",
        if n == 1 { "finding" } else { "findings" },
        target.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `DEFAULT_FILE` in the one scanned directory (the current one when none is given).
fn default_path(paths: &[PathBuf]) -> Result<PathBuf> {
    match paths {
        [] => Ok(PathBuf::from(DEFAULT_FILE)),
        [dir] if dir.is_dir() => Ok(dir.join(DEFAULT_FILE)),
        _ => bail!("scanning a file or several paths: say where the baseline goes with `-o FILE`"),
    }
}
