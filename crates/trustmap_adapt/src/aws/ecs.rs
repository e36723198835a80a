//! ECS task definitions, with `container_definitions` read from its JSON (a `jsonencode`,
//! a heredoc or a JSON string).

use trustmap_model::Value;
use trustmap_model::aws::ecs::{Container, Ecs, TaskDefinition};
use trustmap_model::aws::lambda::EnvVar;
use trustmap_syntax::{Node, NodeKind};
use trustmap_terraform::TfResource;

use super::join::{Index, Target};
use super::read::{self, attr, meta};

pub(crate) fn adapt(index: &Index<'_>) -> Ecs {
    let mut ecs = Ecs::default();
    for r in index.managed("aws_ecs_task_definition") {
        let b = &r.body;
        ecs.task_definitions.push(TaskDefinition {
            meta: meta(r),
            family: read::string_at(b, "family", r.span),
            network_mode: read::string_or(b, "network_mode", "bridge", r.span),
            pid_mode: read::opt_string(b, "pid_mode", r.span),
            requires_compatibilities: read::strings_at(b, "requires_compatibilities"),
            task_role: attr(b, "task_role_arn").map(|n| index.link(Target::Role, n)),
            execution_role: attr(b, "execution_role_arn").map(|n| index.link(Target::Role, n)),
            containers: containers(r),
        });
    }
    super::cloudformation::ecs::adapt(index, &mut ecs);
    ecs
}

/// The container definitions; unknown when the argument is not a readable JSON array.
fn containers(r: &TfResource) -> Value<Vec<Container>> {
    let Some(n) = attr(&r.body, "container_definitions") else {
        return Value::unknown(r.span);
    };
    let unknown = || Value::unknown(n.span).with_via(n.via.clone());
    let parsed;
    let tree = match (&n.kind, n.json_tree()) {
        (_, Some(t)) => t,
        (NodeKind::String(text), None) => {
            match trustmap_syntax::json::parse_str_at(
                text,
                n.span.file,
                n.span.start as usize,
                false,
                n.span,
            ) {
                Ok(t) => {
                    parsed = t;
                    &parsed
                }
                Err(_) => return unknown(),
            }
        }
        _ => return unknown(),
    };
    let Some(items) = tree.as_seq() else {
        return unknown();
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if item.as_map().is_none() {
            return unknown();
        }
        out.push(container(item));
    }
    Value::explicit(out, n.span).with_via(n.via.clone())
}

fn container(c: &Node) -> Container {
    let flag = |key: &str| match c.get(key).filter(|v| !v.is_null()) {
        None => Value::default_at(false, c.span),
        Some(v) => match v.as_bool() {
            Some(b) => Value::explicit(b, v.span),
            None => Value::unknown(v.span),
        }
        .with_via(v.via.clone()),
    };
    Container {
        span: c.span,
        name: c
            .get("name")
            .map_or_else(|| Value::unknown(c.span), read::string),
        image: c
            .get("image")
            .map_or_else(|| Value::unknown(c.span), read::string),
        privileged: flag("privileged"),
        read_only_root: flag("readonlyRootFilesystem"),
        environment: environment(c),
    }
}

/// `environment: [{ name, value }]`; entries whose name cannot be known are left out.
fn environment(c: &Node) -> Value<Vec<EnvVar>> {
    let Some(env) = c.get("environment").filter(|e| !e.is_null()) else {
        return Value::default_at(Vec::new(), c.span);
    };
    let Some(entries) = env.as_seq() else {
        return Value::unknown(env.span).with_via(env.via.clone());
    };
    let mut vars = Vec::new();
    for e in entries {
        let Some(name) = e.get("name") else {
            continue;
        };
        let Some(text) = name.as_str() else {
            continue;
        };
        let mut value = e
            .get("value")
            .map_or_else(|| Value::unknown(e.span), read::string);
        if value.via.is_empty() {
            value.via = env.via.clone();
        }
        vars.push(EnvVar {
            name: text.to_string(),
            name_span: name.span,
            value,
        });
    }
    Value::explicit(vars, env.span)
}
