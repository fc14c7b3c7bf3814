# The analytics API: a Cloud Run service running `landform serve` against the marts. It scales to
# zero when idle and runs as its own account, which may read landform_marts and run query jobs and
# nothing else (no raw or curated data, no writes, no secrets). Its export trigger stays off here:
# exports in GCP are the loader job's, under the loader's own account.

resource "google_service_account" "api" {
  count = var.enable_export && var.enable_api ? 1 : 0

  account_id   = "landform-api-${var.environment}"
  display_name = "Landform analytics API (${var.environment})"
  description  = "Runs the analytics API: reads landform_marts and runs query jobs."
}

resource "google_bigquery_dataset_iam_member" "api_marts_viewer" {
  count = var.enable_export && var.enable_api ? 1 : 0

  dataset_id = google_bigquery_dataset.marts[0].dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = google_service_account.api[0].member
}

resource "google_project_iam_member" "api_job_user" {
  count = var.enable_export && var.enable_api ? 1 : 0

  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = google_service_account.api[0].member
}

resource "google_cloud_run_v2_service" "api" {
  count = var.enable_export && var.enable_api ? 1 : 0

  name     = "landform-api-${var.environment}"
  location = var.region
  ingress  = "INGRESS_TRAFFIC_ALL"
  # The service holds no data; disabling the API must be able to remove it.
  deletion_protection  = false
  invoker_iam_disabled = var.api_allow_unauthenticated

  template {
    service_account                  = google_service_account.api[0].email
    max_instance_request_concurrency = 80
    timeout                          = "30s"

    scaling {
      min_instance_count = 0
      max_instance_count = var.api_max_instances
    }

    containers {
      image   = var.api_image
      command = ["node", "bin/landform.js", "serve"]

      ports {
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = var.api_cpu
          memory = var.api_memory
        }
        cpu_idle = true
      }

      env {
        name  = "GOOGLE_CLOUD_PROJECT"
        value = var.project_id
      }
      env {
        name  = "LANDFORM_LOCATION"
        value = var.bigquery_location
      }
      env {
        name  = "LANDFORM_MARTS_DATASET"
        value = google_bigquery_dataset.marts[0].dataset_id
      }
      # Cloud Run routes to the container's port on all interfaces; locally the server binds to loopback.
      env {
        name  = "LANDFORM_API_HOST"
        value = "0.0.0.0"
      }
      env {
        name  = "LANDFORM_API_JWKS_URL"
        value = var.api_jwks_url
      }
      env {
        name  = "LANDFORM_API_ISSUER"
        value = var.api_issuer
      }
      env {
        name  = "LANDFORM_API_AUDIENCE"
        value = var.api_audience
      }
      env {
        name  = "LANDFORM_API_ROLE_CLAIM"
        value = var.api_role_claim
      }
      env {
        name  = "LANDFORM_API_STORE_CLAIM"
        value = var.api_store_claim
      }
      env {
        name  = "LANDFORM_API_MAX_BYTES_BILLED"
        value = tostring(var.api_max_bytes_billed)
      }
      env {
        name  = "LANDFORM_EXPORT_ENABLED"
        value = "false"
      }

      # Ready only once every mart it reads exists (the server refuses to start otherwise).
      startup_probe {
        http_get {
          path = "/readyz"
        }
        period_seconds    = 5
        failure_threshold = 12
      }
      liveness_probe {
        http_get {
          path = "/healthz"
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition     = var.api_image != "" && var.api_jwks_url != "" && var.api_issuer != "" && var.api_audience != ""
      error_message = "api_image, api_jwks_url, api_issuer and api_audience are required when enable_api is true."
    }
  }

  depends_on = [
    google_project_service.apis,
    google_bigquery_dataset_iam_member.api_marts_viewer,
    google_project_iam_member.api_job_user,
  ]
}

output "api_url" {
  description = "URL of the analytics API (null unless enable_export and enable_api are true)."
  value       = one(google_cloud_run_v2_service.api[*].uri)
}
