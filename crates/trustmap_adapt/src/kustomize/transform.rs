//! The built-in transformers: target selection, namespace, name prefix/suffix (and the name
//! references that follow a rename), labels, annotations, images, replicas; `replacements`
//! and `vars`, which are not evaluated, make the fields they would set unknown.

use std::collections::HashMap;

use trustmap_model::k8s::ImageRef;
use trustmap_source::{Span, Via, ViaKind};
use trustmap_syntax::{Node, NodeKind};

use super::build::{Builder, Kx, Res, entries};
use super::paths::display_dir;
use super::tree::{self, get_mut, text, text_at};

/// Kinds without a namespace (their objects get no `namespace`).
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "Node",
    "PersistentVolume",
    "StorageClass",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PriorityClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "APIService",
    "CSIDriver",
    "CSINode",
    "VolumeAttachment",
    "IngressClass",
    "RuntimeClass",
    "PodSecurityPolicy",
    "CertificateSigningRequest",
    "ClusterIssuer",
];

/// Workload kinds whose pods are selected by `spec.selector.matchLabels`.
const SELECTING_WORKLOADS: &[&str] = &["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"];

/// The objects a `target`/`select` selector picks: `group`, `version`, `kind`, `name` and
/// `namespace` are anchored regular expressions (a name matches the current or the original
/// name), `labelSelector`/`annotationSelector` label-selector expressions.
pub(super) fn select(target: &Node, res: &[Res]) -> Vec<usize> {
    let get = |k: &str| text_at(target, &[k]);
    let (group, version, kind, name, namespace) = (
        get("group"),
        get("version"),
        get("kind"),
        get("name"),
        get("namespace"),
    );
    let labels = get("labelSelector");
    let annotations = get("annotationSelector");
    res.iter()
        .enumerate()
        .filter(|(_, r)| {
            let (g, v) = r.group_version();
            pattern(group.as_deref(), &g)
                && pattern(version.as_deref(), &v)
                && pattern(kind.as_deref(), &r.kind())
                && (pattern(name.as_deref(), &r.name()) || pattern(name.as_deref(), &r.orig_name))
                && (pattern(namespace.as_deref(), &r.namespace().unwrap_or_default())
                    || pattern(
                        namespace.as_deref(),
                        r.orig_namespace.as_deref().unwrap_or_default(),
                    ))
                && labels
                    .as_deref()
                    .is_none_or(|s| selects(s, r.doc.path(&["metadata", "labels"])))
                && annotations
                    .as_deref()
                    .is_none_or(|s| selects(s, r.doc.path(&["metadata", "annotations"])))
        })
        .map(|(i, _)| i)
        .collect()
}

/// An anchored regular expression match (plain equality when the pattern is not a regex).
fn pattern(p: Option<&str>, value: &str) -> bool {
    let Some(p) = p.filter(|p| !p.is_empty()) else {
        return true;
    };
    if p == value {
        return true;
    }
    regex::Regex::new(&format!("^(?:{p})$")).is_ok_and(|re| re.is_match(value))
}

/// A label selector (`a=b,c!=d,e,!f,g in (x,y),h notin (z)`) against a map of labels.
fn selects(selector: &str, labels: Option<&Node>) -> bool {
    let get = |k: &str| labels.and_then(|l| l.get(k)).and_then(text);
    split_terms(selector).iter().all(|term| {
        let t = term.trim();
        if t.is_empty() {
            return true;
        }
        if let Some((k, rest)) = t.split_once(" in ") {
            return get(k.trim()).is_some_and(|v| set(rest).contains(&v.as_str()));
        }
        if let Some((k, rest)) = t.split_once(" notin ") {
            return get(k.trim()).is_none_or(|v| !set(rest).contains(&v.as_str()));
        }
        if let Some((k, v)) = t.split_once("!=") {
            return get(k.trim()).as_deref() != Some(v.trim());
        }
        if let Some((k, v)) = t.split_once("==").or_else(|| t.split_once('=')) {
            return get(k.trim()).as_deref() == Some(v.trim());
        }
        if let Some(k) = t.strip_prefix('!') {
            return get(k.trim()).is_none();
        }
        get(t).is_some()
    })
}

