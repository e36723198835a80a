//! Serverless Framework (`serverless.yml`) → the AWS Lambda and IAM model.
//!
//! A service's functions become Lambda functions (handler, runtime, environment with the
//! provider's variables merged in, timeout, tracing, events as triggers), `url:` becomes a
//! function URL, and the framework's shared execution role (`IamRoleLambdaExecution`) a role
//! whose inline policy holds `provider.iam.role.statements` (or the legacy
//! `provider.iamRoleStatements`), with its managed policies as attachments. A role named by
//! ARN or name (`provider.iam.role: arn:…`, `role:` on a function) is linked by that text.
//!
//! Framework variables (`${self:…}`, `${env:…}`, `${ssm:…}`) and CloudFormation functions
//! (`!GetAtt`, `Fn::Join`) are resolved at deploy time: values holding one are unknown.
//!
//! Addresses: `serverless.yml#functions.<name>`, `…#functions.<name>.url` and
//! `…#provider.iam.role` (with the file's path).

use trustmap_model::aws::Aws;
use trustmap_model::aws::Link;
use trustmap_model::aws::iam::{Attachment, IdentityKind, IdentityLink, Policy, PolicyKind, Role};
use trustmap_model::aws::lambda::{EnvVar, Function, FunctionUrl, Trigger, TriggerKind};
use trustmap_model::aws::policy::{Effect, PolicyDocument, Principal, PrincipalKind, Statement};
use trustmap_model::{Language, ResourceMeta, Value};
use trustmap_source::{Diagnostic, SourceFile, Span};
use trustmap_syntax::{Entry, Node, NodeKind};

use super::join::Index;
use super::policy;

/// The Serverless Framework's default function timeout, in seconds (not Lambda's 3).
pub const SERVERLESS_DEFAULT_TIMEOUT: i64 = 6;

/// What one `serverless.yml` adds to the AWS model. Links inside are local to the stack
/// until [`Stack::merge_into`] appends it to a model.
#[derive(Debug, Default)]
pub struct Stack {
    functions: Vec<Function>,
    urls: Vec<FunctionUrl>,
    roles: Vec<Role>,
    policies: Vec<Policy>,
    attachments: Vec<Attachment>,
}

impl Stack {
    /// Appends the stack's objects to `aws`, moving its links to their final positions.
    pub fn merge_into(self, aws: &mut Aws) {
        let functions = aws.lambda.functions.len();
        let roles = aws.iam.roles.len();
        let shift = |link: &mut Link, by: usize| {
            if let Some(t) = link.target.as_mut() {
                *t += by;
            }
        };
        for mut f in self.functions {
            shift(&mut f.role, roles);
            aws.lambda.functions.push(f);
        }
        for mut u in self.urls {
            shift(&mut u.function, functions);
            aws.lambda.urls.push(u);
        }
        for mut p in self.policies {
            if let Some(owner) = p.owner.as_mut() {
                shift(&mut owner.link, roles);
            }
            aws.iam.policies.push(p);
        }
        for mut a in self.attachments {
            shift(&mut a.to.link, roles);
            aws.iam.attachments.push(a);
        }
        aws.iam.roles.extend(self.roles);
    }

    pub fn is_empty(&self) -> bool {
        self.functions.is_empty() && self.roles.is_empty()
    }
}

/// True when the document is a Serverless Framework service for AWS.
pub fn is_serverless(doc: &Node) -> bool {
    let doc = doc.untagged();
    let provider = doc.get("provider");
    let aws = match provider.map(Node::untagged) {
        Some(p) if p.as_str().is_some() => p.as_str() == Some("aws"),
        Some(p) => p.get("name").and_then(Node::as_str) == Some("aws"),
        None => false,
    };
    aws && (doc.get("service").is_some() || doc.get("functions").is_some())
}

/// Adapts one `serverless.yml` document; `None` when it is not a Serverless AWS service.
pub fn from_document(file: &SourceFile, doc: &Node, diags: &mut Vec<Diagnostic>) -> Option<Stack> {
    if !is_serverless(doc) {
        return None;
    }
    let doc = resolve(doc.untagged());
    let cx = Cx { file, doc: &doc };
    let mut stack = Stack::default();
    let role = cx.shared_role(&mut stack);
    let functions = doc.get("functions");
    match functions.map(|f| &f.kind) {
        Some(NodeKind::Map(entries)) => {
            for e in entries {
                if e.value.as_map().is_some() {
                    cx.function(e, &role, &mut stack);
                }
            }
        }
        // `functions: ${file(functions.yml)}` and friends: defined elsewhere.
        Some(NodeKind::Unknown) | Some(NodeKind::Seq(_)) => diags.push(
            Diagnostic::new(
                "unsupported",
                "Serverless `functions` that are not a mapping written in this file (a variable or file include) are not read: its functions are not checked",
            )
            .at(file, functions.map_or(doc.span, |f| f.span)),
        ),
        _ => {}
    }
    Some(stack)
}

