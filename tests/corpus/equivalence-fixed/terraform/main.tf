# Orders service, fixed twin of the cross-format equivalence fixture

variable "kms_key_arn" {
  default = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

data "archive_file" "code" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/orders.zip"
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

data "aws_iam_policy_document" "send" {
  statement {
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.Jobs.arn]
  }
}

resource "aws_iam_role" "OrdersFnRole" {
  name               = "orders-fn"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "OrdersFnPolicy" {
  role   = aws_iam_role.OrdersFnRole.id
  policy = data.aws_iam_policy_document.send.json
}

# warden:ignore[OPS007] code is signed and verified by the deployment pipeline
resource "aws_lambda_function" "OrdersFn" {
  function_name                  = "orders"
  role                           = aws_iam_role.OrdersFnRole.arn
  runtime                        = "python3.12"
  handler                        = "app.handler"
  filename                       = data.archive_file.code.output_path
  reserved_concurrent_executions = 10

  tracing_config {
    mode = "Active"
  }

  environment {
    variables = {
      QUEUE_URL = aws_sqs_queue.Jobs.url
    }
  }
}

resource "aws_lambda_function_url" "OrdersFnUrl" {
  function_name      = aws_lambda_function.OrdersFn.function_name
  authorization_type = "AWS_IAM"
}

resource "aws_apigatewayv2_api" "HttpApi" {
  name          = "orders"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "OrdersJwt" {
  api_id           = aws_apigatewayv2_api.HttpApi.id
  name             = "orders-jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = "https://auth.example.com"
    audience = ["orders"]
  }
}

resource "aws_apigatewayv2_integration" "OrdersFn" {
  api_id                 = aws_apigatewayv2_api.HttpApi.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.OrdersFn.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "ListOrders" {
  api_id             = aws_apigatewayv2_api.HttpApi.id
  route_key          = "GET /orders"
  target             = "integrations/${aws_apigatewayv2_integration.OrdersFn.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.OrdersJwt.id
}

resource "aws_cloudwatch_log_group" "ApiLogs" {
  name              = "/aws/apigateway/orders"
  retention_in_days = 90
  kms_key_id        = var.kms_key_arn
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.HttpApi.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = 50
    throttling_rate_limit  = 100
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.ApiLogs.arn
    format          = "$context.requestId $context.status"
  }
}

resource "aws_lambda_permission" "ApiInvoke" {
  function_name = aws_lambda_function.OrdersFn.function_name
  action        = "lambda:InvokeFunction"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.HttpApi.execution_arn}/*/*"
}

resource "aws_sqs_queue" "Jobs" {
  name              = "jobs"
  kms_master_key_id = var.kms_key_arn
}

resource "aws_lambda_permission" "InvokeFromS3" {
  function_name  = aws_lambda_function.OrdersFn.function_name
  action         = "lambda:InvokeFunction"
  principal      = "s3.amazonaws.com"
  source_arn     = "arn:aws:s3:::orders-uploads"
  source_account = "123456789012"
}
