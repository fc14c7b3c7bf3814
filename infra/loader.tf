# The loader: a Cloud Run job (no always-on service) started by Cloud Scheduler through the
# Cloud Run Admin API. Each execution exports new rows since the last watermark, stages them in
# the bucket and loads them with batch load jobs (free) into landform_raw.

locals {
  loader_job_name = "landform-loader-${var.environment}"
  image_registry  = "${var.region}-docker.pkg.dev/${var.project_id}/landform"
}

resource "google_artifact_registry_repository" "images" {
  count = var.enable_export ? 1 : 0

  location      = var.region
  repository_id = "landform"
  description   = "Landform loader images."
  format        = "DOCKER"

  # Keep the ten newest images; older ones only cost storage.
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 10
    }
  }
  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      older_than = "2592000s"
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_cloud_run_v2_job" "loader" {
  count = var.enable_export ? 1 : 0

  name     = local.loader_job_name
  location = var.region
  # The job holds no data; `enable_export = false` must be able to remove it.
  deletion_protection = false

  template {
    # Each task loads the tables CLOUD_RUN_TASK_INDEX owns out of CLOUD_RUN_TASK_COUNT (loader/shard.ts):
    # every table belongs to exactly one task, so the tasks never contend for a table's lease.
    task_count  = var.loader_task_count
    parallelism = var.loader_task_count

    template {
      service_account = google_service_account.loader[0].email
      timeout         = var.loader_timeout
      max_retries     = var.loader_max_retries

      containers {
        image = var.loader_image

        resources {
          limits = {
            cpu    = var.loader_cpu
            memory = var.loader_memory
          }
        }

        env {
          name  = "GOOGLE_CLOUD_PROJECT"
          value = var.project_id
        }
        env {
          name  = "LANDFORM_BUCKET"
          value = google_storage_bucket.stage[0].name
        }
        env {
          name  = "LANDFORM_ENV"
          value = var.environment
        }
        env {
          name  = "LANDFORM_LOCATION"
          value = var.bigquery_location
        }
        env {
          name = "DATABASE_URL"
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.database_url[0].secret_id
              version = "latest"
            }
          }
        }
      }

      dynamic "vpc_access" {
        for_each = var.vpc_network == null ? [] : [var.vpc_network]
        content {
          egress = "PRIVATE_RANGES_ONLY"
          network_interfaces {
            network    = vpc_access.value
            subnetwork = var.vpc_subnetwork
          }
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition     = var.loader_image != ""
      error_message = "loader_image is required when enable_export is true (build and push it first, see docs/runbook.md)."
    }
  }

  # The secret must be readable before the first execution resolves DATABASE_URL.
  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_iam_member.loader_database_url,
  ]
}

resource "google_cloud_scheduler_job" "loader" {
  count = var.enable_export ? 1 : 0

  name        = "${local.loader_job_name}-trigger"
  description = "Starts the Landform loader job (${var.environment})."
  region      = var.region
  schedule    = var.loader_schedule
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
    uri         = "https://run.googleapis.com/v2/projects/${var.project_id}/locations/${var.region}/jobs/${google_cloud_run_v2_job.loader[0].name}:run"

    oauth_token {
      service_account_email = google_service_account.scheduler[0].email
      scope                 = "https://www.googleapis.com/auth/cloud-platform"
    }
  }

  depends_on = [google_cloud_run_v2_job_iam_member.scheduler_runs_loader]
}
