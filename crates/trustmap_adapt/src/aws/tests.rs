//! Adapter tests on hand-built evaluator output: joins by reference, name and ARN, provider
//! defaults, and policy documents in every form.

use trustmap_model::State;
use trustmap_model::aws::Aws;
use trustmap_model::aws::iam::IdentityKind;
use trustmap_model::aws::policy::{Effect, PrincipalKind};
use trustmap_model::aws::s3::PartKind;
use trustmap_source::{FileId, Span};
use trustmap_syntax::{Node, NodeKind};
use trustmap_terraform::{Mode, TfOutput, TfResource};

/// A body written as JSON, where `"$ref:ADDRESS.ATTR"` stands for a reference, `"$unknown"`
/// for an unknown value and `{"$json": {...}}` for a string holding JSON.
fn body(json: &str) -> Node {
    let fallback = Span::new(FileId(0), 0, json.len());
    let tree = trustmap_syntax::json::parse_str_at(json, FileId(0), 0, true, fallback)
        .expect("test body is JSON");
    lower(tree)
}

fn lower(n: Node) -> Node {
    let span = n.span;
    match n.kind {
        NodeKind::String(s) if s == "$unknown" => Node::unknown(span),
        NodeKind::String(s) if s.starts_with("$ref:") => {
            let target = &s["$ref:".len()..];
            let (address, attribute) = target.rsplit_once('.').expect("ref has an attribute");
            Node::new(
                NodeKind::Ref {
                    address: address.to_string(),
                    attribute: attribute.to_string(),
                },
                span,
            )
        }
        NodeKind::Map(entries) if entries.len() == 1 && entries[0].key == "$json" => {
            let tree = lower(entries.into_iter().next().expect("one entry").value);
            Node::new(
                NodeKind::Json {
                    text: tree.to_json().to_string(),
                    tree: Box::new(tree),
                },
                span,
            )
        }
        NodeKind::Map(entries) => Node::new(
            NodeKind::Map(
                entries
                    .into_iter()
                    .map(|mut e| {
                        e.value = lower(e.value);
                        e
                    })
                    .collect(),
            ),
            span,
        ),
        NodeKind::Seq(items) => {
            Node::new(NodeKind::Seq(items.into_iter().map(lower).collect()), span)
        }
        kind => Node::new(kind, span),
    }
}

fn res(mode: Mode, address: &str, json: &str) -> TfResource {
    let plain = address.strip_prefix("data.").unwrap_or(address);
    let (rtype, name) = plain.split_once('.').expect("type.name");
    let b = body(json);
    TfResource {
        mode,
        rtype: rtype.to_string(),
        name: name.to_string(),
        address: address.to_string(),
        span: b.span,
        body: b,
        via: Vec::new(),
    }
}

fn managed(address: &str, json: &str) -> TfResource {
    res(Mode::Managed, address, json)
}

fn adapt(resources: Vec<TfResource>) -> Aws {
    super::from_terraform(&TfOutput {
        resources,
        ..TfOutput::default()
    })
}

