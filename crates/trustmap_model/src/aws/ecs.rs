//! ECS task definitions and their containers (from `container_definitions` JSON).

use trustmap_source::Span;

use super::Link;
use super::lambda::EnvVar;
use crate::{ResourceMeta, Value};

#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Ecs {
    pub task_definitions: Vec<TaskDefinition>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct TaskDefinition {
    pub meta: ResourceMeta,
    pub family: Value<String>,
    /// `bridge` (the default on Linux EC2), `host`, `awsvpc` or `none`.
    pub network_mode: Value<String>,
    /// `host` or `task`; known `None` when omitted (a private PID namespace).
    pub pid_mode: Value<Option<String>>,
    /// `EC2`, `FARGATE`, `EXTERNAL`; the default (nothing listed) is EC2.
    pub requires_compatibilities: Vec<Value<String>>,
    /// The role the containers' code runs as (`task_role_arn`); `None` when omitted.
    pub task_role: Option<Link>,
    /// The role ECS uses to pull images and read secrets (`execution_role_arn`).
    pub execution_role: Option<Link>,
    /// The containers; unknown when `container_definitions` cannot be read (a file, a
    /// template).
    pub containers: Value<Vec<Container>>,
}

impl TaskDefinition {
    /// Whether the task can run on EC2 (or external) hosts, where containers can reach the
    /// host's own credentials (`None`: cannot tell).
    pub fn may_run_on_hosts(&self) -> Option<bool> {
        if self.requires_compatibilities.is_empty() {
            return Some(true);
        }
        let mut unknown = false;
        for c in &self.requires_compatibilities {
            match c.get() {
                Some(c) if !c.eq_ignore_ascii_case("FARGATE") => return Some(true),
                Some(_) => {}
                None => unknown = true,
            }
        }
        if unknown { None } else { Some(false) }
    }
}

/// One container definition.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Container {
    /// The container's JSON object.
    pub span: Span,
    pub name: Value<String>,
    pub image: Value<String>,
    /// `privileged`, default `false`.
    pub privileged: Value<bool>,
    /// `readonlyRootFilesystem`, default `false`.
    pub read_only_root: Value<bool>,
    /// `environment` entries (`{"name": ..., "value": ...}`); `secrets` entries, which are
    /// references, are not listed.
    pub environment: Value<Vec<EnvVar>>,
}

impl Container {
    /// The container's name, or `container N` when unknown.
    pub fn label(&self, index: usize) -> String {
        self.name
            .get()
            .cloned()
            .unwrap_or_else(|| format!("container {}", index + 1))
    }
}
