# Export bucket: `landform extract` writes {env}/{dataset}/{entity}/{yyyy}/{MM}/{dd}/ files, a
# manifest and a SUCCESS or FAILURE marker per export, idempotency tokens under {env}/_idempotency/
# and exports that ran out of retries under {env}/_dead_letter/ (extracts/layout.ts). Lifecycle as
# seed 002 §6.2 and §10.2: NEARLINE at 30 days, COLDLINE at 90, ARCHIVE at 365, temporary exports
# deleted after 7 days, failed exports after 30. Nothing else is deleted by age: consumers and
# disaster recovery read exports for as long as they are kept.

locals {
  export_bucket_name = var.export_bucket_name != "" ? var.export_bucket_name : "${var.project_id}-landform-exports"
}

resource "google_storage_bucket" "exports" {
  count = var.enable_export && var.enable_extract ? 1 : 0

  name                        = local.export_bucket_name
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
      age                   = var.export_nearline_after_days
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
      age                   = var.export_coldline_after_days
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
      age                   = var.export_archive_after_days
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
      age            = var.export_tmp_delete_after_days
      matches_prefix = ["${var.environment}/${var.export_tmp_prefix}"]
      with_state     = "ANY"
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age            = var.export_dead_letter_delete_after_days
      matches_prefix = ["${var.environment}/${var.export_dead_letter_prefix}"]
      with_state     = "ANY"
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.export_noncurrent_delete_after_days
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
