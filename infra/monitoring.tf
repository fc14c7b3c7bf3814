# Monitoring (seed 002 §9): log-based metrics on the structured JSON lines the loader and the
# extract write to stderr (pino: Cloud Logging keeps every field under jsonPayload), and alerts for
# a failure rate over alert_failure_rate (5%) in an hour and a batch or export longer than
# alert_duration_minutes (30). The log fields each filter reads are listed in docs/runbook.md
# ("Alerts"); test/infra/monitoring-policy.test.ts checks the filters and thresholds.

locals {
  alert_channels = concat(google_monitoring_notification_channel.email[*].id, var.alert_notification_channels)
  # Bucket bounds in milliseconds: 1, 5, 15, 30 minutes, 1 and 2 hours. 30 minutes is a bound,
  # so the 99th percentile of a window with a batch over 30 minutes lands above the threshold.
  duration_bounds_ms = [60000, 300000, 900000, 1800000, 3600000, 7200000]

  loader_log_filter  = "resource.type=\"cloud_run_job\" AND resource.labels.job_name=\"${local.loader_job_name}\" AND jsonPayload.msg=(\"batch published\" OR \"batch failed\")"
  extract_log_filter = "resource.type=\"cloud_run_job\" AND resource.labels.job_name=\"${local.extract_job_name}\" AND jsonPayload.msg=\"export finished\" AND jsonPayload.status=(\"SUCCESS\" OR \"FAILURE\")"
}

# Enabling an API costs nothing (as in apis.tf); Cloud Logging and Monitoring are on in most projects already.
resource "google_project_service" "monitoring_apis" {
  for_each = toset(["logging.googleapis.com", "monitoring.googleapis.com"])

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

resource "google_monitoring_notification_channel" "email" {
  count = var.enable_export && var.alert_email != "" ? 1 : 0

  display_name = "Landform alerts (${var.environment})"
  type         = "email"
  labels = {
    email_address = var.alert_email
  }

  depends_on = [google_project_service.monitoring_apis]
}

# --- loader ---------------------------------------------------------------------------------------

resource "google_logging_metric" "loader_batch_results" {
  count = var.enable_export ? 1 : 0

  name        = "landform/${var.environment}/loader_batch_results"
  description = "Loader batches that published or failed, by outcome (the log message) and table."
  filter      = local.loader_log_filter

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key         = "outcome"
      value_type  = "STRING"
      description = "batch published or batch failed"
    }
    labels {
      key         = "table"
      value_type  = "STRING"
      description = "Table contract name"
    }
  }
  label_extractors = {
    outcome = "EXTRACT(jsonPayload.msg)"
    table   = "EXTRACT(jsonPayload.table)"
  }

  depends_on = [google_project_service.monitoring_apis]
}

resource "google_logging_metric" "loader_batch_duration" {
  count = var.enable_export ? 1 : 0

  name            = "landform/${var.environment}/loader_batch_duration"
  description     = "Duration of each loader batch that published or failed (jsonPayload.durationMs), by table."
  filter          = local.loader_log_filter
  value_extractor = "EXTRACT(jsonPayload.durationMs)"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "ms"
    labels {
      key         = "table"
      value_type  = "STRING"
      description = "Table contract name"
    }
  }
  label_extractors = {
    table = "EXTRACT(jsonPayload.table)"
  }
  bucket_options {
    explicit_buckets {
      bounds = local.duration_bounds_ms
    }
  }

  depends_on = [google_project_service.monitoring_apis]
}