#[test]
fn s3_parts_join_their_bucket_by_reference_name_and_arn() {
    let aws = adapt(vec![
        managed("aws_s3_bucket.logs", r#"{"bucket": "acme-logs"}"#),
        managed(
            "aws_s3_bucket.data",
            r#"{"bucket": "acme-data", "acl": "public-read"}"#,
        ),
        managed(
            "aws_s3_bucket_acl.logs",
            r#"{"bucket": "$ref:aws_s3_bucket.logs.id", "acl": "log-delivery-write"}"#,
        ),
        managed(
            "aws_s3_bucket_public_access_block.data",
            r#"{"bucket": "acme-data", "block_public_acls": true}"#,
        ),
        managed(
            "aws_s3_bucket_policy.data",
            r#"{"bucket": "arn:aws:s3:::acme-data", "policy": {"$json": {"Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}}}"#,
        ),
        managed(
            "aws_s3_bucket_server_side_encryption_configuration.logs",
            r#"{"bucket": "$ref:aws_s3_bucket.logs.bucket", "rule": [
                {"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}]}"#,
        ),
        managed(
            "aws_s3_bucket_acl.elsewhere",
            r#"{"bucket": "$unknown", "acl": "private"}"#,
        ),
        managed(
            "aws_s3_account_public_access_block.all",
            r#"{"restrict_public_buckets": true}"#,
        ),
    ]);
    let s3 = &aws.s3;
    assert_eq!(s3.buckets.len(), 2);

    let logs_acls: Vec<_> = s3.acls_of(0).collect();
    assert_eq!(logs_acls.len(), 1);
    assert_eq!(logs_acls[0].meta.address, "aws_s3_bucket_acl.logs");
    assert_eq!(
        logs_acls[0].bucket.text.as_deref(),
        Some("aws_s3_bucket.logs")
    );

    // The inline ACL of `data` is its only one: no default is added.
    let data_acls: Vec<_> = s3.acls_of(1).collect();
    assert_eq!(data_acls.len(), 1);
    assert!(
        data_acls[0]
            .canned
            .as_ref()
            .is_some_and(|c| c.is_explicit())
    );

    let pab: Vec<_> = s3.blocks_for(1).collect();
    assert_eq!(
        pab.len(),
        2,
        "bucket block joined by name, plus the account block"
    );
    assert!(pab[0].block_public_acls.is_true() && pab[0].block_public_acls.is_explicit());
    assert!(pab[0].block_public_policy.is_false() && pab[0].block_public_policy.is_default());
    assert!(s3.is_blocked(0, trustmap_model::aws::s3::BlockFlag::RestrictPublicBuckets));

    let policy = s3.policies_of(1).next().expect("policy joined by ARN");
    let doc = policy.document.get().expect("policy parsed");
    assert_eq!(doc.statements[0].effect.get(), Some(&Effect::Allow));
    assert!(doc.statements[0].everyone().is_some());

    let sse = s3
        .encryptions_of(0)
        .next()
        .expect("encryption joined by reference");
    assert_eq!(
        sse.rules[0].algorithm.get().map(String::as_str),
        Some("aws:kms")
    );
    assert!(s3.encryptions_of(1).next().is_none());

    assert!(s3.has_unjoined(PartKind::Acl));
    assert!(!s3.has_unjoined(PartKind::Encryption));
}

#[test]
fn a_bucket_without_acl_gets_the_private_default_at_the_bucket() {
    let aws = adapt(vec![managed("aws_s3_bucket.b", r#"{"bucket": "b"}"#)]);
    let acl = aws.s3.acls_of(0).next().expect("default ACL");
    let canned = acl.canned.as_ref().expect("canned");
    assert_eq!(canned.state, State::Default("private".to_string()));
    assert_eq!(canned.span, aws.s3.buckets[0].meta.span);
}

#[test]
fn attachments_join_roles_users_and_policies() {
    let aws = adapt(vec![
        managed(
            "aws_iam_role.ci",
            r#"{"name": "ci", "assume_role_policy": "{\"Statement\": []}",
                "managed_policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}"#,
        ),
        managed("aws_iam_user.u", r#"{"name": "u"}"#),
        managed(
            "aws_iam_policy.deploy",
            r#"{"name": "deploy", "policy": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}"#,
        ),
        managed(
            "aws_iam_role_policy_attachment.by_ref",
            r#"{"role": "$ref:aws_iam_role.ci.name", "policy_arn": "$ref:aws_iam_policy.deploy.arn"}"#,
        ),
        managed(
            "aws_iam_role_policy_attachment.admin",
            r#"{"role": "ci", "policy_arn": "$ref:data.aws_iam_policy.admin.arn"}"#,
        ),
        res(
            Mode::Data,
            "data.aws_iam_policy.admin",
            r#"{"name": "AdministratorAccess"}"#,
        ),
        managed(
            "aws_iam_policy_attachment.multi",
            r#"{"name": "multi", "users": ["$ref:aws_iam_user.u.name"],
                "roles": ["arn:aws:iam::123456789012:role/service/ci"],
                "policy_arn": "arn:aws:iam::123456789012:policy/deploy"}"#,
        ),
        managed(
            "aws_iam_role_policy.inline",
            r#"{"role": "$ref:aws_iam_role.ci.id", "policy": {"$json": {"Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}}}}"#,
        ),
        managed("aws_iam_access_key.u", r#"{"user": "u"}"#),
    ]);
    let iam = &aws.iam;
    let by = |address: &str| {
        iam.attachments
            .iter()
            .filter(|a| a.meta.address == address)
            .collect::<Vec<_>>()
    };

    let inline_arn = &by("aws_iam_role.ci")[0];
    assert_eq!(inline_arn.to.link.target, Some(0));
    assert_eq!(inline_arn.aws_managed_name(), Some("ReadOnlyAccess"));

    let by_ref = &by("aws_iam_role_policy_attachment.by_ref")[0];
    assert_eq!((by_ref.to.link.target, by_ref.policy), (Some(0), Some(0)));
    assert!(by_ref.policy_arn.is_unknown());

    let admin = &by("aws_iam_role_policy_attachment.admin")[0];
    assert_eq!(admin.to.link.target, Some(0), "joined by role name");
    assert_eq!(admin.aws_managed_name(), Some("AdministratorAccess"));
    assert_eq!(
        admin.policy_arn.via.len(),
        1,
        "the data source is a provenance hop"
    );

    let multi = by("aws_iam_policy_attachment.multi");
    assert_eq!(multi.len(), 2);
    assert!(
        multi.iter().all(|a| a.policy == Some(0)),
        "policy joined by ARN"
    );
    let user = multi
        .iter()
        .find(|a| a.to.kind == IdentityKind::User)
        .expect("user");
    assert_eq!(user.to.link.target, Some(0));
    let role = multi
        .iter()
        .find(|a| a.to.kind == IdentityKind::Role)
        .expect("role");
    assert_eq!(
        role.to.link.target,
        Some(0),
        "role joined by ARN with a path"
    );

    let inline = iam
        .policies
        .iter()
        .find(|p| p.meta.address == "aws_iam_role_policy.inline")
        .expect("inline policy");
    assert_eq!(inline.owner.as_ref().and_then(|o| o.link.target), Some(0));
    let doc = inline.document.get().expect("parsed");
    assert_eq!(doc.statements.len(), 1, "a lone statement object");
    assert_eq!(doc.statements[0].effect.get(), Some(&Effect::Deny));

    assert!(
        iam.roles[0].trust.get().is_some(),
        "a JSON string is parsed too"
    );
    assert_eq!(iam.access_keys[0].user.target, Some(0));
    assert_eq!(
        iam.access_keys[0].status.state,
        State::Default("Active".to_string())
    );
}

#[test]
fn trust_policies_read_policy_document_data_sources_and_resolve_oidc_providers() {
    let trust = r#"{"json": {"$json": {"Statement": [{
        "Effect": "Allow",
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Principal": {"Federated": "$ref:aws_iam_openid_connect_provider.github.arn"},
        "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:acme/*", "$unknown"]}}
    }]}}}"#;
    let aws = adapt(vec![
        managed(
            "aws_iam_openid_connect_provider.github",
            r#"{"url": "https://token.actions.githubusercontent.com", "client_id_list": ["sts.amazonaws.com"]}"#,
        ),
        res(Mode::Data, "data.aws_iam_policy_document.trust", trust),
        managed(
            "aws_iam_role.deploy",
            r#"{"name": "deploy", "assume_role_policy": "$ref:data.aws_iam_policy_document.trust.json"}"#,
        ),
    ]);
    let role = &aws.iam.roles[0];
    let doc = role
        .trust
        .get()
        .expect("document read through the data source");
    assert_eq!(role.trust.via.len(), 1);
    let st = &doc.statements[0];
    let p = &st.principals[0];
    assert_eq!(p.kind, PrincipalKind::Federated);
    assert!(p.id.is_unknown());
    assert_eq!(
        p.oidc_host().and_then(|h| h.get().cloned()).as_deref(),
        Some("token.actions.githubusercontent.com")
    );
    let c = &st.conditions[0];
    assert_eq!(
        c.key.get().map(String::as_str),
        Some("token.actions.githubusercontent.com:sub")
    );
    assert_eq!(c.values.len(), 2);
    assert!(c.values[1].is_unknown());
    assert_eq!(aws.iam.oidc_providers.len(), 1);
}

