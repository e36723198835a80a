//! The Kubernetes Pod Security Standards, control by control, and the rule that enforces
//! each one.
//!
//! Every control of the *baseline* and *restricted* profiles (current version of the
//! standard) maps to exactly one rule; the *restricted* profile includes *baseline*. A
//! control that restricts several fields ("Host Namespaces") has one row per field, each
//! with its own rule. `--profile` runs only the rows of its level (plus every rule that is
//! not a Pod Security rule) and the Pod Security section of the report is built from them.

use trustmap_model::k8s::PssLevel;

use super::{
    container_adds_dangerous_capabilities::ContainerAddsDangerousCapabilities,
    container_allows_privilege_escalation::ContainerAllowsPrivilegeEscalation,
    container_apparmor_disabled::ContainerAppArmorDisabled,
    container_capabilities_not_dropped::ContainerCapabilitiesNotDropped,
    container_privileged::ContainerPrivileged, container_run_as_user_zero::ContainerRunAsUserZero,
    container_runs_as_root::ContainerRunsAsRoot,
    container_selinux_custom_options::ContainerSelinuxCustomOptions,
    container_unmasked_proc_mount::ContainerUnmaskedProcMount,
    container_uses_host_port::ContainerUsesHostPort, pod_host_process::PodHostProcess,
    pod_mounts_host_path::PodMountsHostPath, pod_restricted_volume_type::PodRestrictedVolumeType,
    pod_seccomp_unconfined::PodSeccompUnconfined, pod_shares_host_ipc::PodSharesHostIpc,
    pod_shares_host_network::PodSharesHostNetwork, pod_shares_host_pid::PodSharesHostPid,
    pod_unsafe_sysctl::PodUnsafeSysctl, pod_without_seccomp_profile::PodWithoutSeccompProfile,
};

/// One control (or one field of a control) of the standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Control {
    /// The profile that introduces the control.
    pub level: PssLevel,
    /// The control's name as the Kubernetes documentation spells it.
    pub name: &'static str,
    /// The fields it restricts.
    pub fields: &'static str,
    /// The rule that enforces it.
    pub rule_id: &'static str,
}

const fn control(
    level: PssLevel,
    name: &'static str,
    fields: &'static str,
    rule_id: &'static str,
) -> Control {
    Control {
        level,
        name,
        fields,
        rule_id,
    }
}

use PssLevel::{Baseline, Restricted};

/// Every control, baseline first, in the documentation's order.
pub const CONTROLS: &[Control] = &[
    control(
        Baseline,
        "HostProcess",
        "windowsOptions.hostProcess",
        PodHostProcess::META.id,
    ),
    control(
        Baseline,
        "Host Namespaces",
        "spec.hostNetwork",
        PodSharesHostNetwork::META.id,
    ),
    control(
        Baseline,
        "Host Namespaces",
        "spec.hostPID",
        PodSharesHostPid::META.id,
    ),
    control(
        Baseline,
        "Host Namespaces",
        "spec.hostIPC",
        PodSharesHostIpc::META.id,
    ),
    control(
        Baseline,
        "Privileged Containers",
        "securityContext.privileged",
        ContainerPrivileged::META.id,
    ),
    control(
        Baseline,
        "Capabilities",
        "securityContext.capabilities.add",
        ContainerAddsDangerousCapabilities::META.id,
    ),
    control(
        Baseline,
        "HostPath Volumes",
        "spec.volumes[*].hostPath",
        PodMountsHostPath::META.id,
    ),
    control(
        Baseline,
        "Host Ports",
        "ports[*].hostPort",
        ContainerUsesHostPort::META.id,
    ),
    control(
        Baseline,
        "AppArmor",
        "appArmorProfile.type, AppArmor annotations",
        ContainerAppArmorDisabled::META.id,
    ),
    control(
        Baseline,
        "SELinux",
        "seLinuxOptions.type, .user, .role",
        ContainerSelinuxCustomOptions::META.id,
    ),
    control(
        Baseline,
        "/proc Mount Type",
        "securityContext.procMount",
        ContainerUnmaskedProcMount::META.id,
    ),
    control(
        Baseline,
        "Seccomp",
        "seccompProfile.type (not Unconfined)",
        PodSeccompUnconfined::META.id,
    ),
    control(
        Baseline,
        "Sysctls",
        "spec.securityContext.sysctls[*].name",
        PodUnsafeSysctl::META.id,
    ),
    control(
        Restricted,
        "Volume Types",
        "spec.volumes[*]",
        PodRestrictedVolumeType::META.id,
    ),
    control(
        Restricted,
        "Privilege Escalation",
        "securityContext.allowPrivilegeEscalation",
        ContainerAllowsPrivilegeEscalation::META.id,
    ),
    control(
        Restricted,
        "Running as Non-root",
        "securityContext.runAsNonRoot",
        ContainerRunsAsRoot::META.id,
    ),
    control(
        Restricted,
        "Running as Non-root user",
        "securityContext.runAsUser",
        ContainerRunAsUserZero::META.id,
    ),
    control(
        Restricted,
        "Seccomp",
        "seccompProfile.type (set)",
        PodWithoutSeccompProfile::META.id,
    ),
    control(
        Restricted,
        "Capabilities",
        "securityContext.capabilities.drop/add",
        ContainerCapabilitiesNotDropped::META.id,
    ),
];

