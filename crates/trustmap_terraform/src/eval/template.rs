//! String templates: interpolation, `%{if}` and `%{for}` directives, `~` strip markers.
//!
//! While rendering, every piece of output remembers where it came from in the source
//! ([`Pieces`]), so a template that renders JSON — the classic `policy = <<EOF ... EOF` with
//! `${aws_s3_bucket.b.arn}` inside — becomes a `Json` node whose tree points at the exact
//! source tokens, with unknown interpolations as unknown leaves instead of making the whole
//! policy unknown (see `template_json`). A string with unknown interpolations keeps its text
//! and references as a [`NodeKind::Template`] (see [`crate::template_parts`]).

use hcl_edit::Span as _;
use hcl_edit::template::{Directive, Element, Template};
use trustmap_source::{SourceFile, Span, Via};
use trustmap_syntax::{Node, NodeKind};

use super::Evaluator;
use super::template_json::{PieceMap, Pieces, sentinel};
use crate::config::span_in;
use crate::limits::{MAX_COLLECTION, MAX_STRING};
use crate::scope::Scope;
use crate::value::{EvalError, EvalResult, push_vias, sorted_entries, to_bool, to_text, type_name};

/// Rendering state.
pub(super) struct Out {
    /// `<<-` heredoc: literals are re-read from the source with this many columns of
    /// indentation removed from each line.
    dedent: Option<usize>,
    pub(super) text: String,
    /// False once a directive's condition or collection is unknown (the text is unknowable).
    known: bool,
    /// Interpolations whose value is unknown (rendered as sentinels).
    pub(super) unknowns: usize,
    pub(super) via: Vec<Via>,
    pub(super) pieces: Pieces,
}

/// Whether an element strips the whitespace of the literal before it (`~` after `${`/`%{`).
fn strips_before(el: &Element) -> bool {
    match el {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match &**d {
            Directive::If(d) => d.if_expr.strip.strip_start(),
            Directive::For(d) => d.for_expr.strip.strip_start(),
        },
    }
}

/// Whether an element strips the whitespace of the literal after it (`~` before `}`).
fn strips_after(el: &Element) -> bool {
    match el {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match &**d {
            Directive::If(d) => d.endif_expr.strip.strip_end(),
            Directive::For(d) => d.endfor_expr.strip.strip_end(),
        },
    }
}

impl<'a> Evaluator<'a> {
    /// Evaluates a template. A template that is exactly one interpolation returns the value
    /// unconverted, as Terraform does (`"${var.list}"` is the list).
    pub(crate) fn eval_template(
        &mut self,
        scope: &mut Scope<'a>,
        tmpl: &Template,
        span: Span,
    ) -> EvalResult {
        self.eval_template_dedented(scope, tmpl, span, None)
    }

    /// [`Self::eval_template`] for a `<<-` heredoc whose lines lose `dedent` columns.
    pub(crate) fn eval_template_dedented(
        &mut self,
        scope: &mut Scope<'a>,
        tmpl: &Template,
        span: Span,
        dedent: Option<usize>,
    ) -> EvalResult {
        if let Some(Element::Interpolation(i)) = tmpl.as_single_element() {
            return self.eval(scope, &i.expr);
        }
        let mut out = Out {
            dedent,
            text: String::new(),
            known: true,
            unknowns: 0,
            via: Vec::new(),
            pieces: Pieces::default(),
        };
        self.render(scope, tmpl, false, false, &mut out)?;
        if !out.known {
            let mut n = Node::unknown(span);
            n.via = out.via;
            return Ok(n);
        }
        if let Some(json) = super::template_json::template_json(&out, span) {
            return Ok(json);
        }
        if out.unknowns > 0 {
            let mut n = crate::template_parts::from_rendered(&out.text, &out.pieces.unknowns, span);
            n.via = out.via;
            return Ok(n);
        }
        let mut n = Node::string(out.text, span);
        n.via = out.via;
        Ok(n)
    }

