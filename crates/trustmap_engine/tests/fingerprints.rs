//! Fingerprints identify a finding across edits: inserting lines anywhere and moving or
//! renaming files keep every fingerprint; repeats of one finding stay distinct.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use trustmap_engine::{NoProgress, Settings, scan};

/// A small repository with findings of several kinds: Terraform resources (identified by
/// address), Kubernetes objects, Dockerfiles and secrets (identified by content). No block
/// scalars, heredocs or continuations, so a comment line is harmless anywhere.
const FILES: &[(&str, &str)] = &[
    (
        "infra/main.tf",
        r#"resource "aws_s3_bucket_acl" "logs" {
  bucket = "acme-logs"
  acl    = "public-read"
}

resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#,
    ),
    (
        "k8s/web.yaml",
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:latest
          securityContext:
            privileged: true
"#,
    ),
    (
        "services/api/Dockerfile",
        "FROM python:latest\nRUN pip install flask\nCMD [\"python\", \"app.py\"]\n",
    ),
    (
        "config/app.env",
        "AWS_ACCESS_KEY_ID=AKIAQYLPMN5HHHFPZAM2\nGITHUB_TOKEN=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\n",
    ),
];

fn write(root: &Path, files: &[(String, String)]) {
    for (rel, text) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
}

/// Fingerprint → (rule id, path) of every finding of a scan of `files`.
fn fingerprints(files: &[(String, String)]) -> BTreeMap<String, (String, String)> {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), files);
    let report = scan(&Settings::new(vec![dir.path().to_path_buf()]), &NoProgress).expect("scan");
    let mut out = BTreeMap::new();
    for f in &report.findings {
        let prev = out.insert(
            f.fingerprint.clone(),
            (f.finding.rule.id.to_string(), f.location.path.clone()),
        );
        assert!(prev.is_none(), "duplicate fingerprint {}", f.fingerprint);
    }
    out
}

fn original() -> Vec<(String, String)> {
    FILES
        .iter()
        .map(|(p, t)| ((*p).to_string(), (*t).to_string()))
        .collect()
}

/// Inserts `lines[i]` comment lines before line `at[i] % line count` of each file.
fn with_inserted_lines(files: &[(String, String)], at: &[(usize, usize)]) -> Vec<(String, String)> {
    files
        .iter()
        .enumerate()
        .map(|(i, (path, text))| {
            let (pos, n) = at[i % at.len()];
            let mut lines: Vec<&str> = text.lines().collect();
            let pos = pos % (lines.len() + 1);
            let comment = "# an unrelated comment";
            for _ in 0..n {
                lines.insert(pos, comment);
            }
            (path.clone(), lines.join("\n") + "\n")
        })
        .collect()
}

#[test]
fn the_fixture_has_findings_of_every_kind() {
    let fps = fingerprints(&original());
    let paths: Vec<&str> = fps.values().map(|(_, p)| p.as_str()).collect();
    for file in [
        "infra/main.tf",
        "k8s/web.yaml",
        "services/api/Dockerfile",
        "config/app.env",
    ] {
        assert!(paths.contains(&file), "no finding in {file}: {fps:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn inserted_lines_keep_fingerprints(at in proptest::collection::vec((0usize..40, 1usize..4), 4)) {
        let before: Vec<String> = fingerprints(&original()).into_keys().collect();
        let after: Vec<String> = fingerprints(&with_inserted_lines(&original(), &at)).into_keys().collect();
        prop_assert_eq!(before, after);
    }

    #[test]
    fn moved_files_keep_fingerprints(dirs in proptest::collection::vec("[a-z]{1,8}", 4)) {
        let before: Vec<String> = fingerprints(&original()).into_keys().collect();
        // Every file moves to another directory; Dockerfiles and env files also change name.
        let moved: Vec<(String, String)> = original()
            .into_iter()
            .enumerate()
            .map(|(i, (path, text))| {
                let name = path.rsplit('/').next().unwrap_or(&path);
                let name = match name {
                    "Dockerfile" => "api.Dockerfile",
                    "app.env" => "prod.env",
                    n => n,
                };
                (format!("moved{i}/{}/{name}", dirs[i]), text)
            })
            .collect();
        let after: Vec<String> = fingerprints(&moved).into_keys().collect();
        prop_assert_eq!(before, after);
    }
}

#[test]
fn repeats_stay_distinct_and_a_new_repeat_is_one_new_fingerprint() {
    let one = vec![(
        "Dockerfile".to_string(),
        "FROM python:latest\nCMD [\"x\"]\n".to_string(),
    )];
    let two = vec![(
        "Dockerfile".to_string(),
        "FROM python:latest\nFROM python:latest\nCMD [\"x\"]\n".to_string(),
    )];
    let a = fingerprints(&one);
    let b = fingerprints(&two);
    let tag_rule =
        |m: &BTreeMap<String, (String, String)>| m.values().filter(|(r, _)| r == "DKR-001").count();
    // The same line twice: two findings of the mutable-tag rule with distinct fingerprints
    // (`fingerprints` asserts they are distinct).
    assert_eq!(tag_rule(&b), 2 * tag_rule(&a), "{a:?}\n{b:?}");
    // Every fingerprint of the single stage is still there.
    for fp in a.keys() {
        assert!(b.contains_key(fp), "{fp} lost: {a:?}\n{b:?}");
    }
}

/// A comment line inside a multi-line span (here the Kubernetes container list) is not part
/// of what is at fault (found by the property test above).
#[test]
fn a_comment_inside_a_span_keeps_fingerprints() {
    let before: Vec<String> = fingerprints(&original()).into_keys().collect();
    let at = [(0, 1), (9, 1), (0, 1), (0, 1)];
    let after: Vec<String> = fingerprints(&with_inserted_lines(&original(), &at))
        .into_keys()
        .collect();
    assert_eq!(before, after);
}
