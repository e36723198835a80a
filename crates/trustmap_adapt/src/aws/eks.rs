//! EKS clusters.

use trustmap_model::Value;
use trustmap_model::aws::eks::{Eks, EksCluster, EksEncryption};

use super::join::Index;
use super::read::{self, Blocks, attr, blocks, meta};

/// EKS opens the public endpoint to every address unless told otherwise.
const WORLD: &str = "0.0.0.0/0";

pub(crate) fn adapt(index: &Index<'_>) -> Eks {
    let mut eks = Eks::default();
    for r in index.managed("aws_eks_cluster") {
        let b = &r.body;
        let (vpc, vpc_unknown) = match blocks(b, "vpc_config") {
            Blocks::Known(list) => (list.first().copied(), false),
            Blocks::Unknown(_) => (None, true),
            Blocks::Absent => (None, false),
        };
        let at = vpc.map_or(r.span, |v| v.span);
        let (public, private, cidrs) = match vpc {
            _ if vpc_unknown => (
                Value::unknown(at),
                Value::unknown(at),
                vec![Value::unknown(at)],
            ),
            Some(v) => (
                read::bool_or(v, "endpoint_public_access", true, at),
                read::bool_or(v, "endpoint_private_access", false, at),
                attr(v, "public_access_cidrs").map_or_else(
                    || vec![Value::default_at(WORLD.to_string(), at)],
                    read::strings,
                ),
            ),
            None => (
                Value::default_at(true, at),
                Value::default_at(false, at),
                vec![Value::default_at(WORLD.to_string(), at)],
            ),
        };
        let encryption = match blocks(b, "encryption_config") {
            Blocks::Absent => Value::default_at(Vec::new(), r.span),
            Blocks::Unknown(span) => Value::unknown(span),
            Blocks::Known(list) => {
                let span = list.first().map_or(r.span, |c| c.span);
                let configs = list
                    .iter()
                    .map(|c| EksEncryption {
                        span: c.span,
                        resources: read::strings_at(c, "resources"),
                        key: blocks(c, "provider").first().map_or_else(
                            || Value::unknown(c.span),
                            |p| read::opt_string(p, "key_arn", p.span),
                        ),
                    })
                    .collect();
                Value::explicit(configs, span)
            }
        };
        let log_types = match attr(b, "enabled_cluster_log_types") {
            None => Value::default_at(Vec::new(), r.span),
            Some(n) if n.is_unknown() => Value::unknown(n.span).with_via(n.via.clone()),
            Some(n) => Value::explicit(read::strings(n), n.span).with_via(n.via.clone()),
        };
        eks.clusters.push(EksCluster {
            meta: meta(r),
            name: read::string_at(b, "name", r.span),
            vpc_config_span: at,
            endpoint_public_access: public,
            endpoint_private_access: private,
            public_access_cidrs: cidrs,
            encryption,
            log_types,
        });
    }
    super::cloudformation::eks::adapt(index, &mut eks);
    eks
}
