//! `trustmap.toml`, `--config`, `--no-config`, `--no-inline-suppressions` and the scan date:
//! the configuration is applied first, so every other flag overrides it.

use anyhow::{Result, bail};
use trustmap_engine::Settings;
use trustmap_engine::config::{Date, find_and_load};
use trustmap_rules::Severity;

use crate::args::ScanArgs;

/// The environment variable that fixes the scan's date for expiries (`YYYY-MM-DD`), for
/// reproducible runs and tests; the system date (UTC) otherwise.
pub(crate) const TODAY_ENV: &str = "TRUSTMAP_TODAY";

/// Loads the configuration (if any) into `settings`, then the suppression flags.
pub(crate) fn apply(args: &ScanArgs, settings: &mut Settings) -> Result<()> {
    if let Some(loaded) = find_and_load(&settings.roots, args.config.as_deref(), args.no_config)? {
        loaded.apply(settings)?;
    }
    if args.no_inline_suppressions {
        settings.suppressions.inline = false;
        settings.suppressions.inline_disabled_by = Some("--no-inline-suppressions".into());
    }
    if let Some(today) = std::env::var_os(TODAY_ENV) {
        let text = today.to_string_lossy();
        let Some(date) = Date::parse(&text) else {
            bail!("{TODAY_ENV} `{text}` is not a date (YYYY-MM-DD)");
        };
        settings.suppressions.today = date;
    }
    Ok(())
}

/// `--fail-on`, else the configuration's `fail-on`, else low.
pub(crate) fn fail_on(args: &ScanArgs, settings: &Settings) -> Severity {
    args.fail_on
        .or(settings.policy.fail_on)
        .unwrap_or(Severity::Low)
}
