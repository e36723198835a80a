use proptest::prelude::*;
use trustmap_source::Span;

use super::super::{
    AggregationRule, K8s, KeyValue, LabelSelector, Object, PolicyRule, Role, RoleBinding, RoleRef,
    Subject,
};
use super::*;
use crate::{Language, ResourceMeta, Value};

fn s(v: &str) -> Value<String> {
    Value::explicit(v.to_string(), Span::default())
}

fn list(v: &[&str]) -> Vec<Value<String>> {
    v.iter().map(|x| s(x)).collect()
}

fn object(kind: &str, name: &str, namespace: Option<&str>) -> Object {
    Object {
        meta: ResourceMeta {
            address: format!("{kind}/{name}"),
            language: Language::Kubernetes,
            span: Span::default(),
            via: Vec::new(),
        },
        api_version: "rbac.authorization.k8s.io/v1".to_string(),
        kind: kind.to_string(),
        name: name.to_string(),
        namespace: namespace.map(str::to_string),
        labels: Vec::new(),
        annotations: Vec::new(),
    }
}

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> PolicyRule {
    PolicyRule {
        span: Span::default(),
        api_groups: list(groups),
        resources: list(resources),
        verbs: list(verbs),
        resource_names: Vec::new(),
        non_resource_urls: Vec::new(),
    }
}

/// A Role in `namespace`, or a ClusterRole when `None`.
fn role(name: &str, namespace: Option<&str>, rules: Vec<PolicyRule>) -> Role {
    let kind = if namespace.is_some() {
        "Role"
    } else {
        "ClusterRole"
    };
    Role {
        object: object(kind, name, namespace),
        cluster: namespace.is_none(),
        rules,
        aggregation: None,
    }
}

fn subject(kind: &str, name: &str, namespace: Option<&str>) -> Subject {
    Subject {
        span: Span::default(),
        kind: s(kind),
        name: s(name),
        namespace: Value::explicit(namespace.map(str::to_string), Span::default()),
    }
}

fn sa_subject(namespace: &str, name: &str) -> Subject {
    subject("ServiceAccount", name, Some(namespace))
}

/// A RoleBinding in `namespace`, or a ClusterRoleBinding when `None`.
fn binding(
    name: &str,
    namespace: Option<&str>,
    ref_kind: &str,
    ref_name: &str,
    subjects: Vec<Subject>,
) -> RoleBinding {
    let kind = if namespace.is_some() {
        "RoleBinding"
    } else {
        "ClusterRoleBinding"
    };
    RoleBinding {
        object: object(kind, name, namespace),
        cluster: namespace.is_none(),
        role_ref: RoleRef {
            span: Span::default(),
            kind: s(ref_kind),
            name: s(ref_name),
        },
        subjects,
    }
}

fn sa(namespace: &str, name: &str) -> SubjectRef {
    SubjectRef::ServiceAccount {
        namespace: namespace.to_string(),
        name: name.to_string(),
    }
}

fn k8s(roles: Vec<Role>, bindings: Vec<RoleBinding>) -> K8s {
    K8s {
        roles,
        bindings,
        ..K8s::default()
    }
}

/// Asserts the answer to `idx.can(who, verb, group, resource, namespace)`: `A` allowed,
/// `D` denied, `?` unknown.
#[track_caller]
fn expect(
    idx: &RbacIndex<'_>,
    who: &SubjectRef,
    verb: &str,
    group: &str,
    resource: &str,
    namespace: Option<&str>,
    want: char,
) {
    let got = decision(&idx.can(who, verb, group, resource, namespace));
    assert_eq!(
        got,
        want,
        "{} {verb} {group}/{resource} in {namespace:?}",
        who.describe()
    );
}

/// A `User` subject entry.
fn user(name: &str) -> Subject {
    subject("User", name, None)
}

/// The user `name`, as a subject to ask about.
fn user_ref(name: &str) -> SubjectRef {
    SubjectRef::User(name.to_string())
}

/// One role and one binding of it: the setup most tests need.
fn bound(role: Role, binding: RoleBinding) -> K8s {
    k8s(vec![role], vec![binding])
}

/// `A` allowed, `D` denied, `?` unknown.
fn decision(d: &Decision<'_>) -> char {
    match d {
        Decision::Allowed(_) => 'A',
        Decision::Denied => 'D',
        Decision::Unknown => '?',
    }
}

