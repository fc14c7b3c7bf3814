# Everything the runbook refers to. All are null while enable_export is false.

output "image_registry" {
  description = "Push loader images here: <image_registry>/loader:<tag>."
  value       = var.enable_export ? local.image_registry : null
}

output "stage_bucket" {
  description = "Staging bucket (LANDFORM_BUCKET)."
  value       = one(google_storage_bucket.stage[*].name)
}

output "datasets" {
  description = "BigQuery datasets per layer."
  value = var.enable_export ? {
    raw        = google_bigquery_dataset.raw[0].dataset_id
    curated    = google_bigquery_dataset.curated[0].dataset_id
    marts      = google_bigquery_dataset.marts[0].dataset_id
    assertions = google_bigquery_dataset.assertions[0].dataset_id
  } : null
}

output "loader_job" {
  description = "Cloud Run job name (gcloud run jobs execute <loader_job> --region <region>)."
  value       = one(google_cloud_run_v2_job.loader[*].name)
}

output "loader_scheduler_job" {
  description = "Cloud Scheduler job that starts the loader."
  value       = one(google_cloud_scheduler_job.loader[*].name)
}

output "loader_service_account" {
  description = "Identity the loader runs as."
  value       = one(google_service_account.loader[*].email)
}

output "database_url_secret" {
  description = "Secret Manager secret holding DATABASE_URL (add versions with gcloud secrets versions add)."
  value       = one(google_secret_manager_secret.database_url[*].secret_id)
}

output "dataform_git_token_secret" {
  description = "Secret Manager secret holding the Git token Dataform uses."
  value       = one(google_secret_manager_secret.dataform_git_token[*].secret_id)
}

output "dataform_repository" {
  description = "Dataform repository name."
  value       = one(google_dataform_repository.landform[*].name)
}

output "dataform_release_config" {
  description = "Full resource id of the Dataform release configuration."
  value       = one(google_dataform_repository_release_config.landform[*].id)
}

output "dataform_workflow_config" {
  description = "Full resource id of the Dataform workflow configuration."
  value       = one(google_dataform_repository_workflow_config.landform[*].id)
}

output "dataform_service_account" {
  description = "Identity the Dataform workflow runs as."
  value       = one(google_service_account.dataform[*].email)
}

output "region" {
  description = "Region of the job, scheduler and Dataform repository."
  value       = var.region
}
