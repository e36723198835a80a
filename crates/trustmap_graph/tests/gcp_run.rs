//! Google Cloud edges beyond buckets: public Cloud Run services and their service
//! accounts, Secret Manager grants, and workload identity federation from GitHub.

mod common;

use common::{edges, has_edge, paths, scan_files};

const SA: &str = "run-api@acme-prod.iam.gserviceaccount.com";

fn cloud_run(invoker: &str) -> String {
    format!(
        r#"
resource "google_secret_manager_secret" "db" {{
  secret_id = "db-password"
  replication {{
    auto {{}}
  }}
}}

resource "google_cloud_run_v2_service" "api" {{
  name     = "api"
  location = "europe-west1"
  template {{
    service_account = "{SA}"
    containers {{
      image = "europe-docker.pkg.dev/acme-prod/app/api:1.0"
    }}
  }}
}}

resource "google_cloud_run_v2_service_iam_member" "invoker" {{
  name     = google_cloud_run_v2_service.api.name
  location = "europe-west1"
  role     = "roles/run.invoker"
  member   = "{invoker}"
}}

resource "google_secret_manager_secret_iam_member" "api_reads_db" {{
  secret_id = google_secret_manager_secret.db.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:{SA}"
}}
"#
    )
}

#[test]
fn public_cloud_run_service_reads_the_secret_its_service_account_may_access() {
    let r = scan_files(&[("main.tf", &cloud_run("allUsers"))]);
    let g = &r.graph;
    let sa = format!("gcp-service-account:{SA}");
    assert!(
        has_edge(g, "internet", "exposes", "google_cloud_run_v2_service.api"),
        "{:#?}",
        edges(g)
    );
    assert!(has_edge(
        g,
        "google_cloud_run_v2_service.api",
        "runs-as",
        &sa
    ));
    assert!(has_edge(g, &sa, "reads", "google_secret_manager_secret.db"));
    assert!(
        paths(&r)
            .iter()
            .any(|p| p.contains("google_cloud_run_v2_service.api")
                && p.ends_with("google_secret_manager_secret.db")),
        "{:#?}",
        paths(&r)
    );
}

#[test]
fn cloud_run_invoked_only_by_a_named_user_is_no_path() {
    let r = scan_files(&[("main.tf", &cloud_run("user:alice@example.com"))]);
    assert!(!has_edge(
        &r.graph,
        "internet",
        "exposes",
        "google_cloud_run_v2_service.api"
    ));
    assert!(paths(&r).is_empty(), "{:#?}", paths(&r));
}

fn federation(condition: &str) -> String {
    format!(
        r#"
resource "google_storage_bucket" "releases" {{
  name     = "acme-releases"
  location = "EU"
}}

resource "google_iam_workload_identity_pool" "github" {{
  workload_identity_pool_id = "github"
}}

resource "google_iam_workload_identity_pool_provider" "github" {{
  workload_identity_pool_id          = google_iam_workload_identity_pool.github.workload_identity_pool_id
  workload_identity_pool_provider_id = "github"
  attribute_mapping = {{
    "google.subject"       = "assertion.sub"
    "attribute.repository" = "assertion.repository"
  }}
  {condition}
  oidc {{
    issuer_uri = "https://token.actions.githubusercontent.com"
  }}
}}

resource "google_service_account_iam_member" "github" {{
  service_account_id = "projects/acme-prod/serviceAccounts/release@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/github/*"
}}

resource "google_storage_bucket_iam_member" "release_writes" {{
  bucket = google_storage_bucket.releases.name
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:release@acme-prod.iam.gserviceaccount.com"
}}
"#
    )
}

const RELEASE_SA: &str = "gcp-service-account:release@acme-prod.iam.gserviceaccount.com";

#[test]
fn a_provider_without_condition_lets_any_repository_act_as_the_service_account() {
    let r = scan_files(&[("main.tf", &federation(""))]);
    let g = &r.graph;
    assert!(
        has_edge(g, "github:any-repo", "can-assume", RELEASE_SA),
        "{:#?}",
        edges(g)
    );
    assert!(has_edge(
        g,
        RELEASE_SA,
        "writes",
        "google_storage_bucket.releases"
    ));
    assert!(
        paths(&r)
            .iter()
            .any(|p| p.ends_with("google_storage_bucket.releases")),
        "{:#?}",
        paths(&r)
    );
}

#[test]
fn a_provider_limited_to_one_repository_is_no_path() {
    let r = scan_files(&[(
        "main.tf",
        &federation(r#"attribute_condition = "assertion.repository == 'acme/release'""#),
    )]);
    assert!(
        !has_edge(&r.graph, "github:any-repo", "can-assume", RELEASE_SA),
        "{:#?}",
        edges(&r.graph)
    );
    assert!(paths(&r).is_empty(), "{:#?}", paths(&r));
}

#[test]
fn service_accounts_named_by_reference_join_the_service_to_its_grants() {
    let hcl = cloud_run("allUsers")
        .replace(&format!("\"{SA}\""), "google_service_account.api.email")
        .replace(
            &format!("\"serviceAccount:{SA}\""),
            "\"serviceAccount:${google_service_account.api.email}\"",
        );
    let hcl = format!(
        "{hcl}\nresource \"google_service_account\" \"api\" {{\n  account_id = \"run-api\"\n}}\n"
    );
    let r = scan_files(&[("main.tf", &hcl)]);
    let g = &r.graph;
    let sa = "gcp-service-account:google_service_account.api";
    assert!(
        has_edge(g, "google_cloud_run_v2_service.api", "runs-as", sa),
        "{:#?}",
        edges(g)
    );
    assert!(has_edge(g, sa, "reads", "google_secret_manager_secret.db"));
    assert!(
        paths(&r)
            .iter()
            .any(|p| p.ends_with("google_secret_manager_secret.db")),
        "{:#?}",
        paths(&r)
    );
}
