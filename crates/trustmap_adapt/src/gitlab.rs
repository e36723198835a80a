//! GitLab CI YAML → pipeline model.
//!
//! A pipeline is a `.gitlab-ci.yml` plus the files it includes locally; the engine finds
//! those ([`local_includes`]) and hands every parsed document here. Included files merge
//! under the root file, `extends:` and `!reference` are applied on the spanned tree, and
//! each job keeps the spans of the file that wrote each of its values.

mod merge;

use trustmap_model::gitlab::{
    Defaults, Environment, IdToken, Image, Include, IncludeKind, Job, Pipeline, RefFilter,
    RuleClause, Scalar, ScriptLine, Variable,
};
use trustmap_model::{Language, ResourceMeta};
use trustmap_source::{Diagnostic, FileId, SourceFile, Span};
use trustmap_syntax::{Entry, Node, NodeKind};

use crate::docker::shell;
use crate::gha::offsets::OffsetMap;

/// Top-level keys that are not jobs.
const RESERVED: &[&str] = &[
    "image",
    "services",
    "stages",
    "types",
    "before_script",
    "after_script",
    "variables",
    "cache",
    "include",
    "default",
    "workflow",
    "spec",
];

/// One parsed file of a pipeline.
#[derive(Clone, Copy)]
pub struct PipelineFile<'a> {
    pub file: &'a SourceFile,
    pub doc: &'a Node,
}

/// The configuration document of a parsed GitLab CI file: the last document (a component's
/// `spec:` header comes first, separated by `---`).
pub fn config_document(docs: &[Node]) -> Option<&Node> {
    docs.iter().rev().find(|d| {
        d.as_map()
            .is_some_and(|m| m.iter().any(|e| e.key != "spec"))
    })
}

/// Paths of the local files a document includes, as written (leading `/` removed).
pub fn local_includes(doc: &Node) -> Vec<String> {
    include_nodes(doc)
        .into_iter()
        .filter_map(|n| match &n.kind {
            NodeKind::String(s) if !is_url(s) => Some(s.clone()),
            NodeKind::Map(_) => n.get("local").and_then(Node::as_str).map(str::to_string),
            _ => None,
        })
        .map(|p| p.trim().trim_start_matches('/').to_string())
        .filter(|p| !p.is_empty() && !p.contains('*') && !p.contains('$'))
        .collect()
}

/// Adapts a pipeline: `files[0]` is the `.gitlab-ci.yml`, the rest its local includes in
/// include order. `resolved(path)` tells which included path was found in the scan.
pub fn from_files(
    files: &[PipelineFile<'_>],
    resolved: &dyn Fn(&str) -> Option<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Pipeline> {
    let root = files.first()?;
    if root.doc.as_map().is_none() {
        diags.push(
            Diagnostic::new(
                "unsupported",
                "not a GitLab CI configuration (no top-level mapping): not checked",
            )
            .at(root.file, root.doc.span),
        );
        return None;
    }
    // Included files first, the root file last: its keys win.
    let mut config = Node::new(NodeKind::Map(Vec::new()), root.doc.span);
    for f in files.iter().skip(1).chain(std::iter::once(root)) {
        if f.doc.as_map().is_some() {
            config = merge::merge(&config, &without_include(f.doc));
        }
    }
    config.span = root.doc.span;
    let cx = Cx { files };
    let includes = files
        .iter()
        .flat_map(|f| include_nodes(f.doc))
        .filter_map(|n| cx.include(n, resolved))
        .collect();
    let top = |k: &str| config.get(k).map(|n| merge::resolve_references(&config, n));
    let default_node = top("default");
    let d = default_node.as_ref();
    let default = Defaults {
        image: d
            .and_then(|d| d.get("image"))
            .or(top("image").as_ref())
            .and_then(|n| cx.image(n)),
        services: d
            .and_then(|d| d.get("services"))
            .or(top("services").as_ref())
            .map(|n| cx.images(n))
            .unwrap_or_default(),
        before_script: d
            .and_then(|d| d.get("before_script"))
            .or(top("before_script").as_ref())
            .map(|n| cx.script(n))
            .unwrap_or_default(),
        after_script: d
            .and_then(|d| d.get("after_script"))
            .or(top("after_script").as_ref())
            .map(|n| cx.script(n))
            .unwrap_or_default(),
        tags: d
            .and_then(|d| d.get("tags"))
            .map(|n| cx.scalars(n))
            .unwrap_or_default(),
    };
    let mut extends = merge::Extends::new(&config);
    let jobs = config
        .as_map()
        .unwrap_or_default()
        .iter()
        .filter(|e| !RESERVED.contains(&e.key.as_str()) && e.value.as_map().is_some())
        .filter_map(|e| {
            let node = extends.resolve(&e.key)?;
            let node = merge::resolve_references(&config, &node);
            Some(cx.job(e, &node))
        })
        .collect();
    Some(Pipeline {
        meta: ResourceMeta {
            address: root.file.path.clone(),
            language: Language::GitlabCi,
            span: root.doc.span,
            via: root.doc.via.clone(),
        },
        includes,
        default,
        variables: top("variables")
            .map(|n| cx.variables(&n))
            .unwrap_or_default(),
        stages: top("stages").map(|n| cx.scalars(&n)).unwrap_or_default(),
        workflow_rules: top("workflow")
            .and_then(|w| w.get("rules").map(|r| cx.rules(r)))
            .unwrap_or_default(),
        jobs,
    })
}

fn is_url(s: &str) -> bool {
    let s = s.trim();
    s.starts_with("https://") || s.starts_with("http://")
}

/// The entries of `include:` (one string, a map, or a list of either).
fn include_nodes(doc: &Node) -> Vec<&Node> {
    doc.get("include")
        .map(Node::one_or_many)
        .unwrap_or_default()
}

fn without_include(doc: &Node) -> Node {
    match &doc.kind {
        NodeKind::Map(entries) => Node {
            kind: NodeKind::Map(
                entries
                    .iter()
                    .filter(|e| e.key != "include")
                    .cloned()
                    .collect(),
            ),
            span: doc.span,
            via: doc.via.clone(),
        },
        _ => doc.clone(),
    }
}

struct Cx<'a> {
    files: &'a [PipelineFile<'a>],
}

