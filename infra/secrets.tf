# Secret containers only: no value ever passes through Terraform (or its state). The operator
# adds versions with `gcloud secrets versions add` (docs/runbook.md).
resource "google_secret_manager_secret" "database_url" {
  count = var.enable_export ? 1 : 0

  secret_id = "landform-database-url-${var.environment}"

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

# Read-only token for the Git remote that Dataform compiles.
resource "google_secret_manager_secret" "dataform_git_token" {
  count = var.enable_export ? 1 : 0

  secret_id = "landform-dataform-git-token-${var.environment}"

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}