#[test]
fn instances_default_to_imdsv1_unless_a_template_or_account_default_says_otherwise() {
    let aws = adapt(vec![
        managed("aws_instance.bare", r#"{"ami": "ami-1"}"#),
        managed(
            "aws_instance.templated",
            r#"{"launch_template": [{"id": "$ref:aws_launch_template.lt.id"}]}"#,
        ),
        managed(
            "aws_launch_template.lt",
            r#"{"name": "lt", "metadata_options": [{"http_tokens": "required"}]}"#,
        ),
    ]);
    let bare = &aws.ec2.instances[0];
    let m = bare.metadata.as_ref().expect("own settings");
    assert_eq!(m.http_tokens.state, State::Default("optional".to_string()));
    assert_eq!(m.http_tokens.span, bare.meta.span);
    assert_eq!(m.allows_v1(), Some(true));

    let templated = &aws.ec2.instances[1];
    assert!(templated.metadata.is_none());
    assert_eq!(
        templated.launch_template.as_ref().and_then(|l| l.target),
        Some(0)
    );
    assert_eq!(
        aws.ec2.launch_templates[0].metadata.allows_v1(),
        Some(false)
    );

    let with_default = adapt(vec![
        managed("aws_instance.bare", r#"{"ami": "ami-1"}"#),
        managed(
            "aws_ec2_instance_metadata_defaults.this",
            r#"{"http_tokens": "required"}"#,
        ),
    ]);
    let m = with_default.ec2.instances[0]
        .metadata
        .as_ref()
        .expect("settings");
    assert_eq!(m.http_tokens.state, State::Default("required".to_string()));
    assert_eq!(m.http_tokens.via.len(), 1);
}

#[test]
fn instance_profiles_join_roles_and_instances_by_reference_name_and_arn() {
    let aws = adapt(vec![
        managed("aws_iam_role.web", r#"{"name": "web"}"#),
        managed(
            "aws_iam_instance_profile.web",
            r#"{"name": "web-profile", "role": "$ref:aws_iam_role.web.name"}"#,
        ),
        managed(
            "aws_instance.by_ref",
            r#"{"iam_instance_profile": "$ref:aws_iam_instance_profile.web.name",
                "vpc_security_group_ids": ["$ref:aws_security_group.web.id"],
                "associate_public_ip_address": true}"#,
        ),
        managed(
            "aws_instance.by_name",
            r#"{"iam_instance_profile": "web-profile"}"#,
        ),
        managed(
            "aws_launch_template.lt",
            r#"{"iam_instance_profile": [{"arn": "arn:aws:iam::111122223333:instance-profile/web-profile"}]}"#,
        ),
        managed(
            "aws_launch_configuration.lc",
            r#"{"iam_instance_profile": "elsewhere"}"#,
        ),
        managed("aws_security_group.web", r#"{"name": "web"}"#),
    ]);
    let profile = &aws.iam.instance_profiles[0];
    assert_eq!(profile.role.as_ref().and_then(|l| l.target), Some(0));
    let by_ref = &aws.ec2.instances[0];
    assert_eq!(
        by_ref.instance_profile.as_ref().and_then(|l| l.target),
        Some(0)
    );
    assert_eq!(by_ref.security_groups.len(), 1);
    assert_eq!(by_ref.security_groups[0].target, Some(0));
    assert_eq!(by_ref.public_ip.state, State::Explicit(Some(true)));
    let by_name = &aws.ec2.instances[1];
    assert_eq!(
        by_name.instance_profile.as_ref().and_then(|l| l.target),
        Some(0)
    );
    // Omitted: the subnet decides, located at the instance.
    assert_eq!(by_name.public_ip.state, State::Default(None));
    assert!(by_name.security_groups.is_empty());
    let lt = &aws.ec2.launch_templates[0];
    assert_eq!(lt.instance_profile.as_ref().and_then(|l| l.target), Some(0));
    // A profile the scan does not define stays unresolved, with its name.
    let lc = aws.ec2.launch_templates[1]
        .instance_profile
        .as_ref()
        .expect("link");
    assert_eq!((lc.target, lc.text.as_deref()), (None, Some("elsewhere")));
}

#[test]
fn security_group_rules_come_inline_and_separate() {
    let aws = adapt(vec![
        managed(
            "aws_security_group.web",
            r#"{"name": "web", "ingress": [{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}],
                "egress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": ["::/0"]}]}"#,
        ),
        managed(
            "aws_vpc_security_group_ingress_rule.ssh",
            r#"{"security_group_id": "$ref:aws_security_group.web.id", "ip_protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_ipv4": "0.0.0.0/0"}"#,
        ),
        managed(
            "aws_security_group_rule.all",
            r#"{"type": "ingress", "security_group_id": "$unknown", "protocol": "all", "from_port": 0, "to_port": 65535, "cidr_blocks": ["10.0.0.0/8"]}"#,
        ),
    ]);
    let rules = &aws.ec2.sg_rules;
    assert_eq!(rules.len(), 4);
    assert_eq!(rules[1].cidrs.len(), 2);
    assert_eq!(rules[1].opens_all_ports(), Some(true));
    let by = |address: &str| {
        rules
            .iter()
            .find(|r| r.meta.address == address)
            .expect("rule")
    };
    let ssh = by("aws_vpc_security_group_ingress_rule.ssh");
    assert_eq!(ssh.group.target, Some(0));
    assert_eq!(ssh.opens_tcp_port(22), Some(true));
    assert_eq!(ssh.opens_all_ports(), Some(false));
    let all = by("aws_security_group_rule.all");
    assert_eq!(all.group.target, None);
    assert_eq!(all.opens_all_ports(), Some(true));
}

