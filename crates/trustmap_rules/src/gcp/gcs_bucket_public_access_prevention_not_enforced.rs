use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A `google_storage_bucket` whose `public_access_prevention` is not `enforced`: it is
    /// `inherited`, or omitted and defaults to `inherited`.
    ///
    /// With `inherited`, the bucket is protected only if the organization policy constraint
    /// `storage.publicAccessPrevention` applies to its project, which the bucket's own code
    /// cannot show. If you rely on that constraint, this finding can be suppressed with that
    /// reason.
    ///
    /// ## Why it matters
    /// Public access prevention makes Cloud Storage refuse every `allUsers` and
    /// `allAuthenticatedUsers` grant, whoever adds it. Without it, one IAM binding or object
    /// ACL written later (by a teammate, a script, or an attacker who gained
    /// `storage.buckets.setIamPolicy`) publishes the data to the internet.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_storage_bucket" "backups" {
    ///   name     = "acme-backups"
    ///   location = "EU"
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "google_storage_bucket" "backups" {
    ///   name                     = "acme-backups"
    ///   location                 = "EU"
    ///   public_access_prevention = "enforced"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/storage/docs/public-access-prevention>
    pub(crate) GcsBucketPublicAccessPreventionNotEnforced {
        id: "GCP-GCS-003",
        name: "gcs-bucket-public-access-prevention-not-enforced",
        severity: Medium,
        capability: Iac,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_GCP_114"],
        },
    }
}

impl Rule for GcsBucketPublicAccessPreventionNotEnforced {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for bucket in &model.gcp.buckets {
            let v = &bucket.public_access_prevention;
            match bucket.prevents_public_access() {
                None => out.unknown(),
                Some(true) => out.pass_at(bucket.meta.span),
                Some(false) => {
                    let state = if v.is_default() {
                        "leaves `public_access_prevention` unset (default `inherited`)".to_string()
                    } else {
                        format!(
                            "sets `public_access_prevention` to `{}`",
                            v.get().map_or("", String::as_str)
                        )
                    };
                    out.report(
                        &bucket.meta,
                        v.span,
                        &v.via,
                        format!(
                            "bucket `{}` {state}, so nothing in the code stops a later grant from making it public",
                            bucket.meta.address
                        ),
                    );
                }
            }
        }
    }
}
