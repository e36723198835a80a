//! Adapter tests on evaluated Terraform: defaults, joins, and IAM in every form.

use std::sync::Arc;

use trustmap_model::State;
use trustmap_model::gcp::Gcp;
use trustmap_model::gcp::iam::{GrantKind, GrantTarget};
use trustmap_source::{FileId, SourceFile};
use trustmap_terraform::TfOptions;

fn adapt(hcl: &str) -> Gcp {
    let file = Arc::new(SourceFile::new(FileId(0), "main.tf", hcl.to_string()));
    let tf = trustmap_terraform::evaluate(&[file], &TfOptions::default());
    assert!(tf.diagnostics.is_empty(), "{:?}", tf.diagnostics);
    super::from_terraform(&tf)
}

#[test]
fn bucket_defaults_and_acl_joins() {
    let gcp = adapt(
        r#"
resource "google_storage_bucket" "b" {
  name     = "acme-data"
  location = "EU"
}
resource "google_storage_bucket_access_control" "pub" {
  bucket = google_storage_bucket.b.name
  role   = "READER"
  entity = "allUsers"
}
resource "google_storage_bucket_acl" "acl" {
  bucket         = "acme-data"
  predefined_acl = "publicRead"
  role_entity    = ["OWNER:user-ops@acme.test"]
}
"#,
    );
    let b = &gcp.buckets[0];
    assert_eq!(b.uniform_access.state, State::Default(false));
    assert_eq!(
        b.public_access_prevention.state,
        State::Default("inherited".into())
    );
    assert_eq!(gcp.bucket_acls.len(), 3);
    assert!(gcp.bucket_acls.iter().all(|a| a.bucket.target == Some(0)));
    let entities: Vec<_> = gcp
        .bucket_acls
        .iter()
        .filter_map(|a| a.entity.get().cloned())
        .collect();
    assert_eq!(entities, ["allUsers", "user-ops@acme.test", "allUsers"]);
}

#[test]
fn iam_member_binding_and_policy_with_data_source() {
    let gcp = adapt(
        r#"
data "google_iam_policy" "admins" {
  binding {
    role    = "roles/editor"
    members = ["group:ops@acme.test"]
  }
  binding {
    role    = "roles/viewer"
    members = ["group:all@acme.test"]
    condition {
      title      = "expires"
      expression = "request.time < timestamp(\"2030-01-01T00:00:00Z\")"
    }
  }
}
resource "google_project_iam_policy" "p" {
  project     = "acme-prod"
  policy_data = data.google_iam_policy.admins.policy_data
}
resource "google_folder_iam_binding" "f" {
  folder  = "folders/123"
  role    = "roles/owner"
  members = ["user:a@acme.test", "user:b@acme.test"]
}
resource "google_cloud_run_v2_service_iam_member" "inv" {
  name   = "api"
  role   = "roles/run.invoker"
  member = "allUsers"
}
"#,
    );
    let policy: Vec<_> = gcp
        .iam_grants
        .iter()
        .filter(|g| g.kind == GrantKind::Policy)
        .collect();
    assert_eq!(policy.len(), 2);
    assert_eq!(policy[0].on, GrantTarget::Project);
    assert_eq!(
        policy[0].role.get().map(String::as_str),
        Some("roles/editor")
    );
    assert!(!policy[0].role.via.is_empty(), "keeps the data source hop");
    assert!(policy[0].condition.is_none() && policy[1].condition.is_some());
    let folder = gcp
        .iam_grants
        .iter()
        .find(|g| g.on == GrantTarget::Folder)
        .expect("folder grant");
    assert_eq!(folder.members.len(), 2);
    let run = gcp
        .iam_grants
        .iter()
        .find(|g| g.on == GrantTarget::CloudRunService)
        .expect("run grant");
    assert_eq!(run.target.label(), "api");
}