    fn render(
        &mut self,
        scope: &mut Scope<'a>,
        tmpl: &Template,
        strip_first: bool,
        strip_last: bool,
        out: &mut Out,
    ) -> Result<(), EvalError> {
        let elems: Vec<&Element> = tmpl.iter().collect();
        let n = elems.len();
        for (i, el) in elems.iter().enumerate() {
            if !out.known {
                return Ok(());
            }
            match el {
                Element::Literal(lit) => {
                    let trim_start = if i == 0 {
                        strip_first
                    } else {
                        strips_after(elems[i - 1])
                    };
                    let trim_end = if i + 1 == n {
                        strip_last
                    } else {
                        strips_before(elems[i + 1])
                    };
                    let (text, map) =
                        literal_piece(scope.file, lit.value(), lit.span(), out.dedent);
                    let start = if trim_start {
                        text.len() - text.trim_start().len()
                    } else {
                        0
                    };
                    let end = if trim_end {
                        text.trim_end().len().max(start)
                    } else {
                        text.len()
                    };
                    push_piece(out, &text[start..end], map.slice(start, end))?;
                }
                Element::Interpolation(ip) => {
                    let v = self.eval(scope, &ip.expr)?;
                    push_vias(&mut out.via, &v.via);
                    let at = span_in(scope.file, ip.expr.span(), v.span);
                    match to_text(&v) {
                        Ok(Some(s)) => {
                            let from = out.text.len();
                            push_piece(out, &s, PieceMap::Whole(at))?;
                            out.pieces.interpolation(from, out.text.len(), v);
                        }
                        Ok(None) => {
                            let from = out.text.len();
                            push_piece(out, &sentinel(out.unknowns), PieceMap::Whole(at))?;
                            out.unknowns += 1;
                            out.pieces.unknowns.push(v.clone());
                            out.pieces.interpolation(from, out.text.len(), v);
                        }
                        Err(m) => {
                            return Err(EvalError::new(
                                format!("template interpolation: {m}"),
                                v.span,
                            ));
                        }
                    }
                }
                Element::Directive(dir) => match &**dir {
                    Directive::If(d) => {
                        let c = self.eval(scope, &d.if_expr.cond_expr)?;
                        push_vias(&mut out.via, &c.via);
                        let else_strip = d.else_expr.as_ref().map(|e| e.strip);
                        match to_bool(&c) {
                            Ok(Some(true)) => {
                                let last = else_strip
                                    .map_or(d.endif_expr.strip.strip_start(), |s| s.strip_start());
                                let first = d.if_expr.strip.strip_end();
                                self.render(scope, &d.if_expr.template, first, last, out)?;
                            }
                            Ok(Some(false)) => {
                                if let Some(e) = &d.else_expr {
                                    let first = e.strip.strip_end();
                                    let last = d.endif_expr.strip.strip_start();
                                    self.render(scope, &e.template, first, last, out)?;
                                }
                            }
                            Ok(None) => out.known = false,
                            Err(m) => {
                                return Err(EvalError::new(format!("template if: {m}"), c.span));
                            }
                        }
                    }
                    Directive::For(d) => {
                        let coll = self.eval(scope, &d.for_expr.collection_expr)?;
                        let pairs: Vec<(Node, Node)> = match &coll.kind {
                            NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => {
                                out.known = false;
                                return Ok(());
                            }
                            NodeKind::Seq(items) => items
                                .iter()
                                .enumerate()
                                .map(|(i, v)| (Node::number(i as f64, v.span), v.clone()))
                                .collect(),
                            NodeKind::Map(entries) => sorted_entries(entries)
                                .into_iter()
                                .map(|e| (Node::string(e.key.clone(), e.key_span), e.value.clone()))
                                .collect(),
                            _ => {
                                return Err(EvalError::new(
                                    format!("template for: cannot iterate {}", type_name(&coll)),
                                    coll.span,
                                ));
                            }
                        };
                        if pairs.len() > MAX_COLLECTION {
                            return Err(EvalError::new(
                                "template for: too many elements",
                                coll.span,
                            ));
                        }
                        let first = d.for_expr.strip.strip_end();
                        let last = d.endfor_expr.strip.strip_start();
                        for (k, v) in pairs {
                            let mut bound = 1;
                            if let Some(kv) = &d.for_expr.key_var {
                                scope.bind(kv.as_str(), k);
                                bound = 2;
                            }
                            scope.bind(d.for_expr.value_var.as_str(), v);
                            let r = self.render(scope, &d.for_expr.template, first, last, out);
                            scope.unbind(bound);
                            r?;
                            if !out.known {
                                return Ok(());
                            }
                        }
                    }
                },
            }
        }
        Ok(())
    }
}

/// The text of a literal and where each of its bytes sits in the source.
fn literal_piece(
    file: &SourceFile,
    value: &str,
    range: Option<std::ops::Range<usize>>,
    dedent: Option<usize>,
) -> (String, PieceMap) {
    let Some(range) = range else {
        return (value.to_string(), PieceMap::Whole(file.span(0, 0)));
    };
    if let Some(indent) = dedent
        && let Some((text, map)) = dedented_literal(file, range.clone(), indent)
    {
        return (text, PieceMap::Bytes(file.id, map));
    }
    if file.text.get(range.clone()) == Some(value) {
        return (value.to_string(), PieceMap::Verbatim(file.id, range.start));
    }
    (
        value.to_string(),
        PieceMap::Whole(file.span(range.start, range.end)),
    )
}

/// A heredoc literal re-read from the source: at each line start up to `indent` spaces or
/// tabs are dropped, then the template escapes `$${` and `%%{` are undone. Returns the text
/// and, for each of its bytes, the byte offset it came from.
fn dedented_literal(
    file: &SourceFile,
    range: std::ops::Range<usize>,
    indent: usize,
) -> Option<(String, Vec<u32>)> {
    let text = file.text.get(range.clone())?;
    let bytes = file.text.as_bytes();
    let mut at_line_start = range.start == 0 || bytes.get(range.start - 1) == Some(&b'\n');
    let mut stripped = 0;
    let mut out = String::with_capacity(text.len());
    let mut map: Vec<u32> = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if at_line_start && stripped < indent && (c == ' ' || c == '\t') {
            stripped += 1;
            continue;
        }
        at_line_start = c == '\n';
        stripped = 0;
        // `$${` → `${` and `%%{` → `%{`: drop the doubled character.
        if (c == '$' || c == '%') && text[i + 1..].starts_with(&format!("{c}{{")) {
            continue;
        }
        out.push(c);
        let at = u32::try_from(range.start + i).unwrap_or(u32::MAX);
        map.extend((0..c.len_utf8()).map(|k| at.saturating_add(k as u32)));
    }
    Some((out, map))
}

fn push_piece(out: &mut Out, s: &str, map: PieceMap) -> Result<(), EvalError> {
    if out.text.len() + s.len() > MAX_STRING {
        return Err(EvalError::new(
            "template result is too large",
            map.whole_span(),
        ));
    }
    let start = out.text.len();
    out.text.push_str(s);
    out.pieces.push(start, out.text.len(), map);
    Ok(())
}