fn set(list: &str) -> Vec<&str> {
    list.trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(str::trim)
        .collect()
}

/// Splits on commas outside parentheses.
fn split_terms(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// `namespace:` sets every namespaced object's namespace (and the namespace of
/// ServiceAccount subjects of role bindings that had none or `default`).
pub(super) fn namespace(kx: &Kx<'_>, res: &mut [Res]) {
    let Some(entry) = kx.doc.entry("namespace") else {
        return;
    };
    let Some(ns) = text(&entry.value) else {
        return;
    };
    let value = Node::string(ns.clone(), entry.value.span);
    for r in res.iter_mut() {
        let kind = r.kind();
        if CLUSTER_SCOPED.contains(&kind.as_str()) {
            continue;
        }
        let span = r.doc.span;
        if let Some(meta) = tree::map_at(&mut r.doc, "metadata", span) {
            tree::set(meta, "namespace", entry.key_span, value.clone());
        }
    }
    for r in res.iter_mut() {
        let kind = r.kind();
        if !matches!(kind.as_str(), "RoleBinding" | "ClusterRoleBinding") {
            continue;
        }
        let Some(NodeKind::Seq(subjects)) = get_mut(&mut r.doc, "subjects").map(|s| &mut s.kind)
        else {
            continue;
        };
        for s in subjects {
            if text_at(s, &["kind"]).as_deref() != Some("ServiceAccount") {
                continue;
            }
            let current = text_at(s, &["namespace"]);
            if current.is_none() || current.as_deref() == Some("default") {
                tree::set(s, "namespace", entry.key_span, value.clone());
            }
        }
    }
}

/// `namePrefix`/`nameSuffix`, then the references to renamed objects.
pub(super) fn name_prefix_suffix(kx: &Kx<'_>, res: &mut [Res]) {
    let prefix = kx.doc.get("namePrefix").and_then(text).unwrap_or_default();
    let suffix = kx.doc.get("nameSuffix").and_then(text).unwrap_or_default();
    if prefix.is_empty() && suffix.is_empty() {
        return;
    }
    let mut renames: HashMap<(String, String), String> = HashMap::new();
    for r in res.iter_mut() {
        let kind = r.kind();
        if matches!(
            kind.as_str(),
            "Namespace" | "CustomResourceDefinition" | "APIService"
        ) {
            continue;
        }
        let Some(name) = get_mut(&mut r.doc, "metadata").and_then(|m| get_mut(m, "name")) else {
            continue;
        };
        let Some(old) = text(name) else { continue };
        let new = format!("{prefix}{old}{suffix}");
        name.kind = NodeKind::String(new.clone());
        renames.insert((kind, old), new);
    }
    rename_references(res, &renames);
}

/// Where a pod spec sits in each workload kind.
fn pod_spec_paths(kind: &str) -> &'static [&'static str] {
    match kind {
        "Pod" => &["spec"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => &["spec", "template", "spec"],
        _ => &[],
    }
}

fn node_at<'n>(n: &'n mut Node, keys: &[&str]) -> Option<&'n mut Node> {
    keys.iter().try_fold(n, |n, k| get_mut(n, k))
}

/// Updates `node` (a name) when it names an object of `kind` that was renamed.
fn follow(node: Option<&mut Node>, kind: &str, renames: &HashMap<(String, String), String>) {
    let Some(node) = node else { return };
    let Some(old) = text(node) else { return };
    if let Some(new) = renames.get(&(kind.to_string(), old)) {
        node.kind = NodeKind::String(new.clone());
    }
}

fn seq_mut(n: Option<&mut Node>) -> &mut [Node] {
    match n.map(|n| &mut n.kind) {
        Some(NodeKind::Seq(items)) => items,
        _ => &mut [],
    }
}