#[test]
fn lambda_parts_join_their_function() {
    let aws = adapt(vec![
        managed(
            "aws_iam_role.fn",
            r#"{"name": "fn", "assume_role_policy": "$unknown"}"#,
        ),
        managed(
            "aws_lambda_function.api",
            r#"{"function_name": "api", "role": "$ref:aws_iam_role.fn.arn",
                "environment": [{"variables": {"DB_PASSWORD": "hunter2", "TABLE": "$ref:aws_dynamodb_table.t.name"}}]}"#,
        ),
        managed(
            "aws_lambda_function.bare",
            r#"{"function_name": "bare", "role": "arn:aws:iam::123456789012:role/fn"}"#,
        ),
        managed(
            "aws_lambda_function_url.api",
            r#"{"function_name": "$ref:aws_lambda_function.api.function_name", "authorization_type": "NONE"}"#,
        ),
        managed(
            "aws_lambda_permission.s3",
            r#"{"function_name": "arn:aws:lambda:eu-west-1:123456789012:function:api:live", "principal": "s3.amazonaws.com", "action": "lambda:InvokeFunction"}"#,
        ),
    ]);
    let l = &aws.lambda;
    assert_eq!(l.functions[0].role.target, Some(0));
    assert_eq!(l.functions[1].role.target, Some(0), "role joined by ARN");
    let env = l.functions[0].environment.get().expect("known variables");
    assert_eq!(env.len(), 2);
    assert!(env[0].value.is_explicit() && env[1].value.is_unknown());
    assert!(l.functions[1].environment.is(Vec::is_empty));
    assert_eq!(l.urls[0].function.target, Some(0));
    assert_eq!(
        l.permissions[0].function.target,
        Some(0),
        "function joined by qualified ARN"
    );
    assert!(l.permissions[0].source_arn.is_none());
}

