//! The protocol loop: tracks open documents, re-scans after edits settle, publishes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{HoverRequest, Request as _};
use lsp_types::{
    Diagnostic, HoverParams, HoverProviderCapability, InitializeParams, PublishDiagnosticsParams,
    SaveOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Url,
};

use crate::documents::Documents;
use crate::{convert, scan};

/// How long edits must pause before a re-scan: typing does not start a scan per keystroke.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// Serves one client on stdin/stdout until it sends `shutdown` then `exit`.
/// An `exit` without `shutdown` is an error (the protocol's exit code 1).
pub fn run_stdio() -> Result<()> {
    let (connection, io_threads) = Connection::stdio();
    let result = serve(&connection);
    drop(connection);
    io_threads.join().context("closing stdio")?;
    result
}

fn serve(connection: &Connection) -> Result<()> {
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let init = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo {
            name: "trustmap".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        },
    });
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams =
        serde_json::from_value(params).context("bad initialize parameters")?;
    connection.initialize_finish(id, init)?;
    let mut server = Server::new(workspace_root(&params));
    eprintln!("trustmap lsp: workspace {}", server.workspace.display());
    server.run(connection)
}

/// The first workspace folder, else the root URI, else the working directory.
#[allow(deprecated)] // `root_uri` and `root_path` are still what older clients send.
fn workspace_root(params: &InitializeParams) -> PathBuf {
    let from_uri = |u: &Url| u.to_file_path().ok();
    params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| from_uri(&f.uri))
        .or_else(|| params.root_uri.as_ref().and_then(from_uri))
        .or_else(|| params.root_path.as_ref().map(PathBuf::from))
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

struct Server {
    workspace: PathBuf,
    docs: Documents,
    /// What each file currently shows in the editor (to clear it when fixed, and for hover).
    published: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// When the pending re-scan starts, if one is pending.
    due: Option<Instant>,
}

impl Server {
    fn new(workspace: PathBuf) -> Self {
        Self {
            workspace,
            docs: Documents::default(),
            published: BTreeMap::new(),
            due: None,
        }
    }

    fn run(&mut self, connection: &Connection) -> Result<()> {
        loop {
            let msg = match self.due {
                Some(due) => {
                    let wait = due.saturating_duration_since(Instant::now());
                    match connection.receiver.recv_timeout(wait) {
                        Ok(msg) => msg,
                        Err(crossbeam_timeout) if crossbeam_timeout.is_timeout() => {
                            self.due = None;
                            self.rescan(connection)?;
                            continue;
                        }
                        Err(_) => bail!("the client closed the connection without `exit`"),
                    }
                }
                None => match connection.receiver.recv() {
                    Ok(msg) => msg,
                    Err(_) => bail!("the client closed the connection without `exit`"),
                },
            };
            match msg {
                Message::Request(req) => {
                    if connection.handle_shutdown(&req)? {
                        return Ok(());
                    }
                    if req.method == HoverRequest::METHOD {
                        self.hover(connection, req)?;
                    } else {
                        reply_unsupported(connection, req)?;
                    }
                }
                Message::Notification(n) if n.method == "exit" => {
                    bail!("`exit` before `shutdown`")
                }
                Message::Notification(n) => self.notified(n),
                Message::Response(_) => {}
            }
        }
    }

    /// Records document changes; a change to a scanned file schedules a re-scan.
    fn notified(&mut self, n: Notification) {
        let changed = match n.method.as_str() {
            DidOpenTextDocument::METHOD => parse::<DidOpenTextDocument>(n).is_some_and(|p| {
                let d = p.text_document;
                self.docs.set(&d.uri, d.version, d.text)
            }),
            DidChangeTextDocument::METHOD => {
                parse::<DidChangeTextDocument>(n).is_some_and(|p| {
                    // Full sync: the last change holds the whole text.
                    p.content_changes.into_iter().last().is_some_and(|c| {
                        self.docs
                            .set(&p.text_document.uri, p.text_document.version, c.text)
                    })
                })
            }
            DidSaveTextDocument::METHOD => parse::<DidSaveTextDocument>(n)
                .is_some_and(|p| crate::documents::scannable_path(&p.text_document.uri).is_some()),
            DidCloseTextDocument::METHOD => parse::<DidCloseTextDocument>(n)
                // The file on disk is what counts now.
                .is_some_and(|p| self.docs.close(&p.text_document.uri)),
            _ => false,
        };
        if changed {
            self.due = Some(Instant::now() + DEBOUNCE);
        }
    }

