//! Store round trips: SQLite in a temporary file, and PostgreSQL against a real server
//! (`TRUSTMAP_TEST_POSTGRES_URL`; `.ci/run` starts one — under `CI=true` a missing server is
//! a failure, not a skip).

use trustmap_store::{Run, ScoreRow, SqlStore, Store};

fn run(id: &str, repo: &str, commit: &str, time: i64, identity: Option<i64>) -> Run {
    Run {
        id: id.to_string(),
        repository: repo.to_string(),
        commit: commit.to_string(),
        commit_time: time,
        recorded_at: 1_800_000_000,
        tool_version: "0.1.0".to_string(),
        // In (team, capability) order, as read back.
        scores: vec![
            ScoreRow {
                team: "@org/payments".to_string(),
                capability: "design".to_string(),
                score: None,
                evaluations: 0,
                evidence_weight: 0,
                pass_weight: 0,
                fail_weight: 0,
            },
            ScoreRow {
                team: "@org/payments".to_string(),
                capability: "identity".to_string(),
                score: identity,
                evaluations: 4,
                evidence_weight: 20,
                pass_weight: 15,
                fail_weight: 5,
            },
        ],
    }
}

/// Writes two runs of one repository and one of another, reads them back in commit order,
/// then reopens the store (migrations already applied) and appends a third.
fn round_trip(spec: &str, prefix: &str) {
    let repo = format!("{prefix}-shop");
    let mut store = SqlStore::open(spec).expect("open");
    let later = run(&format!("{prefix}-b"), &repo, "bbb", 200, Some(75));
    let earlier = run(&format!("{prefix}-a"), &repo, "aaa", 100, Some(40));
    let other = run(
        &format!("{prefix}-c"),
        &format!("{prefix}-other"),
        "ccc",
        150,
        Some(10),
    );
    store
        .record(&[later.clone(), earlier.clone(), other])
        .expect("record");
    let runs = store.runs(Some(&repo)).expect("read");
    assert_eq!(runs, vec![earlier.clone(), later.clone()]);
    drop(store);

    let mut again = SqlStore::open(spec).expect("reopen");
    let third = run(&format!("{prefix}-d"), &repo, "ddd", 300, Some(90));
    again.record(std::slice::from_ref(&third)).expect("append");
    let runs = again.runs(Some(&repo)).expect("read again");
    assert_eq!(runs, vec![earlier, later, third]);
    assert!(again.runs(None).expect("all").len() >= 4);
}

#[test]
fn sqlite_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/capability.sqlite");
    round_trip(path.to_str().unwrap(), "sqlite");
    assert!(path.is_file());
}

#[test]
fn sqlite_rejects_a_duplicate_run_without_writing_half_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let spec = format!("sqlite://{}", dir.path().join("s.sqlite").display());
    let mut store = SqlStore::open(&spec).unwrap();
    let a = run("same", "r", "aaa", 1, Some(1));
    store.record(std::slice::from_ref(&a)).unwrap();
    let fresh = run("fresh", "r", "bbb", 2, Some(2));
    let err = store.record(&[fresh, a.clone()]).unwrap_err();
    assert!(err.to_string().contains("capability store"), "{err}");
    // The failed batch left nothing behind: `fresh` is not there.
    assert_eq!(store.runs(Some("r")).unwrap(), vec![a]);
}

#[test]
fn postgres_round_trip() {
    let Some(url) = std::env::var("TRUSTMAP_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but TRUSTMAP_TEST_POSTGRES_URL is not set: .ci/run starts PostgreSQL"
        );
        eprintln!("skipped: TRUSTMAP_TEST_POSTGRES_URL is not set");
        return;
    };
    // Unique per test run, so repeated runs against one database do not collide.
    let prefix = format!(
        "pg{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    round_trip(&url, &prefix);
}
