variable "name" {
  type = string
}

data "archive_file" "code" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/${var.name}.zip"
}

resource "aws_iam_role" "this" {
  name = "${var.name}-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "read_uploads" {
  name = "${var.name}-read-uploads"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = "${aws_s3_bucket.uploads.arn}/*"
    }]
  })
}

resource "aws_s3_bucket" "uploads" {
  bucket = "${var.name}-uploads"
}

resource "aws_lambda_function" "this" {
  function_name                  = var.name
  role                           = aws_iam_role.this.arn
  handler                        = "index.handler"
  runtime                        = "nodejs22.x"
  filename                       = data.archive_file.code.output_path
  timeout                        = 30
  memory_size                    = 256
  reserved_concurrent_executions = 5

  tracing_config {
    mode = "Active"
  }
}

output "arn" {
  value = aws_lambda_function.this.arn
}

output "function_name" {
  value = aws_lambda_function.this.function_name
}

output "bucket_arn" {
  value = aws_s3_bucket.uploads.arn
}
