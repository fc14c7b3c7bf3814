# GCP Dataform compiles this Git repository from its root (workflow_settings.yaml, package.json
# with @dataform/core pinned; see docs/gcp-dataform.md), on a release schedule, and a workflow
# configuration runs the latest release on its own schedule as the Dataform service account.

locals {
  dataform_name = "landform-${var.environment}"
}

resource "google_dataform_repository" "landform" {
  count    = var.enable_export ? 1 : 0
  provider = google-beta

  name            = local.dataform_name
  display_name    = "Landform (${var.environment})"
  region          = var.region
  service_account = google_service_account.dataform[0].email

  git_remote_settings {
    url                                 = var.dataform_git_url
    default_branch                      = var.dataform_git_branch
    authentication_token_secret_version = "${google_secret_manager_secret.dataform_git_token[0].id}/versions/${var.dataform_git_token_version}"
  }

  lifecycle {
    precondition {
      condition     = can(regex("^https://", var.dataform_git_url))
      error_message = "dataform_git_url must be the HTTPS URL of the Landform Git repository when enable_export is true."
    }
  }

  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_iam_member.dataform_agent_git_token,
    google_service_account_iam_member.dataform_agent_token_creator,
  ]
}

resource "google_dataform_repository_release_config" "landform" {
  count    = var.enable_export ? 1 : 0
  provider = google-beta

  project       = var.project_id
  region        = var.region
  repository    = google_dataform_repository.landform[0].name
  name          = local.dataform_name
  git_commitish = var.dataform_git_branch
  cron_schedule = var.dataform_release_schedule
  time_zone     = var.time_zone

  # workflow_settings.yaml names the local project (landform-local); point the release at this one.
  code_compilation_config {
    default_database = var.project_id
    default_location = var.bigquery_location
    vars             = var.dataform_vars
  }
}

resource "google_dataform_repository_workflow_config" "landform" {
  count    = var.enable_export ? 1 : 0
  provider = google-beta

  project        = var.project_id
  region         = var.region
  repository     = google_dataform_repository.landform[0].name
  name           = local.dataform_name
  release_config = google_dataform_repository_release_config.landform[0].id
  cron_schedule  = var.schedules_paused ? null : var.dataform_schedule
  time_zone      = var.time_zone

  invocation_config {
    service_account                          = google_service_account.dataform[0].email
    transitive_dependencies_included         = true
    fully_refresh_incremental_tables_enabled = false
  }
}