#[test]
fn a_role_binding_grants_its_role_in_its_namespace_only() {
    let k = bound(
        role(
            "reader",
            Some("shop"),
            vec![rule(&[""], &["pods"], &["get"])],
        ),
        binding(
            "r",
            Some("shop"),
            "Role",
            "reader",
            vec![subject("ServiceAccount", "web", None)],
        ),
    );
    let idx = k.rbac();
    let web = sa("shop", "web");
    expect(&idx, &web, "get", "", "pods", Some("shop"), 'A');
    expect(&idx, &web, "get", "", "pods", Some("other"), 'D');
    expect(&idx, &web, "list", "", "pods", Some("shop"), 'D');
    expect(&idx, &web, "get", "", "pods", None, 'D');
    // The ServiceAccount subject without a namespace is in the binding's.
    expect(
        &idx,
        &sa("other", "web"),
        "get",
        "",
        "pods",
        Some("shop"),
        'D',
    );
    let grants = idx.grants_of(&web);
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].scope, Scope::Namespace("shop"));
    assert!(grants[0].rule().is_some());
}

#[test]
fn a_role_binding_to_a_cluster_role_grants_it_in_the_binding_namespace_only() {
    let mut urls = rule(&[], &[], &["get"]);
    urls.non_resource_urls = list(&["/metrics"]);
    let k = k8s(
        vec![role(
            "secret-reader",
            None,
            vec![rule(&[""], &["secrets"], &["get", "list"]), urls],
        )],
        vec![
            binding(
                "rb",
                Some("a"),
                "ClusterRole",
                "secret-reader",
                vec![user("alice")],
            ),
            binding(
                "crb",
                None,
                "ClusterRole",
                "secret-reader",
                vec![subject("Group", "ops", None)],
            ),
        ],
    );
    let idx = k.rbac();
    let alice = user_ref("alice");
    expect(&idx, &alice, "list", "", "secrets", Some("a"), 'A');
    expect(&idx, &alice, "list", "", "secrets", Some("b"), 'D');
    assert_eq!(decision(&idx.can_url(&alice, "get", "/metrics")), 'D');
    let ops = SubjectRef::Group("ops".into());
    expect(&idx, &ops, "list", "", "secrets", Some("b"), 'A');
    assert_eq!(decision(&idx.can_url(&ops, "get", "/metrics")), 'A');
    assert_eq!(decision(&idx.can_url(&ops, "get", "/healthz")), 'D');
    assert_eq!(idx.bindings_of(&k.roles[0]).len(), 2);
}

#[test]
fn a_cluster_role_binding_to_a_role_grants_nothing() {
    let k = bound(
        role("r", Some("a"), vec![rule(&["*"], &["*"], &["*"])]),
        binding("crb", None, "Role", "r", vec![user("bob")]),
    );
    let idx = k.rbac();
    let bob = user_ref("bob");
    expect(&idx, &bob, "get", "", "pods", Some("a"), 'D');
    assert!(idx.holders_of(&k.roles[0]).is_empty());
}

#[test]
fn subjects_inherit_their_groups() {
    let k = k8s(
        vec![role(
            "r",
            None,
            vec![rule(&[""], &["configmaps"], &["get"])],
        )],
        vec![
            binding(
                "ns-sas",
                Some("shop"),
                "ClusterRole",
                "r",
                vec![subject("Group", "system:serviceaccounts:shop", None)],
            ),
            binding(
                "everyone",
                None,
                "ClusterRole",
                "r",
                vec![subject("Group", "system:unauthenticated", None)],
            ),
        ],
    );
    let idx = k.rbac();
    expect(
        &idx,
        &sa("shop", "x"),
        "get",
        "",
        "configmaps",
        Some("shop"),
        'A',
    );
    expect(
        &idx,
        &sa("web", "x"),
        "get",
        "",
        "configmaps",
        Some("shop"),
        'D',
    );
    let anon = user_ref("system:anonymous");
    expect(
        &idx,
        &anon,
        "get",
        "",
        "configmaps",
        Some("kube-system"),
        'A',
    );
    let alice = user_ref("alice");
    expect(&idx, &alice, "get", "", "configmaps", Some("shop"), 'D');
}

#[test]
fn a_user_named_like_a_service_account_is_that_service_account() {
    let k = bound(
        role(
            "r",
            Some("ci"),
            vec![rule(&["apps"], &["deployments"], &["patch"])],
        ),
        binding(
            "b",
            Some("ci"),
            "Role",
            "r",
            vec![user("system:serviceaccount:ci:deployer")],
        ),
    );
    let idx = k.rbac();
    expect(
        &idx,
        &sa("ci", "deployer"),
        "patch",
        "apps",
        "deployments",
        Some("ci"),
        'A',
    );
}