#[test]
fn rest_methods_join_their_integration_and_rebuild_their_path() {
    let aws = adapt(vec![
        managed(
            "aws_lambda_function.orders",
            r#"{"function_name": "orders"}"#,
        ),
        managed("aws_api_gateway_rest_api.shop", r#"{"name": "shop"}"#),
        managed(
            "aws_api_gateway_resource.orders",
            r#"{"path_part": "orders", "parent_id": "$ref:aws_api_gateway_rest_api.shop.root_resource_id"}"#,
        ),
        managed(
            "aws_api_gateway_resource.order",
            r#"{"path_part": "{id}", "parent_id": "$ref:aws_api_gateway_resource.orders.id"}"#,
        ),
        managed(
            "aws_api_gateway_method.get",
            r#"{"rest_api_id": "$ref:aws_api_gateway_rest_api.shop.id",
                "resource_id": "$ref:aws_api_gateway_resource.order.id",
                "http_method": "GET", "authorization": "NONE"}"#,
        ),
        managed(
            "aws_api_gateway_integration.get",
            r#"{"rest_api_id": "$ref:aws_api_gateway_rest_api.shop.id",
                "resource_id": "$ref:aws_api_gateway_resource.order.id",
                "http_method": "$ref:aws_api_gateway_method.get.http_method", "type": "AWS_PROXY",
                "uri": "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:orders/invocations"}"#,
        ),
        managed(
            "aws_apigatewayv2_api.hook",
            r#"{"name": "hook", "protocol_type": "HTTP", "target": "$ref:aws_lambda_function.orders.arn"}"#,
        ),
    ]);
    let gw = &aws.apigw;
    assert_eq!(gw.routes.len(), 2);
    let get = &gw.routes[0];
    assert_eq!(get.label(), "GET /orders/{id}");
    let integration = &gw.integrations[get.integration.target.expect("joined")];
    // A literal invoke ARN names the function inside it.
    assert_eq!(
        integration.function.as_ref().and_then(|f| f.target),
        Some(0)
    );
    assert_eq!(get.api.target, Some(0));

    // Quick create: a `$default` route with no authorization, straight to the function.
    let hook = &gw.routes[1];
    assert_eq!(hook.label(), "$default");
    assert!(hook.authorization.is_default());
    assert_eq!(hook.api.target, Some(1));
    let quick = &gw.integrations[hook.integration.target.expect("joined")];
    assert_eq!(quick.function.as_ref().and_then(|f| f.target), Some(0));
}

