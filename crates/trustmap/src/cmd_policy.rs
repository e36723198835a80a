//! `--policy DIR` for scans, and `trustmap policy test DIR`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use trustmap_engine::Settings;
use trustmap_policy::PolicySet;
use trustmap_policy::testing::{self, Verdict};

use crate::args::ScanArgs;

#[derive(Debug, Subcommand)]
pub(crate) enum PolicyCommand {
    /// Run the `test_*` rules of every `*_test.rego` under DIR (with the policies and data
    /// files next to them), like `opa test`; exit 1 when one fails.
    Test(TestArgs),
}

#[derive(Debug, Args)]
pub(crate) struct TestArgs {
    /// Directories (or files) holding policies, data and tests.
    #[arg(value_name = "DIR", required = true)]
    pub(crate) dirs: Vec<PathBuf>,

    /// List every test, passing ones included.
    #[arg(long, short = 'v')]
    pub(crate) verbose: bool,
}

pub(crate) fn run(command: &PolicyCommand) -> Result<ExitCode> {
    match command {
        PolicyCommand::Test(args) => {
            let results = testing::run(&args.dirs)?;
            print!("{}", testing::render(&results, args.verbose));
            let all_pass =
                !results.is_empty() && results.iter().all(|r| r.verdict == Verdict::Pass);
            Ok(if all_pass {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

/// Loads the config file's `policies` and the `--policy` directories into the scan
/// settings; a policy that does not load stops the scan (exit 2) with its `file:line:col`.
pub(crate) fn apply(args: &ScanArgs, settings: &mut Settings) -> Result<()> {
    if args.secrets_only {
        return Ok(());
    }
    for dir in &args.policies {
        if !dir.exists() {
            bail!("--policy `{}` does not exist", dir.display());
        }
    }
    let mut dirs = std::mem::take(&mut settings.policy_dirs);
    dirs.extend(args.policies.iter().cloned());
    if dirs.is_empty() {
        return Ok(());
    }
    let set = PolicySet::load(&dirs)?;
    settings.policies = Some(Arc::new(set));
    Ok(())
}
