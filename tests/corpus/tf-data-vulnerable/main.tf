# Data stores and audit services with their encryption, rotation and retention gaps.

resource "aws_s3_bucket" "uploads" {
  bucket = "acme-uploads"
}

resource "aws_s3_bucket_acl" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  acl    = "public-read"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_policy" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:PutObject"
      Resource  = "${aws_s3_bucket.uploads.arn}/*"
    }]
  })
}

resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_kinesis_stream" "events" {
  name        = "events"
  shard_count = 1
}

resource "aws_kms_key" "app" {
  description = "application data"
}

# warden:ignore[SEC005] rotated by the database team's runbook until managed rotation lands
resource "aws_secretsmanager_secret" "db" {
  name = "orders/db"
}

resource "aws_ssm_parameter" "db_password" {
  name  = "/orders/db_password"
  type  = "String"
  value = "Tr0ub4dor-and-3"
}

resource "aws_cloudwatch_log_group" "app" {
  name = "/orders/app"
}

resource "aws_cloudtrail" "audit" {
  name           = "audit"
  s3_bucket_name = aws_s3_bucket.uploads.id
}

resource "aws_cognito_user_pool" "users" {
  name = "orders-users"

  password_policy {
    minimum_length    = 6
    require_lowercase = false
    require_numbers   = false
    require_symbols   = false
    require_uppercase = false
  }
}

resource "aws_cognito_identity_pool" "guests" {
  identity_pool_name               = "orders-guests"
  allow_unauthenticated_identities = true
}
