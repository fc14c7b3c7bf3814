variable "project_id" {
  description = "GCP project that holds one Landform environment (dataset names are fixed by docs/conventions.md, so each environment gets its own project)."
  type        = string
}

variable "environment" {
  description = "Environment name; used in resource names, labels, LANDFORM_ENV and the stage layout {env}/{dataset}/{table}/..."
  type        = string
  default     = "prod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,11}$", var.environment))
    error_message = "environment must be 1-12 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "region" {
  description = "Region for Cloud Run, Cloud Scheduler, Artifact Registry and Dataform."
  type        = string
  default     = "us-central1"
}

variable "bigquery_location" {
  description = "BigQuery location of the datasets (also the staging bucket's location, so load jobs read from a co-located bucket)."
  type        = string
  default     = "US"
}

variable "enable_export" {
  description = "Creates the export lane. False (the default) creates nothing that costs money: every billable resource has count/for_each on this flag."
  type        = bool
  default     = false
}

variable "schedules_paused" {
  description = "Pauses the loader's Cloud Scheduler job and removes the Dataform workflow schedule, keeping everything else in place."
  type        = bool
  default     = false
}

# --- loader ---------------------------------------------------------------------------------------

variable "loader_image" {
  description = "Loader image, e.g. us-central1-docker.pkg.dev/<project>/landform/loader:<git-sha>. Required when enable_export is true."
  type        = string
  default     = ""
}

variable "loader_schedule" {
  description = "Cron schedule of the loader (Cloud Scheduler, unix-cron)."
  type        = string
  default     = "0 * * * *"
}

variable "loader_timeout" {
  description = "Maximum duration of one loader execution."
  type        = string
  default     = "3600s"
}

variable "loader_task_count" {
  description = "Tasks of one loader execution; the run's tables are split over them, each table owned by exactly one task."
  type        = number
  default     = 1
  validation {
    condition     = var.loader_task_count >= 1 && var.loader_task_count <= 100 && floor(var.loader_task_count) == var.loader_task_count
    error_message = "loader_task_count must be a whole number from 1 to 100."
  }
}

variable "loader_max_retries" {
  description = "Retries of a failed loader task within one execution (each batch is idempotent)."
  type        = number
  default     = 1
}

variable "loader_cpu" {
  description = "vCPU limit of the loader container."
  type        = string
  default     = "1"
}

variable "loader_memory" {
  description = "Memory limit of the loader container."
  type        = string
  default     = "1Gi"
}

variable "vpc_network" {
  description = "Optional VPC network for direct VPC egress, when Postgres has only a private address. Null = no VPC access."
  type        = string
  default     = null
}

variable "vpc_subnetwork" {
  description = "Subnetwork used with vpc_network."
  type        = string
  default     = null
}

# --- Dataform -------------------------------------------------------------------------------------

variable "dataform_git_url" {
  description = "HTTPS URL of this Git repository, which GCP Dataform compiles from its root."
  type        = string
  default     = ""
}

variable "dataform_git_branch" {
  description = "Branch the Dataform release configuration compiles."
  type        = string
  default     = "main"
}

variable "dataform_git_token_version" {
  description = "Version of the landform-dataform-git-token secret (a read-only Git access token) that Dataform uses."
  type        = string
  default     = "latest"
}

variable "dataform_release_schedule" {
  description = "Cron schedule on which Dataform compiles the branch into a release (before each workflow run)."
  type        = string
  default     = "0 3 * * *"
}

variable "dataform_schedule" {
  description = "Cron schedule of the Dataform workflow (curated, marts, assertions)."
  type        = string
  default     = "30 3 * * *"
}

variable "dataform_vars" {
  description = "Overrides of workflow_settings.yaml vars for the scheduled compilation, e.g. { mart_window_days = \"35\" } (values are strings). See docs/costs.md: mart_window_days drives the marts' query bytes."
  type        = map(string)
  default     = {}
}

variable "time_zone" {
  description = "Time zone of every schedule (IANA name)."
  type        = string
  default     = "Etc/UTC"
}

# --- staging bucket lifecycle ---------------------------------------------------------------------

variable "stage_nearline_after_days" {
  description = "Age at which staged files move to NEARLINE (30-day minimum storage duration)."
  type        = number
  default     = 30
}

variable "stage_coldline_after_days" {
  description = "Age at which staged files move to COLDLINE (90-day minimum storage duration)."
  type        = number
  default     = 90
}

variable "stage_archive_after_days" {
  description = "Age at which staged files move to ARCHIVE (365-day minimum storage duration)."
  type        = number
  default     = 365
}

variable "stage_delete_after_days" {
  description = "Age at which staged batches are deleted; BigQuery keeps the loaded rows, the stage is only kept for replays and audits. Deleting before a class's minimum storage duration (NEARLINE 30, COLDLINE 90, ARCHIVE 365 days) is billed as if kept that long."
  type        = number
  default     = 1095

  validation {
    condition     = var.stage_delete_after_days >= 7
    error_message = "stage_delete_after_days must be at least 7: a replay of a recent batch needs its staged files."
  }
}

variable "stage_tmp_delete_after_days" {
  description = "Age at which objects under {env}/_tmp/ (uploads of batches that never finished) are deleted."
  type        = number
  default     = 7
}

variable "stage_failed_delete_after_days" {
  description = "Age at which objects under {env}/_failed/ (batches that failed to load) are deleted."
  type        = number
  default     = 30
}

variable "stage_noncurrent_delete_after_days" {
  description = "Days after which an overwritten or deleted (noncurrent) object version is removed."
  type        = number
  default     = 30
}
