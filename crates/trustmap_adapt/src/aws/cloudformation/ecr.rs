//! `AWS::ECR::Repository` (with its inline `RepositoryPolicyText`) and
//! `AWS::ECR::RegistryScanningConfiguration`.

use trustmap_model::Value;
use trustmap_model::aws::Link;
use trustmap_model::aws::ecr::{Ecr, RegistryScanning, Repository, ScanRule};
use trustmap_model::aws::policy::ResourcePolicy;

use super::{Object, items, meta, object};
use crate::aws::join::Index;
use crate::aws::policy;
use crate::aws::read::{self, attr};

pub(in crate::aws) fn adapt(index: &Index<'_>, ecr: &mut Ecr) {
    for r in index.cfn("AWS::ECR::Repository") {
        let p = &r.properties;
        let i = ecr.repositories.len();
        if let Some(doc) = attr(p, "RepositoryPolicyText") {
            ecr.policies.push(ResourcePolicy {
                meta: meta(r),
                target: Link::parent(i, &r.logical_id, r.span),
                document: policy::document(doc, index),
            });
        }
        let scan_on_push = match object(p, "ImageScanningConfiguration") {
            Object::Absent => Value::default_at(false, r.span),
            Object::Unknown(span) => Value::unknown(span),
            Object::Known(c) => read::bool_or(c, "ScanOnPush", false, c.span),
        };
        ecr.repositories.push(Repository {
            meta: meta(r),
            name: read::string_at(p, "RepositoryName", r.span),
            tag_mutability: read::string_or(p, "ImageTagMutability", "MUTABLE", r.span),
            scan_on_push,
        });
    }
    for r in index.cfn("AWS::ECR::RegistryScanningConfiguration") {
        let p = &r.properties;
        let rules = items(p, "Rules")
            .unwrap_or_default()
            .into_iter()
            .map(|rule| ScanRule {
                span: rule.span,
                frequency: read::string_at(rule, "ScanFrequency", rule.span),
                filters: match items(rule, "RepositoryFilters") {
                    Err(span) => vec![Value::unknown(span)],
                    Ok(list) => list
                        .into_iter()
                        .map(|f| read::string_at(f, "Filter", f.span))
                        .collect(),
                },
            })
            .collect();
        ecr.registry_scanning.push(RegistryScanning {
            meta: meta(r),
            scan_type: read::string_at(p, "ScanType", r.span),
            rules,
        });
    }
}
