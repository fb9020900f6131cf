# Reports service, fixed twin of ../paths-tf-vulnerable: the function URL requires SigV4 and the
# role reads only the service's own parameter path.

terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "reports" {
  name               = "reports-fn"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "reports" {
  name = "read-config"
  role = aws_iam_role.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ssm:GetParameter", "ssm:GetParametersByPath"]
      Resource = "arn:aws:ssm:eu-west-1:123456789012:parameter/reports/*"
    }]
  })
}

resource "aws_lambda_function" "reports" {
  function_name = "reports"
  role          = aws_iam_role.reports.arn
  runtime       = "python3.12"
  handler       = "reports.handler"
  filename      = "reports.zip"
  tracing_config {
    mode = "Active"
  }
}

resource "aws_lambda_function_url" "reports" {
  function_name      = aws_lambda_function.reports.function_name
  authorization_type = "AWS_IAM"
}
