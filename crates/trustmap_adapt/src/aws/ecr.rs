//! ECR repositories, repository policies and registry scanning rules.

use trustmap_model::Value;
use trustmap_model::aws::ecr::{Ecr, RegistryScanning, Repository, ScanRule};

use super::join::{Index, Target};
use super::policy::separate_resource_policies;
use super::read::{self, Blocks, blocks, meta};

pub(crate) fn adapt(index: &Index<'_>) -> Ecr {
    let mut ecr = Ecr::default();
    for r in index.managed("aws_ecr_repository") {
        let b = &r.body;
        let scan_on_push = match blocks(b, "image_scanning_configuration") {
            Blocks::Absent => Value::default_at(false, r.span),
            Blocks::Unknown(span) => Value::unknown(span),
            Blocks::Known(list) => list.first().map_or_else(
                || Value::default_at(false, r.span),
                |c| read::bool_or(c, "scan_on_push", false, c.span),
            ),
        };
        ecr.repositories.push(Repository {
            meta: meta(r),
            name: read::string_at(b, "name", r.span),
            tag_mutability: read::string_or(b, "image_tag_mutability", "MUTABLE", r.span),
            scan_on_push,
        });
    }
    ecr.policies.extend(separate_resource_policies(
        index,
        "aws_ecr_repository_policy",
        Target::Repository,
        "repository",
    ));
    for r in index.managed("aws_ecr_registry_scanning_configuration") {
        let rules = blocks(&r.body, "rule")
            .known()
            .iter()
            .map(|rule| ScanRule {
                span: rule.span,
                frequency: read::string_at(rule, "scan_frequency", rule.span),
                filters: match blocks(rule, "repository_filter") {
                    Blocks::Unknown(span) => vec![Value::unknown(span)],
                    list => list
                        .known()
                        .iter()
                        .map(|f| read::string_at(f, "filter", f.span))
                        .collect(),
                },
            })
            .collect();
        ecr.registry_scanning.push(RegistryScanning {
            meta: meta(r),
            scan_type: read::string_at(&r.body, "scan_type", r.span),
            rules,
        });
    }
    super::cloudformation::ecr::adapt(index, &mut ecr);
    ecr
}
