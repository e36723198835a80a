//! The byte scanner: an Aho-Corasick keyword prefilter picks windows around keywords, one
//! multi-pattern regex per tier finds candidates in them, and each candidate is judged
//! (captures, checksum or structure, placeholders, entropy, path).
//!
//! Regexes are compiled with Unicode **off** (`\b`, `\w` and `(?i)` are ASCII) and may match
//! any byte, so a file that is not UTF-8 keeps the lazy DFA on its fast path; the lazy DFA
//! cache is 64 MiB so a hundred patterns do not thrash it.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_automata::meta::{self, Regex};
use regex_automata::util::captures::Captures;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input};

use crate::detector::{Check, Detector, Severity, Tier};
use crate::validate::{self, KeyBlock, ValueContext};

/// How far before a keyword a match may start (to the start of its line, at most this).
const MAX_BACK: usize = 256;
/// Lazy DFA cache per regex and thread.
const DFA_CACHE: usize = 64 * 1024 * 1024;

/// What a file's path says about the secrets in it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileContext {
    /// A test, fixture, example, sample, documentation or vendored path: findings are kept
    /// one severity lower.
    pub test_path: bool,
    /// Configuration (`.env`, YAML, properties, INI, shell…): unquoted values are literals.
    pub config_like: bool,
    /// A lockfile: full of hashes, so generic detectors do not run.
    pub lockfile: bool,
}

const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "testdata",
    "test-data",
    "test_data",
    "testing",
    "fixture",
    "fixtures",
    "__tests__",
    "__mocks__",
    "mocks",
    "spec",
    "specs",
    "example",
    "examples",
    "sample",
    "samples",
    // Documentation and vendored third-party code: examples and their test keys.
    "doc",
    "docs",
    "documentation",
    "vendor",
    "third_party",
    "third-party",
    "node_modules",
];

const LOCKFILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "cargo.lock",
    "go.sum",
    "poetry.lock",
    "pipfile.lock",
    "gemfile.lock",
    "composer.lock",
    "packages.lock.json",
    "flake.lock",
    "uv.lock",
    "bun.lock",
    ".terraform.lock.hcl",
];

const CONFIG_EXTENSIONS: &[&str] = &[
    "env",
    "yaml",
    "yml",
    "properties",
    "ini",
    "cfg",
    "conf",
    "config",
    "toml",
    "sh",
    "bash",
    "zsh",
    "txt",
    "tfvars",
    "npmrc",
    "pypirc",
    "netrc",
    "envrc",
    "service",
];

impl FileContext {
    /// Judges a `/`-separated path.
    pub fn from_path(path: &str) -> Self {
        let lower = path.to_ascii_lowercase();
        let mut parts: Vec<&str> = lower.split('/').filter(|p| !p.is_empty()).collect();
        let name = parts.pop().unwrap_or("");
        let stem = name.split('.').next().unwrap_or(name);
        let test_path = parts.iter().any(|p| TEST_DIRS.contains(p))
            || stem.starts_with("test_")
            || stem.ends_with("_test")
            || name.contains(".test.")
            || name.contains(".spec.")
            || name.contains("_spec.")
            || name.contains(".example")
            || name.contains(".sample")
            || name.ends_with(".md")
            || name.ends_with(".markdown")
            || name.ends_with(".rst")
            || name.ends_with(".adoc");
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        let config_like = !name.contains('.')
            || name.starts_with(".env")
            || name.starts_with("dockerfile")
            || name.ends_with(".dockerfile")
            || CONFIG_EXTENSIONS.contains(&ext);
        let lockfile = LOCKFILES.contains(&name) || name.ends_with(".lock");
        Self {
            test_path,
            config_like,
            lockfile,
        }
    }
}

/// One secret found in a buffer.
#[derive(Clone, Debug)]
pub struct Hit {
    pub detector: &'static Detector,
    /// The whole match (the smallest range that shows the problem).
    pub span: Range<usize>,
    /// The secret itself (redact this).
    pub secret: Range<usize>,
    /// The detector's severity, adjusted by the evidence (encrypted keys, test paths).
    pub severity: Severity,
    /// Why the severity or confidence differs from the detector's, for messages.
    pub notes: Vec<&'static str>,
}

/// Problems building a scanner from a detector table.
#[derive(Debug)]
pub struct BuildError(pub String);

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

/// A few detectors of one tier compiled together with `build_many`. One regex over two
/// hundred patterns makes the lazy DFA thrash (measured: ~6 MiB/s); groups of
/// [`GROUP_SIZE`] run only in the windows of their own keywords and stay on the fast path.
struct Group {
    re: Regex,
    tier: Tier,
    /// Pattern id → detector index.
    members: Vec<usize>,
}

