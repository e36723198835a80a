//! ServiceAccounts, Secrets and ConfigMaps.

use trustmap_model::Value;
use trustmap_model::k8s::{
    Cloud, ConfigMap, DataEntry, Object, Secret, ServiceAccount, WorkloadIdentity,
};
use trustmap_syntax::Node;

use super::read::{boolean, field, items, or_default, required, text, value};

pub(super) fn service_account(object: Object, doc: &Node) -> ServiceAccount {
    let d = Some(doc);
    let workload_identities = Cloud::ALL
        .into_iter()
        .filter_map(|cloud| {
            object
                .annotation(cloud.annotation())
                .map(|kv| WorkloadIdentity {
                    cloud,
                    annotation: kv.clone(),
                })
        })
        .collect();
    let names = |key: &str| {
        items(field(d, key))
            .iter()
            .map(|r| required(Some(r.untagged()), "name", text, r.span))
            .collect()
    };
    ServiceAccount {
        automount_service_account_token: or_default(
            d,
            "automountServiceAccountToken",
            boolean,
            true,
            doc.span,
        ),
        workload_identities,
        secrets: names("secrets"),
        image_pull_secrets: names("imagePullSecrets"),
        object,
    }
}

pub(super) fn secret(object: Object, doc: &Node) -> Secret {
    let d = Some(doc);
    let mut data = entries(field(d, "data"), true);
    data.extend(entries(field(d, "stringData"), false));
    Secret {
        object,
        secret_type: or_default(d, "type", text, "Opaque".to_string(), doc.span),
        data,
    }
}

pub(super) fn config_map(object: Object, doc: &Node) -> ConfigMap {
    let d = Some(doc);
    let mut data = entries(field(d, "data"), false);
    data.extend(entries(field(d, "binaryData"), true));
    ConfigMap { object, data }
}

fn entries(map: Option<&Node>, base64: bool) -> Vec<DataEntry> {
    map.and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .map(|e| DataEntry {
            key: e.key.clone(),
            key_span: e.key_span,
            value: if e.value.is_null() {
                Value::explicit(String::new(), e.value.span)
            } else {
                value(e.value.untagged(), text)
            },
            base64,
        })
        .collect()
}
