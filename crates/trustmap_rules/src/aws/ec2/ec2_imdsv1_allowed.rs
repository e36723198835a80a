use trustmap_model::Model;
use trustmap_model::ResourceMeta;
use trustmap_model::aws::ec2::{MetadataOptions, TemplateKind};

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An EC2 instance, launch template or launch configuration whose instance metadata service
    /// answers IMDSv1 requests: `metadata_options.http_tokens` is `optional`, or is not set and
    /// defaults to `optional`.
    ///
    /// An instance without its own `metadata_options` that uses a launch template is judged
    /// through that template. An `aws_ec2_instance_metadata_defaults` that requires tokens
    /// account-wide is honoured.
    ///
    /// ## Why it matters
    /// IMDSv1 hands out the instance role's credentials to any plain `GET` from the instance.
    /// An attacker who finds one server-side request forgery in the application (an image
    /// fetcher, a webhook tester, a PDF renderer) asks it for
    /// `http://169.254.169.254/latest/meta-data/iam/security-credentials/` and walks away with
    /// the role. IMDSv2's session token requires a `PUT` with a custom header, which such
    /// forged requests cannot send.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "web" {
    ///   ami           = data.aws_ami.al2023.id
    ///   instance_type = "t3.micro"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Require session tokens:
    ///
    /// ```hcl
    /// resource "aws_instance" "web" {
    ///   ami           = data.aws_ami.al2023.id
    ///   instance_type = "t3.micro"
    ///   metadata_options {
    ///     http_tokens                 = "required"
    ///     http_put_response_hop_limit = 1
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html>
    /// - Peer checks: Checkov `CKV_AWS_79` is equivalent (IMDSv1 enabled). Trivy `AVD-AWS-0028` is
    ///   narrower (`aws_instance` only) and `AVD-AWS-0130` is narrower (launch configurations
    ///   only).
    pub(crate) Ec2Imdsv1Allowed {
        id: "AWS-EC2-003",
        name: "ec2-imdsv1-allowed",
        severity: High,
        capability: Identity,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_79"],
            trivy: ["AVD-AWS-0028", "AVD-AWS-0130"],
            cwe: ["CWE-918"],
        },
    }
}

fn judge(meta: &ResourceMeta, what: &str, m: &MetadataOptions, out: &mut Sink) {
    match m.allows_v1() {
        None => out.unknown(),
        Some(false) => out.pass_at(meta.span),
        Some(true) => {
            let tokens = &m.http_tokens;
            let value = tokens.get().map_or("", String::as_str);
            let how = if tokens.is_default() {
                format!("does not set `http_tokens`, which defaults to `{value}`")
            } else {
                format!("sets `http_tokens` to `{value}`")
            };
            out.report(
                meta,
                tokens.span,
                &tokens.via,
                format!(
                    "{what} `{}` {how}, so its metadata service serves role credentials over IMDSv1",
                    meta.address
                ),
            );
        }
    }
}

impl Rule for Ec2Imdsv1Allowed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let ec2 = &model.aws.ec2;
        for i in &ec2.instances {
            match (&i.metadata, &i.launch_template) {
                (Some(m), _) => judge(&i.meta, "instance", m, out),
                // The template is judged on its own.
                (None, Some(lt)) if lt.target.is_some() => out.pass_at(i.meta.span),
                (None, _) => out.unknown(),
            }
        }
        for t in &ec2.launch_templates {
            let what = match t.kind {
                TemplateKind::LaunchTemplate => "launch template",
                TemplateKind::LaunchConfiguration => "launch configuration",
            };
            judge(&t.meta, what, &t.metadata, out);
        }
    }
}
