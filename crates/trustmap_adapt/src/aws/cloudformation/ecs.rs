//! `AWS::ECS::TaskDefinition` with its `ContainerDefinitions` (a list of maps in
//! CloudFormation, not a JSON string).

use trustmap_cloudformation::Resource;
use trustmap_model::Value;
use trustmap_model::aws::ecs::{Container, Ecs, TaskDefinition};
use trustmap_model::aws::lambda::EnvVar;
use trustmap_syntax::Node;

use super::{items, meta};
use crate::aws::join::{Index, Target};
use crate::aws::read::{self, attr};

pub(in crate::aws) fn adapt(index: &Index<'_>, ecs: &mut Ecs) {
    for r in index.cfn("AWS::ECS::TaskDefinition") {
        let p = &r.properties;
        ecs.task_definitions.push(TaskDefinition {
            meta: meta(r),
            family: read::string_at(p, "Family", r.span),
            network_mode: read::string_or(p, "NetworkMode", "bridge", r.span),
            pid_mode: read::opt_string(p, "PidMode", r.span),
            requires_compatibilities: read::strings_at(p, "RequiresCompatibilities"),
            task_role: attr(p, "TaskRoleArn").map(|n| index.link(Target::Role, n)),
            execution_role: attr(p, "ExecutionRoleArn").map(|n| index.link(Target::Role, n)),
            containers: containers(r),
        });
    }
}

fn containers(r: &Resource) -> Value<Vec<Container>> {
    let Some(n) = attr(&r.properties, "ContainerDefinitions") else {
        return Value::default_at(Vec::new(), r.span);
    };
    match items(&r.properties, "ContainerDefinitions") {
        Err(span) => Value::unknown(span).with_via(n.via.clone()),
        Ok(list) if list.iter().any(|c| c.as_map().is_none()) => Value::unknown(n.span),
        Ok(list) => Value::explicit(list.into_iter().map(container).collect(), n.span),
    }
}

fn container(c: &Node) -> Container {
    Container {
        span: c.span,
        name: read::string_at(c, "Name", c.span),
        image: read::string_at(c, "Image", c.span),
        privileged: read::bool_or(c, "Privileged", false, c.span),
        read_only_root: read::bool_or(c, "ReadonlyRootFilesystem", false, c.span),
        environment: environment(c),
    }
}

/// `Environment: [{Name, Value}]`; entries whose name cannot be known are left out.
fn environment(c: &Node) -> Value<Vec<EnvVar>> {
    let env = match items(c, "Environment") {
        Err(span) => return Value::unknown(span),
        Ok(list) => list,
    };
    let vars = env
        .into_iter()
        .filter_map(|e| {
            let name = attr(e, "Name")?;
            Some(EnvVar {
                name: name.as_str()?.to_string(),
                name_span: name.span,
                value: read::string_at(e, "Value", e.span),
            })
        })
        .collect();
    Value::explicit(vars, attr(c, "Environment").map_or(c.span, |e| e.span))
}
