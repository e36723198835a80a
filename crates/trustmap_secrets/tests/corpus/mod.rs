#![allow(dead_code, unreachable_pub)] // a module of two test binaries, each using part of it
//! Labelled secret corpora (`tests/data/*.txt`): parsing and scoring, shared by the
//! precision/recall tests. `bench/secrets-quality.py` counts the same way for every tool.
//!
//! A record is one file. Header `### true <DETECTOR-ID> <path> [L<first>-<last>]` holds a
//! secret (on those body lines; without the range, anywhere in the body), `### false - <path>`
//! holds none; the body runs to the next header.

use std::ops::RangeInclusive;

use trustmap_secrets::{FileContext, Hit, scanner, scanner::line_of};

pub struct Record {
    pub truth: bool,
    pub detector: String,
    pub path: String,
    /// The secret's lines (1-based) in a true record.
    pub lines: Option<RangeInclusive<usize>>,
    pub body: String,
}

pub fn parse(text: &str) -> Vec<Record> {
    let mut out: Vec<Record> = Vec::new();
    for line in text.lines() {
        if let Some(header) = line.strip_prefix("### ") {
            let mut parts = header.split(' ');
            let truth = parts.next() == Some("true");
            let detector = parts.next().unwrap_or("-").to_string();
            let path = parts.next().unwrap_or("file").to_string();
            let lines = parts.next().and_then(line_range);
            out.push(Record {
                truth,
                detector,
                path,
                lines,
                body: String::new(),
            });
        } else if let Some(r) = out.last_mut() {
            if !r.body.is_empty() {
                r.body.push('\n');
            }
            r.body.push_str(line);
        }
    }
    out
}

fn line_range(field: &str) -> Option<RangeInclusive<usize>> {
    let (a, b) = field.strip_prefix('L')?.split_once('-')?;
    Some(a.parse().ok()?..=b.parse().ok()?)
}

pub fn scan(r: &Record) -> Vec<Hit> {
    scanner().scan(r.body.as_bytes(), &FileContext::from_path(&r.path))
}

/// The line (1-based) a hit is reported at: the CLI shows its match up to the first line
/// break.
pub fn hit_lines(r: &Record, h: &Hit) -> RangeInclusive<usize> {
    let line = line_of(r.body.as_bytes(), h.span.start);
    line..=line
}

/// Per-record counts, the same for any tool: a true record is found when some finding
/// covers one of its secret's lines; a false record with any finding is a false positive.
#[derive(Default)]
pub struct RecordScore {
    pub tp: usize,
    pub fn_: usize,
    pub fp: usize,
    pub tn: usize,
    pub misses: Vec<String>,
    pub false_alarms: Vec<String>,
}

impl RecordScore {
    pub fn of(records: &[Record]) -> Self {
        let mut s = RecordScore::default();
        for r in records {
            let hits = scan(r);
            if r.truth {
                let found = hits.iter().any(|h| {
                    let at = hit_lines(r, h);
                    r.lines
                        .as_ref()
                        .is_none_or(|l| at.start() <= l.end() && l.start() <= at.end())
                });
                if found {
                    s.tp += 1;
                } else {
                    s.fn_ += 1;
                    s.misses
                        .push(format!("{} in {}: {:?}", r.detector, r.path, r.body));
                }
            } else if hits.is_empty() {
                s.tn += 1;
            } else {
                s.fp += 1;
                for h in &hits {
                    s.false_alarms.push(format!(
                        "{} in {}: {:?}",
                        h.detector.id,
                        r.path,
                        String::from_utf8_lossy(&r.body.as_bytes()[h.span.clone()])
                    ));
                }
            }
        }
        s
    }

    pub fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }

    pub fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }

    pub fn summary(&self) -> String {
        format!(
            "per record: TP {}, FN {}, FP {}, TN {}; precision {:.3}, recall {:.3}",
            self.tp,
            self.fn_,
            self.fp,
            self.tn,
            self.precision(),
            self.recall()
        )
    }
}
