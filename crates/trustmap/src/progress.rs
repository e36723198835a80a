//! A progress bar on stderr for long scans; invisible when disabled or not a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use trustmap_engine::Progress;

pub(crate) struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    pub(crate) fn new(enabled: bool) -> Self {
        let bar = enabled.then(|| {
            let b = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            b.set_style(
                ProgressStyle::with_template("{spinner} {msg:>9} [{bar:30}] {pos}/{len}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            b
        });
        Self { bar }
    }

    pub(crate) fn clear(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn start(&self, phase: &'static str, total: u64) {
        if let Some(b) = &self.bar {
            b.set_message(phase);
            b.set_length(total);
            b.set_position(0);
        }
    }

    fn advance(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
        }
    }

    fn finish(&self) {
        self.clear();
    }
}
