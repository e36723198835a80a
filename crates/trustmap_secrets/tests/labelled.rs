//! Precision and recall on a labelled corpus (`tests/data/labelled.txt`): made-up secrets in
//! the providers' formats inside realistic lines and files, and non-secrets that look like
//! them (placeholders, templates, references, hashes, UUIDs, lockfiles, docs, wrong
//! checksums). The test prints the figures and fails below the thresholds.
//!
//! Counting: a true record is a true positive when its detector fires and a false negative
//! otherwise; every other finding on a true record, and every finding on a false record, is a
//! false positive. The per-record figures (any finding on the secret's lines; any finding on
//! a false record) are printed too: they are what `bench/secrets-quality.py` compares with
//! other tools.

mod corpus;

const MIN_PRECISION: f64 = 0.97;
const MIN_RECALL: f64 = 0.97;

#[test]
fn precision_and_recall_on_the_labelled_corpus() {
    let records = corpus::parse(include_str!("data/labelled.txt"));
    let positives = records.iter().filter(|r| r.truth).count();
    let negatives = records.len() - positives;
    assert!(positives >= 300 && negatives >= 300, "corpus too small");
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();
    for r in &records {
        let hits = corpus::scan(r);
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
    // Counted per record and line, as for other tools in `bench/secrets-quality.py`.
    println!(
        "labelled corpus, {}",
        corpus::RecordScore::of(&records).summary()
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
