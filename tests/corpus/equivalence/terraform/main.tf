# Orders service (deliberately vulnerable; the cross-format equivalence fixture)

variable "db_password" {
  default = "hunter2-super-secret-Pa55"
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

resource "aws_iam_role" "OrdersFnRole" {
  name               = "orders-fn"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "OrdersFnPolicy" {
  role = aws_iam_role.OrdersFnRole.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_lambda_function" "OrdersFn" {
  function_name = "orders"
  role          = aws_iam_role.OrdersFnRole.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = data.archive_file.code.output_path

  environment {
    variables = {
      DB_PASSWORD = var.db_password
    }
  }
}

resource "aws_lambda_function_url" "OrdersFnUrl" {
  function_name      = aws_lambda_function.OrdersFn.function_name
  authorization_type = "NONE"
}

resource "aws_apigatewayv2_api" "HttpApi" {
  name          = "orders"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "OrdersFn" {
  api_id                 = aws_apigatewayv2_api.HttpApi.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.OrdersFn.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "ListOrders" {
  api_id    = aws_apigatewayv2_api.HttpApi.id
  route_key = "GET /orders"
  target    = "integrations/${aws_apigatewayv2_integration.OrdersFn.id}"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.HttpApi.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_lambda_permission" "ApiInvoke" {
  function_name = aws_lambda_function.OrdersFn.function_name
  action        = "lambda:InvokeFunction"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.HttpApi.execution_arn}/*/*"
}

resource "aws_sqs_queue" "Jobs" {
  name = "jobs"
}

resource "aws_lambda_permission" "InvokeFromS3" {
  function_name = aws_lambda_function.OrdersFn.function_name
  action        = "lambda:InvokeFunction"
  principal     = "s3.amazonaws.com"
}
