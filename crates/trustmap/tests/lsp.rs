//! A scripted session with `trustmap lsp`: the real binary, JSON-RPC over stdio with
//! `Content-Length` framing, every wait bounded.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Long enough for a debug-build scan on a busy machine; a hang fails instead of blocking.
const WAIT: Duration = Duration::from_secs(60);

struct Session {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
}

impl Session {
    fn start(dir: &Path) -> Session {
        let mut child = Command::new(env!("CARGO_BIN_EXE_trustmap"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn trustmap lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Session {
            child,
            stdin,
            incoming,
            next_id: 1,
        }
    }

    fn send(&mut self, msg: &Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m["id"] == id)
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message matching `pred`; others are dropped.
    fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = self
                .incoming
                .recv_timeout(left)
                .expect("no expected message from the server in time");
            if pred(&msg) {
                return msg;
            }
        }
    }

    /// The diagnostics published for `uri` at document version `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let msg = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        msg["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// `shutdown` then `exit`; the exit status.
    fn finish(mut self) -> i32 {
        let resp = self.request("shutdown", Value::Null);
        assert!(resp.get("error").is_none(), "{resp}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// `(code, zero-based start line)` of each diagnostic.
fn codes(diags: &[Value]) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap_or(u64::MAX),
            )
        })
        .collect();
    out.sort();
    out
}

const PUBLIC_BUCKET: &str = r#"# trustmap:ignore[AWS-S3-005] access logs go to the central account
resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}

resource "aws_s3_bucket_acl" "site" {
  bucket = aws_s3_bucket.site.id
  acl    = "public-read"
}
"#;

const ROOT_DOCKERFILE: &str = "FROM ubuntu:latest\nRUN apt-get update\n";
const PINNED_DOCKERFILE: &str = "FROM alpine@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1\nRUN apk add --no-cache curl\nUSER 10001\nHEALTHCHECK CMD [\"true\"]\n";

const UNPINNED_WORKFLOW: &str = "name: ci\non: pull_request\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/setup-buildx-action@v3\n      - run: echo testing\n";

#[test]
fn scripted_session_publishes_and_clears_diagnostics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    // The files exist on disk as saved; the editor's buffers differ and must win.
    std::fs::write(root.join("main.tf"), "").expect("write");
    std::fs::write(root.join("Dockerfile"), PINNED_DOCKERFILE).expect("write");
    std::fs::create_dir_all(root.join(".github/workflows")).expect("mkdir");
    let workflow = root.join(".github/workflows/ci.yml");
    std::fs::write(
        &workflow,
        UNPINNED_WORKFLOW.replace("@v3", "@e468171a9de216ec08956ac3ada2f0791b6bd435"),
    )
    .expect("write");

    // The project's configuration applies: unpinned actions are only low here.
    std::fs::write(
        root.join("trustmap.toml"),
        "[rules.severity]\n\"GHA-005\" = \"low\"\n",
    )
    .expect("write");

    let mut s = Session::start(&root);
    let init = s.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&root), "capabilities": {}}),
    );
    assert_eq!(init["result"]["serverInfo"]["name"], "trustmap", "{init}");
    assert_eq!(
        init["result"]["capabilities"]["textDocumentSync"]["change"],
        1
    );
    s.notify("initialized", json!({}));

    // Terraform: a public canned ACL, in the unsaved buffer only.
    let tf = uri(&root.join("main.tf"));
    s.open(&tf, "terraform", PUBLIC_BUCKET);
    let diags = s.diagnostics(&tf, 1);
    let found = codes(&diags);
    assert!(found.contains(&("AWS-S3-001".to_string(), 7)), "{found:?}");
    assert!(
        !found.iter().any(|(c, _)| c == "AWS-S3-005"),
        "suppressed findings are not shown: {found:?}"
    );
    let acl = diags
        .iter()
        .find(|d| d["code"] == "AWS-S3-001")
        .expect("acl");
    assert_eq!(acl["severity"], 1, "high is an error");
    assert_eq!(acl["source"], "trustmap");
    assert!(
        acl["codeDescription"]["href"]
            .as_str()
            .is_some_and(|h| h.ends_with("docs/rules.md#aws-s3-001")),
        "{acl}"
    );
    assert_eq!(acl["range"]["start"]["character"], 11, "{acl}");

    // Hover on the finding shows the rule's documentation; elsewhere, nothing.
    let hover = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": tf}, "position": {"line": 7, "character": 14}}),
    );
    let doc = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(doc.starts_with("**AWS-S3-001**"), "{hover}");
    assert!(doc.contains("## Fix"), "{hover}");
    let hover = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": tf}, "position": {"line": 4, "character": 0}}),
    );
    assert_eq!(hover["result"], Value::Null, "{hover}");

    // Fixing the ACL drops that diagnostic and keeps the others.
    s.change(&tf, 2, &PUBLIC_BUCKET.replace("public-read", "private"));
    let found = codes(&s.diagnostics(&tf, 2));
    assert!(!found.iter().any(|(c, _)| c == "AWS-S3-001"), "{found:?}");
    assert!(found.iter().any(|(c, _)| c == "AWS-S3-003"), "{found:?}");

    // Dockerfile: the buffer runs as root from a mutable tag; the fix clears everything.
    let docker = uri(&root.join("Dockerfile"));
    s.open(&docker, "dockerfile", ROOT_DOCKERFILE);
    let found = codes(&s.diagnostics(&docker, 1));
    assert!(!found.is_empty(), "{found:?}");
    assert!(found.iter().all(|(_, line)| *line <= 1), "{found:?}");
    s.change(&docker, 2, PINNED_DOCKERFILE);
    assert_eq!(codes(&s.diagnostics(&docker, 2)), vec![]);

    // A GitHub workflow with an action pinned by tag; pinning it by commit clears it.
    let wf = uri(&workflow);
    s.open(&wf, "yaml", UNPINNED_WORKFLOW);
    let diags = s.diagnostics(&wf, 1);
    assert_eq!(codes(&diags), vec![("GHA-005".to_string(), 8)]);
    assert_eq!(
        diags[0]["severity"], 3,
        "low (trustmap.toml) is information"
    );
    s.change(
        &wf,
        2,
        &UNPINNED_WORKFLOW.replace("@v3", "@e468171a9de216ec08956ac3ada2f0791b6bd435"),
    );
    assert_eq!(codes(&s.diagnostics(&wf, 2)), vec![]);

    // Unknown requests get an error, not a crash.
    let resp = s.request("workspace/symbol", json!({"query": "x"}));
    assert_eq!(resp["error"]["code"], -32601, "{resp}");

    assert_eq!(s.finish(), 0);
}

#[test]
fn exit_without_shutdown_is_exit_code_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Session::start(dir.path());
    s.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(dir.path()), "capabilities": {}}),
    );
    s.notify("initialized", json!({}));
    s.notify("exit", Value::Null);
    let deadline = Instant::now() + WAIT;
    let code = loop {
        if let Some(status) = s.child.try_wait().expect("wait") {
            break status.code();
        }
        assert!(Instant::now() < deadline, "server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(code, Some(1));
}