#[test]
fn vm_service_accounts() {
    let gcp = adapt(
        r#"
resource "google_compute_instance" "none" {
  name         = "a"
  machine_type = "e2-small"
}
resource "google_compute_instance" "dflt" {
  name         = "b"
  machine_type = "e2-small"
  service_account {
    scopes = ["cloud-platform"]
  }
}
resource "google_container_node_pool" "np" {
  cluster = "c"
  node_config {
    oauth_scopes = ["https://www.googleapis.com/auth/cloud-platform"]
  }
}
"#,
    );
    assert!(gcp.vm_identities[0].service_account.is_none());
    let sa = gcp.vm_identities[1].service_account.as_ref().expect("sa");
    assert_eq!(sa.email.state, State::Default("default".into()));
    assert!(sa.is_default() == Some(true) && sa.full_access_scope().is_some());
    let np = gcp.vm_identities[2].service_account.as_ref().expect("np");
    assert!(np.is_default() == Some(true) && np.full_access_scope().is_some());
}

#[test]
fn sql_require_ssl_and_defaults() {
    let gcp = adapt(
        r#"
resource "google_sql_database_instance" "old" {
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      require_ssl = true
    }
  }
}
resource "google_sql_database_instance" "bare" {
  database_version = "MYSQL_8_0"
  settings {
    tier = "db-f1-micro"
  }
}
"#,
    );
    assert_eq!(
        gcp.sql_instances[0].ssl_mode.get().map(String::as_str),
        Some("TRUSTED_CLIENT_CERTIFICATE_REQUIRED")
    );
    assert_eq!(gcp.sql_instances[1].public_ip.state, State::Default(true));
}

#[test]
fn run_service_accounts_secrets_and_pools() {
    let gcp = adapt(
        r#"
resource "google_cloud_run_service" "v1" {
  name = "v1"
  template {
    spec {
      service_account_name = "v1@p.iam.gserviceaccount.com"
    }
  }
}
resource "google_cloud_run_v2_service" "v2" {
  name = "v2"
  template {
    service_account = "v2@p.iam.gserviceaccount.com"
  }
}
resource "google_cloud_run_v2_service" "default" {
  name = "default"
  template {}
}
resource "google_secret_manager_secret" "db" {
  secret_id = "db"
}
resource "google_secret_manager_secret_iam_member" "by_ref" {
  secret_id = google_secret_manager_secret.db.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:v2@p.iam.gserviceaccount.com"
}
resource "google_secret_manager_secret_iam_binding" "by_name" {
  secret_id = "projects/p/secrets/db"
  role      = "roles/secretmanager.secretAccessor"
  members   = ["serviceAccount:v1@p.iam.gserviceaccount.com"]
}
resource "google_service_account_iam_member" "wif" {
  service_account_id = "projects/p/serviceAccounts/v2@p.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/gh/*"
}
resource "google_iam_workload_identity_pool_provider" "gh" {
  workload_identity_pool_id          = "gh"
  workload_identity_pool_provider_id = "gh"
  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}
"#,
    );
    let sa: Vec<_> = gcp
        .run_services
        .iter()
        .map(|s| s.service_account.get().cloned())
        .collect();
    assert_eq!(
        sa,
        vec![
            Some(Some("v1@p.iam.gserviceaccount.com".to_string())),
            Some(Some("v2@p.iam.gserviceaccount.com".to_string())),
            Some(None),
        ]
    );
    assert_eq!(gcp.secrets.len(), 1);
    let secret_grants: Vec<_> = gcp
        .iam_grants
        .iter()
        .filter(|g| g.on == GrantTarget::Secret)
        .collect();
    assert_eq!(secret_grants.len(), 2);
    assert!(secret_grants.iter().all(|g| g.target.target == Some(0)));
    let wif = gcp
        .iam_grants
        .iter()
        .find(|g| g.on == GrantTarget::ServiceAccount)
        .expect("service account grant");
    assert_eq!(
        wif.target.text.as_deref(),
        Some("projects/p/serviceAccounts/v2@p.iam.gserviceaccount.com")
    );
    assert_eq!(
        gcp.workload_identity_providers[0]
            .pool
            .get()
            .map(String::as_str),
        Some("gh")
    );
}