/// The name references kustomize updates when an object is renamed (the ones rules follow:
/// ServiceAccounts, ConfigMaps, Secrets, claims, roles, Services).
fn rename_references(res: &mut [Res], renames: &HashMap<(String, String), String>) {
    if renames.is_empty() {
        return;
    }
    for r in res.iter_mut() {
        let kind = r.kind();
        if let Some(spec) =
            node_at(&mut r.doc, pod_spec_paths(&kind)).filter(|_| !pod_spec_paths(&kind).is_empty())
        {
            follow(
                get_mut(spec, "serviceAccountName"),
                "ServiceAccount",
                renames,
            );
            follow(get_mut(spec, "serviceAccount"), "ServiceAccount", renames);
            for s in seq_mut(get_mut(spec, "imagePullSecrets")) {
                follow(get_mut(s, "name"), "Secret", renames);
            }
            for v in seq_mut(get_mut(spec, "volumes")) {
                follow(node_at(v, &["configMap", "name"]), "ConfigMap", renames);
                follow(node_at(v, &["secret", "secretName"]), "Secret", renames);
                follow(
                    node_at(v, &["persistentVolumeClaim", "claimName"]),
                    "PersistentVolumeClaim",
                    renames,
                );
                for src in seq_mut(node_at(v, &["projected", "sources"])) {
                    follow(node_at(src, &["configMap", "name"]), "ConfigMap", renames);
                    follow(node_at(src, &["secret", "name"]), "Secret", renames);
                }
            }
            for list in ["containers", "initContainers", "ephemeralContainers"] {
                for c in seq_mut(get_mut(spec, list)) {
                    for e in seq_mut(get_mut(c, "env")) {
                        follow(
                            node_at(e, &["valueFrom", "configMapKeyRef", "name"]),
                            "ConfigMap",
                            renames,
                        );
                        follow(
                            node_at(e, &["valueFrom", "secretKeyRef", "name"]),
                            "Secret",
                            renames,
                        );
                    }
                    for e in seq_mut(get_mut(c, "envFrom")) {
                        follow(node_at(e, &["configMapRef", "name"]), "ConfigMap", renames);
                        follow(node_at(e, &["secretRef", "name"]), "Secret", renames);
                    }
                }
            }
        }
        match kind.as_str() {
            "RoleBinding" | "ClusterRoleBinding" => {
                let role_kind = text_at(&r.doc, &["roleRef", "kind"]).unwrap_or_default();
                follow(
                    node_at(&mut r.doc, &["roleRef", "name"]),
                    &role_kind,
                    renames,
                );
                for s in seq_mut(get_mut(&mut r.doc, "subjects")) {
                    if text_at(s, &["kind"]).as_deref() == Some("ServiceAccount") {
                        follow(get_mut(s, "name"), "ServiceAccount", renames);
                    }
                }
            }
            "Ingress" => {
                follow(
                    node_at(&mut r.doc, &["spec", "defaultBackend", "service", "name"]),
                    "Service",
                    renames,
                );
                for rule in seq_mut(node_at(&mut r.doc, &["spec", "rules"])) {
                    for p in seq_mut(node_at(rule, &["http", "paths"])) {
                        follow(
                            node_at(p, &["backend", "service", "name"]),
                            "Service",
                            renames,
                        );
                        follow(node_at(p, &["backend", "serviceName"]), "Service", renames);
                    }
                }
            }
            "HorizontalPodAutoscaler" => {
                let target =
                    text_at(&r.doc, &["spec", "scaleTargetRef", "kind"]).unwrap_or_default();
                follow(
                    node_at(&mut r.doc, &["spec", "scaleTargetRef", "name"]),
                    &target,
                    renames,
                );
            }
            _ => {}
        }
    }
}

