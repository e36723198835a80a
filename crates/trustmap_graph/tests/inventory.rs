//! Blast radius and access inventory on the mixed repository.

mod common;

use trustmap_engine::Report;
use trustmap_graph::{AccessLevel, access_inventory, blast_radius};

fn mixed() -> Report {
    common::scan_files(&[
        ("infra/main.tf", include_str!("fixtures/mixed/main.tf")),
        ("k8s/web.yaml", include_str!("fixtures/mixed/web.yaml")),
    ])
}

#[test]
fn blast_radius_of_a_role_lists_what_it_reaches_most_access_first() {
    let r = mixed();
    let g = &r.graph;
    let role = g.find("arn:aws:iam::111122223333:role/api");
    assert_eq!(role.len(), 1, "found by ARN");
    assert_eq!(g.find("aws_iam_role.api"), role);
    let radius = blast_radius(g, role[0]);
    let reached: Vec<(&str, AccessLevel, usize)> = radius
        .reached
        .iter()
        .map(|x| (g.node(x.node).key.as_str(), x.access, x.path.len()))
        .collect();
    assert_eq!(
        reached,
        [
            ("aws:account-admin", AccessLevel::Admin, 2),
            ("aws_s3_bucket.orders[\"eu\"]", AccessLevel::Write, 2),
            ("aws_s3_bucket.orders[\"us\"]", AccessLevel::Write, 2),
        ]
    );
    // Nothing of the cluster is in the role's reach.
    let sa = g.find("ServiceAccount/shop/web")[0];
    let radius = blast_radius(g, sa);
    assert_eq!(radius.reached.len(), 1);
    assert_eq!(g.node(radius.reached[0].node).key, "Secret/shop/stripe");
}

#[test]
fn access_inventory_names_each_holder_and_how_untrusted_sources_get_there() {
    let r = mixed();
    let g = &r.graph;
    let inventory = access_inventory(g);
    let keys: Vec<&str> = inventory
        .iter()
        .map(|d| g.node(d.data).key.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "Secret/shop/stripe",
            "aws_s3_bucket.orders[\"eu\"]",
            "aws_s3_bucket.orders[\"us\"]",
        ]
    );
    let stripe = &inventory[0];
    assert_eq!(stripe.readers.len(), 1, "only the bound service account");
    let sa = stripe
        .readers
        .iter()
        .find(|a| g.node(a.who).key == "ServiceAccount/shop/web")
        .expect("service account reads it");
    let exposed: Vec<&str> = sa
        .exposed_by
        .as_ref()
        .expect("reached from the internet")
        .iter()
        .map(|s| g.node(s.node).key.as_str())
        .collect();
    assert_eq!(
        exposed,
        [
            "internet",
            "Ingress/shop/web",
            "Service/shop/web",
            "Deployment/shop/web",
            "ServiceAccount/shop/web"
        ]
    );
    let eu = &inventory[1];
    assert!(eu.readers.is_empty() && eu.admins.is_empty());
    assert_eq!(g.node(eu.writers[0].who).key, "aws_iam_role.api");
}
