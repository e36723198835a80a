//! Precision and recall on a labelled corpus (`tests/data/labelled.txt`): made-up secrets in
//! the providers' formats inside realistic lines and files, and non-secrets that look like
//! them (placeholders, templates, references, hashes, UUIDs, lockfiles, docs, wrong
//! checksums). The test prints the figures and fails below the thresholds.
//!
//! Counting: a true record is a true positive when its detector fires and a false negative
//! otherwise; every other finding on a true record, and every finding on a false record, is a
//! false positive.

use trustmap_secrets::{FileContext, scanner};

const MIN_PRECISION: f64 = 0.97;
const MIN_RECALL: f64 = 0.97;

struct Record {
    truth: bool,
    detector: String,
    path: String,
    body: String,
}

fn records() -> Vec<Record> {
    let text = include_str!("data/labelled.txt");
    let mut out: Vec<Record> = Vec::new();
    for line in text.lines() {
        if let Some(header) = line.strip_prefix("### ") {
            let mut parts = header.splitn(3, ' ');
            let truth = parts.next() == Some("true");
            let detector = parts.next().unwrap_or("-").to_string();
            let path = parts.next().unwrap_or("file").to_string();
            out.push(Record {
                truth,
                detector,
                path,
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

#[test]
fn precision_and_recall_on_the_labelled_corpus() {
    let records = records();
    let positives = records.iter().filter(|r| r.truth).count();
    let negatives = records.len() - positives;
    assert!(positives >= 300 && negatives >= 300, "corpus too small");
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();
    for r in &records {
        let hits = scanner().scan(r.body.as_bytes(), &FileContext::from_path(&r.path));
        if r.truth {
            if hits.iter().any(|h| h.detector.id == r.detector) {
                tp += 1;
            } else {
                fn_ += 1;
                misses.push(format!("{} in {}: {:?}", r.detector, r.path, r.body));
            }
        }
        for h in hits
            .iter()
            .filter(|h| !r.truth || h.detector.id != r.detector)
        {
            fp += 1;
            false_alarms.push(format!(
                "{} in {}: {:?}",
                h.detector.id,
                r.path,
                String::from_utf8_lossy(&r.body.as_bytes()[h.span.clone()])
            ));
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    println!(
        "labelled corpus: {positives} secrets, {negatives} non-secrets; \
         TP {tp}, FP {fp}, FN {fn_}; precision {precision:.3}, recall {recall:.3}"
    );
    for m in &misses {
        println!("  missed: {m}");
    }
    for f in &false_alarms {
        println!("  false alarm: {f}");
    }
    assert!(
        precision >= MIN_PRECISION,
        "precision {precision:.3} < {MIN_PRECISION}"
    );
    assert!(recall >= MIN_RECALL, "recall {recall:.3} < {MIN_RECALL}");
}
