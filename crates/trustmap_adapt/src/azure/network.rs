//! Network security group rules, inline and separate.

use trustmap_model::Link;
use trustmap_model::azure::network::NsgRule;
use trustmap_syntax::Node;
use trustmap_terraform::TfResource;

use super::{Index, Target};
use crate::terraform_read::{self as read, blocks, meta};

pub(super) fn adapt(index: &Index<'_>) -> Vec<NsgRule> {
    let mut rules = Vec::new();
    for (i, r) in index
        .managed("azurerm_network_security_group")
        .iter()
        .enumerate()
    {
        for block in blocks(&r.body, "security_rule").known() {
            rules.push(rule(r, Link::parent(i, &r.address, r.span), block));
        }
    }
    for r in index.managed("azurerm_network_security_rule") {
        let group = index.link_any(
            Target::SecurityGroup,
            &r.body,
            &["network_security_group_name", "network_security_group_id"],
            r.span,
        );
        rules.push(rule(r, group, &r.body));
    }
    rules
}

/// A rule from an inline block or a separate resource (same argument names).
fn rule(r: &TfResource, group: Link, b: &Node) -> NsgRule {
    let span = if std::ptr::eq(b, &r.body) {
        r.span
    } else {
        b.span
    };
    let list = |one: &str, many: &str| {
        let mut v = read::strings_at(b, one);
        v.extend(read::strings_at(b, many));
        v
    };
    NsgRule {
        meta: meta(r),
        group,
        span,
        name: read::string_at(b, "name", span),
        direction: read::string_at(b, "direction", span),
        access: read::string_at(b, "access", span),
        protocol: read::string_at(b, "protocol", span),
        sources: list("source_address_prefix", "source_address_prefixes"),
        destination_ports: list("destination_port_range", "destination_port_ranges"),
    }
}
