use trustmap_model::Model;
use trustmap_model::docker::shell::{Command, Script};
use trustmap_source::Span;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A `RUN` that downloads a script and executes it without verifying it.
    ///
    /// Piped forms: `curl … | sh`, `wget -qO- … | bash`, `curl … | sudo -E bash -` (the
    /// package-repository setup scripts that vendors publish are the same thing),
    /// `curl … | python3 -`, `bash <(curl …)`, `sh -c "$(curl …)"`, and PowerShell's
    /// `iwr … | iex`. Saved forms: `curl -o install.sh … && sh install.sh`,
    /// `wget https://…/get.sh && chmod +x get.sh && ./get.sh`, `curl -O …/get-pip.py && python
    /// get-pip.py`. A download that a checksum or signature check (`sha256sum -c`,
    /// `shasum -c`, `gpg --verify`, `cosign verify-blob`, `minisign -V`) reads before it runs
    /// passes.
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
                let saved = downloaded_then_run(script);
                if found.is_empty() && saved.is_empty() {
                    out.pass_at(d.meta.span);
                }
                for (span, fetcher, interpreter) in found {
                    let message = format!(
                        "a script downloaded with `{fetcher}` is run by `{interpreter}` without verification"
                    );
                    out.report(&d.meta, span, &[], message);
                }
                for (span, fetcher, file, runner) in saved {
                    let by = if runner == file {
                        String::new()
                    } else {
                        format!(" by `{runner}`")
                    };
                    let message = format!(
                        "`{file}`, downloaded with `{fetcher}`, is run{by} without a checksum or signature check"
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

/// Programs that check a download's checksum or signature.
fn verifies(c: &Command) -> bool {
    let Some(p) = program(c) else { return false };
    let args: Vec<&str> = c.args().iter().map(|w| w.text.as_str()).collect();
    // `-c`, `--check`, or a short-option cluster holding `c` (`-sc`).
    let check = args.iter().any(|a| {
        *a == "--check" || (a.starts_with('-') && !a.starts_with("--") && a.contains('c'))
    });
    match p.as_str() {
        "sha256sum" | "sha512sum" | "sha384sum" | "sha224sum" | "sha1sum" | "md5sum" | "b2sum"
        | "shasum" | "cksum" => check,
        "gpg" | "gpg2" => args.contains(&"--verify"),
        "gpgv" | "gpgv2" | "minisign" | "signify" => true,
        "cosign" => args.first().is_some_and(|a| a.starts_with("verify")),
        "openssl" => args.iter().any(|a| *a == "-verify" || *a == "-signature"),
        _ => false,
    }
}

/// Where a download command saves its file (`curl -o f`, `curl -O url`, `wget url`,
/// `wget -O f url`), by base name.
fn saved_file(program: &str, c: &Command) -> Option<String> {
    let args = c.args();
    let url = args
        .iter()
        .find(|w| w.text.contains("://"))
        .map(|w| w.text.as_str());
    let from_url = || {
        url.and_then(|u| u.split(['?', '#']).next())
            .and_then(|u| u.rsplit('/').next())
            .filter(|n| !n.is_empty())
            .map(str::to_string)
    };
    let value_of = |flags: &[&str], joined: &str| {
        args.iter().enumerate().find_map(|(i, w)| {
            if flags.contains(&w.text.as_str()) {
                args.get(i + 1).map(|n| n.text.clone())
            } else {
                w.text.strip_prefix(joined).map(str::to_string)
            }
        })
    };
    let file = if program.starts_with("curl") {
        match value_of(&["-o", "--output"], "--output=") {
            Some(f) => Some(f),
            None if args.iter().any(|w| {
                w.text == "-O"
                    || w.text == "--remote-name"
                    || (w.text.starts_with('-')
                        && !w.text.starts_with("--")
                        && w.text.ends_with('O'))
            }) =>
            {
                from_url()
            }
            None => None,
        }
    } else if program.starts_with("wget") {
        match value_of(&["-O", "--output-document"], "--output-document=") {
            Some(f) => Some(f),
            None if writes_stdout(program, c) => None,
            None => from_url(),
        }
    } else {
        None
    }?;
    (file != "-" && file != "/dev/stdout" && file != "/dev/null")
        .then(|| file.rsplit('/').next().unwrap_or(&file).to_string())
}

/// Downloads saved to a file, then run before anything verifies them:
/// (span from download to run, fetcher, file, what runs it).
pub(crate) fn downloaded_then_run(script: &Script) -> Vec<(Span, String, String, String)> {
    let mut pending: Vec<(&Command, String, String)> = Vec::new();
    let mut found = Vec::new();
    for c in script.commands() {
        if verifies(c) {
            pending.clear();
            continue;
        }
        let Some(p) = program(c) else { continue };
        if FETCHERS.contains(&p.as_str()) {
            if let Some(file) = saved_file(&p, c) {
                pending.push((c, p.clone(), file));
            }
            continue;
        }
        let base = |t: &str| t.rsplit('/').next().unwrap_or(t).to_string();
        let runs = |file: &str| {
            let program_word = c.program_index().map(|i| c.words[i].text.as_str());
            if program_word.is_some_and(|w| w.contains('/') && base(w) == file) {
                return true;
            }
            INTERPRETERS.contains(&p.as_str())
                && c.args()
                    .iter()
                    .find(|w| !w.text.starts_with('-'))
                    .is_some_and(|w| base(&w.text) == file)
        };
        if let Some(i) = pending.iter().position(|(_, _, f)| runs(f)) {
            let (fetch, fetcher, file) = pending.remove(i);
            let runner = if INTERPRETERS.contains(&p.as_str()) {
                p.clone()
            } else {
                file.clone()
            };
            found.push((fetch.span.to(c.span), fetcher, file, runner));
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