/// The controls a pod must pass to be admitted at `level` (restricted includes baseline;
/// privileged has none).
pub fn controls(level: PssLevel) -> impl Iterator<Item = &'static Control> {
    CONTROLS
        .iter()
        .filter(move |c| level != PssLevel::Privileged && c.level <= level)
}

/// Whether `control` is part of the standard's version `v1.<minor>` (`None`: latest), as
/// a namespace's `pod-security.kubernetes.io/<mode>-version` label pins it. Only two
/// controls checked here changed after v1.21 (the first version): restricted
/// "Capabilities" arrived in v1.22 and "Running as Non-root user" in v1.23; every other
/// control applies in every version.
pub fn in_version(control: &Control, minor: Option<u32>) -> bool {
    let since = if control.rule_id == ContainerCapabilitiesNotDropped::META.id {
        22
    } else if control.rule_id == ContainerRunAsUserZero::META.id {
        23
    } else {
        0
    };
    minor.is_none_or(|m| m >= since)
}

/// The control the rule `rule_id` enforces, if it is a Pod Security rule.
pub fn control_of(rule_id: &str) -> Option<&'static Control> {
    CONTROLS.iter().find(|c| c.rule_id == rule_id)
}

/// Whether the rule runs under `--profile level`: every rule that is not a Pod Security
/// rule does, a Pod Security rule only when its control is part of the profile.
pub fn runs_under(rule_id: &str, level: PssLevel) -> bool {
    control_of(rule_id).is_none_or(|c| level != PssLevel::Privileged && c.level <= level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_has_exactly_one_rule_that_exists() {
        let mut seen = std::collections::HashSet::new();
        for c in CONTROLS {
            assert!(
                seen.insert(c.rule_id),
                "{} enforces two controls",
                c.rule_id
            );
            assert!(
                crate::find_rule(c.rule_id).is_some(),
                "{} is not registered",
                c.rule_id
            );
        }
    }

    #[test]
    fn pinned_versions_drop_only_the_controls_added_after_them() {
        let by_rule = |id: &str| control_of(id).expect("control");
        let uid = by_rule(ContainerRunAsUserZero::META.id);
        let caps = by_rule(ContainerCapabilitiesNotDropped::META.id);
        let seccomp = by_rule(PodSeccompUnconfined::META.id);
        assert!(in_version(uid, None) && in_version(uid, Some(23)));
        assert!(!in_version(uid, Some(22)) && in_version(caps, Some(22)));
        assert!(!in_version(caps, Some(21)) && in_version(seccomp, Some(0)));
    }

    #[test]
    fn restricted_includes_baseline_and_privileged_has_nothing() {
        assert_eq!(controls(PssLevel::Baseline).count(), 13);
        assert_eq!(controls(PssLevel::Restricted).count(), CONTROLS.len());
        assert_eq!(controls(PssLevel::Privileged).count(), 0);
        assert!(runs_under("K8S-019", PssLevel::Restricted));
        assert!(!runs_under("K8S-019", PssLevel::Baseline));
        assert!(runs_under("K8S-104", PssLevel::Baseline));
        assert!(runs_under("AWS-S3-001", PssLevel::Baseline));
    }
}
