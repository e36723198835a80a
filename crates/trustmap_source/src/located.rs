//! Serialising spans as paths and lines: the view policy authors read (`trustmap_policy`'s
//! input document). A thread-local context rather than a wrapper type because spans sit
//! deep inside every model struct, whose derived `Serialize` impls cannot take arguments.

use std::cell::RefCell;
use std::sync::Arc;

use serde::ser::SerializeStruct;

use crate::{SourceFile, SourceMap, Span};

thread_local! {
    static FILES: RefCell<Option<Vec<Arc<SourceFile>>>> = const { RefCell::new(None) };
}

/// Runs `f` (which serialises) with every [`Span`] written as `{path, start_line, end_line}`
/// resolved through `sources`, and every model `Value` in its located form.
pub fn with_locations<R>(sources: &SourceMap, f: impl FnOnce() -> R) -> R {
    struct Reset(Option<Vec<Arc<SourceFile>>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let previous = self.0.take();
            FILES.with(|c| *c.borrow_mut() = previous);
        }
    }
    let previous = FILES.with(|c| c.borrow_mut().replace(sources.files().to_vec()));
    let _reset = Reset(previous);
    f()
}

/// True inside [`with_locations`] (model types pick their located form with it).
pub fn active() -> bool {
    FILES.with(|c| c.borrow().is_some())
}

impl serde::Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let located = FILES.with(|c| {
            let files = c.borrow();
            let file = files.as_ref()?.get(self.file.0 as usize)?;
            let (start_line, end_line) = file.lines_of(*self);
            Some((file.path.clone(), start_line, end_line))
        });
        match located {
            Some((path, start_line, end_line)) => {
                let mut s = serializer.serialize_struct("Location", 3)?;
                s.serialize_field("path", &path)?;
                s.serialize_field("start_line", &start_line)?;
                s.serialize_field("end_line", &end_line)?;
                s.end()
            }
            None => {
                let mut s = serializer.serialize_struct("Span", 3)?;
                s.serialize_field("file", &self.file)?;
                s.serialize_field("start", &self.start)?;
                s.serialize_field("end", &self.end)?;
                s.end()
            }
        }
    }
}

/// The located form: the one schema users see (`schemas/policy-input.schema.json`).
impl schemars::JsonSchema for Span {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Location".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Where something is written: a path relative to the scanned \
                            directory and 1-based lines.",
            "type": "object",
            "properties": {
                "path": { "type": "string" },
                "start_line": { "type": "integer", "minimum": 1 },
                "end_line": { "type": "integer", "minimum": 1 }
            },
            "required": ["path", "start_line", "end_line"]
        })
    }
}
