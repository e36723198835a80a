//! Go `text/template` parser: tokens into a tree whose every action keeps its span.

use std::rc::Rc;

use trustmap_source::{FileId, Span};

use crate::error::{Error, ErrorKind};
use crate::funcs;
use crate::lex::{Kw, Tok, Token, lex};

/// How deep control structures and parentheses may nest in one template's text.
const MAX_PARSE_DEPTH: usize = 200;

pub(crate) type List = Vec<Node>;

#[derive(Debug)]
pub(crate) enum Node {
    /// Literal text; `at` is the byte offset of `text` in the template file.
    Text {
        text: Rc<str>,
        at: u32,
        file: FileId,
    },
    Action {
        pipe: Pipe,
        span: Span,
    },
    If(Box<Branch>),
    With(Box<Branch>),
    Range(Box<Branch>),
    Template {
        name: Rc<str>,
        pipe: Option<Pipe>,
        span: Span,
    },
    Break,
    Continue,
}

#[derive(Debug)]
pub(crate) struct Branch {
    pub(crate) pipe: Pipe,
    pub(crate) body: List,
    pub(crate) else_body: Option<List>,
    pub(crate) span: Span,
}

#[derive(Debug)]
pub(crate) struct Pipe {
    /// Variables declared (`:=`) or assigned (`=`) from the pipeline's result.
    pub(crate) decl: Vec<Rc<str>>,
    pub(crate) assign: bool,
    pub(crate) cmds: Vec<Cmd>,
    pub(crate) span: Span,
}

#[derive(Debug)]
pub(crate) struct Cmd {
    pub(crate) args: Vec<Arg>,
    pub(crate) span: Span,
}

#[derive(Debug)]
pub(crate) struct Arg {
    pub(crate) kind: ArgKind,
    pub(crate) span: Span,
}

#[derive(Debug)]
pub(crate) enum ArgKind {
    /// `.a.b.c`
    Field(Vec<Rc<str>>),
    Dot,
    /// `$x.a.b`
    Var(Rc<str>, Vec<Rc<str>>),
    /// A function name.
    Ident(Rc<str>),
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    /// `(pipeline).a.b`
    Pipe(Box<Pipe>, Vec<Rc<str>>),
}

/// One parsed template file: its main body and the templates it defines.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) main: List,
    pub(crate) defines: Vec<(Rc<str>, List)>,
}

pub(crate) fn parse(src: &str, file: FileId) -> Result<Parsed, Error> {
    let tokens = lex(src, file)?;
    let mut p = Parser {
        src,
        file,
        toks: tokens,
        pos: 0,
        depth: 0,
        range_depth: 0,
        defines: Vec::new(),
    };
    let (main, end) = p.list(true)?;
    if let Some(t) = end {
        return Err(p.err_tok(&t, format!("unexpected {{{{{}}}}}", kw_name(&t))));
    }
    Ok(Parsed {
        main,
        defines: p.defines,
    })
}

fn kw_name(t: &Token) -> &'static str {
    match t.tok {
        Tok::Keyword(Kw::End) => "end",
        Tok::Keyword(Kw::Else) => "else",
        _ => "token",
    }
}

struct Parser<'a> {
    src: &'a str,
    file: FileId,
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
    range_depth: usize,
    defines: Vec<(Rc<str>, List)>,
}

