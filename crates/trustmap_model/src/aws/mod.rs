//! AWS resources adapted from Terraform (and later CloudFormation).
//!
//! Split resources are joined by the adapter: an `aws_s3_bucket_acl` is a [`s3::BucketAcl`]
//! with a [`Link`] to its bucket, a separate security group rule a [`ec2::SgRule`] with a link
//! to its group. Parts that cannot be joined (the target is outside the scan or unknown) are
//! kept with an unresolved link, so rules still judge them on their own.

pub mod ec2;
pub mod iam;
pub mod lambda;
pub mod policy;
pub mod s3;

use trustmap_source::{Span, Via};

/// Everything AWS in one scan.
#[derive(Debug, Default)]
pub struct Aws {
    pub s3: s3::S3,
    pub iam: iam::Iam,
    pub ec2: ec2::Ec2,
    pub lambda: lambda::Lambda,
}

impl Aws {
    /// Number of adapted AWS objects (for statistics).
    pub fn object_count(&self) -> usize {
        self.s3.buckets.len()
            + self.iam.roles.len()
            + self.iam.users.len()
            + self.iam.groups.len()
            + self.iam.policies.len()
            + self.ec2.instances.len()
            + self.ec2.launch_templates.len()
            + self.ec2.security_groups.len()
            + self.lambda.functions.len()
    }
}

/// A reference from one resource to another, as written and as resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// What the source names: the referenced address (`aws_s3_bucket.b`) for a reference,
    /// the literal name or ARN otherwise; `None` when it cannot be known.
    pub text: Option<String>,
    /// Where the reference is written.
    pub span: Span,
    pub via: Vec<Via>,
    /// Index of the target in its list (`S3::buckets`, `Iam::roles`, ...) when the scan
    /// defines it.
    pub target: Option<usize>,
}

impl Link {
    /// A link whose target is not known at all.
    pub fn unknown(span: Span) -> Self {
        Self {
            text: None,
            span,
            via: Vec::new(),
            target: None,
        }
    }

    /// A link to an object the adapter found directly (an inline block of its parent).
    pub fn parent(index: usize, text: &str, span: Span) -> Self {
        Self {
            text: Some(text.to_string()),
            span,
            via: Vec::new(),
            target: Some(index),
        }
    }

    /// A short label for messages: the target's address or name, or `unknown`.
    pub fn label(&self) -> &str {
        self.text.as_deref().unwrap_or("unknown")
    }
}
