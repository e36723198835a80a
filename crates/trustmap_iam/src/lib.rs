//! IAM evaluation for the resource graph: who can do what to which resource, and who can
//! become whom.
//!
//! - [`catalogue`]: the bundled catalogue of AWS actions (access level, resource types and
//!   their ARN formats), generated from a public dataset by `scripts/iam-catalogue/`.
//! - [`aws`]: identity and resource policy evaluation ([`evaluate`], [`aws::for_identity`],
//!   [`aws::resource_policy`]) giving [`Decision`]s per action and resource, the access per
//!   level to a [`Target`], admin and escalation checks.
//! - [`trust`]: trust policies ([`can_assume`], [`who_can_assume`]) for GitHub Actions OIDC,
//!   EKS IRSA, services, accounts and anyone.
//! - [`gcp`], [`azure`]: role classification ([`RoleClass`]), members and scopes;
//!   [`federation`]: whether a GCP workload identity provider or an Azure federated
//!   credential accepts a caller's OIDC token.
//!
//! Every answer carries [`Evidence`]: the statement and elements at its origin, and the
//! conditions that were assumed rather than decided. Unknown values never read as "denied".
//!
//! ```
//! use trustmap_iam::{catalogue, Access};
//! assert_eq!(catalogue().get("s3:GetObject").map(|a| a.access), Some(Access::Read));
//! ```

pub mod arn;
pub mod aws;
pub mod azure;
pub mod catalogue;
mod evidence;
pub mod federation;
pub mod gcp;
pub mod glob;
mod role;
pub mod trust;

pub use aws::{
    Allowed, Decision, Escalation, Evaluated, Grant, Requester, Target, UnknownPolicy, evaluate,
};
pub use catalogue::{Access, ActionDef, Catalogue, ResourceType, Service, catalogue};
pub use evidence::{Evidence, show_condition};
pub use glob::Match;
pub use role::{RoleClass, Services};
pub use trust::{Assumer, Caller, TrustDecision, Who, can_assume, who_can_assume};
