//! `AWS::SecretsManager::Secret`, `ResourcePolicy` and `RotationSchedule`.

use trustmap_model::aws::policy::ResourcePolicy;
use trustmap_model::aws::secretsmanager::{Rotation, Secret, SecretsManager};

use super::meta;
use crate::aws::join::{Index, Target};
use crate::aws::policy;
use crate::aws::read;

pub(in crate::aws) fn adapt(index: &Index<'_>, sm: &mut SecretsManager) {
    for r in index.cfn("AWS::SecretsManager::Secret") {
        sm.secrets.push(Secret {
            meta: meta(r),
            name: read::string_at(&r.properties, "Name", r.span),
        });
    }
    for r in index.cfn("AWS::SecretsManager::ResourcePolicy") {
        let p = &r.properties;
        sm.policies.push(ResourcePolicy {
            meta: meta(r),
            target: index.link_at(Target::Secret, p, "SecretId", r.span),
            document: policy::document_at(p, "ResourcePolicy", r.span, index),
        });
    }
    for r in index.cfn("AWS::SecretsManager::RotationSchedule") {
        sm.rotations.push(Rotation {
            meta: meta(r),
            secret: index.link_at(Target::Secret, &r.properties, "SecretId", r.span),
        });
    }
}