/// Replaces what is decided at deploy time by unknowns: framework variables in strings
/// (`${…}`), YAML-tagged CloudFormation functions and `Fn::`/`Ref` maps.
fn resolve(n: &Node) -> Node {
    let unknown = || {
        let mut u = Node::unknown(n.span);
        u.via.clone_from(&n.via);
        u
    };
    match &n.kind {
        NodeKind::String(s) if s.contains("${") => unknown(),
        NodeKind::Tagged { .. } => unknown(),
        NodeKind::Map(entries)
            if entries.len() == 1
                && (entries[0].key == "Ref" || entries[0].key.starts_with("Fn::")) =>
        {
            unknown()
        }
        NodeKind::Map(entries) => Node {
            kind: NodeKind::Map(
                entries
                    .iter()
                    .map(|e| Entry {
                        key: e.key.clone(),
                        key_span: e.key_span,
                        value: resolve(&e.value),
                    })
                    .collect(),
            ),
            span: n.span,
            via: n.via.clone(),
        },
        NodeKind::Seq(items) => Node {
            kind: NodeKind::Seq(items.iter().map(resolve).collect()),
            span: n.span,
            via: n.via.clone(),
        },
        _ => n.clone(),
    }
}

struct Cx<'a> {
    file: &'a SourceFile,
    doc: &'a Node,
}

fn value<T>(n: &Node, read: impl FnOnce(&Node) -> Option<T>) -> Value<T> {
    let v = if n.is_unknown() { None } else { read(n) };
    match v {
        Some(v) => Value::explicit(v, n.span),
        None => Value::unknown(n.span),
    }
    .with_via(n.via.clone())
}

fn text(n: &Node) -> Option<String> {
    n.scalar_text()
}

/// The non-null value under `key`.
fn field<'a>(n: Option<&'a Node>, key: &str) -> Option<&'a Node> {
    n?.get(key).filter(|v| !v.is_null())
}

