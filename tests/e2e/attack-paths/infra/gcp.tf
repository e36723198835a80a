# Google Cloud: the statements service and the release pipeline.

resource "google_secret_manager_secret" "statements_signing_key" {
  secret_id = "statements-signing-key"
  replication {
    auto {}
  }
}

# Path: anyone invokes the service, which runs as an account that reads the signing key.
resource "google_cloud_run_v2_service" "statements" {
  name     = "statements"
  location = "europe-west1"
  template {
    service_account = "statements@acme-ledger.iam.gserviceaccount.com"
    containers {
      image = "europe-docker.pkg.dev/acme-ledger/app/statements:1.4.0"
    }
  }
}

resource "google_cloud_run_v2_service_iam_member" "statements_public" {
  name     = google_cloud_run_v2_service.statements.name
  location = "europe-west1"
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_secret_manager_secret_iam_member" "statements_signing" {
  secret_id = google_secret_manager_secret.statements_signing_key.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:statements@acme-ledger.iam.gserviceaccount.com"
}

# Path: the provider has no attribute_condition, so every GitHub repository's token is
# accepted, and the whole pool may act as the release account.
resource "google_storage_bucket" "release_artifacts" {
  name                        = "acme-ledger-release-artifacts"
  location                    = "EU"
  uniform_bucket_level_access = true
}

resource "google_iam_workload_identity_pool" "github" {
  workload_identity_pool_id = "github"
}

resource "google_iam_workload_identity_pool_provider" "github" {
  workload_identity_pool_id          = google_iam_workload_identity_pool.github.workload_identity_pool_id
  workload_identity_pool_provider_id = "github-actions"
  attribute_mapping = {
    "google.subject"       = "assertion.sub"
    "attribute.repository" = "assertion.repository"
  }
  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

resource "google_service_account_iam_member" "release_federation" {
  service_account_id = "projects/acme-ledger/serviceAccounts/release@acme-ledger.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/github/*"
}

resource "google_storage_bucket_iam_member" "release_artifacts" {
  bucket = google_storage_bucket.release_artifacts.name
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:release@acme-ledger.iam.gserviceaccount.com"
}
