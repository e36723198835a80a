use trustmap_model::Model;
use trustmap_model::docker::shell::Command;
use trustmap_model::gha::{CloudProvider, Step};
use trustmap_source::Span;

use super::sites::job_sites;
use crate::{Related, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A job that deploys, or signs in to a cloud, with no `environment:`.
    ///
    /// Deploying is: assuming a cloud identity through OIDC
    /// (`aws-actions/configure-aws-credentials`, `google-github-actions/auth`, `azure/login`),
    /// running a deployment command (`terraform apply`, `kubectl apply`, `helm upgrade`,
    /// `pulumi up`, `cdk deploy`, `serverless deploy`, `aws cloudformation deploy`, `gcloud
    /// run deploy`, `az webapp deploy`, `flyctl deploy`, `firebase deploy`, …), or using a
    /// deployment action (`aws-actions/amazon-ecs-deploy-task-definition`,
    /// `google-github-actions/deploy-cloudrun`, `azure/webapps-deploy`, `azure/k8s-deploy`,
    /// …). Steps of composite actions of the same repository are followed. Jobs that call a
    /// reusable workflow are left to that workflow's jobs.
    ///
    /// ## Why it matters
    ///
    /// An environment is where GitHub enforces deployment protection: required reviewers, wait
    /// timers, the branches and tags allowed to deploy, and secrets that only that environment
    /// sees. It also names the OIDC token's subject (`repo:org/repo:environment:prod`), which
    /// is what a cloud role's trust policy should pin. Without one, anyone who can push a
    /// branch that runs this workflow — or inject a step into it — deploys to production
    /// unreviewed, and the cloud role has to trust a subject as wide as a branch pattern.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// jobs:
    ///   deploy:
    ///     runs-on: ubuntu-latest
    ///     permissions:
    ///       id-token: write
    ///     steps:
    ///       - uses: aws-actions/configure-aws-credentials@v4
    ///         with:
    ///           role-to-assume: arn:aws:iam::123456789012:role/deploy
    ///           aws-region: eu-west-1
    ///       - run: terraform apply -auto-approve
    /// ```
    ///
    /// ## Fix
    ///
    /// Run the job in an environment with protection rules, and pin the role's trust to it:
    ///
    /// ```yaml
    /// jobs:
    ///   deploy:
    ///     runs-on: ubuntu-latest
    ///     environment: production
    ///     permissions:
    ///       id-token: write
    ///     steps:
    ///       - uses: aws-actions/configure-aws-credentials@v4
    ///         with:
    ///           role-to-assume: arn:aws:iam::123456789012:role/deploy
    ///           aws-region: eu-west-1
    ///       - run: terraform apply -auto-approve
    /// ```
    pub(crate) GhaDeployWithoutEnvironment {
        id: "GHA-011",
        name: "gha-deploy-without-environment",
        severity: Medium,
        capability: Design,
        languages: [GithubActions],
        equivalents: {
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for GhaDeployWithoutEnvironment {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for w in &model.workflows {
            for job in w.jobs.iter().filter(|j| j.uses.is_none()) {
                let evidence = job
                    .cloud_roles
                    .first()
                    .map(|r| {
                        let cloud = match r.provider {
                            CloudProvider::Aws => "AWS",
                            CloudProvider::Gcp => "Google Cloud",
                            CloudProvider::Azure => "Azure",
                        };
                        (r.uses_span, format!("signs in to {cloud} through OIDC"))
                    })
                    .or_else(|| {
                        job_sites(model, w, job)
                            .iter()
                            .find_map(|s| deploys(s.step))
                    });
                let Some((span, what)) = evidence else {
                    continue;
                };
                if job.environment.is_some() {
                    out.pass_at(job.meta.span);
                    continue;
                }
                let message = format!(
                    "job `{}` {what} without an `environment`, so no protection rule or reviewer gates it",
                    job.id
                );
                out.report(&job.meta, job.id_span, &[], message)
                    .related
                    .push(Related {
                        span,
                        note: "the deployment happens here".to_string(),
                    });
            }
        }
    }
}

/// Deployment actions.
const DEPLOY_ACTIONS: &[&str] = &[
    "aws-actions/amazon-ecs-deploy-task-definition",
    "aws-actions/aws-cloudformation-github-deploy",
    "google-github-actions/deploy-cloudrun",
    "google-github-actions/deploy-appengine",
    "google-github-actions/deploy-cloud-functions",
    "azure/webapps-deploy",
    "azure/functions-action",
    "azure/k8s-deploy",
    "azure/arm-deploy",
    "azure/container-apps-deploy-action",
    "cloudflare/wrangler-action",
    "firebaseextended/action-hosting-deploy",
];

/// A deployment step: its span and what it does, as a verb phrase.
fn deploys(step: &Step) -> Option<(Span, String)> {
    if let Some(u) = &step.uses
        && DEPLOY_ACTIONS.iter().any(|a| u.is_action(a))
    {
        return Some((u.span, format!("runs `{}`", u.owner_repo())));
    }
    let script = step.script.as_ref()?;
    script
        .commands()
        .find_map(|c| deploy_command(c).map(|what| (c.span, format!("runs `{what}`"))))
}

/// `terraform apply`, `kubectl apply`, … as shown in messages (shared with GitLab CI).
pub(crate) fn deploy_command(c: &Command) -> Option<String> {
    let p = c.program()?;
    let args: Vec<&str> = c
        .args()
        .iter()
        .map(|a| a.text.as_str())
        .filter(|a| !a.starts_with('-'))
        .collect();
    let first = args.first().copied().unwrap_or("");
    let two = |a: &str, b: &str| args.len() >= 2 && args[0] == a && args[1] == b;
    let hit = match p {
        "terraform" | "tofu" | "terragrunt" => matches!(first, "apply" | "destroy"),
        "kubectl" | "oc" => matches!(
            first,
            "apply" | "create" | "replace" | "delete" | "patch" | "rollout" | "set"
        ),
        "helm" => matches!(first, "install" | "upgrade" | "uninstall" | "rollback"),
        "helmfile" => matches!(first, "apply" | "sync" | "destroy"),
        "pulumi" => matches!(first, "up" | "destroy"),
        "cdk" | "serverless" | "sls" | "flyctl" | "fly" | "firebase" => first == "deploy",
        "sam" => first == "deploy",
        "aws" => {
            two("cloudformation", "deploy")
                || two("cloudformation", "create-stack")
                || two("cloudformation", "update-stack")
                || two("ecs", "update-service")
                || two("lambda", "update-function-code")
        }
        "gcloud" => args.iter().take(4).any(|a| *a == "deploy"),
        "az" => {
            two("webapp", "deploy")
                || (first == "deployment" && args.contains(&"create"))
                || two("functionapp", "deploy")
        }
        "argocd" => two("app", "sync"),
        "vercel" => c.args().iter().any(|a| a.text == "--prod") || first == "deploy",
        _ => false,
    };
    hit.then(|| {
        let shown: Vec<&str> = std::iter::once(p)
            .chain(args.iter().take(2).copied())
            .collect();
        if matches!(p, "aws" | "az" | "gcloud" | "argocd") {
            shown.join(" ")
        } else {
            format!("{p} {first}").trim_end().to_string()
        }
    })
}
