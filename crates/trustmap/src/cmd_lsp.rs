//! `trustmap lsp`: runs the language server (see `trustmap_lsp`) on stdin/stdout.

use std::process::ExitCode;

use anyhow::Result;

/// Exit code 0 after `shutdown` then `exit`; 1 otherwise, as the protocol asks.
pub(crate) fn run() -> Result<ExitCode> {
    match trustmap_lsp::run_stdio() {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("trustmap lsp: {e:#}");
            Ok(ExitCode::from(1))
        }
    }
}
