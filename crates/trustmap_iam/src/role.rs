//! What a GCP or Azure role lets its holder do, in the same terms as AWS access levels.

use serde::Serialize;

use crate::catalogue::Access;

/// Which services a role reaches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Services {
    /// Every service in the scope.
    All,
    /// These services (`storage`, `secretmanager`; `Microsoft.Storage`, `Microsoft.KeyVault`).
    Only(Vec<String>),
}

impl Services {
    /// Whether the role reaches `service` (case-insensitive).
    pub fn includes(&self, service: &str) -> bool {
        match self {
            Services::All => true,
            Services::Only(s) => s.iter().any(|x| x.eq_ignore_ascii_case(service)),
        }
    }
}

/// A role's reach: its highest access level, the services it covers, whether it reaches
/// the data itself (objects, secret values) and whether it lets the holder gain more.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleClass {
    /// [`Access::Permissions`] means administering: changing who may do what.
    pub access: Access,
    /// The services it covers.
    pub services: Services,
    /// Reaches data (blob contents, secret values), not only configuration.
    pub data: bool,
    /// Lets the holder act as another identity or grant itself more.
    pub escalation: bool,
}

impl RoleClass {
    pub(crate) fn new(access: Access, services: Services, data: bool, escalation: bool) -> Self {
        RoleClass {
            access,
            services,
            data,
            escalation,
        }
    }

    pub(crate) fn one(service: &str) -> Services {
        Services::Only(vec![service.to_string()])
    }
}
