//! Adapter tests: pod-template discovery, security-context merging, where defaults sit.

use trustmap_model::k8s::{Cloud, EnvValue, K8s, VolumeSource};
use trustmap_model::{State, Value};
use trustmap_source::{FileId, SourceFile, Span};

use super::from_documents;

fn adapt(text: &str) -> (SourceFile, K8s) {
    let file = SourceFile::new(FileId(0), "k8s.yaml", text);
    let parsed = trustmap_syntax::yaml::parse(&file);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let mut diags = Vec::new();
    let k8s = from_documents(&file, &parsed.docs, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    (file, k8s)
}

/// The text a span covers, trimmed.
fn at(file: &SourceFile, span: Span) -> &str {
    file.slice(span).trim()
}

fn explicit<T: Clone + std::fmt::Debug>(v: &Value<T>) -> T {
    match &v.state {
        State::Explicit(x) => x.clone(),
        other => panic!("expected explicit, got {other:?}"),
    }
}

fn defaulted<T: Clone + std::fmt::Debug>(v: &Value<T>) -> T {
    match &v.state {
        State::Default(x) => x.clone(),
        other => panic!("expected default, got {other:?}"),
    }
}

#[test]
fn finds_the_pod_template_of_every_workload_kind() {
    let (_, k8s) = adapt(
        "\
apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  containers: [{ name: pod, image: a:1 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: d, namespace: shop }
spec:
  template:
    spec:
      containers: [{ name: deployment, image: a:1 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: s }
spec:
  template:
    spec:
      containers: [{ name: statefulset, image: a:1 }]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: ds }
spec:
  template:
    spec:
      containers: [{ name: daemonset, image: a:1 }]
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: rs }
spec:
  template:
    spec:
      containers: [{ name: replicaset, image: a:1 }]
---
apiVersion: v1
kind: ReplicationController
metadata: { name: rc }
spec:
  template:
    spec:
      containers: [{ name: replicationcontroller, image: a:1 }]
---
apiVersion: batch/v1
kind: Job
metadata: { name: j }
spec:
  template:
    spec:
      containers: [{ name: job, image: a:1 }]
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: cj }
spec:
  schedule: '* * * * *'
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{ name: cronjob, image: a:1 }]
",
    );
    let found: Vec<(String, String)> = k8s
        .workloads
        .iter()
        .map(|w| (w.object.meta.address.clone(), w.pod.containers[0].label()))
        .collect();
    let expect = [
        ("Pod/default/p", "pod"),
        ("Deployment/shop/d", "deployment"),
        ("StatefulSet/default/s", "statefulset"),
        ("DaemonSet/default/ds", "daemonset"),
        ("ReplicaSet/default/rs", "replicaset"),
        ("ReplicationController/default/rc", "replicationcontroller"),
        ("Job/default/j", "job"),
        ("CronJob/default/cj", "cronjob"),
    ];
    assert_eq!(
        found,
        expect.map(|(a, c)| (a.to_string(), c.to_string())).to_vec()
    );
    assert_eq!(k8s.object_count(), 8);
}

#[test]
fn ignores_documents_that_are_not_kubernetes_objects() {
    let (_, k8s) = adapt(
        "\
services:
  web: { image: nginx }
---
apiVersion: serving.knative.dev/v1
kind: Service
metadata: { name: hello }
spec:
  template:
    spec:
      containers: [{ image: a:1 }]
---
kind: Pod
spec: {}
---
- just
- a list
",
    );
    assert_eq!(k8s.object_count(), 0);
}

#[test]
fn expands_lists() {
    let (_, k8s) = adapt(
        "\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ServiceAccount
    metadata: { name: a, namespace: x }
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata: { name: reader }
    rules: []
",
    );
    assert_eq!(
        k8s.service_accounts[0].object.meta.address,
        "ServiceAccount/x/a"
    );
    assert_eq!(k8s.roles[0].object.meta.address, "ClusterRole/reader");
    assert!(k8s.roles[0].cluster);
}

