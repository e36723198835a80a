//! Key Vaults.

use trustmap_model::Value;
use trustmap_model::azure::key_vault::{KeyVault, NetworkAcls};

use super::Index;
use crate::terraform_read::{self as read, Blocks, blocks, meta};

pub(super) fn adapt(index: &Index<'_>) -> Vec<KeyVault> {
    index
        .managed("azurerm_key_vault")
        .iter()
        .map(|r| {
            let b = &r.body;
            let network_acls = match blocks(b, "network_acls") {
                Blocks::Absent => Value::default_at(None, r.span),
                Blocks::Unknown(span) => Value::unknown(span),
                Blocks::Known(list) => match list.first() {
                    Some(n) => Value::explicit(
                        Some(NetworkAcls {
                            span: n.span,
                            default_action: read::string_at(n, "default_action", n.span),
                        }),
                        n.span,
                    ),
                    None => Value::default_at(None, r.span),
                },
            };
            KeyVault {
                meta: meta(r),
                purge_protection: read::bool_or(b, "purge_protection_enabled", false, r.span),
                public_network_access: read::bool_or(
                    b,
                    "public_network_access_enabled",
                    true,
                    r.span,
                ),
                network_acls,
            }
        })
        .collect()
}
