use trustmap_model::Model;

use super::account_label;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `azurerm_storage_container` with `container_access_type = "blob"` (anyone can read
    /// any blob whose name they know) or `"container"` (anyone can also list them).
    ///
    /// Containers of an account in the scan that forbids public access
    /// (`allow_nested_items_to_be_public = false`) or disables public network access are not
    /// reported: Azure refuses anonymous requests to them.
    ///
    /// ## Why it matters
    /// Anonymous access needs no credential and leaves no identity in the logs. Storage
    /// account names are DNS names (`<name>.blob.core.windows.net`), easy to guess or find
    /// in code, and with `container` access a single anonymous request lists everything.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_storage_container" "exports" {
    ///   name                  = "exports"
    ///   storage_account_id    = azurerm_storage_account.data.id
    ///   container_access_type = "container"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Keep the container private and hand out short-lived user-delegation SAS URLs, or serve
    /// public files through a CDN:
    ///
    /// ```hcl
    /// resource "azurerm_storage_container" "exports" {
    ///   name                  = "exports"
    ///   storage_account_id    = azurerm_storage_account.data.id
    ///   container_access_type = "private"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-configure>
    pub(crate) StorageContainerPublic {
        id: "AZU-STORAGE-002",
        name: "storage-container-public",
        severity: High,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_34"],
            trivy: ["AVD-AZU-0007"],
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for StorageContainerPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for c in &model.azure.storage_containers {
            let v = &c.access_type;
            let Some(access) = v.get() else {
                out.unknown();
                continue;
            };
            let what = match access.to_ascii_lowercase().as_str() {
                "blob" => "read any blob",
                "container" => "list and read every blob",
                _ => {
                    out.pass_at(c.meta.span);
                    continue;
                }
            };
            let account = c
                .account
                .target
                .and_then(|i| model.azure.storage_accounts.get(i));
            let blocked = account.is_some_and(|a| {
                a.nested_items_public.is_false() || a.public_network_access.is_false()
            });
            if blocked {
                out.pass_at(c.meta.span);
                continue;
            }
            out.report(
                &c.meta,
                v.span,
                &v.via,
                format!(
                    "container `{}` in storage account `{}` has access type `{access}`, so anyone can {what} in it",
                    c.meta.address,
                    account_label(model, &c.account)
                ),
            );
        }
    }
}
