//! Secrets Manager secrets, secret policies and rotation schedules.

use trustmap_model::aws::Link;
use trustmap_model::aws::secretsmanager::{Rotation, Secret, SecretsManager};

use super::join::{Index, Target};
use super::policy::{inline_resource_policy, separate_resource_policies};
use super::read::{self, attr, blocks, meta};

pub(crate) fn adapt(index: &Index<'_>) -> SecretsManager {
    let mut sm = SecretsManager::default();
    for (i, r) in index
        .managed("aws_secretsmanager_secret")
        .iter()
        .enumerate()
    {
        let b = &r.body;
        sm.policies.extend(inline_resource_policy(r, i, index));
        // Provider versions before 5 configured rotation on the secret itself.
        let inline_rotation = attr(b, "rotation_lambda_arn").is_some()
            || !blocks(b, "rotation_rules").known().is_empty();
        if inline_rotation {
            sm.rotations.push(Rotation {
                meta: meta(r),
                secret: Link::parent(i, &r.address, r.span),
            });
        }
        sm.secrets.push(Secret {
            meta: meta(r),
            name: read::string_at(b, "name", r.span),
        });
    }
    sm.policies.extend(separate_resource_policies(
        index,
        "aws_secretsmanager_secret_policy",
        Target::Secret,
        "secret_arn",
    ));
    for r in index.managed("aws_secretsmanager_secret_rotation") {
        sm.rotations.push(Rotation {
            meta: meta(r),
            secret: index.link_at(Target::Secret, &r.body, "secret_id", r.span),
        });
    }
    super::cloudformation::secretsmanager::adapt(index, &mut sm);
    sm
}