/// Adds `pairs` (key, key span, value node) to the map under `keys`, creating it.
fn add_pairs(doc: &mut Node, keys: &[&str], pairs: &[(String, Span, Node)], create: bool) {
    let mut cur = doc;
    for k in keys {
        if !create && cur.get(k).is_none() {
            return;
        }
        let span = cur.span;
        match tree::map_at(cur, k, span) {
            Some(next) => cur = next,
            None => return,
        }
    }
    for (k, ks, v) in pairs {
        tree::set(cur, k, *ks, v.clone());
    }
}

fn pairs_of(map: Option<&Node>) -> Vec<(String, Span, Node)> {
    map.and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| {
            let v = text(&e.value)?;
            Some((e.key.clone(), e.key_span, Node::string(v, e.value.span)))
        })
        .collect()
}

/// Adds labels to objects, and (when asked) to selectors and pod templates.
fn apply_labels(res: &mut [Res], pairs: &[(String, Span, Node)], selectors: bool, templates: bool) {
    if pairs.is_empty() {
        return;
    }
    for r in res.iter_mut() {
        let kind = r.kind();
        add_pairs(&mut r.doc, &["metadata", "labels"], pairs, true);
        if selectors {
            if SELECTING_WORKLOADS.contains(&kind.as_str()) {
                add_pairs(
                    &mut r.doc,
                    &["spec", "selector", "matchLabels"],
                    pairs,
                    true,
                );
            } else if kind == "Service" {
                add_pairs(&mut r.doc, &["spec", "selector"], pairs, true);
            }
        }
        if templates || selectors {
            match kind.as_str() {
                "CronJob" => add_pairs(
                    &mut r.doc,
                    &[
                        "spec",
                        "jobTemplate",
                        "spec",
                        "template",
                        "metadata",
                        "labels",
                    ],
                    pairs,
                    true,
                ),
                k if !pod_spec_paths(k).is_empty() && k != "Pod" => {
                    add_pairs(
                        &mut r.doc,
                        &["spec", "template", "metadata", "labels"],
                        pairs,
                        true,
                    );
                }
                _ => {}
            }
        }
    }
}

/// `commonLabels` (objects, selectors and templates) and `labels` (as each entry asks).
pub(super) fn labels(kx: &Kx<'_>, res: &mut [Res]) {
    apply_labels(res, &pairs_of(kx.doc.get("commonLabels")), true, true);
    for entry in entries(&kx.doc, "labels") {
        let pairs = pairs_of(entry.get("pairs"));
        let flag = |k: &str| entry.get(k).and_then(Node::as_bool).unwrap_or(false);
        apply_labels(
            res,
            &pairs,
            flag("includeSelectors"),
            flag("includeTemplates"),
        );
    }
}

/// `commonAnnotations`: objects and pod templates.
pub(super) fn annotations(kx: &Kx<'_>, res: &mut [Res]) {
    let pairs = pairs_of(kx.doc.get("commonAnnotations"));
    if pairs.is_empty() {
        return;
    }
    for r in res.iter_mut() {
        let kind = r.kind();
        add_pairs(&mut r.doc, &["metadata", "annotations"], &pairs, true);
        if kind == "CronJob" {
            add_pairs(
                &mut r.doc,
                &[
                    "spec",
                    "jobTemplate",
                    "spec",
                    "template",
                    "metadata",
                    "annotations",
                ],
                &pairs,
                false,
            );
        } else if !pod_spec_paths(&kind).is_empty() && kind != "Pod" {
            add_pairs(
                &mut r.doc,
                &["spec", "template", "metadata", "annotations"],
                &pairs,
                false,
            );
        }
    }
}

/// One `images` entry.
struct ImageRule {
    name: String,
    new_name: Option<Node>,
    new_tag: Option<Node>,
    digest: Option<Node>,
}

