locals {
  prefix = "billing-${var.stage}"
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "invoice" {
  statement {
    sid       = "ReadToken"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.api_token.arn]
  }
  statement {
    sid       = "Publish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.invoices.arn]
  }
}

resource "aws_iam_role" "invoice" {
  name               = "${local.prefix}-invoice"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy" "invoice" {
  role   = aws_iam_role.invoice.name
  policy = data.aws_iam_policy_document.invoice.json
}

resource "aws_iam_role_policy_attachment" "invoice_logs" {
  role       = aws_iam_role.invoice.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_secretsmanager_secret" "api_token" {
  name       = "${local.prefix}/partner-api-token"
  kms_key_id = var.kms_key_arn
}

resource "aws_secretsmanager_secret_rotation" "api_token" {
  secret_id           = aws_secretsmanager_secret.api_token.id
  rotation_lambda_arn = "arn:aws:lambda:eu-west-1:123456789012:function:rotate-partner-token"

  rotation_rules {
    automatically_after_days = 30
  }
}

data "archive_file" "invoice" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/invoice.zip"
}

resource "aws_lambda_function" "invoice" {
  function_name                  = "${local.prefix}-invoice"
  role                           = aws_iam_role.invoice.arn
  runtime                        = "python3.12"
  handler                        = "app.handler"
  filename                       = data.archive_file.invoice.output_path
  timeout                        = 30
  reserved_concurrent_executions = 10
  code_signing_config_arn        = var.signing_config
  kms_key_arn                    = var.kms_key_arn

  tracing_config {
    mode = "Active"
  }

  environment {
    variables = {
      STAGE            = var.stage
      API_TOKEN_SECRET = aws_secretsmanager_secret.api_token.arn
    }
  }
}

resource "aws_lambda_function_url" "invoice" {
  function_name      = aws_lambda_function.invoice.function_name
  authorization_type = "AWS_IAM"
}

resource "aws_sns_topic" "invoices" {
  name              = "${local.prefix}-invoices"
  kms_master_key_id = var.kms_key_arn
}

resource "aws_sns_topic_subscription" "invoice" {
  topic_arn = aws_sns_topic.invoices.arn
  protocol  = "lambda"
  endpoint  = aws_lambda_function.invoice.arn
}

resource "aws_lambda_permission" "from_sns" {
  function_name = aws_lambda_function.invoice.function_name
  action        = "lambda:InvokeFunction"
  principal     = "sns.amazonaws.com"
  source_arn    = aws_sns_topic.invoices.arn
}

resource "aws_cloudwatch_log_group" "invoice" {
  name              = "/aws/lambda/${local.prefix}-invoice"
  retention_in_days = 30
  kms_key_id        = var.kms_key_arn
}

module "worker" {
  source         = "./modules/worker"
  count          = length(var.workers)
  name           = "${local.prefix}-${var.workers[count.index]}"
  kms_key_arn    = var.kms_key_arn
  signing_config = var.signing_config
}
