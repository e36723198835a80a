//! GitHub Actions workflow YAML → workflow model.
//!
//! Reads the spanned YAML tree: triggers in their three forms, workflow- and job-level
//! `permissions` (jobs inherit the workflow's), jobs, steps, `uses:` references and every
//! `${{ }}` expression with its location in the file.

mod expr;
mod file_writes;
pub(crate) mod offsets;
mod uses;

use trustmap_model::gha::{
    Action, ActionInput, CloudRole, ContextRef, Expression, Filter, Job, KeyValue, Level,
    Permissions, Scalar, ScopePermission, Step, Trigger, Workflow,
};
use trustmap_model::{Language, ResourceMeta, Value};
use trustmap_source::{Diagnostic, SourceFile, Span};
use trustmap_syntax::{Node, NodeKind};

use crate::docker::shell;
use offsets::OffsetMap;

/// Adapts one workflow document; `None` (with a diagnostic) when it is not a workflow.
pub fn from_document(
    file: &SourceFile,
    doc: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<Workflow> {
    let Some(jobs) = doc.get("jobs").and_then(Node::as_map) else {
        diags.push(
            Diagnostic::new(
                "unsupported",
                "not a GitHub Actions workflow (no `jobs` mapping): not checked",
            )
            .at(file, doc.span),
        );
        return None;
    };
    let cx = Cx { file };
    let meta = ResourceMeta {
        address: file.path.clone(),
        language: Language::GithubActions,
        span: doc.span,
        via: doc.via.clone(),
    };
    let on = doc.entry("on");
    let anchor = on
        .map(|e| e.key_span)
        .or_else(|| doc.as_map().and_then(|m| m.first()).map(|e| e.key_span))
        .unwrap_or(doc.span);
    let permissions = cx.permissions(doc.get("permissions"), doc.span);
    let jobs = jobs
        .iter()
        .map(|e| cx.job(&e.key, e.key_span, &e.value, &permissions))
        .collect();
    Some(Workflow {
        meta,
        name: doc.get("name").and_then(|n| cx.scalar(n)),
        anchor,
        triggers: on.map(|e| triggers(&cx, &e.value)).unwrap_or_default(),
        permissions,
        env: cx.key_values(doc.get("env")),
        jobs,
        callers: Vec::new(),
    })
}

/// Adapts an action metadata file (`action.yml`); `None` when the document has no `runs:`
/// mapping (then it is not an action, and the caller may read it as something else).
pub fn action_from_document(file: &SourceFile, doc: &Node) -> Option<Action> {
    let runs = doc.get("runs").filter(|r| r.as_map().is_some())?;
    let cx = Cx { file };
    let steps: Vec<Step> = runs
        .get("steps")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, s)| cx.step(i, s))
        .collect();
    let inputs = doc
        .get("inputs")
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .map(|e| ActionInput {
            name: e.key.clone(),
            name_span: e.key_span,
            default: e.value.get("default").and_then(|d| cx.scalar(d)),
        })
        .collect();
    Some(Action {
        meta: ResourceMeta {
            address: file.path.clone(),
            language: Language::GithubActions,
            span: doc.span,
            via: doc.via.clone(),
        },
        name: doc.get("name").and_then(|n| cx.scalar(n)),
        inputs,
        using: runs.get("using").and_then(|n| cx.scalar(n)),
        cloud_roles: steps.iter().filter_map(CloudRole::from_step).collect(),
        steps,
        image: runs.get("image").and_then(|n| cx.scalar(n)),
    })
}

