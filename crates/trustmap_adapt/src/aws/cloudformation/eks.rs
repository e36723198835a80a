//! `AWS::EKS::Cluster`.

use trustmap_model::Value;
use trustmap_model::aws::eks::{Eks, EksCluster, EksEncryption};

use super::{Object, items, meta, object};
use crate::aws::join::Index;
use crate::aws::read::{self, attr};

/// EKS opens the public endpoint to every address unless told otherwise.
const WORLD: &str = "0.0.0.0/0";

pub(in crate::aws) fn adapt(index: &Index<'_>, eks: &mut Eks) {
    for r in index.cfn("AWS::EKS::Cluster") {
        let p = &r.properties;
        let vpc = object(p, "ResourcesVpcConfig");
        let at = match &vpc {
            Object::Known(v) => v.span,
            Object::Unknown(span) => *span,
            Object::Absent => r.span,
        };
        let (public, private, cidrs) = match vpc {
            Object::Unknown(_) => (
                Value::unknown(at),
                Value::unknown(at),
                vec![Value::unknown(at)],
            ),
            Object::Known(v) => (
                read::bool_or(v, "EndpointPublicAccess", true, at),
                read::bool_or(v, "EndpointPrivateAccess", false, at),
                attr(v, "PublicAccessCidrs").map_or_else(
                    || vec![Value::default_at(WORLD.to_string(), at)],
                    read::strings,
                ),
            ),
            Object::Absent => (
                Value::default_at(true, at),
                Value::default_at(false, at),
                vec![Value::default_at(WORLD.to_string(), at)],
            ),
        };
        let encryption = match items(p, "EncryptionConfig") {
            Err(span) => Value::unknown(span),
            Ok(list) if list.is_empty() => Value::default_at(Vec::new(), r.span),
            Ok(list) => {
                let span = list.first().map_or(r.span, |c| c.span);
                let configs = list
                    .iter()
                    .map(|c| EksEncryption {
                        span: c.span,
                        resources: read::strings_at(c, "Resources"),
                        key: match object(c, "Provider") {
                            Object::Known(pr) => read::opt_string(pr, "KeyArn", pr.span),
                            _ => Value::unknown(c.span),
                        },
                    })
                    .collect();
                Value::explicit(configs, span)
            }
        };
        // `Logging: {ClusterLogging: {EnabledTypes: [{Type: api}, ...]}}`.
        let log_types = match object(p, "Logging") {
            Object::Absent => Value::default_at(Vec::new(), r.span),
            Object::Unknown(span) => Value::unknown(span),
            Object::Known(l) => match object(l, "ClusterLogging") {
                Object::Absent => Value::default_at(Vec::new(), l.span),
                Object::Unknown(span) => Value::unknown(span),
                Object::Known(c) => match items(c, "EnabledTypes") {
                    Err(span) => Value::unknown(span),
                    Ok(types) => Value::explicit(
                        types
                            .into_iter()
                            .map(|t| read::string_at(t, "Type", t.span))
                            .collect(),
                        c.span,
                    ),
                },
            },
        };
        eks.clusters.push(EksCluster {
            meta: meta(r),
            name: read::string_at(p, "Name", r.span),
            vpc_config_span: at,
            endpoint_public_access: public,
            endpoint_private_access: private,
            public_access_cidrs: cidrs,
            encryption,
            log_types,
        });
    }
}
