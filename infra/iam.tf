# Least privilege: every grant is on one bucket, dataset, secret, job or service account. The
# only project-level grant is roles/bigquery.jobUser, which BigQuery offers only at project level
# (running a job is billed to a project). test/infra checks this file stays that way.

# --- loader ---------------------------------------------------------------------------------------

resource "google_storage_bucket_iam_member" "loader_stage_objects" {
  count = var.enable_export ? 1 : 0

  bucket = google_storage_bucket.stage[0].name
  role   = "roles/storage.objectAdmin"
  member = google_service_account.loader[0].member
}

resource "google_bigquery_dataset_iam_member" "loader_raw_editor" {
  count = var.enable_export ? 1 : 0

  dataset_id = google_bigquery_dataset.raw[0].dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.loader[0].member
}

resource "google_project_iam_member" "loader_job_user" {
  count = var.enable_export ? 1 : 0

  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = google_service_account.loader[0].member
}

resource "google_secret_manager_secret_iam_member" "loader_database_url" {
  count = var.enable_export ? 1 : 0

  secret_id = google_secret_manager_secret.database_url[0].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.loader[0].member
}

# --- scheduler: may start the loader job, nothing else ------------------------------------------

resource "google_cloud_run_v2_job_iam_member" "scheduler_runs_loader" {
  count = var.enable_export ? 1 : 0

  project  = var.project_id
  location = google_cloud_run_v2_job.loader[0].location
  name     = google_cloud_run_v2_job.loader[0].name
  role     = "roles/run.invoker"
  member   = google_service_account.scheduler[0].member
}

# --- Dataform -------------------------------------------------------------------------------------

resource "google_bigquery_dataset_iam_member" "dataform_raw_viewer" {
  count = var.enable_export ? 1 : 0

  dataset_id = google_bigquery_dataset.raw[0].dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = google_service_account.dataform[0].member
}

resource "google_bigquery_dataset_iam_member" "dataform_curated_editor" {
  count = var.enable_export ? 1 : 0

  dataset_id = google_bigquery_dataset.curated[0].dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.dataform[0].member
}

resource "google_bigquery_dataset_iam_member" "dataform_marts_editor" {
  count = var.enable_export ? 1 : 0

  dataset_id = google_bigquery_dataset.marts[0].dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.dataform[0].member
}

resource "google_bigquery_dataset_iam_member" "dataform_assertions_editor" {
  count = var.enable_export ? 1 : 0

  dataset_id = google_bigquery_dataset.assertions[0].dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.dataform[0].member
}

resource "google_project_iam_member" "dataform_job_user" {
  count = var.enable_export ? 1 : 0

  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = google_service_account.dataform[0].member
}

# The Dataform service agent mints tokens for the workflow's service account (required for custom
# service accounts) and reads the Git token to fetch the repository.
resource "google_service_account_iam_member" "dataform_agent_token_creator" {
  count = var.enable_export ? 1 : 0

  service_account_id = google_service_account.dataform[0].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = google_project_service_identity.dataform[0].member
}

resource "google_secret_manager_secret_iam_member" "dataform_agent_git_token" {
  count = var.enable_export ? 1 : 0

  secret_id = google_secret_manager_secret.dataform_git_token[0].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_project_service_identity.dataform[0].member
}