impl Cx<'_> {
    fn meta(&self, address: String, span: Span) -> ResourceMeta {
        ResourceMeta {
            address: format!("{}#{address}", self.file.path),
            language: Language::Serverless,
            span,
            via: Vec::new(),
        }
    }

    fn provider(&self) -> Option<&Node> {
        self.doc.get("provider").filter(|p| p.as_map().is_some())
    }

    /// The framework's shared execution role: a link to the role the stack defines, or to
    /// the role named by `provider.iam.role` / `provider.role`.
    fn shared_role(&self, stack: &mut Stack) -> Link {
        let provider = self.provider();
        let iam_role = field(field(provider, "iam"), "role");
        let named = iam_role
            .filter(|r| r.as_map().is_none())
            .or_else(|| field(provider, "role"));
        if let Some(r) = named {
            return Link {
                text: text(r),
                span: r.span,
                via: r.via.clone(),
                target: None,
            };
        }
        let statements =
            field(iam_role, "statements").or_else(|| field(provider, "iamRoleStatements"));
        let managed =
            field(iam_role, "managedPolicies").or_else(|| field(provider, "iamManagedPolicies"));
        let at = iam_role.or(provider).map_or(self.doc.span, |n| n.span);
        let meta = self.meta("provider.iam.role".to_string(), at);
        let index = stack.roles.len();
        let owner = || IdentityLink {
            kind: IdentityKind::Role,
            link: Link::parent(index, &meta.address, at),
        };
        if let Some(st) = statements {
            let document = if st.is_unknown() {
                Value::unknown(st.span).with_via(st.via.clone())
            } else {
                let holder = Node::new(
                    NodeKind::Map(vec![Entry {
                        key: "Statement".to_string(),
                        key_span: st.span,
                        value: st.clone(),
                    }]),
                    st.span,
                );
                let empty = Index::with_templates(&[], &[]);
                policy::document(&holder, &empty)
            };
            stack.policies.push(Policy {
                meta: ResourceMeta {
                    span: st.span,
                    ..meta.clone()
                },
                kind: PolicyKind::Inline,
                owner: Some(owner()),
                document,
            });
        }
        if let Some(m) = managed {
            for arn in m.as_seq().unwrap_or(std::slice::from_ref(m)) {
                stack.attachments.push(Attachment {
                    meta: meta.clone(),
                    policy_arn: value(arn, text),
                    policy: None,
                    to: owner(),
                });
            }
        }
        stack.roles.push(Role {
            name: Value::default_at("IamRoleLambdaExecution".to_string(), at),
            trust: Value::default_at(lambda_trust(at), at),
            meta,
        });
        Link::parent(index, &format!("{}#provider.iam.role", self.file.path), at)
    }

    fn function(&self, e: &Entry, shared_role: &Link, stack: &mut Stack) {
        let f = &e.value;
        let at = e.key_span.to(f.span);
        let provider = self.provider();
        let service = self
            .doc
            .get("service")
            .and_then(text)
            .unwrap_or_else(|| "service".to_string());
        let stage = field(provider, "stage")
            .and_then(text)
            .unwrap_or_else(|| "dev".to_string());
        let name = match field(Some(f), "name") {
            Some(n) => value(n, text),
            None => Value::default_at(format!("{service}-{stage}-{}", e.key), at),
        };
        let role = match field(Some(f), "role") {
            Some(r) => Link {
                text: text(r),
                span: r.span,
                via: r.via.clone(),
                target: None,
            },
            None => shared_role.clone(),
        };
        let timeout = field(Some(f), "timeout")
            .or_else(|| field(provider, "timeout"))
            .map_or_else(
                || Value::default_at(SERVERLESS_DEFAULT_TIMEOUT, at),
                |t| value(t, Node::as_i64),
            );
        let tracing_mode = match field(Some(f), "tracing") {
            Some(t) => value(t, |t| match t.as_bool() {
                Some(true) => Some("Active".to_string()),
                Some(false) => Some("PassThrough".to_string()),
                None => text(t),
            }),
            None => match field(field(provider, "tracing"), "lambda") {
                Some(t) => value(t, |t| match t.as_bool() {
                    Some(true) => Some("Active".to_string()),
                    Some(false) => Some("PassThrough".to_string()),
                    None => text(t),
                }),
                None => Value::default_at("PassThrough".to_string(), at),
            },
        };
        let dead_letter_target = match field(Some(f), "onError") {
            Some(t) => value(t, |t| text(t).map(Some)),
            None => Value::default_at(None, at),
        };
        let reserved_concurrency = match field(Some(f), "reservedConcurrency") {
            Some(r) => value(r, Node::as_i64),
            None => Value::default_at(-1, at),
        };
        let index = stack.functions.len();
        let meta = self.meta(format!("functions.{}", e.key), at);
        if let Some(url) = field(Some(f), "url") {
            stack.urls.push(FunctionUrl {
                meta: self.meta(format!("functions.{}.url", e.key), url.span),
                function: Link::parent(index, &meta.address, at),
                authorization_type: url_auth(url),
            });
        }
        stack.functions.push(Function {
            name,
            role,
            environment: self.environment(f, at),
            reserved_concurrency,
            timeout,
            tracing_mode,
            dead_letter_target,
            triggers: field(Some(f), "events")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter_map(trigger)
                .collect(),
            meta,
        });
    }

    /// The provider's `environment` with the function's own on top (the function wins).
    fn environment(&self, f: &Node, at: Span) -> Value<Vec<EnvVar>> {
        let shared = field(self.provider(), "environment");
        let own = field(Some(f), "environment");
        let mut vars: Vec<EnvVar> = Vec::new();
        let mut span = None;
        for env in [shared, own].into_iter().flatten() {
            let Some(entries) = env.as_map() else {
                return Value::unknown(env.span).with_via(env.via.clone());
            };
            span = Some(env.span);
            for e in entries {
                vars.retain(|v| v.name != e.key);
                vars.push(EnvVar {
                    name: e.key.clone(),
                    name_span: e.key_span,
                    value: if e.value.is_null() {
                        Value::explicit(String::new(), e.value.span)
                    } else {
                        value(&e.value, text)
                    },
                });
            }
        }
        match span {
            Some(s) => Value::explicit(vars, own.map_or(s, |o| o.span)),
            None => Value::default_at(Vec::new(), at),
        }
    }
}

