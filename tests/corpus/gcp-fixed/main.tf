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

resource "google_service_account" "orders" {
  account_id = "orders-fn"
}

resource "google_secret_manager_secret" "db_password" {
  secret_id = "db-password"
  replication {
    auto {}
  }
}

resource "google_cloudfunctions_function" "orders" {
  name                         = "orders"
  runtime                      = "python312"
  entry_point                  = "handle"
  source_archive_bucket        = google_storage_bucket.source.name
  source_archive_object        = "orders.zip"
  trigger_http                 = true
  https_trigger_security_level = "SECURE_ALWAYS"
  ingress_settings             = "ALLOW_INTERNAL_AND_GCLB"
  service_account_email        = google_service_account.orders.email

  environment_variables = {
    LOG_LEVEL = "info"
  }

  secret_environment_variables {
    key     = "DB_PASSWORD"
    secret  = google_secret_manager_secret.db_password.secret_id
    version = "latest"
  }
}

resource "google_service_account" "caller" {
  account_id = "orders-caller"
}

resource "google_cloudfunctions_function_iam_member" "orders_invoker" {
  project        = var.project
  region         = "europe-west1"
  cloud_function = google_cloudfunctions_function.orders.name
  role           = "roles/cloudfunctions.invoker"
  member         = "serviceAccount:${google_service_account.caller.email}"
}

resource "google_project_iam_member" "orders_datastore" {
  project = var.project
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.orders.email}"
}