    /// Scans every root and publishes each file's diagnostics, clearing the ones that went
    /// away. A failed scan is logged and changes nothing in the editor.
    fn rescan(&mut self, connection: &Connection) -> Result<()> {
        let started = Instant::now();
        let mut found: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        for root in scan::roots(&self.workspace, &self.docs) {
            match scan::scan_root(&root, &self.docs) {
                Ok(report) => found.extend(convert::diagnostics(&root, &report)),
                Err(e) => {
                    eprintln!("trustmap lsp: {e:#}");
                    return Ok(());
                }
            }
        }
        eprintln!(
            "trustmap lsp: scanned in {} ms, {} file(s) with diagnostics",
            started.elapsed().as_millis(),
            found.len()
        );
        // Open documents always get an answer; files that had diagnostics get cleared.
        let mut targets: BTreeSet<PathBuf> = found.keys().cloned().collect();
        targets.extend(self.published.keys().cloned());
        targets.extend(self.docs.iter().map(|(p, _)| p.to_path_buf()));
        for path in targets {
            let diagnostics = found.remove(&path).unwrap_or_default();
            self.publish(connection, &path, diagnostics)?;
        }
        Ok(())
    }

    fn publish(
        &mut self,
        connection: &Connection,
        path: &Path,
        diagnostics: Vec<Diagnostic>,
    ) -> Result<()> {
        let doc = self.docs.get(path);
        let Some(uri) = doc
            .map(|d| d.uri.clone())
            .or_else(|| Url::from_file_path(path).ok())
        else {
            return Ok(());
        };
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics: diagnostics.clone(),
            version: doc.map(|d| d.version),
        };
        if diagnostics.is_empty() {
            self.published.remove(path);
        } else {
            self.published.insert(path.to_path_buf(), diagnostics);
        }
        connection
            .sender
            .send(Message::Notification(Notification::new(
                PublishDiagnostics::METHOD.to_string(),
                params,
            )))
            .context("sending diagnostics")
    }
}

impl Server {
    /// Answers a hover with the documentation of the rules found under the cursor.
    fn hover(&self, connection: &Connection, req: Request) -> Result<()> {
        let resp = match serde_json::from_value::<HoverParams>(req.params) {
            Ok(p) => {
                let at = p.text_document_position_params;
                let shown = at
                    .text_document
                    .uri
                    .to_file_path()
                    .ok()
                    .and_then(|path| self.published.get(&path));
                let hover = shown.and_then(|d| crate::hover::hover(d, at.position));
                Response::new_ok(req.id, hover)
            }
            Err(e) => Response::new_err(
                req.id,
                ErrorCode::InvalidParams as i32,
                format!("bad hover parameters: {e}"),
            ),
        };
        connection
            .sender
            .send(Message::Response(resp))
            .context("sending a response")
    }
}

fn parse<N: lsp_types::notification::Notification>(n: Notification) -> Option<N::Params> {
    match serde_json::from_value(n.params) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("trustmap lsp: ignoring malformed {}: {e}", N::METHOD);
            None
        }
    }
}

fn reply_unsupported(connection: &Connection, req: Request) -> Result<()> {
    let resp = Response::new_err(
        req.id,
        ErrorCode::MethodNotFound as i32,
        format!("trustmap lsp does not handle {}", req.method),
    );
    connection
        .sender
        .send(Message::Response(resp))
        .context("sending a response")
}