/// `images`: rewrites container images by name. The new image is located where the entry
/// decides it (its `digest`, else `newTag`, else `newName`), and remembers the original.
pub(super) fn images(kx: &Kx<'_>, res: &mut [Res]) {
    let rules: Vec<ImageRule> = entries(&kx.doc, "images")
        .into_iter()
        .filter_map(|e| {
            let get = |k: &str| {
                e.get(k)
                    .filter(|n| !n.is_null())
                    .map(|n| n.untagged().clone())
            };
            Some(ImageRule {
                name: e.get("name").and_then(text)?,
                new_name: get("newName"),
                new_tag: get("newTag"),
                digest: get("digest"),
            })
        })
        .collect();
    if rules.is_empty() {
        return;
    }
    for r in res.iter_mut() {
        rewrite_images(&mut r.doc, &rules, kx);
    }
}

fn rewrite_images(n: &mut Node, rules: &[ImageRule], kx: &Kx<'_>) {
    let NodeKind::Map(entries) = &mut n.kind else {
        if let NodeKind::Seq(items) = &mut n.kind {
            items.iter_mut().for_each(|i| rewrite_images(i, rules, kx));
        }
        return;
    };
    for e in entries.iter_mut() {
        if matches!(
            e.key.as_str(),
            "containers" | "initContainers" | "ephemeralContainers"
        ) && let NodeKind::Seq(items) = &mut e.value.kind
        {
            for c in items.iter_mut() {
                if let Some(image) = get_mut(c, "image") {
                    rewrite_image(image, rules, kx);
                }
            }
        } else {
            rewrite_images(&mut e.value, rules, kx);
        }
    }
}

fn rewrite_image(image: &mut Node, rules: &[ImageRule], kx: &Kx<'_>) {
    let Some(old) = image.as_str().map(str::to_string) else {
        return;
    };
    let parsed = ImageRef::parse(&old);
    let Some(rule) = rules.iter().find(|r| r.name == parsed.repository) else {
        return;
    };
    let name = rule
        .new_name
        .as_ref()
        .and_then(text)
        .unwrap_or_else(|| parsed.repository.clone());
    let (text, decided) = match (&rule.digest, &rule.new_tag) {
        (Some(d), _) => (format!("{name}@{}", text(d).unwrap_or_default()), d),
        (None, Some(t)) => (format!("{name}:{}", text(t).unwrap_or_default()), t),
        (None, None) => {
            let Some(n) = &rule.new_name else { return };
            let suffix = old[parsed.repository.len()..].to_string();
            (format!("{name}{suffix}"), n)
        }
    };
    let via = Via {
        kind: ViaKind::Other {
            note: format!(
                "image `{old}` rewritten by `images` of kustomization `{}`",
                display_dir(&kx.dir)
            ),
        },
        span: image.span,
    };
    let mut new = Node::string(text, decided.span);
    new.via = std::iter::once(via)
        .chain(decided.via.iter().cloned())
        .collect();
    *image = new;
}

/// `replicas`: sets `spec.replicas` of the named workloads.
pub(super) fn replicas(kx: &Kx<'_>, res: &mut [Res]) {
    for entry in entries(&kx.doc, "replicas") {
        let (Some(name), Some(count)) = (entry.get("name").and_then(text), entry.get("count"))
        else {
            continue;
        };
        for r in res.iter_mut().filter(|r| r.named(&name)) {
            if let Some(spec) = get_mut(&mut r.doc, "spec") {
                let key_span = entry.entry("count").map_or(count.span, |e| e.key_span);
                tree::set(spec, "replicas", key_span, count.untagged().clone());
            }
        }
    }
}

/// `replacements` are not evaluated: every field a replacement targets becomes unknown.
pub(super) fn replacements(b: &mut Builder<'_, '_>, kx: &Kx<'_>, res: &mut [Res]) {
    let Some(entry) = kx.doc.entry("replacements") else {
        return;
    };
    b.ws.report(kx.unsupported(
        entry.key_span,
        format!(
            "kustomize `replacements` are not evaluated: the fields they set are unknown in the build of `{}`",
            display_dir(&kx.dir)
        ),
    ));
    for rep in entries(&kx.doc, "replacements") {
        for target in rep.get("targets").and_then(Node::as_seq).unwrap_or(&[]) {
            let Some(selector) = target.get("select") else {
                continue;
            };
            let paths: Vec<String> = target
                .get("fieldPaths")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter_map(text)
                .collect();
            let via = kx.via("`replacements`", target.span);
            for i in select(selector, res) {
                for p in &paths {
                    unknown_at(&mut res[i].doc, &field_path(p), &via);
                }
            }
        }
    }
}