resource "google_monitoring_alert_policy" "loader_failure_rate" {
  count = var.enable_export ? 1 : 0

  display_name          = "Landform loader failure rate (${var.environment})"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.alert_channels

  conditions {
    display_name = "Failed batches over a share of ${var.alert_failure_rate} of batches in an hour"
    condition_threshold {
      filter             = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.loader_batch_results[0].name}\" AND resource.type=\"cloud_run_job\" AND metric.label.outcome=\"batch failed\""
      denominator_filter = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.loader_batch_results[0].name}\" AND resource.type=\"cloud_run_job\""
      comparison         = "COMPARISON_GT"
      threshold_value    = var.alert_failure_rate
      duration           = "0s"
      aggregations {
        alignment_period     = "3600s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
      denominator_aggregations {
        alignment_period     = "3600s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "More than a share of ${var.alert_failure_rate} of loader batches failed in the last hour. See docs/runbook.md, \"Re-run a failed batch\": `landform load status` names the failed batches and their errors."
  }
}

resource "google_monitoring_alert_policy" "loader_duration" {
  count = var.enable_export ? 1 : 0

  display_name          = "Landform loader batch duration (${var.environment})"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = local.alert_channels

  conditions {
    display_name = "A batch took over ${var.alert_duration_minutes} minutes"
    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.loader_batch_duration[0].name}\" AND resource.type=\"cloud_run_job\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_duration_minutes * 60 * 1000
      duration        = "0s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_PERCENTILE_99"
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A loader batch took longer than ${var.alert_duration_minutes} minutes (the table is a label of the metric). See docs/runbook.md, \"Alerts\"."
  }
}

# --- extract --------------------------------------------------------------------------------------

resource "google_logging_metric" "extract_export_results" {
  count = var.enable_export && var.enable_extract ? 1 : 0

  name        = "landform/${var.environment}/extract_export_results"
  description = "Exports that succeeded or failed their retries, by status and export (idempotent no-ops, SKIPPED, are not counted)."
  filter      = local.extract_log_filter

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key         = "status"
      value_type  = "STRING"
      description = "SUCCESS or FAILURE"
    }
    labels {
      key         = "export"
      value_type  = "STRING"
      description = "Export configuration name"
    }
  }
  label_extractors = {
    status = "EXTRACT(jsonPayload.status)"
    export = "EXTRACT(jsonPayload.export)"
  }

  depends_on = [google_project_service.monitoring_apis]
}

resource "google_logging_metric" "extract_export_duration" {
  count = var.enable_export && var.enable_extract ? 1 : 0

  name            = "landform/${var.environment}/extract_export_duration"
  description     = "Duration of each export that succeeded or failed (jsonPayload.durationMs), by export."
  filter          = local.extract_log_filter
  value_extractor = "EXTRACT(jsonPayload.durationMs)"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "ms"
    labels {
      key         = "export"
      value_type  = "STRING"
      description = "Export configuration name"
    }
  }
  label_extractors = {
    export = "EXTRACT(jsonPayload.export)"
  }
  bucket_options {
    explicit_buckets {
      bounds = local.duration_bounds_ms
    }
  }

  depends_on = [google_project_service.monitoring_apis]
}

resource "google_monitoring_alert_policy" "extract_failure_rate" {
  count = var.enable_export && var.enable_extract ? 1 : 0

  display_name          = "Landform export failure rate (${var.environment})"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.alert_channels

  conditions {
    display_name = "Failed exports over a share of ${var.alert_failure_rate} of exports in an hour"
    condition_threshold {
      filter             = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.extract_export_results[0].name}\" AND resource.type=\"cloud_run_job\" AND metric.label.status=\"FAILURE\""
      denominator_filter = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.extract_export_results[0].name}\" AND resource.type=\"cloud_run_job\""
      comparison         = "COMPARISON_GT"
      threshold_value    = var.alert_failure_rate
      duration           = "0s"
      aggregations {
        alignment_period     = "3600s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
      denominator_aggregations {
        alignment_period     = "3600s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "More than a share of ${var.alert_failure_rate} of exports failed their retries in the last hour. Each failed export left its request, error and retry history under {env}/_dead_letter/ in the export bucket. See docs/runbook.md, \"Scheduled extract\"."
  }
}

resource "google_monitoring_alert_policy" "extract_duration" {
  count = var.enable_export && var.enable_extract ? 1 : 0

  display_name          = "Landform export duration (${var.environment})"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = local.alert_channels

  conditions {
    display_name = "An export took over ${var.alert_duration_minutes} minutes"
    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.extract_export_duration[0].name}\" AND resource.type=\"cloud_run_job\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_duration_minutes * 60 * 1000
      duration        = "0s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_PERCENTILE_99"
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "An export took longer than ${var.alert_duration_minutes} minutes (the export is a label of the metric). See docs/runbook.md, \"Scheduled extract\"."
  }
}
