//! `file()` and `templatefile()`: reading files of the scanned tree, never the filesystem.
//!
//! A path is resolved like Terraform does, against the working directory (the root module's
//! directory), so `"${path.module}/policy.json"` names the file next to the module's code.
//! `.` and `..` are normalised; a path that is absolute, escapes the scan root or names a
//! file the scan did not load is unknown (a missing file adds an `evaluation` note).

use hcl_edit::template::Template;
use trustmap_source::{SourceFile, Span};
use trustmap_syntax::{Node, NodeKind};

use super::Evaluator;
use crate::json_text;
use crate::scope::{Binding, Scope};
use crate::value::{EvalError, EvalResult, push_vias, to_text, type_name};

/// `root/path` normalised, or `None` when it is absolute or leaves the scan root.
pub(crate) fn resolve_in_root(root_dir: &str, path: &str) -> Option<String> {
    if path.starts_with('/') || path.starts_with('\\') || path.starts_with('~') {
        return None;
    }
    let path = path.replace('\\', "/");
    if path.contains(':') {
        // `C:/…`, `https://…`: never a file of the scan.
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for p in root_dir.split('/').chain(path.split('/')) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

impl<'a> Evaluator<'a> {
    /// The scan file a `file()`/`templatefile()` path names; `None` (unknown) otherwise.
    fn scan_file(&mut self, scope: &Scope<'a>, path: &str, span: Span) -> Option<&'a SourceFile> {
        let root = &self.instances[scope.inst].root_dir;
        let rel = resolve_in_root(root, path)?;
        match self.scan_files.get(rel.as_str()).copied() {
            Some(f) => {
                self.files.entry(f.id).or_insert(f);
                Some(f)
            }
            None => {
                self.diag(
                    "evaluation",
                    format!("file `{rel}` is not part of the scan; its content is unknown"),
                    span,
                );
                None
            }
        }
    }

    /// The path argument of a file function: `Ok(None)` when it is unknown.
    fn path_arg(name: &str, args: &[Node], span: Span) -> Result<Option<String>, EvalError> {
        let p = args
            .first()
            .ok_or_else(|| EvalError::new(format!("{name}() needs a path"), span))?;
        to_text(p).map_err(|m| EvalError::new(format!("{name}(): {m}"), p.span))
    }

    /// `file(path)`: the file's text, spanned at the whole file (a JSON object or array is a
    /// `Json` node whose tree points into the file).
    pub(crate) fn call_file(
        &mut self,
        scope: &Scope<'a>,
        args: Vec<Node>,
        span: Span,
    ) -> EvalResult {
        if args.len() != 1 {
            return Err(EvalError::new(
                format!("file() takes 1 argument(s), got {}", args.len()),
                span,
            ));
        }
        let mut unknown = Node::unknown(span);
        push_vias(&mut unknown.via, &args[0].via);
        let Some(path) = Self::path_arg("file", &args, span)? else {
            return Ok(unknown);
        };
        let Some(file) = self.scan_file(scope, &path, span) else {
            return Ok(unknown);
        };
        let whole = file.full_span();
        let text: &str = &file.text;
        let mut out = json_text::literal_json(file, text, Some(0..text.len()), whole)
            .unwrap_or_else(|| Node::string(text, whole));
        push_vias(&mut out.via, &args[0].via);
        Ok(out)
    }

    /// `templatefile(path, vars)`: the file rendered as a template with only `vars` in scope.
    pub(crate) fn call_templatefile(
        &mut self,
        scope: &Scope<'a>,
        args: Vec<Node>,
        span: Span,
    ) -> EvalResult {
        if args.len() != 2 {
            return Err(EvalError::new(
                format!("templatefile() takes 2 argument(s), got {}", args.len()),
                span,
            ));
        }
        let mut unknown = Node::unknown(span);
        for a in &args {
            push_vias(&mut unknown.via, &a.via);
        }
        if scope.isolated {
            return Err(EvalError::new(
                "templatefile() cannot be called from a template file",
                span,
            ));
        }
        let Some(path) = Self::path_arg("templatefile", &args, span)? else {
            return Ok(unknown);
        };
        let bindings: Vec<Binding> = match &args[1].kind {
            NodeKind::Map(entries) => entries
                .iter()
                .map(|e| Binding::local(e.key.clone(), e.value.clone()))
                .collect(),
            NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => return Ok(unknown),
            _ => {
                return Err(EvalError::new(
                    format!(
                        "templatefile(): vars must be an object, not {}",
                        type_name(&args[1])
                    ),
                    args[1].span,
                ));
            }
        };
        let Some(file) = self.scan_file(scope, &path, span) else {
            return Ok(unknown);
        };
        let tmpl: Template = match file.text.parse() {
            Ok(t) => t,
            Err(e) => {
                self.diag(
                    "evaluation",
                    format!(
                        "templatefile(): `{}` is not a valid template: {e}",
                        file.path
                    ),
                    span,
                );
                return Ok(unknown);
            }
        };
        let whole = file.full_span();
        let mut inner = Scope::template(scope.inst, file, bindings);
        let rendered = self
            .memo_scope(|ev| ev.eval_template(&mut inner, &tmpl, whole))
            .unwrap_or_else(|| Ok(Node::unknown(span)))?;
        let mut out = rendered;
        push_vias(&mut out.via, &args[0].via);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::resolve_in_root;

    #[test]
    fn paths_resolve_inside_the_root_only() {
        assert_eq!(
            resolve_in_root("", "./policy.json").as_deref(),
            Some("policy.json")
        );
        assert_eq!(
            resolve_in_root("envs/prod", "../../modules/x/./p.json").as_deref(),
            Some("modules/x/p.json")
        );
        assert_eq!(resolve_in_root("envs", "../../etc/passwd"), None);
        assert_eq!(resolve_in_root("", "/etc/passwd"), None);
        assert_eq!(resolve_in_root("", "~/.ssh/id_rsa"), None);
    }
}
