use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A `google_storage_bucket` without uniform bucket-level access: the
    /// `uniform_bucket_level_access` argument is `false`, or is omitted and defaults to
    /// `false`.
    ///
    /// ## Why it matters
    /// With fine-grained access, every object carries its own ACL next to the bucket's IAM
    /// policy. An object uploaded with `--predefined-acl=publicRead`, or an ACL changed by a
    /// script, is readable by whoever it names, and none of it shows in the IAM policy that
    /// reviews, audits and policy tools look at. Uniform access turns ACLs off so IAM is the
    /// only way in.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_storage_bucket" "uploads" {
    ///   name     = "acme-uploads"
    ///   location = "EU"
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "google_storage_bucket" "uploads" {
    ///   name                        = "acme-uploads"
    ///   location                    = "EU"
    ///   uniform_bucket_level_access = true
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/storage/docs/uniform-bucket-level-access>
    pub(crate) GcsBucketUniformAccessDisabled {
        id: "GCP-GCS-002",
        name: "gcs-bucket-uniform-access-disabled",
        severity: Medium,
        capability: Iac,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_GCP_29"],
            trivy: ["AVD-GCP-0002"],
        },
    }
}

impl Rule for GcsBucketUniformAccessDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for bucket in &model.gcp.buckets {
            let v = &bucket.uniform_access;
            match v.get() {
                None => out.unknown(),
                Some(true) => out.pass_at(bucket.meta.span),
                Some(false) => {
                    let state = if v.is_default() {
                        "leaves `uniform_bucket_level_access` unset (default `false`)"
                    } else {
                        "sets `uniform_bucket_level_access` to `false`"
                    };
                    out.report(
                        &bucket.meta,
                        v.span,
                        &v.via,
                        format!(
                            "bucket `{}` {state}, so object ACLs can grant access its IAM policy does not show",
                            bucket.meta.address
                        ),
                    );
                }
            }
        }
    }
}