/// `url: true` has no authorization (`NONE`); `url: {authorizer: aws_iam}` needs IAM.
fn url_auth(url: &Node) -> Value<String> {
    if url.is_unknown() {
        return Value::unknown(url.span).with_via(url.via.clone());
    }
    if let Some(b) = url.as_bool() {
        // `url: false` creates no URL: nothing to authorize, so nothing is exposed.
        return Value::explicit(if b { "NONE" } else { "AWS_IAM" }.to_string(), url.span);
    }
    match field(Some(url), "authorizer") {
        Some(a) => value(a, |a| {
            text(a).map(|t| {
                if t.eq_ignore_ascii_case("aws_iam") {
                    "AWS_IAM".to_string()
                } else {
                    t
                }
            })
        }),
        None => Value::default_at("NONE".to_string(), url.span),
    }
}

/// One `events` item as a trigger.
fn trigger(item: &Node) -> Option<Trigger> {
    let entry = item.as_map()?.first()?;
    let props = &entry.value;
    let span = item.span;
    let get = |k: &str| field(Some(props), k);
    let (kind, source, auth) = match entry.key.as_str() {
        "http" | "httpApi" => {
            let route = match props.as_str() {
                // `http: GET /items`, `httpApi: '*'`
                Some(s) => Value::explicit(s.to_string(), props.span),
                None => match (get("method").and_then(text), get("path").and_then(text)) {
                    (Some(m), Some(p)) => {
                        Value::explicit(format!("{} {p}", m.to_ascii_uppercase()), props.span)
                    }
                    _ => Value::unknown(props.span),
                },
            };
            let auth = match get("authorizer") {
                Some(a) => value(a, |a| {
                    let t = text(a)
                        .or_else(|| a.get("type").and_then(text))
                        .or_else(|| a.get("name").and_then(text))
                        .or_else(|| a.get("arn").and_then(text))
                        .or_else(|| a.get("id").and_then(text))?;
                    Some(if t.eq_ignore_ascii_case("aws_iam") {
                        "AWS_IAM".to_string()
                    } else {
                        t
                    })
                }),
                None if get("private").and_then(Node::as_bool) == Some(true) => Value::explicit(
                    "API_KEY".to_string(),
                    get("private").map_or(span, |p| p.span),
                ),
                None => Value::default_at("NONE".to_string(), span),
            };
            let kind = if entry.key == "http" {
                TriggerKind::Api
            } else {
                TriggerKind::HttpApi
            };
            (kind, route, Some(auth))
        }
        "s3" => (TriggerKind::S3, source(props, &["bucket"]), None),
        "sqs" => (TriggerKind::Sqs, source(props, &["arn", "queueName"]), None),
        "sns" => (TriggerKind::Sns, source(props, &["arn", "topicName"]), None),
        "schedule" => (TriggerKind::Schedule, source(props, &["rate"]), None),
        "stream" => (TriggerKind::Kinesis, source(props, &["arn"]), None),
        "eventBridge" => (
            TriggerKind::EventBridgeRule,
            source(props, &["eventBus", "pattern"]),
            None,
        ),
        other => (
            TriggerKind::Other(other.to_string()),
            Value::unknown(span),
            None,
        ),
    };
    Some(Trigger {
        name: entry.key.clone(),
        span,
        kind,
        source,
        route: None,
        auth,
    })
}

/// An event's source: the event's own text (`s3: uploads`), or the first of `keys`.
fn source(props: &Node, keys: &[&str]) -> Value<String> {
    if props.as_map().is_none() {
        return match &props.kind {
            NodeKind::Seq(items) => items
                .first()
                .map_or_else(|| Value::unknown(props.span), |i| value(i, text)),
            _ => value(props, text),
        };
    }
    keys.iter().find_map(|k| field(Some(props), k)).map_or_else(
        || Value::unknown(props.span),
        |n| {
            if n.as_map().is_some() {
                Value::explicit("event pattern".to_string(), n.span)
            } else {
                value(n, text)
            }
        },
    )
}