#[test]
fn merges_the_pod_security_context_into_containers() {
    let (file, k8s) = adapt(
        "\
apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  securityContext:
    runAsUser: 1000
    runAsNonRoot: true
    seccompProfile: { type: RuntimeDefault }
  containers:
    - name: inherits
      image: a:1
    - name: overrides
      image: a:1
      securityContext:
        runAsUser: 0
        seccompProfile:
          type: Unconfined
        allowPrivilegeEscalation: false
        capabilities:
          add: [NET_ADMIN]
          drop: [ALL]
",
    );
    let pod = &k8s.workloads[0].pod;
    let (inherits, overrides) = (&pod.containers[0].security, &pod.containers[1].security);

    // Inherited from the pod, located where the pod writes them.
    assert_eq!(explicit(&inherits.run_as_user), Some(1000));
    assert_eq!(at(&file, inherits.run_as_user.span), "1000");
    assert!(explicit(&inherits.run_as_non_root));
    assert_eq!(
        explicit(&inherits.seccomp_profile).as_deref(),
        Some("RuntimeDefault")
    );

    // The container's own values win.
    assert_eq!(explicit(&overrides.run_as_user), Some(0));
    assert_eq!(file.lines_of(overrides.run_as_user.span).0, 15);
    assert_eq!(
        explicit(&overrides.seccomp_profile).as_deref(),
        Some("Unconfined")
    );
    assert!(
        explicit(&overrides.run_as_non_root),
        "not overridden: the pod's applies"
    );
    assert!(!explicit(&overrides.allow_privilege_escalation));
    let added: Vec<_> = overrides.capabilities_add.iter().map(explicit).collect();
    assert_eq!(added, ["NET_ADMIN"]);
    assert_eq!(at(&file, overrides.capabilities_add[0].span), "NET_ADMIN");
    assert_eq!(overrides.capabilities_drop.len(), 1);
}

#[test]
fn container_only_fields_are_not_inherited_and_default_at_the_container() {
    let (file, k8s) = adapt(
        "\
apiVersion: apps/v1
kind: Deployment
metadata: { name: d }
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: bare
          image: a:1
        - name: with-context
          image: a:1
          securityContext:
            readOnlyRootFilesystem: true
",
    );
    let pod = &k8s.workloads[0].pod;
    let (bare, with_context) = (&pod.containers[0], &pod.containers[1]);

    // Left out: Kubernetes' default, located at the container...
    assert!(defaulted(&bare.security.allow_privilege_escalation));
    assert_eq!(bare.security.allow_privilege_escalation.span, bare.span);
    assert!(!defaulted(&bare.security.privileged));
    assert!(!defaulted(&bare.security.read_only_root_filesystem));
    assert_eq!(defaulted(&bare.security.run_as_user), None);
    assert_eq!(defaulted(&bare.security.seccomp_profile), None);
    assert!(at(&file, bare.span).starts_with("name: bare"));

    // ...or at its securityContext when it has one.
    let sc = with_context.security.allow_privilege_escalation.span;
    assert!(defaulted(&with_context.security.allow_privilege_escalation));
    assert_eq!(at(&file, sc), "readOnlyRootFilesystem: true");
    assert!(explicit(&with_context.security.read_only_root_filesystem));

    // Pod-level defaults sit at the pod spec.
    assert!(!defaulted(&pod.host_pid));
    assert_eq!(pod.host_network.span, pod.span);
    assert_eq!(defaulted(&pod.service_account_name), "default");
    assert!(defaulted(&pod.automount_service_account_token));
    assert_eq!(pod.service_account_name.span, pod.span);
}

#[test]
fn service_account_token_precedence_is_pod_then_account_then_default() {
    let (file, k8s) = adapt(
        "\
apiVersion: v1
kind: ServiceAccount
metadata: { name: quiet, namespace: ns }
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: { name: inherits, namespace: ns }
spec:
  serviceAccountName: quiet
  containers: [{ name: c, image: a:1 }]
---
apiVersion: v1
kind: Pod
metadata: { name: opts-in, namespace: ns }
spec:
  serviceAccountName: quiet
  automountServiceAccountToken: true
  containers: [{ name: c, image: a:1 }]
---
apiVersion: v1
kind: Pod
metadata: { name: other-namespace, namespace: elsewhere }
spec:
  serviceAccountName: quiet
  containers: [{ name: c, image: a:1 }]
",
    );
    let token = |i: usize| k8s.automounts_token(&k8s.workloads[i]);

    let inherited = token(0);
    assert!(!explicit(&inherited));
    assert_eq!(
        file.lines_of(inherited.span).0,
        4,
        "located on the ServiceAccount"
    );

    assert!(explicit(&token(1)), "the pod overrides its account");

    let other = token(2);
    assert!(
        defaulted(&other),
        "same name in another namespace is another account"
    );
    assert_eq!(other.span, k8s.workloads[2].pod.span);
}

