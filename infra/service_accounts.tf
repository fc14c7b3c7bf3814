# One identity per job, each with only what it needs (iam.tf).
resource "google_service_account" "loader" {
  count = var.enable_export ? 1 : 0

  account_id   = "landform-loader-${var.environment}"
  display_name = "Landform loader (${var.environment})"
  description  = "Runs the loader Cloud Run job: reads the database URL secret, writes the staging bucket, loads landform_raw."
}

resource "google_service_account" "scheduler" {
  count = var.enable_export ? 1 : 0

  account_id   = "landform-sched-${var.environment}"
  display_name = "Landform loader trigger (${var.environment})"
  description  = "Used by Cloud Scheduler to start the loader job; may run that job and nothing else."
}

resource "google_service_account" "dataform" {
  count = var.enable_export ? 1 : 0

  account_id   = "landform-dataform-${var.environment}"
  display_name = "Landform Dataform (${var.environment})"
  description  = "Runs the Dataform workflow: reads landform_raw, writes curated, marts and assertions."
}

# The Dataform service agent (service-<number>@gcp-sa-dataform.iam.gserviceaccount.com) exists
# only once the API has provisioned it; creating the identity explicitly lets IAM refer to it.
resource "google_project_service_identity" "dataform" {
  count    = var.enable_export ? 1 : 0
  provider = google-beta

  project = var.project_id
  service = "dataform.googleapis.com"

  depends_on = [google_project_service.apis]
}
