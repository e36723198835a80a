//! The secrets pass: every loaded file's bytes (Terraform, YAML, Dockerfiles and every other
//! text file alike) through the detector tables, in parallel, and with `--history` every blob
//! of the git history. Hits become findings of the per-detector secret rules
//! (`trustmap_rules::secrets`), so selection, suppression, docs and every output treat them
//! like any other rule's findings.
//!
//! Messages never carry a secret: they show at most its first 4 characters and a fingerprint
//! (`trustmap_secrets::redact`), and each finding marks the secret's bytes in
//! [`Finding::redact`] so renderers mask them in code frames and snippets. `--show-secrets`
//! ([`SecretsSettings::reveal`]) turns both off for local triage.
//!
//! History findings: each distinct (detector, secret) is reported once, with the first commit
//! that introduced it. When the secret is still in the scanned files, the commit is attached
//! to those findings; otherwise the blob that held it joins the source map under its
//! historical path and the finding points into it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use trustmap_rules::{Finding, RuleMeta, RuleOutcome};
use trustmap_secrets::history::{self, HistoryOptions};
use trustmap_secrets::{FileContext, Hit, redact};
use trustmap_source::{Diagnostic, SourceFile, SourceMap, Span};

use crate::FileKind;
use crate::report::Commit;

/// What the secrets pass does beyond scanning the files.
#[derive(Clone, Debug, Default)]
pub struct SecretsSettings {
    /// Also scan every commit of every branch (`--history`).
    pub history: bool,
    /// With `history`: only commits not reachable from this revision (`--since`).
    pub since: Option<String>,
    /// Show secret values in messages and source text (`--show-secrets`).
    pub reveal: bool,
}