#[test]
fn reads_env_resources_ports_and_volumes() {
    let (file, k8s) = adapt(
        "\
apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  containers:
    - name: app
      image: registry.example.com:5000/team/app:1.2@sha256:abc
      env:
        - { name: PLAIN, value: hello }
        - name: FROM_SECRET
          valueFrom:
            secretKeyRef: { name: db, key: password }
        - name: EMPTY
      resources:
        limits: { memory: 256Mi }
      ports:
        - { containerPort: 8080, hostPort: 80 }
      volumeMounts:
        - { name: sock, mountPath: /var/run/docker.sock }
  volumes:
    - name: sock
      hostPath: { path: /var/run/docker.sock }
    - name: scratch
      emptyDir: {}
",
    );
    let c = &k8s.workloads[0].pod.containers[0];
    let image = explicit(&c.image);
    assert_eq!(image.repository, "registry.example.com:5000/team/app");
    assert_eq!(image.tag.as_deref(), Some("1.2"));
    assert_eq!(image.digest.as_deref(), Some("sha256:abc"));

    let EnvValue::Literal(plain) = &c.env[0].value else {
        panic!()
    };
    assert_eq!(at(&file, plain.span), "hello");
    assert!(
        matches!(&c.env[1].value, EnvValue::SecretKeyRef { name, .. } if explicit(name) == "db")
    );
    let EnvValue::Literal(empty) = &c.env[2].value else {
        panic!()
    };
    assert_eq!(defaulted(empty), "");

    assert!(c.resources.limit("memory").is_some());
    assert!(c.resources.limit("cpu").is_none());
    assert_eq!(at(&file, c.resources.limits.span), "{ memory: 256Mi }");
    assert_eq!(explicit(&c.ports[0].host_port), Some(80));
    assert_eq!(
        explicit(&c.volume_mounts[0].mount_path),
        "/var/run/docker.sock"
    );

    let volumes = &k8s.workloads[0].pod.volumes;
    assert!(
        matches!(&volumes[0].source, VolumeSource::HostPath { path, .. }
        if at(&file, path.span) == "/var/run/docker.sock")
    );
    assert_eq!(volumes[1].source, VolumeSource::EmptyDir);
}

#[test]
fn reads_rbac_with_a_span_per_item() {
    let (file, k8s) = adapt(
        "\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: r, namespace: ns }
rules:
  - apiGroups: ['']
    resources: [secrets]
    verbs: [get, '*']
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: b }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects:
  - { kind: ServiceAccount, name: deployer, namespace: ci }
  - { kind: Group, name: devs }
",
    );
    let rule = &k8s.roles[0].rules[0];
    assert_eq!(explicit(&rule.api_groups[0]), "");
    assert_eq!(at(&file, rule.verbs[1].span), "'*'");
    assert!(!k8s.roles[0].cluster);

    let b = &k8s.bindings[0];
    assert_eq!(b.object.meta.address, "ClusterRoleBinding/b");
    assert_eq!(b.object.namespace, None);
    assert_eq!(at(&file, b.role_ref.name.span), "cluster-admin");
    assert_eq!(explicit(&b.subjects[0].namespace).as_deref(), Some("ci"));
    assert_eq!(defaulted(&b.subjects[1].namespace), None);
}

#[test]
fn keeps_workload_identity_annotations_and_service_defaults() {
    let (file, k8s) = adapt(
        "\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: uploader
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/uploader
    iam.gke.io/gcp-service-account: uploader@proj.iam.gserviceaccount.com
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  ports: [{ port: 80 }]
",
    );
    let ids = &k8s.service_accounts[0].workload_identities;
    assert_eq!(
        ids.iter().map(|i| i.cloud).collect::<Vec<_>>(),
        [Cloud::Aws, Cloud::Gcp]
    );
    assert_eq!(
        at(&file, ids[0].annotation.value.span),
        "arn:aws:iam::111122223333:role/uploader"
    );
    let svc = &k8s.services[0];
    assert_eq!(defaulted(&svc.service_type), "ClusterIP");
    assert_eq!(defaulted(&svc.ports[0].target_port), "80");
}

#[test]
fn aliases_keep_their_provenance() {
    let (file, k8s) = adapt(
        "\
apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  containers:
    - name: a
      image: a:1
      securityContext: &locked
        privileged: true
    - name: b
      image: a:1
      securityContext: *locked
",
    );
    let b = &k8s.workloads[0].pod.containers[1].security.privileged;
    assert!(explicit(b));
    assert_eq!(file.lines_of(b.span).0, 9, "located at the anchor's value");
    assert!(!b.via.is_empty(), "the alias hop is kept: {b:?}");
}

