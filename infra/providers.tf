provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    app         = "landform"
    environment = var.environment
  }
}

provider "google-beta" {
  project = var.project_id
  region  = var.region

  default_labels = {
    app         = "landform"
    environment = var.environment
  }
}
