//! Kubernetes rules, over the Kubernetes model (plain manifests today; rendered Helm charts
//! and Kustomize overlays adapt into the same model).
//!
//! Container rules see each container's effective settings: the adapter has already merged
//! the pod's `securityContext` in and put Kubernetes' defaults where fields were left out.

pub(crate) mod config_map_contains_secret;
pub(crate) mod container_adds_dangerous_capabilities;
pub(crate) mod container_allows_privilege_escalation;
pub(crate) mod container_apparmor_disabled;
pub(crate) mod container_capabilities_not_dropped;
pub(crate) mod container_env_plaintext_secret;
pub(crate) mod container_image_mutable_tag;
pub(crate) mod container_privileged;
pub(crate) mod container_run_as_user_zero;
pub(crate) mod container_runs_as_root;
pub(crate) mod container_selinux_custom_options;
pub(crate) mod container_unmasked_proc_mount;
pub(crate) mod container_uses_host_port;
pub(crate) mod container_without_read_only_root_filesystem;
pub(crate) mod container_without_resource_limits;
pub(crate) mod ingress_without_tls;
pub(crate) mod istio_authorization_allows_all;
pub(crate) mod istio_destination_rule_tls_disabled;
pub(crate) mod istio_mtls_not_strict;
pub(crate) mod linkerd_inbound_unauthenticated;
pub(crate) mod mesh_sidecar_injection_disabled;
pub(crate) mod namespace_without_default_deny;
mod network;
pub(crate) mod network_policy_allows_all;
pub(crate) mod pod_automounts_service_account_token;
pub(crate) mod pod_host_process;
mod pod_level;
pub(crate) mod pod_mounts_host_path;
pub(crate) mod pod_restricted_volume_type;
pub(crate) mod pod_seccomp_unconfined;
pub(crate) mod pod_shares_host_ipc;
pub(crate) mod pod_shares_host_network;
pub(crate) mod pod_shares_host_pid;
pub(crate) mod pod_unsafe_sysctl;
pub(crate) mod pod_uses_default_service_account;
pub(crate) mod pod_without_seccomp_profile;
pub mod pss;
pub(crate) mod rbac_binding_to_cluster_admin;
pub(crate) mod rbac_binding_to_system_group;
pub(crate) mod rbac_creates_service_account_tokens;
pub(crate) mod rbac_creates_workloads;
pub(crate) mod rbac_default_role_bound_to_workload;
mod rbac_exposure;
pub(crate) mod rbac_nodes_proxy;
pub(crate) mod rbac_pod_exec;
pub(crate) mod rbac_privilege_escalation_verbs;
pub(crate) mod rbac_reads_secrets;
pub(crate) mod rbac_wildcard;
pub(crate) mod secret_data_in_repository;
pub(crate) mod service_exposed_externally;
pub(crate) mod workload_not_selected_by_network_policy;

use trustmap_model::k8s::{Container, Object, PodSpec, Role, Workload};
use trustmap_model::{Model, Value};
use trustmap_source::{Span, Via};

use crate::Sink;

/// Every container of every workload.
fn containers(model: &Model) -> impl Iterator<Item = (&Workload, &Container)> {
    model
        .k8s
        .workloads
        .iter()
        .flat_map(|w| w.pod.containers.iter().map(move |c| (w, c)))
}

/// Containers whose Linux security settings apply: those of pods not declared Windows
/// (Kubernetes rejects Linux-only settings on Windows pods).
fn linux_containers(model: &Model) -> impl Iterator<Item = (&Workload, &Container)> {
    containers(model).filter(|(w, _)| !w.pod.is_windows())
}

/// Counts the target written at `at` whose deciding value did not match: unknown values are
/// counted apart.
fn tally<T>(out: &mut Sink, at: Span, value: &Value<T>) {
    if value.is_unknown() {
        out.unknown();
    } else {
        out.pass_at(at);
    }
}

/// `pod `x`` (singular) or `pods of Deployment `x`` (plural), as a message's subject.
fn pods_of(object: &Object) -> (String, bool) {
    if object.kind == "Pod" {
        (format!("pod `{}`", object.name), false)
    } else {
        (format!("pods of {}", object.describe()), true)
    }
}

/// Reports pods whose `flag` (`hostPID`, `hostIPC`, `hostNetwork`) is true: they share the
/// host's `namespace` (e.g. "PID namespace").
fn check_host_namespace(
    model: &Model,
    out: &mut Sink,
    flag: impl Fn(&PodSpec) -> &Value<bool>,
    namespace: &str,
) {
    for workload in &model.k8s.workloads {
        let value = flag(&workload.pod);
        if value.is_true() {
            let (pods, plural) = pods_of(&workload.object);
            let verb = if plural { "share" } else { "shares" };
            out.report(
                &workload.object.meta,
                value.span,
                &value.via,
                format!("{pods} {verb} the host's {namespace}"),
            );
        } else {
            tally(out, workload.object.meta.span, value);
        }
    }
}

/// `` `a` ``, `` `a` and `b` ``, `` `a`, `b` and `c` ``.
fn code_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// `rule of ClusterRole `x``, for RBAC messages.
fn rule_of(role: &Role) -> String {
    format!("rule of {}", role.object.describe())
}

/// One container whose setting is at fault, for settings a pod can set for all its
/// containers (`runAsNonRoot`, `runAsUser`, `seccompProfile`).
struct Fault {
    container: String,
    span: Span,
    via: Vec<Via>,
    /// The setting was left out (the span is the container's) rather than written.
    omitted: bool,
}

/// Reports inheritable-setting faults of one workload without repeating itself: a written
/// value that several containers inherit from the pod is reported once, naming them all,
/// and when every container leaves the setting out the finding goes to the pod spec, where
/// one line fixes them all.
fn report_inherited(
    out: &mut Sink,
    workload: &Workload,
    faults: Vec<Fault>,
    checked: usize,
    message: impl Fn(&str, bool) -> String,
) {
    let all_omitted = faults.len() == checked && checked > 1 && faults.iter().all(|f| f.omitted);
    if all_omitted {
        let names: Vec<String> = faults.into_iter().map(|f| f.container).collect();
        let subject = format!("containers {}", code_list(&names));
        out.report(
            &workload.object.meta,
            workload.pod.span,
            &[],
            message(&subject, true),
        );
        return;
    }
    let mut groups: Vec<(Span, Vec<Via>, Vec<String>)> = Vec::new();
    for f in faults {
        match groups.iter_mut().find(|g| g.0 == f.span) {
            Some(g) => g.2.push(f.container),
            None => groups.push((f.span, f.via, vec![f.container])),
        }
    }
    for (span, via, names) in groups {
        let plural = names.len() > 1;
        let noun = if plural { "containers" } else { "container" };
        let subject = format!("{noun} {}", code_list(&names));
        out.report(&workload.object.meta, span, &via, message(&subject, plural));
    }
}

#[cfg(test)]
mod tests {
    use super::code_list;

    #[test]
    fn code_lists_read_as_prose() {
        let s = |v: &[&str]| code_list(&v.iter().map(|x| (*x).to_string()).collect::<Vec<_>>());
        assert_eq!(s(&["a"]), "`a`");
        assert_eq!(s(&["a", "b"]), "`a` and `b`");
        assert_eq!(s(&["a", "b", "c"]), "`a`, `b` and `c`");
    }
}