fn triggers(cx: &Cx<'_>, on: &Node) -> Vec<Trigger> {
    let bare = |n: &Node| {
        n.as_str().map(|s| Trigger {
            event: s.to_string(),
            span: n.span,
            filters: Vec::new(),
        })
    };
    match &on.kind {
        NodeKind::String(_) => bare(on).into_iter().collect(),
        NodeKind::Seq(items) => items.iter().filter_map(bare).collect(),
        NodeKind::Map(entries) => entries
            .iter()
            .map(|e| Trigger {
                event: e.key.clone(),
                span: e.key_span,
                filters: filters(cx, &e.value),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `branches: [main]`, `types: opened`, and `schedule: [{cron: …}]`.
fn filters(cx: &Cx<'_>, node: &Node) -> Vec<Filter> {
    let maps: Vec<&Node> = match &node.kind {
        NodeKind::Map(_) => vec![node],
        NodeKind::Seq(items) => items.iter().filter(|i| i.as_map().is_some()).collect(),
        _ => Vec::new(),
    };
    maps.into_iter()
        .flat_map(|m| m.as_map().unwrap_or_default())
        .map(|e| Filter {
            key: e.key.clone(),
            key_span: e.key_span,
            values: cx.scalars(&e.value),
        })
        .collect()
}

struct Cx<'f> {
    file: &'f SourceFile,
}

impl Cx<'_> {
    /// `permissions:`; `absent_at` locates the repository default when it is missing.
    fn permissions(&self, node: Option<&Node>, absent_at: Span) -> Value<Permissions> {
        let Some(node) = node else {
            return Value::default_at(Permissions::WriteAll, absent_at);
        };
        let value = match &node.kind {
            NodeKind::String(s) => match s.as_str() {
                "read-all" => Some(Permissions::ReadAll),
                "write-all" => Some(Permissions::WriteAll),
                _ => None,
            },
            NodeKind::Map(entries) => entries
                .iter()
                .map(|e| {
                    let level = match e.value.as_str()? {
                        "read" => Level::Read,
                        "write" => Level::Write,
                        "none" => Level::None,
                        _ => return None,
                    };
                    Some(ScopePermission {
                        scope: e.key.clone(),
                        scope_span: e.key_span,
                        level,
                        span: e.value.span,
                    })
                })
                .collect::<Option<Vec<_>>>()
                .map(Permissions::Scopes),
            _ => None,
        };
        match value {
            Some(p) => Value::explicit(p, node.span).with_via(node.via.clone()),
            None => Value::unknown(node.span),
        }
    }

    fn job(&self, id: &str, id_span: Span, node: &Node, workflow: &Value<Permissions>) -> Job {
        let own = node.get("permissions");
        let permissions = match own {
            Some(_) => self.permissions(own, node.span),
            None => workflow.clone(),
        };
        let runs_on_node = node.get("runs-on");
        let runs_on = runs_on_node.map_or_else(Vec::new, |n| match &n.kind {
            NodeKind::Map(_) => {
                let mut labels = n.get("group").map(|g| self.scalars(g)).unwrap_or_default();
                labels.extend(n.get("labels").map(|l| self.scalars(l)).unwrap_or_default());
                labels
            }
            _ => self.scalars(n),
        });
        let environment = node.get("environment").and_then(|e| match &e.kind {
            NodeKind::Map(_) => e.get("name").and_then(|n| self.scalar(n)),
            _ => self.scalar(e),
        });
        let steps = node
            .get("steps")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, s)| self.step(i, s))
            .collect::<Vec<_>>();
        let needs = node
            .get("needs")
            .map(|n| self.scalars(n))
            .unwrap_or_default();
        Job {
            id: id.to_string(),
            id_span,
            meta: ResourceMeta {
                address: format!("{}#{id}", self.file.path),
                language: Language::GithubActions,
                span: id_span.to(node.span),
                via: node.via.clone(),
            },
            name: node.get("name").and_then(|n| self.scalar(n)),
            permissions,
            permissions_inherited: own.is_none(),
            runs_on,
            runs_on_span: runs_on_node.map(|n| n.span),
            environment,
            condition: node.get("if").and_then(|n| self.scalar(n)),
            uses: self.uses(node.get("uses")),
            with: self.key_values(node.get("with")),
            secrets_inherit: node
                .get("secrets")
                .filter(|s| s.as_str() == Some("inherit"))
                .map(|s| s.span),
            env: self.key_values(node.get("env")),
            cloud_roles: steps.iter().filter_map(CloudRole::from_step).collect(),
            steps,
            needs,
            outputs: self.key_values(node.get("outputs")),
            continue_on_error: node.get("continue-on-error").and_then(|n| self.scalar(n)),
        }
    }

    fn step(&self, index: usize, node: &Node) -> Step {
        let run = node.get("run").and_then(|n| self.scalar(n));
        let script = run.as_ref().map(|r| {
            let map = OffsetMap::new(&r.value, self.file, r.span);
            let file = self.file;
            let whole = r.span;
            shell::script(&r.value, r.span, shell::Options::SHELL, &|s, e| {
                map.as_ref()
                    .and_then(|m| m.span(file, s, e))
                    .unwrap_or(whole)
            })
        });
        Step {
            index,
            span: node.span,
            id: node.get("id").and_then(|n| self.scalar(n)),
            name: node.get("name").and_then(|n| self.scalar(n)),
            condition: node.get("if").and_then(|n| self.scalar(n)),
            uses: self.uses(node.get("uses")),
            shell: node.get("shell").and_then(|n| self.scalar(n)),
            with: self.key_values(node.get("with")),
            env: self.key_values(node.get("env")),
            continue_on_error: node.get("continue-on-error").and_then(|n| self.scalar(n)),
            file_writes: match (&run, &script) {
                (Some(r), Some(s)) => file_writes::find(r, s),
                _ => Vec::new(),
            },
            run,
            script,
        }
    }

    fn uses(&self, node: Option<&Node>) -> Option<trustmap_model::gha::UsesRef> {
        let n = node?;
        Some(uses::parse(n.as_str()?, n.span))
    }

    /// Entries of a mapping whose values are scalars (`env:`, `with:`).
    fn key_values(&self, node: Option<&Node>) -> Vec<KeyValue> {
        node.and_then(Node::as_map)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| {
                Some(KeyValue {
                    key: e.key.clone(),
                    key_span: e.key_span,
                    value: self.scalar(&e.value)?,
                })
            })
            .collect()
    }

    /// One scalar, or each scalar of a sequence.
    fn scalars(&self, node: &Node) -> Vec<Scalar> {
        match &node.kind {
            NodeKind::Seq(items) => items.iter().filter_map(|i| self.scalar(i)).collect(),
            _ => self.scalar(node).into_iter().collect(),
        }
    }

    /// A scalar with its expressions located in the file.
    fn scalar(&self, node: &Node) -> Option<Scalar> {
        let value = node.scalar_text()?;
        let span = node.span;
        let found = expr::find(&value);
        let mut expressions = Vec::with_capacity(found.len());
        if !found.is_empty() {
            let map = OffsetMap::new(&value, self.file, span);
            let src = self.file.slice(span);
            let mut cursor = 0;
            for f in found {
                let text = &value[f.whole.clone()];
                // Exact through the offset map; else the text verbatim in the source (a
                // folded or escaped scalar keeps one-line expressions intact); else the scalar.
                let mapped = map
                    .as_ref()
                    .and_then(|m| m.span(self.file, f.whole.start, f.whole.end));
                let linear = match mapped {
                    Some(_) => None,
                    None => src.get(cursor..).and_then(|rest| rest.find(text)).map(|i| {
                        let at = span.start as usize + cursor + i;
                        cursor += i + text.len();
                        at
                    }),
                };
                let (espan, exact) = match (mapped, linear) {
                    (Some(s), _) => (s, true),
                    (None, Some(at)) => (self.file.span(at, at + text.len()), true),
                    (None, None) => (span, false),
                };
                let contexts = expr::contexts(&value[f.inner.clone()])
                    .into_iter()
                    .map(|ctx| {
                        let r = &ctx.range;
                        let (vs, ve) = (f.inner.start + r.start, f.inner.start + r.end);
                        let at = match (mapped, linear) {
                            (Some(_), _) => map.as_ref().and_then(|m| m.span(self.file, vs, ve)),
                            (None, Some(at)) => Some(
                                self.file
                                    .span(at + (vs - f.whole.start), at + (ve - f.whole.start)),
                            ),
                            (None, None) => None,
                        };
                        ContextRef {
                            path: ctx.path,
                            span: at.unwrap_or(espan),
                            flows_to_result: ctx.flows_to_result,
                        }
                    })
                    .collect();
                expressions.push(Expression {
                    inner: value[f.inner.clone()].trim().to_string(),
                    span: espan,
                    exact,
                    contexts,
                });
            }
        }
        Some(Scalar {
            value,
            span,
            expressions,
        })
    }
}

#[cfg(test)]
mod tests;
