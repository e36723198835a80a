//! `trustmap lsp`: a language server over stdio that publishes trustmap's findings as
//! diagnostics for open Terraform, Kubernetes, Helm, Kustomize, Dockerfile, compose and
//! CI workflow files.
//!
//! Built on rust-analyzer's `lsp-server` (synchronous JSON-RPC framing, no async runtime:
//! a scan is CPU-bound and runs on the engine's own thread pool) and `lsp-types`.
//! Cross-file context matters (modules, charts, overlays), so every scan covers the whole
//! workspace from disk, with the unsaved buffers of open documents read instead of the
//! files ([`trustmap_engine::scan_overlaid`]). Logs go to stderr; stdout is the protocol.

mod convert;
mod documents;
mod hover;
mod scan;
mod server;

pub use server::run_stdio;