impl Parser<'_> {
    fn span(&self, start: u32, end: u32) -> Span {
        Span::new(self.file, start as usize, end as usize)
    }

    fn err_at(&self, span: Span, msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Parse, span, msg)
    }

    fn err_tok(&self, t: &Token, msg: impl Into<String>) -> Error {
        self.err_at(self.span(t.start, t.end), msg)
    }

    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.toks.get(self.pos).cloned();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    fn eof_err(&self) -> Error {
        let end = self.src.len();
        let last = self.src.char_indices().next_back().map_or(0, |(i, _)| i);
        self.err_at(
            Span::new(self.file, last, end),
            "unexpected end of template",
        )
    }

    fn expect_close(&mut self, what: &str) -> Result<Token, Error> {
        match self.next() {
            Some(t) if t.tok == Tok::Close => Ok(t),
            Some(t) => Err(self.err_tok(&t, format!("unexpected token in {what}"))),
            None => Err(self.eof_err()),
        }
    }

    /// Parses nodes until `{{end}}`/`{{else …}}` (returned, with the `{{` consumed and the
    /// keyword consumed) or the end of input (`None`; an error unless `top`).
    fn list(&mut self, top: bool) -> Result<(List, Option<Token>), Error> {
        let mut out = Vec::new();
        loop {
            let Some(t) = self.next() else {
                if top {
                    return Ok((out, None));
                }
                return Err(self.eof_err());
            };
            match t.tok {
                Tok::Text => out.push(Node::Text {
                    text: self.src[t.start as usize..t.end as usize].into(),
                    at: t.start,
                    file: self.file,
                }),
                Tok::Open => {
                    let open = t.start;
                    let Some(kw) = self.peek().cloned() else {
                        return Err(self.eof_err());
                    };
                    match kw.tok {
                        Tok::Keyword(Kw::End) | Tok::Keyword(Kw::Else) => {
                            self.pos += 1;
                            if top {
                                return Err(self
                                    .err_tok(&kw, format!("unexpected {{{{{}}}}}", kw_name(&kw))));
                            }
                            return Ok((out, Some(kw)));
                        }
                        Tok::Keyword(k) => {
                            self.pos += 1;
                            if let Some(n) = self.keyword(k, open, &kw, top)? {
                                out.push(n);
                            }
                        }
                        _ => {
                            let pipe = self.pipeline(true, "command")?;
                            let close = self.expect_close("command")?;
                            out.push(Node::Action {
                                pipe,
                                span: self.span(open, close.end),
                            });
                        }
                    }
                }
                _ => return Err(self.err_tok(&t, "unexpected token")),
            }
        }
    }

    fn keyword(&mut self, k: Kw, open: u32, kw: &Token, top: bool) -> Result<Option<Node>, Error> {
        match k {
            Kw::If | Kw::With | Kw::Range => self.control(k, open).map(Some),
            Kw::Break | Kw::Continue => {
                let close = self.expect_close("break/continue")?;
                if self.range_depth == 0 {
                    return Err(self.err_tok(
                        kw,
                        format!(
                            "{{{{{}}}}} outside {{{{range}}}}",
                            if k == Kw::Break { "break" } else { "continue" }
                        ),
                    ));
                }
                let _ = close;
                Ok(Some(if k == Kw::Break {
                    Node::Break
                } else {
                    Node::Continue
                }))
            }
            Kw::Template => {
                let name = self.template_name(kw)?;
                let pipe = if self.peek().is_some_and(|t| t.tok != Tok::Close) {
                    Some(self.pipeline(false, "template clause")?)
                } else {
                    None
                };
                let close = self.expect_close("template clause")?;
                Ok(Some(Node::Template {
                    name,
                    pipe,
                    span: self.span(open, close.end),
                }))
            }
            Kw::Define | Kw::Block => {
                if !top && k == Kw::Define {
                    return Err(self.err_tok(kw, "{{define}} is only allowed at the top level"));
                }
                let name = self.template_name(kw)?;
                let pipe = if k == Kw::Block {
                    Some(self.pipeline(false, "block clause")?)
                } else {
                    None
                };
                let close = self.expect_close("define clause")?;
                self.enter(kw)?;
                let saved_range = std::mem::take(&mut self.range_depth);
                let (body, end) = self.list(false)?;
                self.range_depth = saved_range;
                self.depth -= 1;
                match end {
                    Some(t) if t.tok == Tok::Keyword(Kw::End) => {
                        self.expect_close("end")?;
                    }
                    Some(t) => return Err(self.err_tok(&t, "unexpected {{else}} in define")),
                    None => return Err(self.eof_err()),
                }
                self.defines.push((name.clone(), body));
                Ok(pipe.map(|pipe| Node::Template {
                    name,
                    pipe: Some(pipe),
                    span: self.span(open, close.end),
                }))
            }
            Kw::Else | Kw::End => unreachable!("handled by list"),
        }
    }

    fn enter(&mut self, at: &Token) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return Err(Error::new(
                ErrorKind::Limit,
                self.span(at.start, at.end),
                format!("template nests deeper than {MAX_PARSE_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn template_name(&mut self, kw: &Token) -> Result<Rc<str>, Error> {
        match self.next() {
            Some(Token {
                tok: Tok::Str(s), ..
            }) => Ok(s),
            Some(t) => Err(self.err_tok(&t, "template name must be a quoted string")),
            None => Err(self.err_tok(kw, "missing template name")),
        }
    }

    /// `if`/`with`/`range` after the keyword: pipeline, body, optional else (chains), end.
    fn control(&mut self, k: Kw, open: u32) -> Result<Node, Error> {
        let kw_tok = self.toks[self.pos - 1].clone();
        self.enter(&kw_tok)?;
        let pipe = self.pipeline(true, "control")?;
        let close = self.expect_close("control")?;
        if k == Kw::Range {
            self.range_depth += 1;
        }
        let (body, end) = self.list(false)?;
        if k == Kw::Range {
            self.range_depth -= 1;
        }
        let mut else_body = None;
        match end {
            Some(t) if t.tok == Tok::Keyword(Kw::End) => {
                self.expect_close("end")?;
            }
            Some(t) if t.tok == Tok::Keyword(Kw::Else) => {
                let chained = match self.peek().map(|t| &t.tok) {
                    Some(Tok::Keyword(Kw::If)) if k == Kw::If => Some(Kw::If),
                    Some(Tok::Keyword(Kw::With)) if k == Kw::With => Some(Kw::With),
                    _ => None,
                };
                if let Some(inner) = chained {
                    // `{{else if …}}`: a nested if that shares our `{{end}}`.
                    let at = t.start;
                    self.pos += 1;
                    let nested = self.control(inner, at)?;
                    else_body = Some(vec![nested]);
                } else {
                    self.expect_close("else")?;
                    let (eb, end2) = self.list(false)?;
                    match end2 {
                        Some(t2) if t2.tok == Tok::Keyword(Kw::End) => {
                            self.expect_close("end")?;
                        }
                        Some(t2) => return Err(self.err_tok(&t2, "expected {{end}}")),
                        None => return Err(self.eof_err()),
                    }
                    else_body = Some(eb);
                }
            }
            Some(t) => return Err(self.err_tok(&t, "unexpected token")),
            None => return Err(self.eof_err()),
        }
        self.depth -= 1;
        let branch = Box::new(Branch {
            pipe,
            body,
            else_body,
            span: self.span(open, close.end),
        });
        Ok(match k {
            Kw::If => Node::If(branch),
            Kw::With => Node::With(branch),
            _ => Node::Range(branch),
        })
    }

    /// A pipeline up to (not including) `}}` or `)`. `decl_ok`: `$x :=` may start it.
    fn pipeline(&mut self, decl_ok: bool, ctx: &str) -> Result<Pipe, Error> {
        let start = self.peek().map_or(self.src.len() as u32, |t| t.start);
        let mut decl = Vec::new();
        let mut assign = false;
        if decl_ok {
            // `$x :=`, `$x =`, `$i, $v :=`
            let save = self.pos;
            let mut names = Vec::new();
            while let Some(Tok::Var(v)) = self.peek().map(|t| t.tok.clone()) {
                self.pos += 1;
                names.push(v);
                match self.peek().map(|t| t.tok.clone()) {
                    Some(Tok::Comma) if names.len() == 1 => {
                        self.pos += 1;
                    }
                    Some(Tok::Declare) => {
                        self.pos += 1;
                        decl = std::mem::take(&mut names);
                        break;
                    }
                    Some(Tok::Assign) => {
                        self.pos += 1;
                        decl = std::mem::take(&mut names);
                        assign = true;
                        break;
                    }
                    _ => break,
                }
            }
            if decl.is_empty() {
                self.pos = save;
            }
        }
        let mut cmds = Vec::new();
        loop {
            let cmd = self.command(ctx)?;
            cmds.push(cmd);
            match self.peek().map(|t| &t.tok) {
                Some(Tok::Pipe) => {
                    self.pos += 1;
                }
                _ => break,
            }
        }
        let end = self
            .toks
            .get(self.pos.saturating_sub(1))
            .map_or(start, |t| t.end);
        Ok(Pipe {
            decl,
            assign,
            cmds,
            span: self.span(start, end),
        })
    }

    fn command(&mut self, ctx: &str) -> Result<Cmd, Error> {
        let mut args = Vec::new();
        loop {
            match self.peek().map(|t| &t.tok) {
                None => return Err(self.eof_err()),
                Some(Tok::Close | Tok::RParen | Tok::Pipe) => break,
                _ => args.push(self.operand()?),
            }
        }
        let Some(first) = args.first() else {
            let t = self.peek().cloned();
            return Err(match t {
                Some(t) => self.err_tok(&t, format!("missing value for {ctx}")),
                None => self.eof_err(),
            });
        };
        let span = first.span.to(args.last().map_or(first.span, |a| a.span));
        Ok(Cmd { args, span })
    }

    /// A term and the field chain glued to it.
    fn operand(&mut self) -> Result<Arg, Error> {
        let Some(t) = self.next() else {
            return Err(self.eof_err());
        };
        let mut end = t.end;
        let kind = match t.tok {
            Tok::Ident(ref name) => {
                if !funcs::is_known(name) {
                    return Err(self.err_tok(&t, format!("function \"{name}\" not defined")));
                }
                ArgKind::Ident(name.clone())
            }
            Tok::Dot => ArgKind::Dot,
            Tok::Nil => ArgKind::Nil,
            Tok::Bool(b) => ArgKind::Bool(b),
            Tok::Int(i) => ArgKind::Int(i),
            Tok::Float(f) => ArgKind::Float(f),
            Tok::Str(ref s) => ArgKind::Str(s.clone()),
            Tok::Field(ref f) => {
                let mut fields = vec![f.clone()];
                end = self.chain(&mut fields, end);
                ArgKind::Field(fields)
            }
            Tok::Var(ref v) => {
                let mut fields = Vec::new();
                end = self.chain(&mut fields, end);
                ArgKind::Var(v.clone(), fields)
            }
            Tok::LParen => {
                self.enter(&t)?;
                let pipe = self.pipeline(true, "parenthesized pipeline")?;
                self.depth -= 1;
                match self.next() {
                    Some(r) if r.tok == Tok::RParen => end = r.end,
                    Some(r) => return Err(self.err_tok(&r, "expected )")),
                    None => return Err(self.eof_err()),
                }
                let mut fields = Vec::new();
                end = self.chain(&mut fields, end);
                ArgKind::Pipe(Box::new(pipe), fields)
            }
            _ => return Err(self.err_tok(&t, "unexpected token in operand")),
        };
        Ok(Arg {
            kind,
            span: self.span(t.start, end),
        })
    }

    /// Appends `.x.y` fields written right after a term (no space).
    fn chain(&mut self, fields: &mut Vec<Rc<str>>, mut end: u32) -> u32 {
        while let Some(Token {
            tok: Tok::Field(f),
            space_before: false,
            end: e,
            ..
        }) = self.peek().cloned()
        {
            self.pos += 1;
            fields.push(f);
            end = e;
        }
        end
    }
}
