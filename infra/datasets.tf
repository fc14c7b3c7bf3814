# One dataset per layer (docs/conventions.md). Partition expiration is per table: the table
# contracts set partition.expiration_days (telemetry_readings 730, ad_events and query_logs 400)
# and the loader applies it when it creates each raw table. No dataset-wide default is set on
# landform_raw because a default would also expire tables that must keep all history
# (devices, export_batches). delete_contents_on_destroy stays false: a non-empty dataset blocks
# `terraform destroy` instead of losing data. Storage is billed logically (uncompressed bytes);
# docs/costs.md compares physical billing.
resource "google_bigquery_dataset" "raw" {
  count = var.enable_export ? 1 : 0

  dataset_id                 = "landform_raw"
  friendly_name              = "Landform raw"
  description                = "Raw tables loaded by the Landform loader, export_batches lineage, quarantine and per-batch staging tables."
  location                   = var.bigquery_location
  delete_contents_on_destroy = false
  storage_billing_model      = "LOGICAL"

  depends_on = [google_project_service.apis]
}

resource "google_bigquery_dataset" "curated" {
  count = var.enable_export ? 1 : 0

  dataset_id                 = "landform_curated"
  friendly_name              = "Landform curated"
  description                = "Dataform curated models (cur_*): latest version per key, cleaned and typed."
  location                   = var.bigquery_location
  delete_contents_on_destroy = false
  storage_billing_model      = "LOGICAL"

  depends_on = [google_project_service.apis]
}

resource "google_bigquery_dataset" "marts" {
  count = var.enable_export ? 1 : 0

  dataset_id                 = "landform_marts"
  friendly_name              = "Landform marts"
  description                = "Dataform marts (mart_*): business entities for reporting."
  location                   = var.bigquery_location
  delete_contents_on_destroy = false
  storage_billing_model      = "LOGICAL"

  depends_on = [google_project_service.apis]
}

resource "google_bigquery_dataset" "assertions" {
  count = var.enable_export ? 1 : 0

  dataset_id                 = "landform_assertions"
  friendly_name              = "Landform assertions"
  description                = "Dataform assertion views; each run recreates them, so they expire after 30 days unused."
  location                   = var.bigquery_location
  delete_contents_on_destroy = true
  storage_billing_model      = "LOGICAL"
  # Assertion views are recreated on every run; a leftover from a removed assertion goes away.
  default_table_expiration_ms = 30 * 24 * 60 * 60 * 1000

  depends_on = [google_project_service.apis]
}