impl Cx<'_> {
    fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.iter().map(|f| f.file).find(|f| f.id == id)
    }

    fn scalar(&self, node: &Node) -> Option<Scalar> {
        Some(Scalar {
            value: node.scalar_text()?,
            span: node.span,
        })
    }

    fn scalars(&self, node: &Node) -> Vec<Scalar> {
        node.one_or_many()
            .into_iter()
            .filter_map(|n| self.scalar(n))
            .collect()
    }

    fn include(&self, n: &Node, resolved: &dyn Fn(&str) -> Option<String>) -> Option<Include> {
        let mut inc = Include {
            kind: IncludeKind::Local,
            target: self.scalar(n).unwrap_or(Scalar {
                value: String::new(),
                span: n.span,
            }),
            git_ref: None,
            files: Vec::new(),
            integrity: None,
            span: n.span,
            resolved: None,
        };
        match &n.kind {
            NodeKind::String(s) => {
                inc.kind = if is_url(s) {
                    IncludeKind::Remote
                } else {
                    IncludeKind::Local
                };
            }
            NodeKind::Map(_) => {
                let (kind, key) = [
                    (IncludeKind::Local, "local"),
                    (IncludeKind::Remote, "remote"),
                    (IncludeKind::Project, "project"),
                    (IncludeKind::Template, "template"),
                    (IncludeKind::Component, "component"),
                ]
                .into_iter()
                .find(|(_, k)| n.get(k).is_some())?;
                inc.kind = kind;
                inc.target = self.scalar(n.get(key)?)?;
                inc.git_ref = n.get("ref").and_then(|r| self.scalar(r));
                inc.files = n.get("file").map(|f| self.scalars(f)).unwrap_or_default();
                inc.integrity = n.get("integrity").and_then(|r| self.scalar(r));
                if kind == IncludeKind::Component
                    && let Some((_, version)) = inc.target.value.rsplit_once('@')
                {
                    inc.git_ref = Some(Scalar {
                        value: version.to_string(),
                        span: inc.target.span,
                    });
                }
            }
            _ => return None,
        }
        if inc.kind == IncludeKind::Local {
            let path = inc.target.value.trim().trim_start_matches('/');
            inc.resolved = resolved(path);
        }
        Some(inc)
    }

    fn image(&self, n: &Node) -> Option<Image> {
        let (name, map) = match &n.kind {
            NodeKind::Map(_) => (n.get("name")?, Some(n)),
            _ => (n, None),
        };
        Some(Image {
            name: self.scalar(name)?,
            alias: map
                .and_then(|m| m.get("alias"))
                .and_then(|a| self.scalar(a)),
            command: map
                .and_then(|m| m.get("command"))
                .map(|c| self.scalars(c))
                .unwrap_or_default(),
            variables: map
                .and_then(|m| m.get("variables"))
                .map(|v| self.variables(v))
                .unwrap_or_default(),
        })
    }

    fn images(&self, n: &Node) -> Vec<Image> {
        n.one_or_many()
            .into_iter()
            .filter_map(|i| self.image(i))
            .collect()
    }

    fn variables(&self, n: &Node) -> Vec<Variable> {
        n.as_map()
            .unwrap_or_default()
            .iter()
            .map(|e| {
                let (value, expand) = match &e.value.kind {
                    NodeKind::Map(_) => (
                        e.value.get("value").and_then(|v| self.scalar(v)),
                        e.value.get("expand").and_then(Node::as_bool) != Some(false),
                    ),
                    _ => (self.scalar(&e.value), true),
                };
                Variable {
                    name: e.key.clone(),
                    name_span: e.key_span,
                    value,
                    expand,
                }
            })
            .collect()
    }

    /// Script lines: a string, or a list of strings and nested lists (from `!reference`).
    fn script(&self, n: &Node) -> Vec<ScriptLine> {
        let mut out = Vec::new();
        self.script_into(n, &mut out, 0);
        out
    }

    fn script_into(&self, n: &Node, out: &mut Vec<ScriptLine>, depth: usize) {
        match &n.kind {
            NodeKind::Seq(items) if depth < 8 => {
                for i in items {
                    self.script_into(i, out, depth + 1);
                }
            }
            _ => {
                if let Some(text) = self.scalar(n) {
                    out.push(self.script_line(text));
                }
            }
        }
    }

    fn script_line(&self, text: Scalar) -> ScriptLine {
        let whole = text.span;
        let file = self.file(whole.file);
        let map = file.and_then(|f| OffsetMap::new(&text.value, f, whole));
        let script = shell::script(&text.value, whole, shell::Options::SHELL, &|s, e| {
            map.as_ref()
                .zip(file)
                .and_then(|(m, f)| m.span(f, s, e))
                .unwrap_or(whole)
        });
        ScriptLine { text, script }
    }

    fn rules(&self, n: &Node) -> Vec<RuleClause> {
        n.as_seq()
            .unwrap_or_default()
            .iter()
            .filter(|r| r.as_map().is_some())
            .map(|r| RuleClause {
                span: r.span,
                condition: r.get("if").and_then(|c| self.scalar(c)),
                when: r.get("when").and_then(|c| self.scalar(c)),
            })
            .collect()
    }

    fn ref_filter(&self, n: &Node) -> RefFilter {
        match &n.kind {
            NodeKind::Map(_) => RefFilter {
                span: n.span,
                refs: n.get("refs").map(|r| self.scalars(r)).unwrap_or_default(),
                variables: n
                    .get("variables")
                    .map(|r| self.scalars(r))
                    .unwrap_or_default(),
            },
            _ => RefFilter {
                span: n.span,
                refs: self.scalars(n),
                variables: Vec::new(),
            },
        }
    }

    fn job(&self, entry: &Entry, node: &Node) -> Job {
        let path = self
            .file(entry.key_span.file)
            .map_or_else(String::new, |f| f.path.clone());
        let environment = node.get("environment").and_then(|e| match &e.kind {
            NodeKind::Map(_) => Some(Environment {
                name: self.scalar(e.get("name")?)?,
                action: e.get("action").and_then(|a| self.scalar(a)),
                url: e.get("url").and_then(|a| self.scalar(a)),
            }),
            _ => Some(Environment {
                name: self.scalar(e)?,
                action: None,
                url: None,
            }),
        });
        let id_tokens = node
            .get("id_tokens")
            .and_then(Node::as_map)
            .unwrap_or_default()
            .iter()
            .map(|e| IdToken {
                name: e.key.clone(),
                name_span: e.key_span,
                aud: e
                    .value
                    .get("aud")
                    .map(|a| self.scalars(a))
                    .unwrap_or_default(),
            })
            .collect();
        let secrets = node
            .get("secrets")
            .and_then(Node::as_map)
            .unwrap_or_default()
            .iter()
            .map(|e| Scalar {
                value: e.key.clone(),
                span: e.key_span,
            })
            .collect();
        let inherit_default = node
            .get("inherit")
            .and_then(|i| i.get("default"))
            .and_then(|d| match &d.kind {
                NodeKind::Bool(false) => Some(Vec::new()),
                NodeKind::Seq(items) => Some(
                    items
                        .iter()
                        .filter_map(|i| i.as_str().map(str::to_string))
                        .collect(),
                ),
                _ => None,
            });
        let key_span: Span = entry.key_span;
        let span = if node.span.file == key_span.file {
            key_span.to(node.span)
        } else {
            key_span
        };
        Job {
            name: entry.key.clone(),
            name_span: key_span,
            meta: ResourceMeta {
                address: format!("{path}#{}", entry.key),
                language: Language::GitlabCi,
                span,
                via: node.via.clone(),
            },
            hidden: entry.key.starts_with('.'),
            stage: node.get("stage").and_then(|s| self.scalar(s)),
            image: node.get("image").and_then(|i| self.image(i)),
            services: node
                .get("services")
                .map(|s| self.images(s))
                .unwrap_or_default(),
            before_script: node
                .get("before_script")
                .map(|s| self.script(s))
                .unwrap_or_default(),
            script: node
                .get("script")
                .map(|s| self.script(s))
                .unwrap_or_default(),
            after_script: node
                .get("after_script")
                .map(|s| self.script(s))
                .unwrap_or_default(),
            variables: node
                .get("variables")
                .map(|v| self.variables(v))
                .unwrap_or_default(),
            rules: node.get("rules").map(|r| self.rules(r)).unwrap_or_default(),
            only: node.get("only").map(|o| self.ref_filter(o)),
            except: node.get("except").map(|o| self.ref_filter(o)),
            environment,
            id_tokens,
            secrets,
            tags: node
                .get("tags")
                .map(|t| self.scalars(t))
                .unwrap_or_default(),
            inherit_default,
            trigger: node.get("trigger").and_then(|t| match &t.kind {
                NodeKind::Map(_) => t
                    .get("project")
                    .or_else(|| t.get("include"))
                    .and_then(|p| self.scalar(p)),
                _ => self.scalar(t),
            }),
        }
    }
}

#[cfg(test)]
mod tests;