/// `spec.containers.[name=app].image` → segments (a `[k=v]` segment may hold dots).
fn field_path(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut cur, mut depth) = (String::new(), 0);
    for c in p.chars() {
        match c {
            '[' => {
                depth += 1;
                cur.push(c);
            }
            ']' => {
                depth -= 1;
                cur.push(c);
            }
            '.' if depth == 0 => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Makes the value(s) at `path` unknown (missing paths are left alone).
fn unknown_at(n: &mut Node, path: &[String], via: &Via) {
    let Some((first, rest)) = path.split_first() else {
        n.kind = NodeKind::Unknown;
        n.via.insert(0, via.clone());
        return;
    };
    match &mut n.kind {
        NodeKind::Seq(items) => {
            let sel = first.trim_start_matches('[').trim_end_matches(']');
            if first == "*" {
                items.iter_mut().for_each(|i| unknown_at(i, rest, via));
            } else if let Some((k, v)) = sel.split_once('=') {
                for i in items
                    .iter_mut()
                    .filter(|i| i.get(k).and_then(text).as_deref() == Some(v))
                {
                    unknown_at(i, rest, via);
                }
            } else if let Some(i) = sel.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                unknown_at(i, rest, via);
            }
        }
        NodeKind::Map(_) => {
            let key = first.trim_start_matches('[').trim_end_matches(']');
            if let Some(child) = get_mut(n, key) {
                unknown_at(child, rest, via);
            }
        }
        _ => {}
    }
}

/// `vars` are not substituted: strings that use one (`$(NAME)`) become unknown.
pub(super) fn vars(b: &mut Builder<'_, '_>, kx: &Kx<'_>, res: &mut [Res]) {
    let Some(entry) = kx.doc.entry("vars") else {
        return;
    };
    b.ws.report(kx.unsupported(
        entry.key_span,
        format!(
            "kustomize `vars` are not substituted: values that use them are unknown in the build of `{}`",
            display_dir(&kx.dir)
        ),
    ));
    let names: Vec<String> = entries(&kx.doc, "vars")
        .iter()
        .filter_map(|v| v.get("name").and_then(text))
        .map(|n| format!("$({n})"))
        .collect();
    let via = kx.via("`vars`", entry.key_span);
    for r in res.iter_mut() {
        tree::walk_mut(&mut r.doc, &mut |n| {
            if let NodeKind::String(s) = &n.kind
                && names.iter().any(|v| s.contains(v.as_str()))
            {
                n.kind = NodeKind::Unknown;
                n.via.insert(0, via.clone());
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_selectors() {
        let file = trustmap_source::SourceFile::new(
            trustmap_source::FileId(0),
            "x.yaml",
            "app: web\ntier: front\n",
        );
        let doc = trustmap_syntax::yaml::parse(&file).docs.remove(0);
        assert!(selects("app=web", Some(&doc)));
        assert!(selects("app==web,tier", Some(&doc)));
        assert!(!selects("app!=web", Some(&doc)));
        assert!(selects("!missing,tier in (front, back)", Some(&doc)));
        assert!(!selects("tier notin (front)", Some(&doc)));
    }

    #[test]
    fn field_paths_keep_selectors_whole() {
        assert_eq!(
            field_path("spec.containers.[name=a.b].image"),
            ["spec", "containers", "[name=a.b]", "image"]
        );
    }

    #[test]
    fn patterns_are_anchored() {
        assert!(pattern(Some("api"), "api"));
        assert!(pattern(Some("api-.*"), "api-v2"));
        assert!(!pattern(Some("api"), "prod-api"));
        assert!(pattern(None, "x"));
    }
}
