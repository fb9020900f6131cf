resource "google_cloudfunctions2_function" "internal" {
  name = "internal"
  service_config {
    service_account_email = "internal@p.iam.gserviceaccount.com"
    ingress_settings      = "ALLOW_INTERNAL_ONLY"
  }
}

resource "google_cloud_run_service_iam_member" "internal" {
  service = google_cloudfunctions2_function.internal.name
  role    = "roles/run.invoker"
  member  = "allUsers"
}

resource "google_cloudfunctions2_function" "open" {
  name = "open"
  service_config {
    service_account_email = "open@p.iam.gserviceaccount.com"
    ingress_settings      = "ALLOW_ALL"
  }
}

resource "google_cloud_run_service_iam_member" "open" {
  service = google_cloudfunctions2_function.open.name
  role    = "roles/run.invoker"
  member  = "allUsers"
}

resource "google_cloudfunctions2_function" "private" {
  name = "private"
  service_config {
    service_account_email = "private@p.iam.gserviceaccount.com"
  }
}

resource "google_cloud_run_service_iam_member" "private" {
  service = google_cloudfunctions2_function.private.name
  role    = "roles/run.invoker"
  member  = "serviceAccount:caller@p.iam.gserviceaccount.com"
}
