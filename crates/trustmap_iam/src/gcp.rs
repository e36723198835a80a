//! Google Cloud IAM: predefined roles classified to access levels, members, and whether a
//! grant's scope covers a resource.
//!
//! The table is small and documented here, from Google's "IAM basic and predefined roles
//! reference": basic roles by name, the impersonation and IAM-admin roles by name, and the
//! rest by the suffix of `roles/<service>.<suffix>`. A custom role (`projects/p/roles/r`)
//! is not classified.
//!
//! | role | access | data | escalation |
//! |---|---|---|---|
//! | `roles/owner` | Permissions, all services | yes | yes |
//! | `roles/editor` | Write, all services | yes | yes (acts as service accounts) |
//! | `roles/viewer`, `roles/browser` | Read / List, all services | no | no |
//! | `roles/iam.securityAdmin`, `roles/resourcemanager.*IamAdmin`, `...organizationAdmin`, `...folderAdmin` | Permissions, all | no | yes |
//! | `roles/iam.serviceAccountUser`, `...TokenCreator`, `...KeyAdmin`, `workloadIdentityUser` | Write, `iam` | no | yes |
//! | `roles/<svc>.admin`, `.owner`, `.objectAdmin` (storage) | Permissions (Write for objectAdmin) | yes | `.admin` of `iam`/`resourcemanager` |
//! | `.objectViewer`, `.secretAccessor`, `.dataViewer`, `.reader`, `.viewer` | Read | yes for object/secret/data roles | no |
//! | `.objectCreator`, `.editor`, `.writer`, `.developer`, `.dataEditor`, `.invoker`, `.user`, ... | Write | yes for object/data roles | no |

use serde::Serialize;
use trustmap_model::gcp::iam::{GrantTarget, IMPERSONATION_ROLES};

use crate::catalogue::Access;
use crate::glob::Match;
use crate::role::{RoleClass, Services};

/// Roles that administer IAM of everything in their scope.
const IAM_ADMIN_ROLES: &[&str] = &[
    "roles/iam.securityAdmin",
    "roles/resourcemanager.projectIamAdmin",
    "roles/resourcemanager.folderIamAdmin",
    "roles/resourcemanager.organizationAdmin",
    "roles/resourcemanager.folderAdmin",
    "roles/iam.roleAdmin",
    "roles/iam.organizationRoleAdmin",
];

/// Suffixes of data roles: they reach object contents, secret values, rows.
const DATA_SUFFIXES: &[&str] = &[
    "objectViewer",
    "objectCreator",
    "objectAdmin",
    "objectUser",
    "secretAccessor",
    "secretVersionManager",
    "dataViewer",
    "dataEditor",
    "dataOwner",
    "subscriber",
    "publisher",
    "cryptoKeyDecrypter",
    "cryptoKeyEncrypterDecrypter",
];

/// The class of a predefined or basic role; `None` for a custom role or an unknown name.
pub fn classify(role: &str) -> Option<RoleClass> {
    match role {
        "roles/owner" => {
            return Some(RoleClass::new(
                Access::Permissions,
                Services::All,
                true,
                true,
            ));
        }
        "roles/editor" => return Some(RoleClass::new(Access::Write, Services::All, true, true)),
        "roles/viewer" => return Some(RoleClass::new(Access::Read, Services::All, false, false)),
        "roles/browser" => return Some(RoleClass::new(Access::List, Services::All, false, false)),
        _ => {}
    }
    if IAM_ADMIN_ROLES.contains(&role) {
        return Some(RoleClass::new(
            Access::Permissions,
            Services::All,
            false,
            true,
        ));
    }
    if IMPERSONATION_ROLES.contains(&role) {
        return Some(RoleClass::new(
            Access::Write,
            RoleClass::one("iam"),
            false,
            true,
        ));
    }
    let (service, suffix) = role.strip_prefix("roles/")?.split_once('.')?;
    let data = DATA_SUFFIXES.contains(&suffix);
    let lower = suffix.to_ascii_lowercase();
    let access = if (lower.ends_with("admin") && lower != "objectadmin")
        || lower == "owner"
        || lower == "dataowner"
    {
        Access::Permissions
    } else if lower.ends_with("viewer")
        || lower.ends_with("reader")
        || lower == "secretaccessor"
        || lower == "subscriber"
        || lower == "cryptokeydecrypter"
    {
        Access::Read
    } else if lower.ends_with("lister") || lower == "browser" {
        Access::List
    } else {
        Access::Write
    };
    let escalation = access == Access::Permissions && matches!(service, "iam" | "resourcemanager");
    Some(RoleClass::new(
        access,
        RoleClass::one(service),
        data,
        escalation,
    ))
}