#[test]
fn wildcards_subresources_and_resource_names() {
    let mut named = rule(&[""], &["secrets"], &["get"]);
    named.resource_names = list(&["tls"]);
    let k = bound(
        role(
            "r",
            Some("a"),
            vec![
                rule(&[""], &["*/exec"], &["create"]),
                rule(&["*"], &["pods"], &["*"]),
                named,
            ],
        ),
        binding("b", Some("a"), "Role", "r", vec![user("u")]),
    );
    let idx = k.rbac();
    let u = user_ref("u");
    expect(&idx, &u, "create", "", "pods/exec", Some("a"), 'A');
    expect(&idx, &u, "create", "", "pods/attach", Some("a"), 'D');
    expect(&idx, &u, "delete", "metrics.k8s.io", "pods", Some("a"), 'A');
    // `pods` does not cover its subresources.
    expect(&idx, &u, "get", "", "pods/log", Some("a"), 'D');
    expect(&idx, &u, "get", "", "secrets", Some("a"), 'D');
    let req = |name| Request {
        verb: "get",
        group: "",
        resource: "secrets",
        name: Some(name),
        namespace: Some("a"),
    };
    assert_eq!(decision(&idx.can_request(&u, &req("tls"))), 'A');
    assert_eq!(decision(&idx.can_request(&u, &req("db"))), 'D');
}

#[test]
fn unknown_values_and_missing_roles_are_unknown_never_denied() {
    let mut r = rule(&[""], &["pods"], &["get"]);
    r.verbs.push(Value::unknown(Span::default()));
    let k = k8s(
        vec![role("r", Some("a"), vec![r])],
        vec![
            binding("b", Some("a"), "Role", "r", vec![user("u")]),
            binding(
                "c",
                Some("a"),
                "ClusterRole",
                "vendor-operator",
                vec![user("v")],
            ),
        ],
    );
    let idx = k.rbac();
    let u = user_ref("u");
    expect(&idx, &u, "get", "", "pods", Some("a"), 'A');
    expect(&idx, &u, "delete", "", "pods", Some("a"), '?');
    expect(&idx, &u, "delete", "", "secrets", Some("a"), 'D');
    let v = user_ref("v");
    expect(&idx, &v, "get", "", "secrets", Some("a"), '?');
    expect(&idx, &v, "get", "", "secrets", Some("b"), 'D');
    assert!(matches!(
        idx.grants_of(&v)[0].permission,
        Permission::Unknown
    ));
}

#[test]
fn default_cluster_roles_have_their_documented_power() {
    let k = k8s(
        vec![],
        vec![
            binding("e", Some("a"), "ClusterRole", "edit", vec![user("dev")]),
            binding("v", Some("a"), "ClusterRole", "view", vec![user("qa")]),
            binding(
                "c",
                None,
                "ClusterRole",
                "cluster-admin",
                vec![user("root")],
            ),
        ],
    );
    let idx = k.rbac();
    let dev = user_ref("dev");
    let qa = user_ref("qa");
    let root = user_ref("root");
    expect(&idx, &dev, "get", "", "secrets", Some("a"), 'A');
    expect(&idx, &dev, "create", "", "pods/exec", Some("a"), 'A');
    expect(
        &idx,
        &dev,
        "create",
        "rbac.authorization.k8s.io",
        "rolebindings",
        Some("a"),
        'D',
    );
    expect(&idx, &qa, "get", "", "secrets", Some("a"), 'D');
    expect(&idx, &qa, "list", "apps", "deployments", Some("a"), 'A');
    expect(
        &idx,
        &root,
        "escalate",
        "rbac.authorization.k8s.io",
        "clusterroles",
        None,
        'A',
    );
    assert_eq!(decision(&idx.can_url(&root, "get", "/metrics")), 'A');
}

fn labelled(mut r: Role, key: &str) -> Role {
    r.object.labels.push(KeyValue {
        key: key.to_string(),
        key_span: Span::default(),
        value: s("true"),
    });
    r
}