#[test]
fn container_definitions_are_read_from_json_strings_and_trees() {
    let aws = adapt(vec![
        managed(
            "aws_ecs_task_definition.tree",
            r#"{"family": "tree", "container_definitions": {"$json": [
                {"name": "app", "image": "app:1", "privileged": true,
                 "environment": [{"name": "DB_PASSWORD", "value": "x"}]}]}}"#,
        ),
        managed(
            "aws_ecs_task_definition.text",
            r#"{"family": "text", "requires_compatibilities": ["FARGATE"],
                "task_role_arn": "$ref:aws_iam_role.task.arn",
                "container_definitions": "[{\"name\": \"web\", \"readonlyRootFilesystem\": true}]"}"#,
        ),
        managed(
            "aws_ecs_task_definition.file",
            r#"{"family": "file", "container_definitions": "$unknown"}"#,
        ),
    ]);
    let tasks = &aws.ecs.task_definitions;
    let tree = tasks[0].containers.get().expect("known");
    assert!(tree[0].privileged.is_true() && tree[0].read_only_root.is_default());
    assert_eq!(tree[0].environment.get().map(Vec::len), Some(1));
    assert!(tasks[0].task_role.is_none());
    assert_eq!(tasks[0].may_run_on_hosts(), Some(true));

    let text = tasks[1].containers.get().expect("known");
    assert!(text[0].read_only_root.is_true() && text[0].privileged.is_default());
    assert_eq!(tasks[1].may_run_on_hosts(), Some(false));
    assert!(tasks[1].task_role.is_some());

    assert!(tasks[2].containers.is_unknown());
}

