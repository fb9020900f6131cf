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

resource "aws_iam_role" "invoice" {
  name               = "${local.prefix}-invoice"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json

  inline_policy {
    name = "passrole"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
        Resource = "*"
      }]
    })
  }
}

resource "aws_iam_role_policy_attachment" "invoice_admin" {
  role       = aws_iam_role.invoice.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

data "archive_file" "invoice" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/invoice.zip"
}

resource "aws_lambda_function" "invoice" {
  function_name = "${local.prefix}-invoice"
  role          = aws_iam_role.invoice.arn
  runtime       = "nodejs14.x"
  handler       = "app.handler"
  filename      = data.archive_file.invoice.output_path
  timeout       = 900

  environment {
    variables = {
      STAGE     = var.stage
      API_TOKEN = var.api_token
    }
  }
}

resource "aws_lambda_function_url" "invoice" {
  function_name      = aws_lambda_function.invoice.function_name
  authorization_type = "NONE"

  cors {
    allow_origins     = ["*"]
    allow_credentials = true
  }
}

# Anyone may invoke the function: no principal restriction.
resource "aws_lambda_permission" "public" {
  function_name = aws_lambda_function.invoice.function_name
  action        = "lambda:InvokeFunction"
  principal     = "*"
}

resource "aws_sns_topic" "invoices" {
  name = "${local.prefix}-invoices"
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
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "${local.prefix}-nightly"
  schedule_expression = "cron(0 2 * * ? *)"
}

resource "aws_cloudwatch_event_target" "nightly" {
  rule = aws_cloudwatch_event_rule.nightly.name
  arn  = aws_lambda_function.invoice.arn
}

module "worker" {
  source   = "./modules/worker"
  for_each = var.workers
  name     = "${local.prefix}-${each.key}"
  runtime  = each.value
}