#[test]
fn aggregated_cluster_roles_hold_the_rules_of_the_roles_they_select() {
    let mut monitoring = role("monitoring", None, vec![]);
    monitoring.aggregation = Some(AggregationRule {
        span: Span::default(),
        selectors: vec![LabelSelector {
            span: Span::default(),
            match_labels: vec![KeyValue {
                key: "example.com/aggregate-to-monitoring".into(),
                key_span: Span::default(),
                value: s("true"),
            }],
            match_expressions: Vec::new(),
        }],
    });
    let k = k8s(
        vec![
            monitoring,
            labelled(
                role(
                    "metrics",
                    None,
                    vec![rule(&[""], &["pods", "nodes/proxy"], &["get"])],
                ),
                "example.com/aggregate-to-monitoring",
            ),
            labelled(
                role(
                    "crd-editor",
                    None,
                    vec![rule(&["example.com"], &["widgets"], &["create"])],
                ),
                "rbac.authorization.k8s.io/aggregate-to-view",
            ),
            role("unrelated", None, vec![rule(&[""], &["secrets"], &["get"])]),
        ],
        vec![
            binding(
                "m",
                None,
                "ClusterRole",
                "monitoring",
                vec![sa_subject("mon", "prom")],
            ),
            binding("e", Some("a"), "ClusterRole", "edit", vec![user("dev")]),
        ],
    );
    let idx = k.rbac();
    let prom = sa("mon", "prom");
    expect(&idx, &prom, "get", "", "nodes/proxy", None, 'A');
    // The cluster may hold more roles its selector matches.
    expect(&idx, &prom, "get", "", "secrets", Some("a"), '?');
    let holders = idx.holders_of(&k.roles[1]);
    assert_eq!(holders.len(), 1);
    assert!(holders[0].aggregated);
    assert_eq!(holders[0].who(), Some(prom));
    assert!(idx.holders_of(&k.roles[3]).is_empty());
    // Labelled into `view`, hence into `edit`.
    let dev = user_ref("dev");
    expect(
        &idx,
        &dev,
        "create",
        "example.com",
        "widgets",
        Some("a"),
        'A',
    );
    assert_eq!(idx.bindings_of(&k.roles[2]).len(), 1);
}

#[test]
fn objects_of_different_overlays_do_not_bind_each_other() {
    use trustmap_source::{FileId, Via, ViaKind};
    let overlay = |mut o: Object, file: u32| {
        o.meta.language = Language::Kustomize;
        o.meta.via.push(Via {
            kind: ViaKind::Other {
                note: "kustomization".into(),
            },
            span: Span::new(FileId(file), 0, 1),
        });
        o
    };
    let mut staging = role("r", Some("a"), vec![rule(&[""], &["pods"], &["get"])]);
    staging.object = overlay(staging.object, 1);
    let mut prod = role("r", Some("a"), vec![rule(&[""], &["pods"], &["delete"])]);
    prod.object = overlay(prod.object, 2);
    let mut b = binding("b", Some("a"), "Role", "r", vec![user("u")]);
    b.object = overlay(b.object, 1);
    let k = k8s(vec![staging, prod], vec![b]);
    let idx = k.rbac();
    let u = user_ref("u");
    expect(&idx, &u, "get", "", "pods", Some("a"), 'A');
    expect(&idx, &u, "delete", "", "pods", Some("a"), 'D');
}

proptest! {
    /// Whatever the bindings, a request in namespace `n` is only ever allowed by a
    /// ClusterRoleBinding or by a RoleBinding of namespace `n`.
    #[test]
    fn role_bindings_never_grant_outside_their_namespace(
        bindings in prop::collection::vec(
            (prop::option::of(0..3usize), 0..3usize, proptest::bool::ANY, 0..3usize),
            0..8,
        ),
        ask_ns in prop::option::of(0..3usize),
        ask_sa in 0..3usize,
    ) {
        let ns = ["a", "b", "c"];
        let roles = vec![
            role("any", None, vec![rule(&["*"], &["*"], &["*"])]),
            role("any", Some("a"), vec![rule(&["*"], &["*"], &["*"])]),
            role("any", Some("b"), vec![rule(&["*"], &["*"], &["*"])]),
        ];
        let bindings = bindings
            .iter()
            .enumerate()
            .map(|(i, &(bns, sa_ns, cluster_role, group))| {
                let who = match group {
                    0 => sa_subject(ns[sa_ns], "app"),
                    1 => subject("Group", &format!("system:serviceaccounts:{}", ns[sa_ns]), None),
                    _ => subject("Group", "system:authenticated", None),
                };
                let kind = if cluster_role { "ClusterRole" } else { "Role" };
                binding(&format!("b{i}"), bns.map(|n| ns[n]), kind, "any", vec![who])
            })
            .collect();
        let k = k8s(roles, bindings);
        let idx = k.rbac();
        let asked = ask_ns.map(|n| ns[n]);
        if let Decision::Allowed(grants) = idx.can(&sa(ns[ask_sa], "app"), "get", "", "pods", asked) {
            for g in grants {
                match g.binding.object.namespace.as_deref() {
                    Some(bns) => {
                        prop_assert_eq!(Some(bns), asked);
                        prop_assert_eq!(g.scope, Scope::Namespace(bns));
                    }
                    None => prop_assert_eq!(g.scope, Scope::Cluster),
                }
            }
        }
        for g in idx.grants_of(&sa(ns[ask_sa], "app")) {
            if let (Some(bns), Permission::Rule { role, .. }) = (g.binding.object.namespace.as_deref(), g.permission) {
                // A RoleBinding's Role is of its own namespace.
                if !role.cluster {
                    prop_assert_eq!(role.object.namespace.as_deref(), Some(bns));
                }
            }
        }
    }
}
