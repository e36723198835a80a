//! Google Cloud rules, over the Google Cloud model (Terraform `google_*` resources).
//!
//! IAM is one list of grants whatever wrote it (`_iam_member`, `_iam_binding`,
//! `_iam_policy` with a `google_iam_policy` data source or a `jsonencode`d document), so an
//! IAM rule reads `Gcp::iam_grants` once and covers every form.

mod cloud_function_invokable_by_anyone;
mod cloud_run_service_invokable_by_anyone;
mod cloud_sql_open_to_world;
mod cloud_sql_ssl_not_required;
mod gcp_basic_role_granted;
mod gcp_firewall_admin_port_open_to_world;
mod gcp_firewall_all_ports_open_to_world;
mod gcp_impersonation_role_granted_broadly;
mod gcp_user_managed_service_account_key;
mod gcp_vm_default_service_account_full_access;
mod gcp_workload_identity_provider_without_repository_condition;
mod gcs_bucket_public_access_prevention_not_enforced;
mod gcs_bucket_publicly_accessible;
mod gcs_bucket_uniform_access_disabled;
mod gke_client_certificate_issued;
mod gke_control_plane_open_to_world;
mod gke_legacy_abac_enabled;

pub(crate) use cloud_function_invokable_by_anyone::CloudFunctionInvokableByAnyone;
pub(crate) use cloud_run_service_invokable_by_anyone::CloudRunServiceInvokableByAnyone;
pub(crate) use cloud_sql_open_to_world::CloudSqlOpenToWorld;
pub(crate) use cloud_sql_ssl_not_required::CloudSqlSslNotRequired;
pub(crate) use gcp_basic_role_granted::GcpBasicRoleGranted;
pub(crate) use gcp_firewall_admin_port_open_to_world::GcpFirewallAdminPortOpenToWorld;
pub(crate) use gcp_firewall_all_ports_open_to_world::GcpFirewallAllPortsOpenToWorld;
pub(crate) use gcp_impersonation_role_granted_broadly::GcpImpersonationRoleGrantedBroadly;
pub(crate) use gcp_user_managed_service_account_key::GcpUserManagedServiceAccountKey;
pub(crate) use gcp_vm_default_service_account_full_access::GcpVmDefaultServiceAccountFullAccess;
pub(crate) use gcp_workload_identity_provider_without_repository_condition::GcpWorkloadIdentityProviderWithoutRepositoryCondition;
pub(crate) use gcs_bucket_public_access_prevention_not_enforced::GcsBucketPublicAccessPreventionNotEnforced;
pub(crate) use gcs_bucket_publicly_accessible::GcsBucketPubliclyAccessible;
pub(crate) use gcs_bucket_uniform_access_disabled::GcsBucketUniformAccessDisabled;
pub(crate) use gke_client_certificate_issued::GkeClientCertificateIssued;
pub(crate) use gke_control_plane_open_to_world::GkeControlPlaneOpenToWorld;
pub(crate) use gke_legacy_abac_enabled::GkeLegacyAbacEnabled;

use trustmap_model::gcp::iam::{Grant, GrantTarget};
use trustmap_model::gcp::{describe_public_principal, is_public_principal};
use trustmap_model::{Link, Model, Value};

use crate::Sink;

/// Records the outcome of one target that produced no finding.
fn settle(out: &mut Sink, at: trustmap_source::Span, found: bool, unknown: bool) {
    if !found {
        if unknown {
            out.unknown()
        } else {
            out.pass_at(at)
        }
    }
}

/// The address of a linked bucket when the scan defines it, else what the source names.
fn bucket_label<'a>(model: &'a Model, link: &'a Link) -> &'a str {
    link.target
        .and_then(|i| model.gcp.buckets.get(i))
        .map_or_else(|| link.label(), |b| b.meta.address.as_str())
}

/// What a grant is on, for messages: "project `acme-prod`", "bucket `google_storage_bucket.b`".
fn target_label(model: &Model, grant: &Grant) -> String {
    let name = match grant.on {
        GrantTarget::Bucket => bucket_label(model, &grant.target),
        GrantTarget::CloudRunService => grant
            .target
            .target
            .and_then(|i| model.gcp.run_services.get(i))
            .map_or_else(|| grant.target.label(), |s| s.meta.address.as_str()),
        _ => grant.target.label(),
    };
    format!("{} `{name}`", grant.on.as_str())
}

/// A value in backticks for messages, or `unknown`.
fn shown(v: &Value<String>) -> String {
    v.get()
        .map_or_else(|| "unknown".to_string(), |s| format!("`{s}`"))
}

/// "`a`", "`a` and `b`", "`a`, `b` and 3 more": the members of a grant, for messages.
fn members_label(members: &[&Value<String>]) -> String {
    let known: Vec<String> = members
        .iter()
        .filter_map(|m| m.get().map(|s| format!("`{s}`")))
        .collect();
    let unknown = members.len() - known.len();
    let mut items: Vec<String> = known.iter().take(2).cloned().collect();
    let more = known.len().saturating_sub(2) + unknown;
    if more > 0 {
        items.push(format!("{more} more"));
    }
    match items.as_slice() {
        [] => "its members".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The public members of a grant (`allUsers`, `allAuthenticatedUsers`), and whether any
/// member is unknown.
fn public_members(grant: &Grant) -> (Vec<&Value<String>>, bool) {
    let public = grant
        .members
        .iter()
        .filter(|m| m.is(|s| is_public_principal(s)))
        .collect();
    let unknown = grant.members.iter().any(Value::is_unknown);
    (public, unknown)
}

/// Reports every grant on a `on` resource (a function, a Cloud Run service) whose members
/// include `allUsers` or `allAuthenticatedUsers`, once per public member: anyone can invoke it.
/// Each grant counts as one target.
fn report_public_invokers(model: &Model, on: GrantTarget, out: &mut Sink) {
    for grant in model.gcp.iam_grants.iter().filter(|g| g.on == on) {
        let (public, unknown) = public_members(grant);
        if public.is_empty() {
            settle(out, grant.meta.span, false, unknown);
            continue;
        }
        for m in public {
            let who = m.get().map_or("", String::as_str);
            out.report(
                &grant.meta,
                m.span,
                &m.via,
                format!(
                    "{} grants {} to `{who}`, so {} can call it",
                    target_label(model, grant),
                    shown(&grant.role),
                    describe_public_principal(who)
                ),
            );
        }
    }
}
