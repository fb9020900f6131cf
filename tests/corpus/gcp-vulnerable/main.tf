terraform {
  required_providers {
    google = { source = "hashicorp/google", version = "~> 5.0" }
  }
}

variable "project" {
  type    = string
  default = "orders-prod"
}

resource "google_storage_bucket" "source" {
  name     = "orders-fn-source"
  location = "EU"
}

# 1st gen HTTP function: default service account, plain HTTP allowed, public, secret in env.
resource "google_cloudfunctions_function" "orders" {
  name                         = "orders"
  runtime                      = "python312"
  entry_point                  = "handle"
  source_archive_bucket        = google_storage_bucket.source.name
  source_archive_object        = "orders.zip"
  trigger_http                 = true
  https_trigger_security_level = "SECURE_OPTIONAL"

  environment_variables = {
    LOG_LEVEL   = "info"
    DB_PASSWORD = "Pr0d-Db-P4ss!9f8a7c6e"
  }
}

resource "google_cloudfunctions_function_iam_member" "orders_public" {
  project        = var.project
  region         = "europe-west1"
  cloud_function = google_cloudfunctions_function.orders.name
  role           = "roles/cloudfunctions.invoker"
  member         = "allUsers"
}

resource "google_service_account" "reports" {
  account_id = "reports-fn"
}

# 2nd gen: its own service account, but that account is a project editor; invoker for everyone.
resource "google_cloudfunctions2_function" "reports" {
  name     = "reports"
  location = "europe-west1"

  build_config {
    runtime     = "nodejs20"
    entry_point = "reports"
  }

  service_config {
    service_account_email = google_service_account.reports.email
    ingress_settings      = "ALLOW_ALL"
  }
}

resource "google_cloud_run_service_iam_member" "reports_public" {
  location = google_cloudfunctions2_function.reports.location
  service  = google_cloudfunctions2_function.reports.name
  role     = "roles/run.invoker"
  member   = "allAuthenticatedUsers"
}

resource "google_project_iam_member" "reports_editor" {
  project = var.project
  role    = "roles/editor"
  member  = "serviceAccount:${google_service_account.reports.email}"
}