/// A grant's member, parsed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Member {
    /// `allUsers`: anyone on the internet.
    AllUsers,
    /// `allAuthenticatedUsers`: anyone with a Google account.
    AllAuthenticatedUsers,
    /// `user:EMAIL`.
    User(String),
    /// `serviceAccount:EMAIL`.
    ServiceAccount(String),
    /// `group:EMAIL`.
    Group(String),
    /// `domain:DOMAIN`: every account of a Google Workspace domain.
    Domain(String),
    /// A workload identity federation principal or principal set:
    /// `principalSet://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/POOL/attribute.repository/ORG/REPO`.
    Federated {
        /// The pool's ID.
        pool: String,
        /// `subject/X`, `attribute.NAME/VALUE`, or `*` (every identity of the pool).
        selector: String,
    },
    /// Anything else, as written.
    Other(String),
}

impl Member {
    /// Parses `user:a@b`, `serviceAccount:...`, `allUsers`, `principalSet://...`.
    pub fn parse(member: &str) -> Member {
        let m = member.trim();
        match m {
            "allUsers" => return Member::AllUsers,
            "allAuthenticatedUsers" => return Member::AllAuthenticatedUsers,
            _ => {}
        }
        if let Some(rest) = m
            .strip_prefix("principalSet://iam.googleapis.com/")
            .or_else(|| m.strip_prefix("principal://iam.googleapis.com/"))
            && let Some(i) = rest.find("/workloadIdentityPools/")
        {
            let after = &rest[i + "/workloadIdentityPools/".len()..];
            let (pool, selector) = after.split_once('/').unwrap_or((after, "*"));
            return Member::Federated {
                pool: pool.to_string(),
                selector: selector.to_string(),
            };
        }
        let (kind, id) = m.split_once(':').unwrap_or(("", m));
        let id = id.to_string();
        match kind {
            "user" => Member::User(id),
            "serviceAccount" => Member::ServiceAccount(id),
            "group" => Member::Group(id),
            "domain" => Member::Domain(id),
            _ => Member::Other(m.to_string()),
        }
    }

    /// Anyone on the internet (or with any Google account).
    pub fn is_public(&self) -> bool {
        matches!(self, Member::AllUsers | Member::AllAuthenticatedUsers)
    }
}

/// Whether a grant on `on` (named `scope`, as written) covers a resource of `project`.
/// Organization and folder grants cover every project under them; the scan does not know
/// the folder tree, so they answer [`Match::Maybe`]. Unknown names answer `Maybe` too.
pub fn scope_covers(on: GrantTarget, scope: Option<&str>, project: Option<&str>) -> Match {
    match on {
        GrantTarget::Organization | GrantTarget::Folder => Match::Maybe,
        GrantTarget::Project => match (scope, project) {
            (Some(s), Some(p)) => {
                let s = s.trim_start_matches("projects/");
                Match::from(s == p)
            }
            _ => Match::Maybe,
        },
        // A grant on one bucket, service or function covers that resource only: the caller
        // compares the grant's link with the resource.
        _ => Match::No,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_classified() {
        let c = |r| classify(r).unwrap();
        assert_eq!(c("roles/owner").access, Access::Permissions);
        assert!(c("roles/editor").escalation);
        assert_eq!(c("roles/viewer").access, Access::Read);
        let sa = c("roles/iam.serviceAccountTokenCreator");
        assert!(sa.escalation && sa.services.includes("iam"));
        assert!(c("roles/iam.serviceAccountUser").escalation);
        let ov = c("roles/storage.objectViewer");
        assert_eq!((ov.access, ov.data), (Access::Read, true));
        assert!(ov.services.includes("storage") && !ov.services.includes("bigquery"));
        assert_eq!(c("roles/storage.objectAdmin").access, Access::Write);
        assert_eq!(c("roles/storage.admin").access, Access::Permissions);
        let sec = c("roles/secretmanager.secretAccessor");
        assert_eq!((sec.access, sec.data), (Access::Read, true));
        assert_eq!(c("roles/run.invoker").access, Access::Write);
        assert!(c("roles/resourcemanager.projectIamAdmin").escalation);
        assert!(classify("projects/p/roles/custom").is_none());
    }

    #[test]
    fn members_and_scopes() {
        assert!(Member::parse("allUsers").is_public());
        assert_eq!(
            Member::parse("serviceAccount:ci@p.iam.gserviceaccount.com"),
            Member::ServiceAccount("ci@p.iam.gserviceaccount.com".into())
        );
        assert_eq!(
            Member::parse(
                "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/gh/attribute.repository/acme/app"
            ),
            Member::Federated {
                pool: "gh".into(),
                selector: "attribute.repository/acme/app".into()
            }
        );
        assert_eq!(
            scope_covers(GrantTarget::Project, Some("projects/p1"), Some("p1")),
            Match::Yes
        );
        assert_eq!(
            scope_covers(GrantTarget::Project, Some("p2"), Some("p1")),
            Match::No
        );
        assert_eq!(
            scope_covers(GrantTarget::Folder, Some("folders/1"), Some("p1")),
            Match::Maybe
        );
    }
}
