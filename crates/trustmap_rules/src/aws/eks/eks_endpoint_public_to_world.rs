use trustmap_model::Model;
use trustmap_model::aws::ec2::is_world_cidr;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An EKS cluster whose Kubernetes API endpoint is public (`endpoint_public_access`,
    /// default `true`) and open to every address: `public_access_cidrs` includes `0.0.0.0/0`
    /// or `::/0`, or is left out (the default is `0.0.0.0/0`).
    ///
    /// ## Why it matters
    /// The cluster's API server then answers anyone on the internet. Every leaked kubeconfig,
    /// CI token or service-account token works from the attacker's laptop; unauthenticated
    /// API paths and API-server vulnerabilities are exposed to mass scanning. Restricting the
    /// endpoint to your networks turns a stolen credential into one that must also be used
    /// from inside them.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   name     = "main"
    ///   role_arn = aws_iam_role.cluster.arn
    ///   vpc_config {
    ///     subnet_ids = var.private_subnets
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Use the private endpoint, and keep the public one off or limited to known networks:
    ///
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   name     = "main"
    ///   role_arn = aws_iam_role.cluster.arn
    ///   vpc_config {
    ///     subnet_ids              = var.private_subnets
    ///     endpoint_private_access = true
    ///     endpoint_public_access  = true
    ///     public_access_cidrs     = ["203.0.113.0/24"]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html>
    /// - Peer checks: Checkov `CKV_AWS_38` and Trivy `AVD-AWS-0041` are equivalent; Checkov
    ///   `CKV_AWS_39` and Trivy `AVD-AWS-0040` are broader (they flag any public endpoint,
    ///   even one limited to known networks).
    pub(crate) EksEndpointPublicToWorld {
        id: "AWS-EKS-001",
        name: "eks-endpoint-public-to-world",
        severity: High,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_38", "CKV_AWS_39"],
            trivy: ["AVD-AWS-0041", "AVD-AWS-0040"],
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for EksEndpointPublicToWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for c in &model.aws.eks.clusters {
            match c.endpoint_public_access.get() {
                None => {
                    out.unknown();
                    continue;
                }
                Some(false) => {
                    out.pass_at(c.meta.span);
                    continue;
                }
                Some(true) => {}
            }
            let world = c
                .public_access_cidrs
                .iter()
                .find(|v| v.is(|s| is_world_cidr(s)));
            match world {
                Some(cidr) => {
                    let how = if cidr.is_default() {
                        "leaves `public_access_cidrs` to its default `0.0.0.0/0`".to_string()
                    } else {
                        format!(
                            "allows `{}` in `public_access_cidrs`",
                            cidr.get().map_or("", String::as_str)
                        )
                    };
                    out.report(
                        &c.meta,
                        cidr.span,
                        &cidr.via,
                        format!(
                            "cluster `{}` has a public API endpoint and {how}, so the Kubernetes API answers the whole internet",
                            c.meta.address
                        ),
                    );
                }
                None if c.public_access_cidrs.iter().any(|v| v.is_unknown()) => out.unknown(),
                None => out.pass_at(c.meta.span),
            }
        }
    }
}
