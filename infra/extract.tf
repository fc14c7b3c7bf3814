# The scheduled extract: a Cloud Run job running `landform extract` from the loader's image, started
# by Cloud Scheduler. It runs as its own account, which may read the exported datasets
# (extract_source_datasets), run jobs, keep its staging tables and extract_runs lineage in its own
# dataset, write the export bucket and read the cross-cloud secrets that are switched on: no raw
# data, no Postgres secret, no project-level storage role. Everything here needs enable_export and
# enable_extract.

locals {
  extract_job_name = "landform-extract-${var.environment}"

  # Environment variable -> secret, for the copy destinations and anonymization switched on. The
  # secrets are empty containers: the operator adds versions (docs/runbook.md).
  extract_secret_catalog = {
    AWS_ACCESS_KEY_ID               = { secret_id = "landform-aws-access-key-id-${var.environment}", enabled = var.extract_s3_copies }
    AWS_SECRET_ACCESS_KEY           = { secret_id = "landform-aws-secret-access-key-${var.environment}", enabled = var.extract_s3_copies }
    AZURE_STORAGE_CONNECTION_STRING = { secret_id = "landform-azure-storage-connection-${var.environment}", enabled = var.extract_azure_copies }
    LANDFORM_HASH_SALT              = { secret_id = "landform-hash-salt-${var.environment}", enabled = var.extract_hash_salt }
  }
  extract_secret_ids = { for name, s in local.extract_secret_catalog : name => s.secret_id if s.enabled }
}

resource "google_service_account" "extract" {
  count = var.enable_export && var.enable_extract ? 1 : 0

  account_id   = "landform-extract-${var.environment}"
  display_name = "Landform extract (${var.environment})"
  description  = "Runs the extract Cloud Run job: reads the exported datasets, writes the export bucket and landform_extract."
}

resource "google_service_account" "extract_scheduler" {
  count = var.enable_export && var.enable_extract ? 1 : 0

  account_id   = "landform-xsched-${var.environment}"
  display_name = "Landform extract trigger (${var.environment})"
  description  = "Used by Cloud Scheduler to start the extract job; may run that job and nothing else."
}

