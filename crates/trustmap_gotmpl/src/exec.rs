//! Executing parsed templates: Go's semantics (truthiness, scoping, pipelines, `range`
//! over sorted map keys), Helm's engine functions (`include`, `tpl`, `required`, `fail`,
//! `lookup`), render budgets, and the output source map.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use trustmap_source::{FileId, SourceFile, Span};

use crate::error::{Error, ErrorKind};
use crate::funcs::{self, FnCtx};
use crate::map::{OutputMap, Seg, SegSrc};
use crate::parse::{self, Arg, ArgKind, Branch, Cmd, List, Node, Pipe};
use crate::value::{Kind, Value};

/// File id given to text parsed by `tpl` (it has no file); errors in it are reported at the
/// `tpl` call.
pub const TPL_FILE: FileId = FileId(u32::MAX - 2);

/// What one render may consume. Shared by every template of a chart, so a chart cannot
/// multiply its allowance by splitting work across files.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Bytes written to output plus bytes of strings built by functions and `include`.
    pub max_bytes: usize,
    /// Steps: nodes executed, function calls, loop iterations.
    pub max_work: u64,
    /// Nested `include`/`template`/`tpl` calls. Helm allows 1000 nested references to one
    /// name; we count all names together, which is stricter only for charts that recurse
    /// through several templates more than 1000 deep.
    pub max_call_depth: usize,
    /// Elements a single list-building call may produce (`until`, `untilStep`, `seq`).
    pub max_list: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 64 << 20,
            max_work: 10_000_000,
            max_call_depth: 1000,
            max_list: 1_000_000,
        }
    }
}

/// The remaining allowance of one render.
#[derive(Debug)]
pub struct Budget {
    pub(crate) limits: Limits,
    pub(crate) bytes_left: usize,
    pub(crate) work_left: u64,
    /// State of the deterministic generator behind `randAlphaNum` and friends.
    pub(crate) rng: u64,
}

impl Budget {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            bytes_left: limits.max_bytes,
            work_left: limits.max_work,
            rng: 0x2545_F491_4F6C_DD1D,
        }
    }

    pub(crate) fn work(&mut self, n: u64, span: Span) -> Result<(), Error> {
        match self.work_left.checked_sub(n) {
            Some(left) => {
                self.work_left = left;
                Ok(())
            }
            None => {
                self.work_left = 0;
                Err(Error::new(
                    ErrorKind::Limit,
                    span,
                    format!(
                        "render stopped: more than {} steps (a loop or recursion without end?)",
                        self.limits.max_work
                    ),
                ))
            }
        }
    }

    pub(crate) fn bytes(&mut self, n: usize, span: Span) -> Result<(), Error> {
        match self.bytes_left.checked_sub(n) {
            Some(left) => {
                self.bytes_left = left;
                Ok(())
            }
            None => {
                self.bytes_left = 0;
                Err(Error::new(
                    ErrorKind::Limit,
                    span,
                    format!(
                        "render stopped: output and intermediate strings exceed {} bytes",
                        self.limits.max_bytes
                    ),
                ))
            }
        }
    }
}

/// A `required` value that was missing, or a `fail` that was reached: Helm would stop;
/// we report it and render on with an empty value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub kind: NoteKind,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteKind {
    Required,
    Fail,
}

struct Defined {
    body: Rc<List>,
}

struct FileTemplate {
    main: Rc<List>,
}

/// A set of parsed template files and every `define` among them (one namespace, as in Helm:
/// a chart's templates and its subcharts' share their defines).
#[derive(Default)]
pub struct Templates {
    files: HashMap<String, FileTemplate>,
    defines: HashMap<Rc<str>, Defined>,
    sources: HashMap<FileId, Arc<str>>,
}

/// One rendered template: the text and where each byte of it came from.
#[derive(Debug, Default)]
pub struct Rendered {
    pub text: String,
    pub map: OutputMap,
    /// `required`/`fail` reports.
    pub notes: Vec<Note>,
}