/// The trust policy the framework gives its role: Lambda may assume it.
fn lambda_trust(at: Span) -> PolicyDocument {
    let d = |s: &str| Value::default_at(s.to_string(), at);
    PolicyDocument {
        span: at,
        statements: vec![Statement {
            span: at,
            sid: None,
            effect: Value::default_at(Effect::Allow, at),
            actions: vec![d("sts:AssumeRole")],
            not_actions: Vec::new(),
            resources: Vec::new(),
            not_resources: Vec::new(),
            principals: vec![Principal {
                kind: PrincipalKind::Service,
                id: d("lambda.amazonaws.com"),
                provider_url: None,
            }],
            not_principals: Vec::new(),
            conditions: Vec::new(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use trustmap_model::aws::Aws;
    use trustmap_model::aws::lambda::TriggerKind;
    use trustmap_source::{FileId, SourceFile};

    use super::from_document;

    fn adapt(text: &str) -> (SourceFile, Aws) {
        let file = SourceFile::new(FileId(0), "svc/serverless.yml", text);
        let parsed = trustmap_syntax::yaml::parse(&file);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let mut diags = Vec::new();
        let stack = from_document(&file, &parsed.docs[0], &mut diags).expect("serverless");
        assert!(diags.is_empty(), "{diags:?}");
        // Something already in the model: links must move past it.
        let mut aws = Aws::default();
        let first = super::Stack {
            roles: vec![trustmap_model::aws::iam::Role {
                meta: trustmap_model::ResourceMeta {
                    address: "aws_iam_role.other".into(),
                    language: trustmap_model::Language::Terraform,
                    span: file.span(0, 0),
                    via: Vec::new(),
                },
                name: trustmap_model::Value::unknown(file.span(0, 0)),
                trust: trustmap_model::Value::unknown(file.span(0, 0)),
            }],
            ..Default::default()
        };
        first.merge_into(&mut aws);
        stack.merge_into(&mut aws);
        (file, aws)
    }

    #[test]
    fn functions_share_the_framework_role_and_its_statements() {
        let (file, aws) = adapt(
            "\
service: orders
provider:
  name: aws
  environment:
    SHARED: one
  iam:
    role:
      statements:
        - Effect: Allow
          Action: [\"s3:*\"]
          Resource: \"*\"
functions:
  api:
    handler: api.handler
    timeout: 10
    url: true
    environment:
      DB_PASSWORD: hunter2
      TOKEN: ${ssm:/orders/token}
    events:
      - httpApi: GET /orders
      - http:
          path: /admin
          method: post
          authorizer: aws_iam
      - sqs: arn:aws:sqs:eu-west-1:123456789012:orders
  worker:
    handler: worker.handler
    role: arn:aws:iam::123456789012:role/worker
",
        );
        assert_eq!(aws.iam.roles.len(), 2);
        assert_eq!(
            aws.iam.roles[1].meta.address,
            "svc/serverless.yml#provider.iam.role"
        );
        let api = &aws.lambda.functions[0];
        assert_eq!(api.meta.address, "svc/serverless.yml#functions.api");
        assert_eq!(api.role.target, Some(1));
        assert_eq!(api.timeout.get(), Some(&10));
        let env = api.environment.get().expect("env");
        let names: Vec<&str> = env.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["SHARED", "DB_PASSWORD", "TOKEN"]);
        assert_eq!(file.slice(env[1].value.span), "hunter2");
        assert!(env[2].value.is_unknown());
        let kinds: Vec<&TriggerKind> = api.triggers.iter().map(|t| &t.kind).collect();
        assert_eq!(
            kinds,
            [&TriggerKind::HttpApi, &TriggerKind::Api, &TriggerKind::Sqs]
        );
        assert_eq!(
            api.triggers[0]
                .auth
                .as_ref()
                .and_then(|a| a.get())
                .map(String::as_str),
            Some("NONE")
        );
        assert_eq!(
            api.triggers[1]
                .auth
                .as_ref()
                .and_then(|a| a.get())
                .map(String::as_str),
            Some("AWS_IAM")
        );
        let worker = &aws.lambda.functions[1];
        assert_eq!(worker.role.target, None);
        assert_eq!(worker.role.label(), "arn:aws:iam::123456789012:role/worker");
        assert!(worker.timeout.is_default());
        let url = &aws.lambda.urls[0];
        assert_eq!(url.function.target, Some(0));
        assert_eq!(
            url.authorization_type.get().map(String::as_str),
            Some("NONE")
        );
        assert_eq!(file.slice(url.authorization_type.span), "true");
        let policy = &aws.iam.policies[0];
        assert_eq!(policy.owner.as_ref().and_then(|o| o.link.target), Some(1));
        let doc = policy.document.get().expect("document");
        assert_eq!(file.slice(doc.statements[0].actions[0].span), "\"s3:*\"");
    }

    #[test]
    fn other_frameworks_files_are_not_serverless() {
        let file = SourceFile::new(
            FileId(0),
            "serverless.yml",
            "service: x\nprovider:\n  name: google\n",
        );
        let parsed = trustmap_syntax::yaml::parse(&file);
        assert!(from_document(&file, &parsed.docs[0], &mut Vec::new()).is_none());
    }
}
