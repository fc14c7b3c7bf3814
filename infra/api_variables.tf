# --- analytics API (landform serve) ---------------------------------------------------------------

variable "enable_api" {
  description = "Creates the analytics API (a Cloud Run service running `landform serve`). Takes effect only with enable_export = true, which creates the marts it reads."
  type        = bool
  default     = false
}

variable "api_image" {
  description = "Image holding api/ (the loader image once the Dockerfile copies api/), e.g. us-central1-docker.pkg.dev/<project>/landform/loader:<git-sha>. Required when the API is enabled."
  type        = string
  default     = ""
}

variable "api_jwks_url" {
  description = "JWKS URL of the OIDC issuer whose tokens the API accepts (Identity Platform: https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com; Auth0: https://<tenant>/.well-known/jwks.json; Keycloak: <realm>/protocol/openid-connect/certs)."
  type        = string
  default     = ""

  validation {
    condition     = var.api_jwks_url == "" || startswith(var.api_jwks_url, "https://")
    error_message = "api_jwks_url must be an https URL."
  }
}

variable "api_issuer" {
  description = "Token issuer (iss) the API accepts, e.g. https://securetoken.google.com/<project>."
  type        = string
  default     = ""
}

variable "api_audience" {
  description = "Token audience (aud) the API accepts, e.g. the Identity Platform project id or the Auth0 API identifier."
  type        = string
  default     = ""
}

variable "api_role_claim" {
  description = "Claim holding the caller's role (vendor, admin or analyst)."
  type        = string
  default     = "role"
}

variable "api_store_claim" {
  description = "Claim holding a vendor's store id."
  type        = string
  default     = "store_id"
}

variable "api_allow_unauthenticated" {
  description = "Lets callers without a Google identity reach the service (Cloud Run's IAM invoker check off). The API still requires a valid bearer JWT on every data route; false keeps Cloud Run's IAM check in front of it as well."
  type        = bool
  default     = false
}

variable "api_max_instances" {
  description = "Upper bound of API instances: caps what a traffic spike can cost in Cloud Run and in BigQuery jobs."
  type        = number
  default     = 3
}

variable "api_max_bytes_billed" {
  description = "maximumBytesBilled of every API query job (LANDFORM_API_MAX_BYTES_BILLED); a query that would scan more fails instead of being billed."
  type        = number
  default     = 1073741824
}

variable "api_cpu" {
  description = "vCPU limit of the API container."
  type        = string
  default     = "1"
}

variable "api_memory" {
  description = "Memory limit of the API container."
  type        = string
  default     = "512Mi"
}
