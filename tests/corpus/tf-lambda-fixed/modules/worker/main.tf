variable "name" {}
variable "kms_key_arn" {}
variable "signing_config" {}

resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "this" {
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
      Resource = aws_sqs_queue.jobs.arn
    }]
  })
}

resource "aws_sqs_queue" "jobs" {
  name              = "${var.name}-jobs"
  kms_master_key_id = var.kms_key_arn
}

resource "aws_lambda_function" "this" {
  function_name           = var.name
  role                    = aws_iam_role.this.arn
  runtime                 = "python3.12"
  handler                 = "worker.handler"
  filename                = "${path.module}/worker.zip"
  code_signing_config_arn = var.signing_config

  tracing_config {
    mode = "Active"
  }
}

resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.this.arn
}
