//! The detector tables, one file per provider family. Every row is data; the scanner, the
//! rule registry, the docs and the table tests are built from [`all`].

// Every row ends in `..BASE`, even rows that set every field, so adding a field to
// `Detector` never means editing the tables.
#![allow(clippy::needless_update)]

use std::sync::LazyLock;

use crate::detector::Detector;

mod ai;
mod aws;
mod azure;
mod chat;
mod cloud;
mod database;
mod email;
mod gcp;
mod generic;
mod keys;
mod observability;
mod payment;
mod platform;
mod registry;
mod saas;
mod scm;

/// Every detector, provider families first and generic ones last, each table in its order.
pub fn all() -> &'static [&'static Detector] {
    static ALL: LazyLock<Vec<&'static Detector>> = LazyLock::new(|| {
        [
            aws::DETECTORS,
            gcp::DETECTORS,
            azure::DETECTORS,
            cloud::DETECTORS,
            platform::DETECTORS,
            scm::DETECTORS,
            chat::DETECTORS,
            payment::DETECTORS,
            email::DETECTORS,
            registry::DETECTORS,
            observability::DETECTORS,
            ai::DETECTORS,
            saas::DETECTORS,
            database::DETECTORS,
            keys::DETECTORS,
            generic::DETECTORS,
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    &ALL
}

/// Looks a detector up by id (case-insensitive).
pub fn by_id(id: &str) -> Option<&'static Detector> {
    all()
        .iter()
        .copied()
        .find(|d| d.id.eq_ignore_ascii_case(id))
}