/// Detectors per group (consecutive in table order, so a family shares a group).
const GROUP_SIZE: usize = 16;

struct Keyword {
    /// Bit `g`: group `g` has a detector with this keyword.
    groups: u64,
    extent: usize,
}

struct Single {
    re: Regex,
    secret_groups: Vec<usize>,
    key_group: Option<usize>,
}

impl Single {
    fn build(d: &Detector) -> Result<Self, BuildError> {
        let re = builder()
            .build(d.pattern)
            .map_err(|e| BuildError(format!("{}: {e}", d.id)))?;
        let info = re.group_info();
        let mut secret_groups = Vec::new();
        let mut key_group = None;
        for g in 1..info.group_len(regex_automata::PatternID::ZERO) {
            match info.to_name(regex_automata::PatternID::ZERO, g) {
                Some(n) if n.starts_with('s') => secret_groups.push(g),
                Some("k") => key_group = Some(g),
                _ => {}
            }
        }
        Ok(Self {
            re,
            secret_groups,
            key_group,
        })
    }
}

/// Compiled detectors.
pub struct Scanner {
    detectors: Vec<&'static Detector>,
    groups: Vec<Group>,
    ac: AhoCorasick,
    keywords: Vec<Keyword>,
    /// Per-detector regexes for captures, built on a detector's first candidate (most
    /// scans never need most of them).
    singles: Vec<std::sync::OnceLock<Single>>,
    /// Literal prefixes of provider tokens (`ghp_`, `sk_live_`, `xoxb-`): a generic value
    /// that starts with one but is not a valid token of that provider is a look-alike.
    prefixes: Vec<&'static [u8]>,
}

fn builder() -> meta::Builder {
    let mut b = Regex::builder();
    b.syntax(syntax::Config::new().unicode(false).utf8(false))
        .configure(
            Regex::config()
                .utf8_empty(false)
                .hybrid_cache_capacity(DFA_CACHE),
        );
    b
}

impl Scanner {
    /// Compiles each detector's own regex, which the scanner only builds on a detector's
    /// first candidate: for tests, so a broken pattern fails before it is needed.
    pub fn check_each(detectors: &[&'static Detector]) -> Result<(), BuildError> {
        for d in detectors {
            Single::build(d)?;
        }
        Ok(())
    }

    /// Compiles `detectors`. Every detector needs at least one keyword.
    pub fn new(detectors: &[&'static Detector]) -> Result<Self, BuildError> {
        for d in detectors {
            if d.keywords.is_empty() {
                return Err(BuildError(format!("{}: no keyword", d.id)));
            }
        }
        let mut groups: Vec<Group> = Vec::new();
        let mut group_of = vec![0usize; detectors.len()];
        for tier in [Tier::Provider, Tier::Generic] {
            let members: Vec<usize> = (0..detectors.len())
                .filter(|&i| detectors[i].tier == tier)
                .collect();
            for chunk in members.chunks(GROUP_SIZE) {
                let patterns: Vec<&str> = chunk.iter().map(|&i| detectors[i].pattern).collect();
                let re = builder()
                    .build_many(&patterns)
                    .map_err(|e| BuildError(format!("{}…: {e}", detectors[chunk[0]].id)))?;
                for &i in chunk {
                    group_of[i] = groups.len();
                }
                groups.push(Group {
                    re,
                    tier,
                    members: chunk.to_vec(),
                });
            }
        }
        if groups.len() > 64 {
            return Err(BuildError(format!("{} groups: at most 64", groups.len())));
        }
        let mut words: Vec<String> = Vec::new();
        let mut keywords: Vec<Keyword> = Vec::new();
        for (i, d) in detectors.iter().enumerate() {
            for k in d.keywords {
                let k = k.to_ascii_lowercase();
                let bit = 1u64 << group_of[i];
                match words.iter().position(|w| *w == k) {
                    Some(p) => {
                        keywords[p].groups |= bit;
                        keywords[p].extent = keywords[p].extent.max(d.max_len as usize);
                    }
                    None => {
                        words.push(k);
                        keywords.push(Keyword {
                            groups: bit,
                            extent: d.max_len as usize,
                        });
                    }
                }
            }
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&words)
            .or_else(|_| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&words)
            })
            .map_err(|e| BuildError(format!("keywords: {e}")))?;
        let prefixes = detectors
            .iter()
            .filter(|d| d.tier == Tier::Provider)
            .flat_map(|d| d.keywords.iter())
            .map(|k| k.as_bytes())
            .filter(|k| {
                k.len() >= 4
                    && k[0].is_ascii_alphabetic()
                    && k.iter().any(|b| matches!(b, b'_' | b'-' | b'.'))
                    && k.iter()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            })
            .collect();
        let singles = detectors
            .iter()
            .map(|_| std::sync::OnceLock::new())
            .collect();
        Ok(Self {
            prefixes,
            detectors: detectors.to_vec(),
            groups,
            ac,
            keywords,
            singles,
        })
    }

