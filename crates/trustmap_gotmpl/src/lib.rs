//! trustmap's Go `text/template` engine with Helm's function set, and in-process Helm chart
//! rendering with a source map from rendered YAML back to template lines.
//!
//! # Why an engine of our own
//!
//! The research recommended forking gtmpl-ng 1.0.0. Its code is good, but what trustmap
//! needs cuts through all of it: values must carry the values-file location they came
//! from (its `Value` has no room for that), `include`/`tpl`/`required` need the template
//! set and a diagnostics sink (its functions are bare `fn(&[Value])`), Go maps are shared
//! references that `set`/`merge` mutate (its maps are copied `HashMap`s), and its Helm
//! functions pull in bcrypt, rcgen, x509-parser, uuid, rand and serde_yaml. So this crate
//! is written from scratch (no gtmpl-ng code), following Go's `text/template` and Helm's
//! documented behaviour.
//!
//! # Layers
//!
//! - [`Templates`]: parse template files (`{{-`/`-}}` trimming, comments, `define`,
//!   `block`, `template`, `if`/`else if`/`with`/`else with`/`range`/`break`/`continue`,
//!   variables, pipelines, parenthesised pipelines and field chains) and render one with
//!   a [`Budget`] — limits on bytes, steps and call depth against template bombs.
//! - Functions: Go's builtins, sprig's (strings, lists, dicts, math, regex, encodings,
//!   semver, dates on a fixed clock, deterministic `randAlphaNum`), Helm's (`include`,
//!   `tpl`, `required`, `fail`, `lookup`, `toYaml`, `fromYaml`, `toJson`, `fromJson`, …).
//!   `required` and `fail` do not stop the render: they become [`Note`]s and render as
//!   empty. A few Helm functions are known but not implemented (`toToml`, …): using one is
//!   an [`ErrorKind::Unsupported`] error naming it, never a silent gap.
//! - [`map::OutputMap`]: for every byte of output, the template text or action that
//!   produced it (see the module docs for the exact precision).
//! - [`helm`]: charts — `Chart.yaml`, values files and `--set`, subcharts and globals,
//!   `.Release`, `.Chart`, `.Capabilities`, `.Template`, `.Files` — rendered per template,
//!   the output parsed as YAML and remapped onto the template files.

mod error;
mod exec;
mod funcs;
pub mod helm;
mod host;
mod json_out;
mod lex;
pub mod map;
mod parse;
mod value;
mod yaml_out;

pub use error::{Error, ErrorKind};
pub use exec::{Budget, Limits, Note, NoteKind, Rendered, TPL_FILE, Templates};
pub use host::Host;
pub use value::{Kind, Map, Origin, PathKey, Value, equal, format_float_v};

/// Parses a YAML or JSON tree into template values (numbers as float64, as Helm does).
pub fn value_from_node(node: &trustmap_syntax::Node) -> Value {
    funcs::node_to_value(node, None)
}

/// `toYaml` of a value.
pub fn to_yaml(v: &Value) -> String {
    yaml_out::to_yaml(v)
}