impl Templates {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses `file` under `name` and adds its defines; a later define of the same name
    /// replaces an earlier one unless its body is only whitespace (Go's rule).
    pub fn add(&mut self, name: &str, file: &SourceFile) -> Result<(), Error> {
        self.sources.insert(file.id, file.text.clone());
        self.add_text(name, &file.text, file.id)
    }

    pub fn add_text(&mut self, name: &str, text: &str, file: FileId) -> Result<(), Error> {
        let parsed = parse::parse(text, file)?;
        for (def_name, body) in parsed.defines {
            let blank = body
                .iter()
                .all(|n| matches!(n, Node::Text { text, .. } if text.trim().is_empty()));
            if blank && self.defines.contains_key(&def_name) {
                continue;
            }
            self.defines.insert(
                def_name,
                Defined {
                    body: Rc::new(body),
                },
            );
        }
        // A file is also a template named after itself, as in Go (charts include
        // `(print $.Template.BasePath "/configmap.yaml")` to checksum it).
        let main = Rc::new(parsed.main);
        self.defines
            .insert(name.into(), Defined { body: main.clone() });
        self.files.insert(name.to_string(), FileTemplate { main });
        Ok(())
    }

    pub fn has_define(&self, name: &str) -> bool {
        self.defines.contains_key(name)
    }

    /// Renders the file added as `name` with `data` as dot and `$`.
    pub fn render(&self, name: &str, data: &Value, budget: &mut Budget) -> Result<Rendered, Error> {
        let Some(t) = self.files.get(name) else {
            return Err(Error::new(
                ErrorKind::Exec,
                Span::default(),
                format!("no template {name:?}"),
            ));
        };
        let main = t.main.clone();
        let mut ex = Exec {
            set: self,
            vars: vec![("$".into(), data.clone())],
            outs: vec![Out {
                text: String::new(),
                segs: Some(Vec::new()),
            }],
            budget,
            depth: 0,
            notes: Vec::new(),
            tpl_call: None,
        };
        ex.list(&main, data)?;
        let out = ex.outs.pop().unwrap_or_default();
        Ok(Rendered {
            text: out.text,
            map: OutputMap::new(out.segs.unwrap_or_default()),
            notes: ex.notes,
        })
    }
}

#[derive(Default)]
struct Out {
    text: String,
    /// Recorded only for the top-level output; captures (`include`, `tpl`) are strings.
    segs: Option<Vec<Seg>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Normal,
    Break,
    Continue,
}

pub(crate) struct Exec<'a> {
    set: &'a Templates,
    vars: Vec<(Rc<str>, Value)>,
    outs: Vec<Out>,
    budget: &'a mut Budget,
    depth: usize,
    notes: Vec<Note>,
    /// Inside `tpl`: the span of the `tpl` call, where errors in its text are reported.
    tpl_call: Option<Span>,
}

fn exec_err(span: Span, msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::Exec, span, msg)
}