    /// The detectors this scanner runs, in table order.
    pub fn detectors(&self) -> &[&'static Detector] {
        &self.detectors
    }

    /// Finds the secrets in `hay`, in order of position.
    pub fn scan(&self, hay: &[u8], ctx: &FileContext) -> Vec<Hit> {
        let mut windows: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.groups.len()];
        for m in self.ac.find_overlapping_iter(hay) {
            let kw = &self.keywords[m.pattern().as_usize()];
            let pos = m.start();
            let lo = pos.saturating_sub(MAX_BACK);
            let start = memchr::memrchr(b'\n', &hay[lo..pos]).map_or(lo, |i| lo + i + 1);
            let end = (pos + kw.extent).min(hay.len());
            let mut bits = kw.groups;
            while bits != 0 {
                let g = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                windows[g].push((start, end));
            }
        }
        let mut hits: Vec<Hit> = Vec::new();
        for (g, w) in windows.iter_mut().enumerate() {
            let group = &self.groups[g];
            if w.is_empty() || (ctx.lockfile && group.tier == Tier::Generic) {
                continue;
            }
            for (start, end) in merge(w) {
                let input = Input::new(hay).span(start..end);
                for m in group.re.find_iter(input) {
                    let idx = group.members[m.pattern().as_usize()];
                    if let Some(hit) = self.judge(idx, hay, m.range(), ctx) {
                        hits.push(hit);
                    }
                }
            }
        }
        for h in &mut hits {
            self.refine(hay, h, ctx);
        }
        // A generic value that starts like a provider token but is not a valid one is a
        // look-alike (a token with a wrong checksum, a truncated example).
        hits.retain(|h| {
            h.detector.tier == Tier::Provider
                || !self
                    .prefixes
                    .iter()
                    .any(|p| hay[h.secret.clone()].starts_with(p))
        });
        // Overlapping provider matches (from different groups) are one secret: the match with
        // more context wins (a Cosmos DB connection string over its bare `AccountKey=`, a key
        // pair over its key id), then table order. Generic matches lose to any provider match.
        let order = |h: &Hit| {
            (
                h.detector.tier == Tier::Generic,
                std::cmp::Reverse(h.span.len()),
                self.detectors
                    .iter()
                    .position(|d| std::ptr::eq(*d, h.detector))
                    .unwrap_or(usize::MAX),
            )
        };
        hits.sort_by_cached_key(order);
        let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
        for h in hits {
            let clash = kept.iter().any(|k| {
                k.span.start < h.span.end
                    && h.span.start < k.span.end
                    && (k.detector.tier == Tier::Provider || h.detector.tier == Tier::Generic)
                    && !(k.detector.id == h.detector.id && k.secret != h.secret)
            });
            if !clash {
                kept.push(h);
            }
        }
        for h in &mut kept {
            h.span.start = from_the_secrets_line(hay, &h.span, &h.secret);
        }
        kept.sort_by(|a, b| {
            (a.span.start, a.span.end, a.detector.id).cmp(&(
                b.span.start,
                b.span.end,
                b.detector.id,
            ))
        });
        kept.dedup_by(|a, b| a.detector.id == b.detector.id && a.secret == b.secret);
        kept
    }

    /// A context detector (`_authToken=…`, `password: …`) whose secret is itself a token of a
    /// provider format is reported as that provider's token.
    fn refine(&self, hay: &[u8], hit: &mut Hit, ctx: &FileContext) {
        if hit.secret == hit.span || hit.secret.is_empty() {
            return;
        }
        let slice = &hay[hit.secret.clone()];
        for group in self.groups.iter().filter(|g| g.tier == Tier::Provider) {
            let Some(m) = group.re.find(Input::new(slice).anchored(Anchored::Yes)) else {
                continue;
            };
            let idx = group.members[m.pattern().as_usize()];
            // The same detector, or one judging the same kind of secret (a kubeconfig's
            // `client-key-data` is a base64 private key too): the outer match says more.
            if std::ptr::eq(self.detectors[idx], hit.detector)
                || (hit.detector.check != Check::None
                    && self.detectors[idx].check == hit.detector.check)
            {
                continue;
            }
            if let Some(inner) = self.judge(idx, slice, m.range(), ctx)
                && inner.secret == (0..slice.len())
            {
                hit.detector = inner.detector;
                hit.severity = inner.severity;
                hit.notes = inner.notes;
                return;
            }
        }
    }

    fn judge(&self, idx: usize, hay: &[u8], range: Range<usize>, ctx: &FileContext) -> Option<Hit> {
        let det = self.detectors[idx];
        // The multi-pattern regex compiled, so this pattern does too.
        let single = self.singles[idx].get_or_init(|| Single::build(det).expect("compiles"));
        let mut caps: Captures = single.re.create_captures();
        single.re.search_captures(
            &Input::new(hay).span(range.clone()).anchored(Anchored::Yes),
            &mut caps,
        );
        let mut whole = caps.get_match().map_or(range.clone(), |m| m.range());
        let secret = single
            .secret_groups
            .iter()
            .find_map(|g| caps.get_group(*g))
            .map_or(whole.clone(), |s| s.range());
        // Patterns start at their keyword (a leading `[\w.-]{0,40}` would blow up the lazy
        // DFA); the whole key — `DB_PASSWORD`, `stripeApiKey` — is the identifier around it.
        let key = match single.key_group.and_then(|g| caps.get_group(g)) {
            Some(k) => {
                let mut start = k.start;
                while start > 0
                    && k.start - start < 40
                    && (hay[start - 1].is_ascii_alphanumeric()
                        || matches!(hay[start - 1], b'_' | b'.' | b'-'))
                {
                    start -= 1;
                }
                whole.start = whole.start.min(start);
                &hay[start..k.end]
            }
            None => &b""[..],
        };
        let value = &hay[secret.clone()];
        let mut severity = det.severity;
        let mut notes: Vec<&'static str> = Vec::new();
        let vctx = ValueContext {
            quoted: secret.start > 0 && matches!(hay[secret.start - 1], b'"' | b'\'' | b'`'),
            config_like: ctx.config_like,
            next: hay.get(secret.end).copied(),
        };
        let ok = match det.check {
            Check::None => !crate::placeholder::is_placeholder(value),
            Check::Base62Crc32 { prefix_len } => {
                let ok = !crate::placeholder::is_placeholder(value)
                    && validate::base62_crc32_ok(value, prefix_len);
                if ok {
                    notes.push("checksum verified");
                }
                ok
            }
            Check::Jwt => validate::jwt_ok(value),
            Check::PrivateKey => match validate::private_key(value) {
                KeyBlock::Invalid => false,
                KeyBlock::Plain => true,
                KeyBlock::Encrypted => {
                    severity = severity.lowered();
                    notes.push("the key is encrypted with a passphrase");
                    true
                }
            },
            Check::PypiMacaroon => validate::pypi_ok(value),
            Check::Base64UserPass => validate::base64_user_pass(value),
            Check::Base64PrivateKey => validate::base64_private_key(value),
            Check::UrlPassword => validate::url_password(&hay[whole.clone()], value),
            Check::GenericPassword => validate::generic_password(value, key, vctx),
            Check::GenericToken => validate::generic_token(value, key, vctx, det.min_entropy),
            Check::HeaderToken => validate::generic_token(
                value,
                key,
                ValueContext {
                    quoted: true,
                    ..vctx
                },
                det.min_entropy,
            ),
            Check::GenericByKey => {
                if validate::key_names_password(key) {
                    validate::generic_password(value, key, vctx)
                } else {
                    validate::generic_token(value, key, vctx, det.min_entropy)
                }
            }
        };
        if !ok {
            return None;
        }
        if det.min_entropy > 0.0
            && !matches!(
                det.check,
                Check::GenericToken | Check::HeaderToken | Check::GenericByKey
            )
            && crate::placeholder::entropy(value) < det.min_entropy
        {
            return None;
        }
        if ctx.test_path {
            severity = severity.lowered();
            notes.push("in a test, example, docs or vendored path: confidence lowered");
        }
        Some(Hit {
            detector: det,
            span: whole,
            secret,
            severity,
            notes,
        })
    }
}

/// Where a match that runs over several lines should start to be shown: at the line of its
/// secret (`password` of a `.netrc` entry, `default` of a Terraform variable, the secret of
/// a key pair), not at the first line of its context. Reporters show a span's first line.
fn from_the_secrets_line(hay: &[u8], span: &Range<usize>, secret: &Range<usize>) -> usize {
    if secret.start <= span.start || secret.start > span.end {
        return span.start;
    }
    memchr::memrchr(b'\n', &hay[span.start..secret.start])
        .map_or(span.start, |i| span.start + i + 1)
}

/// Sorts and merges overlapping or touching windows.
fn merge(w: &mut [(usize, usize)]) -> Vec<(usize, usize)> {
    w.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(w.len().min(64));
    for &(s, e) in w.iter() {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Line number (1-based) of a byte offset, counting `\n` with memchr.
pub fn line_of(hay: &[u8], offset: usize) -> usize {
    memchr::memchr_iter(b'\n', &hay[..offset.min(hay.len())]).count() + 1
}
