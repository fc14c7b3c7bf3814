# Staging bucket: the loader writes {env}/{dataset}/{table}/{yyyy}/{MM}/{dd}/<batch>/ files, a
# manifest and a SUCCESS or FAILURE marker, then loads them into BigQuery. Lifecycle follows the
# seeds: storage class steps at 30/90/365 days, temporary uploads deleted after 7 days, failed
# batches after 30, noncurrent versions after 30.
resource "google_storage_bucket" "stage" {
  count = var.enable_export ? 1 : 0

  name                        = "${var.project_id}-landform-stage"
  location                    = var.bigquery_location
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  # Versioning already keeps overwritten objects; soft delete on top would bill them twice.
  soft_delete_policy {
    retention_duration_seconds = 0
  }

  lifecycle_rule {
    condition {
      age                   = var.stage_nearline_after_days
      matches_storage_class = ["STANDARD"]
      with_state            = "LIVE"
    }
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }

  lifecycle_rule {
    condition {
      age                   = var.stage_coldline_after_days
      matches_storage_class = ["NEARLINE"]
      with_state            = "LIVE"
    }
    action {
      type          = "SetStorageClass"
      storage_class = "COLDLINE"
    }
  }

  lifecycle_rule {
    condition {
      age                   = var.stage_archive_after_days
      matches_storage_class = ["COLDLINE"]
      with_state            = "LIVE"
    }
    action {
      type          = "SetStorageClass"
      storage_class = "ARCHIVE"
    }
  }

  lifecycle_rule {
    condition {
      age        = var.stage_delete_after_days
      with_state = "ANY"
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age            = var.stage_tmp_delete_after_days
      matches_prefix = ["${var.environment}/_tmp/"]
      with_state     = "ANY"
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age            = var.stage_failed_delete_after_days
      matches_prefix = ["${var.environment}/_failed/"]
      with_state     = "ANY"
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.stage_noncurrent_delete_after_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      num_newer_versions = 3
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}
