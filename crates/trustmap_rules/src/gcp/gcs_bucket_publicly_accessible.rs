use trustmap_model::gcp::iam::GrantTarget;
use trustmap_model::gcp::storage::{AclKind, Bucket};
use trustmap_model::gcp::{describe_public_principal, is_public_principal};
use trustmap_model::{Link, Model};

use super::{bucket_label, public_members, settle, shown};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A Cloud Storage bucket opened to `allUsers` (anyone on the internet) or
    /// `allAuthenticatedUsers` (anyone with any Google account), through IAM or ACLs.
    ///
    /// IAM grants are read from `google_storage_bucket_iam_member`, `_iam_binding` and
    /// `_iam_policy` (including its `google_iam_policy` data source); ACL entries from
    /// `google_storage_bucket_access_control`, `google_storage_default_object_access_control`,
    /// `google_storage_bucket_acl` and `google_storage_default_object_acl`, with the predefined
    /// ACLs `publicRead`, `publicReadWrite` and `authenticatedRead` expanded. A grant on a
    /// bucket that enforces public access prevention is not reported (Cloud Storage refuses
    /// it), nor is an ACL entry on a bucket with uniform bucket-level access (ACLs are off).
    ///
    /// ## Why it matters
    /// `allAuthenticatedUsers` does not mean "users of my organization": any of the billions
    /// of Google accounts qualifies. Scanners enumerate bucket names from DNS, source code and
    /// wordlists and download whatever they can list; a public bucket is the most common way
    /// cloud data leaks.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_storage_bucket_iam_member" "public" {
    ///   bucket = google_storage_bucket.exports.name
    ///   role   = "roles/storage.objectViewer"
    ///   member = "allUsers"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Grant the readers who need the data, and enforce public access prevention so a later
    /// grant cannot open the bucket again. Serve intentionally public content through a CDN
    /// or a load balancer backend bucket and suppress this finding with a reason.
    ///
    /// ```hcl
    /// resource "google_storage_bucket_iam_member" "reporting" {
    ///   bucket = google_storage_bucket.exports.name
    ///   role   = "roles/storage.objectViewer"
    ///   member = "serviceAccount:reporting@acme-prod.iam.gserviceaccount.com"
    /// }
    ///
    /// resource "google_storage_bucket" "exports" {
    ///   name                        = "acme-exports"
    ///   location                    = "EU"
    ///   uniform_bucket_level_access = true
    ///   public_access_prevention    = "enforced"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/storage/docs/public-access-prevention>
    /// - <https://cloud.google.com/storage/docs/access-control/making-data-public>
    pub(crate) GcsBucketPubliclyAccessible {
        id: "GCP-GCS-001",
        name: "gcs-bucket-publicly-accessible",
        severity: Critical,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_GCP_28"],
            trivy: ["AVD-GCP-0001"],
            cwe: ["CWE-284"],
        },
    }
}

/// The bucket a link resolves to, when the scan defines it.
fn bucket<'a>(model: &'a Model, link: &Link) -> Option<&'a Bucket> {
    link.target.and_then(|i| model.gcp.buckets.get(i))
}

/// Whether the bucket refuses public grants; `None` when unknown or not in the scan.
fn prevents_public(model: &Model, link: &Link) -> Option<bool> {
    bucket(model, link)?.prevents_public_access()
}

impl Rule for GcsBucketPubliclyAccessible {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for grant in model
            .gcp
            .iam_grants
            .iter()
            .filter(|g| g.on == GrantTarget::Bucket)
        {
            let (public, unknown) = public_members(grant);
            if public.is_empty() || prevents_public(model, &grant.target) == Some(true) {
                settle(out, grant.meta.span, false, unknown);
                continue;
            }
            let role = shown(&grant.role);
            for m in public {
                let who = m.get().map_or("", String::as_str);
                out.report(
                    &grant.meta,
                    m.span,
                    &m.via,
                    format!(
                        "bucket `{}` grants {role} to `{who}` ({})",
                        bucket_label(model, &grant.target),
                        describe_public_principal(who)
                    ),
                );
            }
        }
        for acl in &model.gcp.bucket_acls {
            let Some(entity) = acl.entity.get() else {
                out.unknown();
                continue;
            };
            let acls_off = bucket(model, &acl.bucket).is_some_and(|b| b.uniform_access.is_true());
            if !is_public_principal(entity)
                || acls_off
                || prevents_public(model, &acl.bucket) == Some(true)
            {
                out.pass_at(acl.meta.span);
                continue;
            }
            let which = match acl.kind {
                AclKind::Bucket => "ACL grants",
                AclKind::DefaultObject => "default object ACL gives every new object",
            };
            out.report(
                &acl.meta,
                acl.entity.span,
                &acl.entity.via,
                format!(
                    "bucket `{}` {which} {} to `{entity}` ({})",
                    bucket_label(model, &acl.bucket),
                    shown(&acl.role),
                    describe_public_principal(entity)
                ),
            );
        }
    }
}