impl Exec<'_> {
    // ----- output -----

    fn write_text(&mut self, text: &str, at: u32, file: FileId, span: Span) -> Result<(), Error> {
        self.budget.bytes(text.len(), span)?;
        let out = self.outs.last_mut().expect("an output");
        if let Some(segs) = &mut out.segs {
            segs.push(Seg {
                out: out.text.len() as u32,
                src: SegSrc::Text { file, at },
            });
        }
        out.text.push_str(text);
        Ok(())
    }

    fn write_value(&mut self, v: &Value, span: Span) -> Result<(), Error> {
        let s = match &v.kind {
            // Go prints a nil result as `<no value>`; Helm strips that from the output.
            Kind::Nil => return Ok(()),
            Kind::Str(s) => s.to_string(),
            _ => v.to_go_string(),
        };
        if s.is_empty() {
            return Ok(());
        }
        self.budget.bytes(s.len(), span)?;
        let out = self.outs.last_mut().expect("an output");
        if let Some(segs) = &mut out.segs {
            segs.push(Seg {
                out: out.text.len() as u32,
                src: SegSrc::Action {
                    span,
                    via: v.origin.as_deref().cloned(),
                },
            });
        }
        out.text.push_str(&s);
        Ok(())
    }

    fn capture<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<String, Error> {
        self.outs.push(Out::default());
        let r = f(self);
        let out = self.outs.pop().unwrap_or_default();
        r.map(|_| out.text)
    }

    fn enter(&mut self, span: Span) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > self.budget.limits.max_call_depth {
            return Err(Error::new(
                ErrorKind::Limit,
                span,
                format!(
                    "rendering template has a nested reference deeper than {} (recursive include?)",
                    self.budget.limits.max_call_depth
                ),
            ));
        }
        Ok(())
    }

    // ----- statements -----

    fn list(&mut self, list: &List, dot: &Value) -> Result<Flow, Error> {
        for node in list {
            let flow = self.node(node, dot)?;
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    fn node(&mut self, node: &Node, dot: &Value) -> Result<Flow, Error> {
        match node {
            Node::Text { text, at, file } => {
                let span = Span::new(*file, *at as usize, *at as usize);
                self.write_text(text, *at, *file, span)?;
            }
            Node::Action { pipe, span } => {
                self.budget.work(1, *span)?;
                let v = self.pipe(pipe, dot)?;
                if pipe.decl.is_empty() {
                    self.write_value(&v, *span)?;
                }
            }
            Node::If(b) => return self.if_with(b, dot, false),
            Node::With(b) => return self.if_with(b, dot, true),
            Node::Range(b) => return self.range(b, dot),
            Node::Template { name, pipe, span } => {
                self.budget.work(1, *span)?;
                let data = match pipe {
                    Some(p) => self.pipe(p, dot)?,
                    None => Value::nil(),
                };
                self.call_template(name, &data, *span)?;
            }
            Node::Break => return Ok(Flow::Break),
            Node::Continue => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn if_with(&mut self, b: &Branch, dot: &Value, with: bool) -> Result<Flow, Error> {
        self.budget.work(1, b.span)?;
        let mark = self.vars.len();
        let v = self.pipe(&b.pipe, dot)?;
        let flow = if v.truthy() {
            if with {
                self.list(&b.body, &v)?
            } else {
                self.list(&b.body, dot)?
            }
        } else if let Some(e) = &b.else_body {
            self.list(e, dot)?
        } else {
            Flow::Normal
        };
        self.vars.truncate(mark);
        Ok(flow)
    }

    fn range(&mut self, b: &Branch, dot: &Value) -> Result<Flow, Error> {
        self.budget.work(1, b.span)?;
        let mark = self.vars.len();
        let v = self.pipe_value(&b.pipe, dot)?;
        let items: Vec<(Value, Value)> = match &v.kind {
            Kind::Nil => Vec::new(),
            Kind::List(l) => l
                .iter()
                .enumerate()
                .map(|(i, x)| (Value::int(i as i64), x.clone()))
                .collect(),
            Kind::Map(m) => m
                .borrow()
                .iter()
                .map(|(k, x)| (Value::str(k.as_str()), x.clone()))
                .collect(),
            Kind::Int(n) => {
                let n = (*n).max(0);
                self.budget.work(n as u64, b.span)?;
                (0..n).map(|i| (Value::int(i), Value::int(i))).collect()
            }
            Kind::Host(h) => match h.entries() {
                Some(e) => e.into_iter().map(|(k, v)| (Value::str(k), v)).collect(),
                None => {
                    return Err(exec_err(
                        b.pipe.span,
                        format!("range can't iterate over {}", v.to_go_string()),
                    ));
                }
            },
            _ => {
                return Err(exec_err(
                    b.pipe.span,
                    format!("range can't iterate over {}", v.to_go_string()),
                ));
            }
        };
        if items.is_empty() {
            // `{{break}}` in a range's else belongs to an enclosing range.
            let flow = match &b.else_body {
                Some(e) => self.list(e, dot)?,
                None => Flow::Normal,
            };
            self.vars.truncate(mark);
            return Ok(flow);
        }
        for (key, item) in items {
            self.budget.work(1, b.span)?;
            match b.pipe.decl.len() {
                0 => {}
                1 => self.vars.push((b.pipe.decl[0].clone(), item.clone())),
                _ => {
                    self.vars.push((b.pipe.decl[0].clone(), key));
                    self.vars.push((b.pipe.decl[1].clone(), item.clone()));
                }
            }
            let flow = self.list(&b.body, &item)?;
            self.vars.truncate(mark);
            if flow == Flow::Break {
                break;
            }
        }
        self.vars.truncate(mark);
        Ok(Flow::Normal)
    }

    fn call_template(&mut self, name: &str, data: &Value, span: Span) -> Result<(), Error> {
        let Some(def) = self.set.defines.get(name) else {
            return Err(exec_err(
                span,
                format!("template: no template {name:?} associated with template"),
            ));
        };
        let body = def.body.clone();
        self.enter(span)?;
        let saved = std::mem::replace(&mut self.vars, vec![("$".into(), data.clone())]);
        let r = self.list(&body, data);
        self.vars = saved;
        self.depth -= 1;
        r.map(|_| ())
    }

    // ----- pipelines -----

    /// Evaluates a pipeline and binds its declared variables.
    fn pipe(&mut self, p: &Pipe, dot: &Value) -> Result<Value, Error> {
        let v = self.pipe_value(p, dot)?;
        if !p.decl.is_empty() {
            if p.assign {
                let name = &p.decl[0];
                match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = v.clone(),
                    None => return Err(exec_err(p.span, format!("undefined variable: {name}"))),
                }
            } else {
                for name in &p.decl {
                    self.vars.push((name.clone(), v.clone()));
                }
            }
        }
        Ok(v)
    }

    fn pipe_value(&mut self, p: &Pipe, dot: &Value) -> Result<Value, Error> {
        let mut last: Option<(Value, Span)> = None;
        for cmd in &p.cmds {
            let v = self.cmd(cmd, dot, last.take())?;
            last = Some((v, cmd.span));
        }
        Ok(last.map(|(v, _)| v).unwrap_or_else(Value::nil))
    }

    fn cmd(&mut self, cmd: &Cmd, dot: &Value, fin: Option<(Value, Span)>) -> Result<Value, Error> {
        self.budget.work(1, cmd.span)?;
        let first = &cmd.args[0];
        let rest = &cmd.args[1..];
        match &first.kind {
            ArgKind::Ident(name) => self.call(name, rest, dot, fin, cmd.span),
            ArgKind::Field(fields) => self.chain(dot.clone(), fields, rest, dot, fin, first.span),
            ArgKind::Var(name, fields) => {
                let v = self.var(name, first.span)?;
                if fields.is_empty() {
                    self.no_args(rest, &fin, first.span)?;
                    return Ok(v);
                }
                self.chain(v, fields, rest, dot, fin, first.span)
            }
            ArgKind::Pipe(p, fields) => {
                let v = self.pipe(p, dot)?;
                if fields.is_empty() {
                    self.no_args(rest, &fin, first.span)?;
                    return Ok(v);
                }
                self.chain(v, fields, rest, dot, fin, first.span)
            }
            _ => {
                self.no_args(rest, &fin, first.span)?;
                if matches!(first.kind, ArgKind::Nil) {
                    return Err(exec_err(first.span, "nil is not a command"));
                }
                self.arg(first, dot)
            }
        }
    }

    fn no_args(&self, rest: &[Arg], fin: &Option<(Value, Span)>, span: Span) -> Result<(), Error> {
        if !rest.is_empty() || fin.is_some() {
            return Err(exec_err(span, "can't give argument to non-function"));
        }
        Ok(())
    }

    fn var(&self, name: &str, span: Span) -> Result<Value, Error> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| exec_err(span, format!("undefined variable: {name}")))
    }

    /// An argument's value (a function name here is a call with no arguments).
    fn arg(&mut self, a: &Arg, dot: &Value) -> Result<Value, Error> {
        Ok(match &a.kind {
            ArgKind::Dot => dot.clone(),
            ArgKind::Nil => Value::nil(),
            ArgKind::Bool(b) => Value::bool(*b),
            ArgKind::Int(i) => Value::int(*i),
            ArgKind::Float(f) => Value::float(*f),
            ArgKind::Str(s) => Value::str(s.clone()),
            ArgKind::Field(fields) => self.chain(dot.clone(), fields, &[], dot, None, a.span)?,
            ArgKind::Var(name, fields) => {
                let v = self.var(name, a.span)?;
                if fields.is_empty() {
                    v
                } else {
                    self.chain(v, fields, &[], dot, None, a.span)?
                }
            }
            ArgKind::Pipe(p, fields) => {
                let v = self.pipe(p, dot)?;
                if fields.is_empty() {
                    v
                } else {
                    self.chain(v, fields, &[], dot, None, a.span)?
                }
            }
            ArgKind::Ident(name) => self.call(name, &[], dot, None, a.span)?,
        })
    }

    /// `recv.f1.f2…fn args…`: fields, with the last one possibly a method taking `args`.
    fn chain(
        &mut self,
        mut recv: Value,
        fields: &[Rc<str>],
        args: &[Arg],
        dot: &Value,
        fin: Option<(Value, Span)>,
        span: Span,
    ) -> Result<Value, Error> {
        let n = fields.len();
        for (i, f) in fields.iter().enumerate() {
            let last = i + 1 == n;
            let mut argv = Vec::new();
            if last {
                for a in args {
                    argv.push(self.arg(a, dot)?);
                }
                if let Some((v, _)) = &fin {
                    argv.push(v.clone());
                }
            }
            recv = self.field(&recv, f, &argv, span, &fields[..=i])?;
        }
        Ok(recv)
    }

    fn field(
        &mut self,
        recv: &Value,
        name: &str,
        args: &[Value],
        span: Span,
        path: &[Rc<str>],
    ) -> Result<Value, Error> {
        match &recv.kind {
            Kind::Map(m) => {
                if !args.is_empty() {
                    return Err(exec_err(
                        span,
                        format!("{name} is not a method but has arguments"),
                    ));
                }
                Ok(m.borrow().get(name).cloned().unwrap_or_else(Value::nil))
            }
            Kind::Nil => Err(exec_err(
                span,
                format!(
                    "nil pointer evaluating interface {{}}.{name} (at <.{}>)",
                    path.join(".")
                ),
            )),
            Kind::Host(h) => match h.member(name, args) {
                Ok(Some(v)) => Ok(v),
                Ok(None) => Err(exec_err(
                    span,
                    format!("can't evaluate field {name} in type {}", h.type_name()),
                )),
                Err(e) => Err(exec_err(span, e)),
            },
            _ => Err(exec_err(
                span,
                format!("can't evaluate field {name} in type {}", recv.type_name()),
            )),
        }
    }

    // ----- functions -----

    fn call(
        &mut self,
        name: &str,
        args: &[Arg],
        dot: &Value,
        fin: Option<(Value, Span)>,
        span: Span,
    ) -> Result<Value, Error> {
        // Lazily evaluated, as in Go since 1.18.
        if name == "and" || name == "or" {
            let want = name == "or";
            let total = args.len() + usize::from(fin.is_some());
            if total == 0 {
                return Err(exec_err(
                    span,
                    format!("wrong number of args for {name}: want at least 1 got 0"),
                ));
            }
            let mut last = Value::nil();
            for a in args {
                last = self.arg(a, dot)?;
                if last.truthy() == want {
                    return Ok(last);
                }
            }
            if let Some((v, _)) = fin {
                last = v;
            }
            return Ok(last);
        }
        let mut argv = Vec::with_capacity(args.len() + 1);
        let mut arg_spans = Vec::with_capacity(args.len() + 1);
        for a in args {
            argv.push(self.arg(a, dot)?);
            arg_spans.push(a.span);
        }
        if let Some((v, s)) = fin {
            argv.push(v);
            arg_spans.push(s);
        }
        match name {
            "include" => {
                let (tname, data) = match argv.as_slice() {
                    [n, d] => (n.to_go_string(), d.clone()),
                    _ => {
                        return Err(exec_err(
                            span,
                            format!(
                                "wrong number of args for include: want 2 got {}",
                                argv.len()
                            ),
                        ));
                    }
                };
                let text = self.capture(|ex| ex.call_template(&tname, &data, span))?;
                self.budget.bytes(text.len(), span)?;
                Ok(Value::str(text))
            }
            "tpl" => {
                let (text, data) = match argv.as_slice() {
                    [t, d] => (t.to_go_string(), d.clone()),
                    _ => {
                        return Err(exec_err(
                            span,
                            format!("wrong number of args for tpl: want 2 got {}", argv.len()),
                        ));
                    }
                };
                self.tpl(&text, &data, span)
            }
            "required" => {
                let [msg, v] = argv.as_slice() else {
                    return Err(exec_err(
                        span,
                        format!(
                            "wrong number of args for required: want 2 got {}",
                            argv.len()
                        ),
                    ));
                };
                let missing = v.is_nil() || v.as_str() == Some("");
                if missing {
                    let what = arg_spans.get(1).map(|s| self.source_text(*s));
                    let message = match what {
                        Some(w) if !w.is_empty() => {
                            format!("required value `{w}` is not set: {}", msg.to_go_string())
                        }
                        _ => format!("required value is not set: {}", msg.to_go_string()),
                    };
                    self.notes.push(Note {
                        kind: NoteKind::Required,
                        span: self.report_span(span),
                        message,
                    });
                    return Ok(Value::str(""));
                }
                Ok(v.clone())
            }
            "fail" => {
                let msg = argv.first().map(Value::to_go_string).unwrap_or_default();
                self.notes.push(Note {
                    kind: NoteKind::Fail,
                    span: self.report_span(span),
                    message: msg,
                });
                Ok(Value::str(""))
            }
            // No cluster to ask: Helm's own `helm template` also returns an empty map.
            "lookup" => Ok(Value::empty_map()),
            _ => {
                let mut ctx = FnCtx {
                    budget: self.budget,
                    span,
                };
                let mut v = funcs::call(name, &argv, &mut ctx).map_err(|e| e.at(span, name))?;
                if let Some(s) = v.as_str() {
                    self.budget.bytes(s.len(), span)?;
                }
                if matches!(name, "toYaml" | "toYamlPretty" | "mustToYaml")
                    && let Some(arg) = argv.first()
                    && let Some(o) = &arg.origin
                    && matches!(arg.kind, Kind::Map(_) | Kind::List(_))
                {
                    // Keep the structure, so each printed scalar can name its own key.
                    v.origin = Some(Rc::new(crate::value::Origin {
                        span: o.span,
                        path: o.path.clone(),
                        block: Some(arg.clone()),
                    }));
                } else if v.origin.is_none() {
                    let mut origins = argv.iter().filter_map(|a| a.origin.as_ref());
                    if let (Some(o), None) = (origins.next(), origins.next()) {
                        v.origin = Some(o.clone());
                    }
                }
                Ok(v)
            }
        }
    }

    fn tpl(&mut self, text: &str, data: &Value, span: Span) -> Result<Value, Error> {
        let parsed = parse::parse(text, TPL_FILE).map_err(|e| self.in_tpl(e, span))?;
        self.enter(span)?;
        let outer = self.tpl_call.replace(self.tpl_call.unwrap_or(span));
        let saved = std::mem::replace(&mut self.vars, vec![("$".into(), data.clone())]);
        let main = parsed.main;
        let r = self.capture(|ex| ex.list(&main, data));
        self.vars = saved;
        self.tpl_call = outer;
        self.depth -= 1;
        let out = r.map_err(|e| self.in_tpl(e, span))?;
        self.budget.bytes(out.len(), span)?;
        Ok(Value::str(out))
    }

    fn in_tpl(&self, mut e: Error, span: Span) -> Error {
        if e.span.file == TPL_FILE {
            e.span = self.tpl_call.unwrap_or(span);
            e.message = format!("in text given to tpl: {}", e.message);
        }
        e
    }

    fn report_span(&self, span: Span) -> Span {
        if span.file == TPL_FILE {
            self.tpl_call.unwrap_or(span)
        } else {
            span
        }
    }

    /// The template text of `span` (for naming a missing `required` value).
    fn source_text(&self, span: Span) -> String {
        self.set
            .sources
            .get(&span.file)
            .and_then(|t| t.get(span.range()))
            .unwrap_or("")
            .to_string()
    }
}
