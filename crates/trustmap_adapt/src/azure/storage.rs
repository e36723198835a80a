//! Storage accounts, containers and network rules.

use trustmap_model::Link;
use trustmap_model::azure::storage::{StorageAccount, StorageContainer, StorageNetworkRules};

use super::{Index, Target};
use crate::terraform_read::{self as read, Blocks, blocks, meta};

/// Argument names across azurerm versions, newest first.
const NESTED_PUBLIC: &[&str] = &[
    "allow_nested_items_to_be_public",
    "allow_blob_public_access",
];
const HTTPS_ONLY: &[&str] = &["https_traffic_only_enabled", "enable_https_traffic_only"];
const ACCOUNT_OF_CONTAINER: &[&str] = &["storage_account_id", "storage_account_name"];
const ACCOUNT_OF_RULES: &[&str] = &["storage_account_id", "storage_account_name"];

pub(super) fn adapt(
    index: &Index<'_>,
) -> (
    Vec<StorageAccount>,
    Vec<StorageContainer>,
    Vec<StorageNetworkRules>,
) {
    let mut accounts = Vec::new();
    let mut rules = Vec::new();
    for (i, r) in index.managed("azurerm_storage_account").iter().enumerate() {
        let b = &r.body;
        let at = r.span;
        match blocks(b, "network_rules") {
            Blocks::Absent => {}
            Blocks::Known(list) => {
                for n in list {
                    rules.push(StorageNetworkRules {
                        meta: meta(r),
                        account: Link::parent(i, &r.address, r.span),
                        span: n.span,
                        default_action: read::string_at(n, "default_action", n.span),
                    });
                }
            }
            Blocks::Unknown(span) => rules.push(StorageNetworkRules {
                meta: meta(r),
                account: Link::parent(i, &r.address, r.span),
                span,
                default_action: trustmap_model::Value::unknown(span),
            }),
        }
        accounts.push(StorageAccount {
            meta: meta(r),
            name: read::string_at(b, "name", at),
            // azurerm 3.x/4.x default; see the model's field docs for other versions.
            nested_items_public: read::bool_any(b, NESTED_PUBLIC, true, at),
            public_network_access: read::bool_or(b, "public_network_access_enabled", true, at),
            https_only: read::bool_any(b, HTTPS_ONLY, true, at),
            min_tls_version: read::string_or(b, "min_tls_version", "TLS1_2", at),
        });
    }
    let containers = index
        .managed("azurerm_storage_container")
        .iter()
        .map(|r| StorageContainer {
            meta: meta(r),
            account: index.link_any(
                Target::StorageAccount,
                &r.body,
                ACCOUNT_OF_CONTAINER,
                r.span,
            ),
            access_type: read::string_or(&r.body, "container_access_type", "private", r.span),
        })
        .collect();
    for r in index.managed("azurerm_storage_account_network_rules") {
        rules.push(StorageNetworkRules {
            meta: meta(r),
            account: index.link_any(Target::StorageAccount, &r.body, ACCOUNT_OF_RULES, r.span),
            span: r.span,
            default_action: read::string_at(&r.body, "default_action", r.span),
        });
    }
    (accounts, containers, rules)
}
