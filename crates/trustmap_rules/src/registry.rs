//! The list of rules. One line per rule; the docs and the rule list are generated from it.

use crate::Rule;

/// Every rule, in id order.
pub fn all_rules() -> &'static [&'static dyn Rule] {
    static RULES: &[&dyn Rule] = &[
        // trustmap's own directives
        &crate::core::suppression_without_reason::SuppressionWithoutReason,
        // AWS
        &crate::aws::SecurityGroupAdminPortOpenToWorld,
        &crate::aws::SecurityGroupAllPortsOpenToWorld,
        &crate::aws::Ec2Imdsv1Allowed,
        &crate::aws::IamPolicyFullAdmin,
        &crate::aws::IamPolicyWildcardAction,
        &crate::aws::IamPolicySensitiveActionOnAllResources,
        &crate::aws::IamOidcTrustWithoutSubjectCondition,
        &crate::aws::IamRoleTrustAnyPrincipal,
        &crate::aws::IamUserAccessKey,
        &crate::aws::IamPolicyAttachedToUser,
        &crate::aws::IamAdminPolicyAttached,
        &crate::aws::IamPolicyPrivilegeEscalation,
        &crate::aws::LambdaFunctionUrlWithoutAuth,
        &crate::aws::LambdaEnvPlaintextSecret,
        &crate::aws::LambdaPermissionWithoutSource,
        &crate::aws::S3BucketPublicAcl,
        &crate::aws::S3BucketPolicyPublic,
        &crate::aws::S3BucketPublicAccessBlockMissing,
        &crate::aws::S3BucketUnencrypted,
        // Kubernetes
        &crate::k8s::container_privileged::ContainerPrivileged,
        &crate::k8s::container_allows_privilege_escalation::ContainerAllowsPrivilegeEscalation,
        &crate::k8s::container_runs_as_root::ContainerRunsAsRoot,
        &crate::k8s::pod_shares_host_pid::PodSharesHostPid,
        &crate::k8s::pod_shares_host_ipc::PodSharesHostIpc,
        &crate::k8s::pod_shares_host_network::PodSharesHostNetwork,
        &crate::k8s::pod_mounts_host_path::PodMountsHostPath,
        &crate::k8s::container_adds_dangerous_capabilities::ContainerAddsDangerousCapabilities,
        &crate::k8s::pod_automounts_service_account_token::PodAutomountsServiceAccountToken,
        &crate::k8s::pod_uses_default_service_account::PodUsesDefaultServiceAccount,
        &crate::k8s::rbac_binding_to_cluster_admin::RbacBindingToClusterAdmin,
        &crate::k8s::rbac_wildcard::RbacWildcard,
        &crate::k8s::rbac_reads_secrets::RbacReadsSecrets,
        &crate::k8s::container_image_mutable_tag::ContainerImageMutableTag,
        &crate::k8s::container_env_plaintext_secret::ContainerEnvPlaintextSecret,
        &crate::k8s::container_without_resource_limits::ContainerWithoutResourceLimits,
        &crate::k8s::service_exposed_externally::ServiceExposedExternally,
        &crate::k8s::container_without_read_only_root_filesystem::ContainerWithoutReadOnlyRootFilesystem,
        &crate::k8s::pod_without_seccomp_profile::PodWithoutSeccompProfile,
        &crate::k8s::container_uses_host_port::ContainerUsesHostPort,
        // Dockerfile
        &crate::docker::DockerfileBaseImageMutableTag,
        &crate::docker::DockerfileRunsAsRoot,
        &crate::docker::DockerfileAddFromUrl,
        &crate::docker::DockerfileSecretInEnvOrArg,
        &crate::docker::DockerfilePipesDownloadToShell,
        &crate::docker::DockerfileDisablesTlsVerification,
        // GitHub Actions
        &crate::gha::GhaUntrustedCheckoutOnPrivilegedTrigger,
        &crate::gha::GhaScriptInjection,
        &crate::gha::GhaExcessivePermissions,
        &crate::gha::GhaPermissionsUnspecified,
        &crate::gha::GhaUnpinnedAction,
        &crate::gha::GhaSelfHostedRunnerOnPublicTrigger,
    ];
    RULES
}

/// Looks a rule up by id or name (case-insensitive).
pub fn find_rule(key: &str) -> Option<&'static dyn Rule> {
    all_rules()
        .iter()
        .copied()
        .find(|r| r.meta().id.eq_ignore_ascii_case(key) || r.meta().name.eq_ignore_ascii_case(key))
}
