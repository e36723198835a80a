use trustmap_model::Model;
use trustmap_model::docker::shell::{Command, Script};
use trustmap_source::Span;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A `RUN` that downloads a script and executes it in one go, without verifying it.
    ///
    /// Forms: `curl … | sh`, `wget -qO- … | bash`, `curl … | sudo python3 -`, `bash <(curl …)`,
    /// `sh -c "$(curl …)"`, and PowerShell's `iwr … | iex`. Downloads saved to a file and
    /// checked before they run pass.
    ///
    /// ## Why it matters
    ///
    /// The build runs, as root, code that nobody reviewed and that can change between two
    /// builds. Whoever controls the download server, its DNS or CDN — or serves a different
    /// script to build machines than to browsers — owns every image built from this file and
    /// anything the build can reach (registry credentials, build secrets).
    ///
    /// ## Example
    ///
    /// ```dockerfile
    /// RUN curl -fsSL https://get.example.com/install.sh | sh
    /// ```
    ///
    /// ## Fix
    ///
    /// Download a pinned version to a file, verify its checksum (or signature), then run it —
    /// or install the tool from a package manager that verifies signatures:
    ///
    /// ```dockerfile
    /// RUN curl -fsSLo /tmp/install.sh https://get.example.com/v2.3.1/install.sh \
    ///  && echo "9b2e4c…d41a  /tmp/install.sh" | sha256sum -c - \
    ///  && sh /tmp/install.sh \
    ///  && rm /tmp/install.sh
    /// ```
    pub(crate) DockerfilePipesDownloadToShell {
        id: "DKR-005",
        name: "dockerfile-pipes-download-to-shell",
        severity: High,
        capability: Iac,
        languages: [Dockerfile],
        equivalents: {
            cwe: ["CWE-494"],
            poutine: ["unverified_script_exec"],
        },
    }
}

/// Programs that fetch a URL.
const FETCHERS: &[&str] = &[
    "curl",
    "wget",
    "iwr",
    "invoke-webrequest",
    "irm",
    "invoke-restmethod",
    "curl.exe",
    "wget.exe",
];
/// Programs that execute the script they read.
const INTERPRETERS: &[&str] = &[
    "sh",
    "bash",
    "dash",
    "ash",
    "zsh",
    "ksh",
    "fish",
    "python",
    "python2",
    "python3",
    "perl",
    "ruby",
    "node",
    "php",
    "pwsh",
    "powershell",
    "iex",
    "invoke-expression",
];

impl Rule for DockerfilePipesDownloadToShell {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for d in &model.dockerfiles {
            for script in super::scripts(d) {
                let found = piped_downloads(script);
                if found.is_empty() {
                    out.pass();
                }
                for (span, fetcher, interpreter) in found {
                    let message = format!(
                        "a script downloaded with `{fetcher}` is run by `{interpreter}` without verification"
                    );
                    out.report(&d.meta, span, &[], message);
                }
            }
        }
    }
}

fn program(c: &Command) -> Option<String> {
    c.program().map(str::to_ascii_lowercase)
}

/// Downloads fed straight to an interpreter: (span, fetcher, interpreter).
pub(crate) fn piped_downloads(script: &Script) -> Vec<(Span, String, String)> {
    let mut found = Vec::new();
    for pipeline in &script.pipelines {
        // `curl … | sh`: a fetcher writing to stdout, then an interpreter later in the pipe.
        let fetch = pipeline.commands.iter().position(|c| {
            program(c).is_some_and(|p| FETCHERS.contains(&p.as_str()) && writes_stdout(&p, c))
        });
        if let Some(i) = fetch {
            let after = pipeline.commands[i + 1..]
                .iter()
                .find(|c| program(c).is_some_and(|p| INTERPRETERS.contains(&p.as_str())));
            if let Some(run) = after {
                let fetcher = program(&pipeline.commands[i]).unwrap_or_default();
                let interp = program(run).unwrap_or_default();
                found.push((pipeline.commands[i].span.to(run.span), fetcher, interp));
                continue;
            }
        }
        // `bash <(curl …)`, `sh -c "$(wget -O- …)"`: the download is an argument.
        for c in &pipeline.commands {
            let Some(p) = program(c).filter(|p| INTERPRETERS.contains(&p.as_str())) else {
                continue;
            };
            let substituted = c.args().iter().find_map(|w| {
                let t = w.text.to_ascii_lowercase();
                FETCHERS.iter().find(|f| {
                    ["$(", "<(", "`"]
                        .iter()
                        .any(|open| t.contains(&format!("{open}{f} ")))
                })
            });
            if let Some(f) = substituted {
                found.push((c.span, (*f).to_string(), p));
            }
        }
    }
    found
}

/// `curl` prints to stdout unless told to save; `wget` saves unless told `-O -`.
fn writes_stdout(program: &str, c: &Command) -> bool {
    let args = c.args();
    if program.starts_with("wget") {
        return args.iter().enumerate().any(|(i, w)| {
            let t = w.text.as_str();
            t == "--output-document=-"
                || t == "-O-"
                || (t.starts_with('-') && !t.starts_with("--") && t.ends_with("O-"))
                || ((t == "-O" || t == "--output-document")
                    && args
                        .get(i + 1)
                        .is_some_and(|n| n.text == "-" || n.text == "/dev/stdout"))
        });
    }
    if program.starts_with("curl") {
        return !args.iter().enumerate().any(|(i, w)| {
            let t = w.text.as_str();
            (t == "-o" || t == "--output") && args.get(i + 1).is_some_and(|n| n.text != "-")
                || t == "-O"
                || t == "--remote-name"
        });
    }
    true
}