# Staging tables of the anonymizing extract query (_extract_<export>_<run>, dropped after each
# export) and the extract_runs lineage (extracts/lineage.ts). A dataset of its own, so the extract
# account never writes landform_raw. No default expiration: extract_runs keeps its history.
resource "google_bigquery_dataset" "extract" {
  count = var.enable_export && var.enable_extract ? 1 : 0

  dataset_id                 = "landform_extract"
  friendly_name              = "Landform extract"
  description                = "landform extract: extract_runs lineage (one row per run and export) and short-lived _extract_* staging tables."
  location                   = var.bigquery_location
  delete_contents_on_destroy = false
  storage_billing_model      = "LOGICAL"

  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret" "extract" {
  for_each = var.enable_export && var.enable_extract ? local.extract_secret_ids : {}

  secret_id = each.value

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

# --- grants ---------------------------------------------------------------------------------------

resource "google_bigquery_dataset_iam_member" "extract_source_viewer" {
  for_each = var.enable_export && var.enable_extract ? toset(var.extract_source_datasets) : toset([])

  dataset_id = each.value
  role       = "roles/bigquery.dataViewer"
  member     = google_service_account.extract[0].member

  depends_on = [google_bigquery_dataset.marts, google_bigquery_dataset.curated]
}

resource "google_bigquery_dataset_iam_member" "extract_work_editor" {
  count = var.enable_export && var.enable_extract ? 1 : 0

  dataset_id = google_bigquery_dataset.extract[0].dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.extract[0].member
}

resource "google_project_iam_member" "extract_job_user" {
  count = var.enable_export && var.enable_extract ? 1 : 0

  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = google_service_account.extract[0].member
}

# objectUser = create, read, list and delete objects (no IAM, no bucket settings). objectCreator
# and objectViewer are not enough: a retried export overwrites its own shards and the SUCCESS /
# FAILURE marker, and `mode: overwrite` clears the partition's folder, and GCS requires
# storage.objects.delete to replace or remove an object.
resource "google_storage_bucket_iam_member" "extract_export_objects" {
  count = var.enable_export && var.enable_extract ? 1 : 0

  bucket = google_storage_bucket.exports[0].name
  role   = "roles/storage.objectUser"
  member = google_service_account.extract[0].member
}

resource "google_secret_manager_secret_iam_member" "extract_secrets" {
  for_each = var.enable_export && var.enable_extract ? local.extract_secret_ids : {}

  secret_id = google_secret_manager_secret.extract[each.key].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.extract[0].member
}

resource "google_cloud_run_v2_job_iam_member" "scheduler_runs_extract" {
  count = var.enable_export && var.enable_extract ? 1 : 0

  project  = var.project_id
  location = google_cloud_run_v2_job.extract[0].location
  name     = google_cloud_run_v2_job.extract[0].name
  role     = "roles/run.invoker"
  member   = google_service_account.extract_scheduler[0].member
}

# --- job and trigger ------------------------------------------------------------------------------

resource "google_cloud_run_v2_job" "extract" {
  count = var.enable_export && var.enable_extract ? 1 : 0

  name     = local.extract_job_name
  location = var.region
  # The job holds no data; `enable_extract = false` must be able to remove it.
  deletion_protection = false

  template {
    task_count  = 1
    parallelism = 1

    template {
      service_account = google_service_account.extract[0].email
      timeout         = var.extract_timeout
      max_retries     = var.extract_max_retries

      containers {
        # The loader's image; its entrypoint is `landform load`, so the command is set here.
        image   = var.loader_image
        command = ["node", "bin/landform.js", "extract"]
        args    = concat(["--raw-dataset", google_bigquery_dataset.extract[0].dataset_id, "--no-progress"], var.extract_args)

        resources {
          limits = {
            cpu    = var.extract_cpu
            memory = var.extract_memory
          }
        }

        env {
          name  = "GOOGLE_CLOUD_PROJECT"
          value = var.project_id
        }
        env {
          name  = "LANDFORM_ENV"
          value = var.environment
        }
        env {
          name  = "LANDFORM_LOCATION"
          value = var.bigquery_location
        }
        # The export configurations name `landform-exports`; a deployment writes to its own bucket.
        env {
          name  = "LANDFORM_EXPORT_BUCKET"
          value = google_storage_bucket.exports[0].name
        }
        env {
          name  = "AWS_REGION"
          value = var.extract_aws_region
        }

        # Credentials of the S3 / Azure copies and the hash salt: from Secret Manager only.
        dynamic "env" {
          for_each = local.extract_secret_ids
          content {
            name = env.key
            value_source {
              secret_key_ref {
                secret  = google_secret_manager_secret.extract[env.key].secret_id
                version = "latest"
              }
            }
          }
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition     = var.loader_image != ""
      error_message = "loader_image is required when enable_extract is true (the extract runs from the loader's image)."
    }
  }

  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_iam_member.extract_secrets,
  ]
}

resource "google_cloud_scheduler_job" "extract" {
  count = var.enable_export && var.enable_extract ? 1 : 0

  name        = "${local.extract_job_name}-trigger"
  description = "Starts the Landform extract job (${var.environment})."
  region      = var.region
  schedule    = var.extract_schedule
  time_zone   = var.time_zone
  paused      = var.schedules_paused
  # The :run call returns as soon as the execution starts; the job's own timeout bounds the run.
  attempt_deadline = "60s"

  retry_config {
    retry_count          = 2
    min_backoff_duration = "30s"
  }

  http_target {
    http_method = "POST"
    uri         = "https://run.googleapis.com/v2/projects/${var.project_id}/locations/${var.region}/jobs/${google_cloud_run_v2_job.extract[0].name}:run"

    oauth_token {
      service_account_email = google_service_account.extract_scheduler[0].email
      scope                 = "https://www.googleapis.com/auth/cloud-platform"
    }
  }

  depends_on = [google_cloud_run_v2_job_iam_member.scheduler_runs_extract]
}

# --- outputs (null unless enable_export and enable_extract are true) ------------------------------

output "extract_job" {
  description = "Cloud Run job of the extract (gcloud run jobs execute <extract_job> --region <region>)."
  value       = one(google_cloud_run_v2_job.extract[*].name)
}

output "extract_scheduler_job" {
  description = "Cloud Scheduler job that starts the extract."
  value       = one(google_cloud_scheduler_job.extract[*].name)
}

output "extract_service_account" {
  description = "Identity the extract runs as."
  value       = one(google_service_account.extract[*].email)
}

output "extract_dataset" {
  description = "Dataset of extract_runs (export lineage) and the extract's staging tables."
  value       = one(google_bigquery_dataset.extract[*].dataset_id)
}

output "export_bucket" {
  description = "Export bucket: the bucket of every gcs destination in contracts/exports/*.yaml."
  value       = one(google_storage_bucket.exports[*].name)
}

output "extract_secrets" {
  description = "Secret Manager secrets mounted into the extract job, by environment variable (add versions with gcloud secrets versions add)."
  value       = { for name, s in google_secret_manager_secret.extract : name => s.secret_id }
}
