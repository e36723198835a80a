//! String templates: interpolation, `%{if}` and `%{for}` directives, `~` strip markers.

use hcl_edit::Span as _;
use hcl_edit::template::{Directive, Element, Template};
use trustmap_source::{SourceFile, Span, Via};
use trustmap_syntax::{Node, NodeKind};

use super::Evaluator;
use crate::config::span_in;
use crate::limits::{MAX_COLLECTION, MAX_STRING};
use crate::scope::Scope;
use crate::value::{EvalError, EvalResult, push_vias, sorted_entries, to_bool, to_text, type_name};

/// Rendering state: the text so far, whether every part was known, hops of interpolated values.
struct Out {
    /// `<<-` heredoc: literals are re-read from the source with this many columns of
    /// indentation removed from each line.
    dedent: Option<usize>,
    text: String,
    known: bool,
    via: Vec<Via>,
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
    pub(crate) fn eval_template(&mut self, scope: &mut Scope<'a>, tmpl: &Template, span: Span) -> EvalResult {
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
            via: Vec::new(),
        };
        self.render(scope, tmpl, false, false, &mut out)?;
        if !out.known {
            let mut n = Node::unknown(span);
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
                    let raw = out
                        .dedent
                        .and_then(|n| lit.span().and_then(|r| dedented_literal(scope.file, r, n)));
                    let mut t: &str = raw.as_deref().unwrap_or(lit.value());
                    let trim_start = if i == 0 { strip_first } else { strips_after(elems[i - 1]) };
                    let trim_end = if i + 1 == n { strip_last } else { strips_before(elems[i + 1]) };
                    if trim_start {
                        t = t.trim_start();
                    }
                    if trim_end {
                        t = t.trim_end();
                    }
                    push_text(out, t, span_in(scope.file, lit.span(), scope.file.span(0, 0)))?;
                }
                Element::Interpolation(ip) => {
                    let v = self.eval(scope, &ip.expr)?;
                    push_vias(&mut out.via, &v.via);
                    match to_text(&v) {
                        Ok(Some(s)) => push_text(out, &s, v.span)?,
                        Ok(None) => out.known = false,
                        Err(m) => return Err(EvalError::new(format!("template interpolation: {m}"), v.span)),
                    }
                }
                Element::Directive(dir) => match &**dir {
                Directive::If(d) => {
                    let c = self.eval(scope, &d.if_expr.cond_expr)?;
                    push_vias(&mut out.via, &c.via);
                    let else_strip = d.else_expr.as_ref().map(|e| e.strip);
                    match to_bool(&c) {
                        Ok(Some(true)) => {
                            let last = else_strip.map_or(d.endif_expr.strip.strip_start(), |s| s.strip_start());
                            self.render(scope, &d.if_expr.template, d.if_expr.strip.strip_end(), last, out)?;
                        }
                        Ok(Some(false)) => {
                            if let Some(e) = &d.else_expr {
                                let first = e.strip.strip_end();
                                let last = d.endif_expr.strip.strip_start();
                                self.render(scope, &e.template, first, last, out)?;
                            }
                        }
                        Ok(None) => out.known = false,
                        Err(m) => return Err(EvalError::new(format!("template if: {m}"), c.span)),
                    }
                }
                Directive::For(d) => {
                    let coll = self.eval(scope, &d.for_expr.collection_expr)?;
                    let pairs: Vec<(Node, Node)> = match &coll.kind {
                        NodeKind::Unknown | NodeKind::Ref { .. } => {
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
                        return Err(EvalError::new("template for: too many elements", coll.span));
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

/// A heredoc literal re-read from the source: at each line start up to `indent` spaces or
/// tabs are dropped, then the template escapes `$${` and `%%{` are undone.
fn dedented_literal(file: &SourceFile, range: std::ops::Range<usize>, indent: usize) -> Option<String> {
    let text = file.text.get(range.clone())?;
    let bytes = file.text.as_bytes();
    let mut at_line_start = range.start == 0 || bytes.get(range.start - 1) == Some(&b'\n');
    let mut stripped = 0;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if at_line_start && stripped < indent && (c == ' ' || c == '\t') {
            stripped += 1;
            continue;
        }
        at_line_start = c == '\n';
        stripped = 0;
        out.push(c);
    }
    Some(out.replace("$${", "${").replace("%%{", "%{"))
}

fn push_text(out: &mut Out, s: &str, span: Span) -> Result<(), EvalError> {
    if out.text.len() + s.len() > MAX_STRING {
        return Err(EvalError::new("template result is too large", span));
    }
    out.text.push_str(s);
    Ok(())
}