/// A distinct secret: (detector id, its bytes).
type SecretKey = (&'static str, Vec<u8>);
/// A finding: (rule id, primary span).
type FindingKey = (&'static str, Span);

/// What the pass produced.
#[derive(Default)]
pub(crate) struct Pass {
    pub(crate) outcomes: Vec<RuleOutcome>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The commit that introduced the secret of a finding, keyed by (rule id, primary span).
    pub(crate) commits: HashMap<(&'static str, Span), Commit>,
    pub(crate) commits_scanned: usize,
    pub(crate) blobs_scanned: usize,
}

/// Runs the pass for the secret rules among `rules`.
pub(crate) fn run(
    rules: &[&'static dyn trustmap_rules::Rule],
    roots: &[PathBuf],
    settings: &SecretsSettings,
    files: &[(Arc<SourceFile>, FileKind)],
    sources: &mut SourceMap,
    max_blob_bytes: u64,
) -> Pass {
    let mut pass = Pass::default();
    let enabled: HashMap<&'static str, &'static RuleMeta> = rules
        .iter()
        .filter_map(|r| trustmap_rules::secret_detector(r.meta()).map(|d| (d.id, r.meta())))
        .collect();
    if enabled.is_empty() {
        return pass;
    }
    let scanner = trustmap_secrets::scanner();
    let per_file: Vec<(usize, Vec<Hit>)> = files
        .par_iter()
        .enumerate()
        .map(|(i, (f, _))| {
            let hits = scanner.scan(f.text.as_bytes(), &FileContext::from_path(&f.path));
            (i, hits)
        })
        .collect();

    let mut findings: HashMap<&'static str, Vec<Finding>> = HashMap::new();
    // (detector, secret) → findings in the files, to attach history commits to.
    let mut in_files: HashMap<SecretKey, Vec<FindingKey>> = HashMap::new();
    for (i, hits) in per_file {
        let f = &files[i].0;
        for hit in hits {
            let Some(meta) = enabled.get(hit.detector.id) else {
                continue;
            };
            let finding = finding(meta, f, &hit, &f.path, settings.reveal, None);
            in_files
                .entry((
                    hit.detector.id,
                    f.text.as_bytes()[hit.secret.clone()].to_vec(),
                ))
                .or_default()
                .push((meta.id, finding.primary));
            findings.entry(meta.id).or_default().push(finding);
        }
    }

    if settings.history {
        let several = roots.len() > 1;
        let opts = HistoryOptions {
            since: settings.since.clone(),
            max_blob_bytes,
        };
        let mut blob_files: HashMap<String, Arc<SourceFile>> = HashMap::new();
        for root in roots {
            let report = match history::scan(root, scanner, &opts) {
                Ok(r) => r,
                Err(e) => {
                    pass.diagnostics.push(
                        Diagnostic::new("history", format!("git history not scanned: {e}"))
                            .with_path(root.display().to_string()),
                    );
                    continue;
                }
            };
            pass.commits_scanned += report.commits;
            pass.blobs_scanned += report.blobs;
            for p in &report.problems {
                pass.diagnostics.push(
                    Diagnostic::new("history", p.clone()).with_path(root.display().to_string()),
                );
            }
            for h in report.hits {
                let Some(meta) = enabled.get(h.detector.id) else {
                    continue;
                };
                let commit = Commit {
                    id: h.commit.id.clone(),
                    author: h.commit.author_name.clone(),
                    email: h.commit.author_email.clone(),
                    date: h.commit.date.clone(),
                };
                let key = (h.detector.id, h.content[h.secret.clone()].to_vec());
                if let Some(current) = in_files.get(&key) {
                    for k in current {
                        pass.commits.entry(*k).or_insert_with(|| commit.clone());
                    }
                    continue;
                }
                let path = if several {
                    format!("{}/{}", slash(root).trim_end_matches('/'), h.path)
                } else {
                    h.path.clone()
                };
                let Some((file, hit)) = blob_file(&mut blob_files, sources, &path, &h) else {
                    continue;
                };
                let short = &commit.id[..commit.id.len().min(12)];
                let finding = finding(
                    meta,
                    &file,
                    &hit,
                    &format!("{path}@{short}"),
                    settings.reveal,
                    Some(&commit),
                );
                pass.commits
                    .insert((meta.id, finding.primary), commit.clone());
                findings.entry(meta.id).or_default().push(finding);
            }
        }
    }

    for (id, findings) in findings {
        if let Some(meta) = enabled.get(id) {
            pass.outcomes.push(RuleOutcome {
                rule: meta,
                findings,
                passed: 0,
                passed_at: Vec::new(),
                unknown: 0,
            });
        }
    }
    pass
}

/// The historical blob as a source file (one per blob id), and the hit re-located in its
/// text. A blob that is not valid UTF-8 is decoded lossily and scanned again, so offsets
/// match the text the report shows.
fn blob_file(
    cache: &mut HashMap<String, Arc<SourceFile>>,
    sources: &mut SourceMap,
    path: &str,
    h: &history::HistoryHit,
) -> Option<(Arc<SourceFile>, Hit)> {
    let file = cache
        .entry(format!("{}:{path}", h.blob))
        .or_insert_with(|| {
            let text = String::from_utf8_lossy(&h.content).into_owned();
            let f = Arc::new(SourceFile::new(sources.next_id(), path, text));
            sources.push(f.clone());
            f
        })
        .clone();
    let hit = if file.text.len() == h.content.len() {
        Hit {
            detector: h.detector,
            span: h.span.clone(),
            secret: h.secret.clone(),
            severity: h.severity,
            notes: h.notes.clone(),
        }
    } else {
        let secret = &h.content[h.secret.clone()];
        trustmap_secrets::scanner()
            .scan(file.text.as_bytes(), &FileContext::from_path(path))
            .into_iter()
            .find(|x| {
                x.detector.id == h.detector.id && &file.text.as_bytes()[x.secret.clone()] == secret
            })?
    };
    Some((file, hit))
}

fn finding(
    meta: &'static RuleMeta,
    file: &SourceFile,
    hit: &Hit,
    resource: &str,
    reveal: bool,
    commit: Option<&Commit>,
) -> Finding {
    let bytes = file.text.as_bytes();
    let secret = &bytes[hit.secret.clone()];
    let shown = if reveal && !secret.contains(&b'\n') {
        String::from_utf8_lossy(secret).into_owned()
    } else {
        redact::preview(secret)
    };
    let mut notes: Vec<String> = vec![format!("fingerprint {}", redact::fingerprint(secret))];
    notes.extend(hit.notes.iter().map(|n| (*n).to_string()));
    let mut message = format!(
        "{} in plain text: `{shown}` ({})",
        hit.detector.title,
        notes.join("; ")
    );
    if let Some(c) = commit {
        message.push_str(&format!(
            "; found in git history, introduced by commit {} ({})",
            &c.id[..c.id.len().min(12)],
            c.date
        ));
    }
    // The smallest range that shows it: the match, cut at its first line break (a private
    // key's frame shows its BEGIN line, not forty lines of masked base64).
    let end = bytes[hit.span.clone()]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(hit.span.end, |i| hit.span.start + i);
    let primary = file.span(hit.span.start, end.max(hit.span.start + 1));
    Finding {
        rule: meta,
        severity: trustmap_rules::secrets::severity(hit.severity),
        message,
        resource: resource.to_string(),
        primary,
        resource_span: primary,
        related: Vec::new(),
        redact: vec![file.span(hit.secret.start, hit.secret.end)],
    }
}

fn slash(p: &std::path::Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use crate::report::mask;

    #[test]
    fn masks_keep_offsets_and_at_most_four_characters() {
        let text = "key = \"ghp_abcdefghijklmnopqrstuvwxyz0123456789\"\nnext";
        let s = text.find("ghp_").unwrap() as u32;
        let e = s + 40;
        let m = mask(text, 0, &[(s, e)]);
        assert_eq!(m.len(), text.len());
        assert!(m.contains("\"ghp_************************************\""));
        assert!(m.ends_with("\nnext"));
        // A frame that starts inside the secret, at a non-zero file offset.
        let m = mask(&text[20..], 20, &[(s, e)]);
        assert!(!m.contains("mnop"));
        // Short secrets are masked whole; non-ASCII keeps its byte length.
        let m = mask("pw=hünter2!", 0, &[(3, 12)]);
        assert_eq!(m, "pw=*********");
        assert_eq!(mask("abc", 100, &[(0, 50)]), "abc");
    }
}
