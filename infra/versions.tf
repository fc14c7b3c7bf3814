# Provider versions are pinned exactly: the argument names in this configuration were checked
# against the google / google-beta 6.50.0 schemas. Dataform resources exist only in google-beta.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "6.50.0"
    }
    google-beta = {
      source  = "hashicorp/google-beta"
      version = "6.50.0"
    }
  }

  # State lives in a GCS bucket created once by hand (see docs/runbook.md):
  #   terraform init -backend-config="bucket=<state-bucket>" -backend-config="prefix=landform/<environment>"
  backend "gcs" {}
}
