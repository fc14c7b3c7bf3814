# --- scheduled extract (landform extract) ---------------------------------------------------------

variable "enable_extract" {
  description = "Creates the scheduled extract (a Cloud Run job running `landform extract`, its trigger, its account, the export bucket and its alerts). Takes effect only with enable_export = true, which creates the datasets it reads."
  type        = bool
  default     = false
}

variable "extract_source_datasets" {
  description = "Datasets the export configurations (contracts/exports/*.yaml) read; the extract account gets roles/bigquery.dataViewer on these and no others. Add landform_curated only if an export reads it."
  type        = list(string)
  default     = ["landform_marts"]

  validation {
    condition     = length(var.extract_source_datasets) > 0 && alltrue([for d in var.extract_source_datasets : contains(["landform_curated", "landform_marts"], d)])
    error_message = "extract_source_datasets may name only landform_curated and landform_marts: raw data and assertions are not exported."
  }
}

variable "extract_schedule" {
  description = "Cron schedule of the extract (Cloud Scheduler, unix-cron). The default runs after the Dataform workflow (dataform_schedule 03:30) has rebuilt the marts."
  type        = string
  default     = "30 4 * * *"
}

variable "extract_args" {
  description = "Extra arguments of `landform extract` in the scheduled run, e.g. [\"--exports\", \"vendor_kpis_daily_parquet\"]."
  type        = list(string)
  default     = []
}

variable "extract_timeout" {
  description = "Maximum duration of one extract execution."
  type        = string
  default     = "3600s"
}

variable "extract_max_retries" {
  description = "Retries of a failed extract task within one execution (a finished export is a no-op on retry: its idempotency token exists)."
  type        = number
  default     = 1
}

variable "extract_cpu" {
  description = "vCPU limit of the extract container (it streams each written object once for its sha256)."
  type        = string
  default     = "1"
}

variable "extract_memory" {
  description = "Memory limit of the extract container."
  type        = string
  default     = "1Gi"
}

variable "extract_s3_copies" {
  description = "Creates the AWS credential secrets and mounts them into the extract job (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), for exports with an s3 destination. Add their versions before the next run."
  type        = bool
  default     = false
}

variable "extract_aws_region" {
  description = "AWS_REGION of the S3 copy destinations."
  type        = string
  default     = "us-east-1"
}

variable "extract_azure_copies" {
  description = "Creates the Azure credential secret and mounts it into the extract job (AZURE_STORAGE_CONNECTION_STRING), for exports with an azure destination. Add its version before the next run."
  type        = bool
  default     = false
}

variable "extract_hash_salt" {
  description = "Creates the hash-salt secret and mounts it as LANDFORM_HASH_SALT, for exports that anonymize a column with `hash` (use the loader's salt so hashes join)."
  type        = bool
  default     = false
}

# --- export bucket --------------------------------------------------------------------------------

variable "export_bucket_name" {
  description = "Name of the export bucket; empty = <project_id>-landform-exports. The gcs destination of every export configuration must name it."
  type        = string
  default     = ""
}

variable "export_nearline_after_days" {
  description = "Age at which exported files move to NEARLINE (seed 002 §10.2: 30 days)."
  type        = number
  default     = 30
}

variable "export_coldline_after_days" {
  description = "Age at which exported files move to COLDLINE (seed 002 §10.2: 90 days)."
  type        = number
  default     = 90
}

variable "export_archive_after_days" {
  description = "Age at which exported files move to ARCHIVE (seed 002 §10.2: 365 days)."
  type        = number
  default     = 365
}

variable "export_tmp_prefix" {
  description = "Prefix under {env}/ of temporary exports. `landform extract` writes none today (files go straight to their folder); the rule is there for tools that stage under it."
  type        = string
  default     = "_tmp/"
}

variable "export_tmp_delete_after_days" {
  description = "Age at which objects under {env}/<export_tmp_prefix> are deleted (seed 002 §10.2: temp exports 7 days)."
  type        = number
  default     = 7
}

variable "export_dead_letter_prefix" {
  description = "Prefix under {env}/ of failed exports: `landform extract` moves an export that ran out of retries to {env}/_dead_letter/<entity>/ (extracts/layout.ts)."
  type        = string
  default     = "_dead_letter/"
}

variable "export_dead_letter_delete_after_days" {
  description = "Age at which failed exports under {env}/<export_dead_letter_prefix> are deleted (seed 002 §10.2: failed exports 30 days)."
  type        = number
  default     = 30
}

variable "export_noncurrent_delete_after_days" {
  description = "Days after which an overwritten or deleted (noncurrent) export object version is removed."
  type        = number
  default     = 30
}

# --- alerting -------------------------------------------------------------------------------------

variable "alert_email" {
  description = "Optional e-mail address that receives the loader and extract alerts; empty = no e-mail channel."
  type        = string
  default     = ""

  validation {
    condition     = var.alert_email == "" || can(regex("^[^@\\s]+@[^@\\s]+$", var.alert_email))
    error_message = "alert_email must be empty or an e-mail address."
  }
}

variable "alert_notification_channels" {
  description = "Ids of existing notification channels (PagerDuty, Slack, ...) that also receive the alerts: projects/<p>/notificationChannels/<id>."
  type        = list(string)
  default     = []
}

variable "alert_failure_rate" {
  description = "Share of failed batches or exports within an hour above which an alert opens (seed 002 §9: 5%)."
  type        = number
  default     = 0.05

  validation {
    condition     = var.alert_failure_rate > 0 && var.alert_failure_rate < 1
    error_message = "alert_failure_rate is a share between 0 and 1."
  }
}

variable "alert_duration_minutes" {
  description = "Duration of one batch or export above which an alert opens (seed 002 §9: 30 minutes)."
  type        = number
  default     = 30
}