#[test]
fn resource_policies_join_by_reference_url_arn_and_name() {
    let doc =
        r#"{"$json": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "x:Y"}]}}"#;
    let aws = adapt(vec![
        managed("aws_sqs_queue.jobs", r#"{"name": "jobs"}"#),
        managed(
            "aws_sqs_queue_policy.jobs",
            &format!(
                r#"{{"queue_url": "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs", "policy": {doc}}}"#
            ),
        ),
        managed("aws_secretsmanager_secret.db", r#"{"name": "prod/db"}"#),
        managed(
            "aws_secretsmanager_secret_policy.db",
            &format!(
                r#"{{"secret_arn": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf", "policy": {doc}}}"#
            ),
        ),
        managed(
            "aws_secretsmanager_secret_rotation.db",
            r#"{"secret_id": "$ref:aws_secretsmanager_secret.db.id"}"#,
        ),
        managed("aws_ecr_repository.api", r#"{"name": "acme/api"}"#),
        managed(
            "aws_ecr_repository_policy.api",
            &format!(r#"{{"repository": "acme/api", "policy": {doc}}}"#),
        ),
        managed("aws_kms_key.k", &format!(r#"{{"policy": {doc}}}"#)),
    ]);
    assert_eq!(aws.sqs.policies[0].target.target, Some(0));
    assert_eq!(aws.secretsmanager.policies[0].target.target, Some(0));
    assert_eq!(aws.secretsmanager.rotations[0].secret.target, Some(0));
    assert_eq!(aws.ecr.policies[0].target.target, Some(0));
    assert_eq!(aws.kms.policies[0].target.target, Some(0));
    let grants = aws.kms.policies[0].document.get().expect("known");
    assert_eq!(grants.public_grants().grants.len(), 1);
    assert!(aws.kms.keys[0].rotation.is_default());
}

#[test]
fn aurora_members_leave_storage_settings_to_their_cluster() {
    let aws = adapt(vec![
        managed(
            "aws_rds_cluster.legacy",
            r#"{"cluster_identifier": "legacy", "engine": "aurora-mysql", "engine_mode": "serverless"}"#,
        ),
        managed(
            "aws_rds_cluster_instance.a",
            r#"{"cluster_identifier": "legacy", "engine": "aurora-mysql", "publicly_accessible": true}"#,
        ),
        managed(
            "aws_db_instance.replica",
            r#"{"replicate_source_db": "$ref:aws_db_instance.main.identifier"}"#,
        ),
    ]);
    let rds = &aws.rds;
    assert!(rds.clusters[0].storage_encrypted.is_true());
    let member = &rds.instances[1];
    assert_eq!(member.cluster.as_ref().and_then(|c| c.target), Some(0));
    assert!(member.publicly_accessible.is_true());
    assert!(member.storage_encrypted.is_unknown() && member.iam_auth.is_unknown());
    let replica = &rds.instances[0];
    assert!(replica.is_replica.is_true() && replica.source.is_unknown());
}
