//! The detector tables test themselves: every true example is found by its detector, no
//! counter-example is, and the table is well-formed.

use std::collections::HashSet;

use trustmap_secrets::{FileContext, Tier, detectors, scanner};

/// Examples are scanned as a configuration file outside any test directory.
fn ctx() -> FileContext {
    FileContext::from_path("deploy/settings")
}

#[test]
fn every_example_is_found_by_its_detector() {
    let mut problems = Vec::new();
    for d in detectors::all() {
        assert!(!d.examples.is_empty(), "{}: no example", d.id);
        for ex in d.examples {
            let hits = scanner().scan(ex.as_bytes(), &ctx());
            if !hits.iter().any(|h| h.detector.id == d.id) {
                let got: Vec<&str> = hits.iter().map(|h| h.detector.id).collect();
                problems.push(format!("{}: missed example {ex:?} (found {got:?})", d.id));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn no_counter_example_is_found_by_its_detector() {
    let mut problems = Vec::new();
    for d in detectors::all() {
        assert!(
            !d.counter_examples.is_empty(),
            "{}: no counter-example",
            d.id
        );
        for ex in d.counter_examples {
            let hits = scanner().scan(ex.as_bytes(), &ctx());
            if hits.iter().any(|h| h.detector.id == d.id) {
                problems.push(format!("{}: flagged counter-example {ex:?}", d.id));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn table_is_well_formed() {
    trustmap_secrets::Scanner::check_each(detectors::all()).expect("every pattern compiles");
    let id = regex_lite_shape();
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    let mut provider = 0;
    for d in detectors::all() {
        assert!(ids.insert(d.id), "duplicate id {}", d.id);
        assert!(names.insert(d.name), "duplicate name {}", d.name);
        assert!(id(d.id), "bad id {}", d.id);
        assert!(
            d.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "bad name {}",
            d.name
        );
        assert!(!d.title.is_empty() && !d.provider.is_empty() && !d.rotate.is_empty());
        assert!(!d.keywords.is_empty(), "{}: no keyword", d.id);
        if d.tier == Tier::Provider {
            provider += 1;
        }
    }
    assert!(
        provider >= 100,
        "only {provider} provider-specific detectors"
    );
}

/// `SEC-<UPPER>-NNN`.
fn regex_lite_shape() -> impl Fn(&str) -> bool {
    |id: &str| {
        let parts: Vec<&str> = id.split('-').collect();
        parts.len() == 3
            && parts[0] == "SEC"
            && !parts[1].is_empty()
            && parts[1]
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && parts[2].len() == 3
            && parts[2].bytes().all(|b| b.is_ascii_digit())
    }
}

#[test]
fn test_paths_lower_severity_but_keep_the_finding() {
    let d = detectors::by_id("SEC-GH-001").unwrap();
    let ex = d.examples[0].as_bytes();
    let prod = scanner().scan(ex, &FileContext::from_path("deploy/ci.env"));
    let test = scanner().scan(ex, &FileContext::from_path("tests/fixtures/ci.env"));
    assert_eq!(prod.len(), 1);
    assert_eq!(test.len(), 1);
    assert!(test[0].severity < prod[0].severity);
    assert!(test[0].notes.iter().any(|n| n.contains("test")));
}