#[test]
fn pod_security_fields_follow_container_then_pod_precedence() {
    let (file, k8s) = adapt(
        "\
apiVersion: apps/v1
kind: Deployment
metadata: { name: d }
spec:
  template:
    metadata:
      labels: { app: d, sidecar.istio.io/inject: \"false\" }
      annotations:
        container.apparmor.security.beta.kubernetes.io/legacy: unconfined
    spec:
      securityContext:
        windowsOptions: { hostProcess: true }
        seLinuxOptions: { type: spc_t }
        appArmorProfile: { type: Localhost, localhostProfile: p }
        sysctls:
          - { name: vm.swappiness, value: \"1\" }
      containers:
        - name: own
          image: a:1
          securityContext:
            procMount: Unmasked
            windowsOptions: { hostProcess: false }
            seLinuxOptions: { user: system_u }
        - name: legacy
          image: a:1
",
    );
    let w = &k8s.workloads[0];
    assert_eq!(w.pod_labels.len(), 2);
    assert!(w.pod_metadata("sidecar.istio.io/inject").is_some());
    assert_eq!(at(&file, w.pod.sysctls[0].name.span), "vm.swappiness");
    let (own, legacy) = (&w.pod.containers[0].security, &w.pod.containers[1].security);
    assert!(!explicit(&own.host_process));
    assert!(explicit(&legacy.host_process));
    assert_eq!(explicit(&own.proc_mount).as_deref(), Some("Unmasked"));
    assert_eq!(defaulted(&legacy.proc_mount), None);
    // The container's seLinuxOptions replace the pod's as a whole.
    assert_eq!(explicit(&own.se_linux.user).as_deref(), Some("system_u"));
    assert_eq!(defaulted(&own.se_linux.type_), None);
    assert_eq!(explicit(&legacy.se_linux.type_).as_deref(), Some("spc_t"));
    // The pod's appArmorProfile wins over the legacy annotation.
    assert_eq!(explicit(&legacy.app_armor).as_deref(), Some("Localhost"));
}

#[test]
fn legacy_apparmor_annotation_applies_to_its_container() {
    let (file, k8s) = adapt(
        "\
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    container.apparmor.security.beta.kubernetes.io/web: unconfined
spec:
  containers:
    - { name: web, image: a:1 }
    - { name: other, image: a:1 }
",
    );
    let c = &k8s.workloads[0].pod.containers;
    assert_eq!(
        explicit(&c[0].security.app_armor).as_deref(),
        Some("unconfined")
    );
    assert_eq!(at(&file, c[0].security.app_armor.span), "unconfined");
    assert_eq!(defaulted(&c[1].security.app_armor), None);
}

#[test]
fn namespaces_and_istio_objects_are_adapted() {
    let (file, k8s) = adapt(
        "\
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels: { pod-security.kubernetes.io/enforce: restricted }
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec:
  mtls: { mode: PERMISSIVE }
  portLevelMtls:
    8080: { mode: DISABLE }
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: { name: a, namespace: payments }
spec:
  rules:
    - {}
    - from: [{ source: { namespaces: [shop] } }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: deny-all, namespace: payments }
spec: {}
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: { name: d, namespace: payments }
spec:
  host: ledger
  trafficPolicy:
    tls: { mode: DISABLE }
    portLevelSettings:
      - port: { number: 9090 }
        tls: { mode: SIMPLE }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: n }
spec:
  podSelector: {}
  egress:
    - to: [{ ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] } }]
",
    );
    let ns = &k8s.namespaces[0];
    assert_eq!(ns.object.meta.address, "Namespace/payments");
    assert_eq!(
        ns.pss_enforce().map(|(l, _)| l),
        Some(trustmap_model::k8s::PssLevel::Restricted)
    );
    let pa = &k8s.mesh.peer_authentications[0];
    assert!(pa.is_mesh_wide());
    assert_eq!(explicit(&pa.mode).as_deref(), Some("PERMISSIVE"));
    assert_eq!(pa.port_modes[0].port, "8080");
    assert_eq!(at(&file, pa.port_modes[0].mode.span), "DISABLE");
    let authz = &k8s.mesh.authorization_policies;
    assert_eq!(defaulted(&authz[0].action), "ALLOW");
    let everything: Vec<bool> = authz[0]
        .rules
        .iter()
        .map(|r| r.matches_everything)
        .collect();
    assert_eq!(everything, [true, false]);
    assert!(authz[1].rules.is_empty());
    let modes: Vec<String> = k8s.mesh.destination_rules[0]
        .tls_modes
        .iter()
        .map(explicit)
        .collect();
    assert_eq!(modes, ["DISABLE", "SIMPLE"]);
    let policy = &k8s.network_policies[0];
    assert!(policy.applies_to_egress() && policy.applies_to_ingress());
    assert_eq!(policy.egress[0].peers[0].ip_block_except.len(), 1);
}
