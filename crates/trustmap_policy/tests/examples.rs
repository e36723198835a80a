//! The example policies load, and their unit tests pass.

use std::path::PathBuf;

use trustmap_policy::PolicySet;
use trustmap_policy::testing::{self, Verdict};

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/policies")
}

#[test]
fn example_policies_load_with_their_metadata() {
    let set = PolicySet::load(&[examples()]).expect("examples load");
    let ids: Vec<(&str, &str, &str)> = set
        .rules()
        .iter()
        .map(|r| (r.meta.id, r.meta.severity.as_str(), r.package.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("CUSTOM-AWS-001", "low", "data.trustmap.aws.bucket_prefix"),
            (
                "CUSTOM-GHA-001",
                "high",
                "data.trustmap.gha.cloud_role_environment"
            ),
            ("CUSTOM-K8S-001", "medium", "data.trustmap.k8s.prod_limits"),
        ]
    );
}

#[test]
fn example_policy_tests_pass() {
    let results = testing::run(&[examples()]).expect("examples load");
    let failing: Vec<_> = results
        .iter()
        .filter(|r| r.verdict != Verdict::Pass)
        .collect();
    assert!(failing.is_empty(), "{failing:#?}");
    assert_eq!(results.len(), 10);
}
