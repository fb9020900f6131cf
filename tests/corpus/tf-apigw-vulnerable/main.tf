# A REST API and an HTTP API in front of two functions, with the usual gaps.

resource "aws_iam_role" "fn" {
  name = "catalog-fn"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
}

resource "aws_lambda_function" "catalog" {
  function_name                  = "catalog"
  role                           = aws_iam_role.fn.arn
  runtime                        = "python3.12"
  handler                        = "app.handler"
  filename                       = "catalog.zip"
  reserved_concurrent_executions = 20
  code_signing_config_arn        = "arn:aws:lambda:eu-west-1:123456789012:code-signing-config:csc-0123456789abcdef0"

  tracing_config {
    mode = "Active"
  }
}

resource "aws_lambda_function" "admin" {
  function_name                  = "catalog-admin"
  role                           = aws_iam_role.fn.arn
  runtime                        = "python3.12"
  handler                        = "admin.handler"
  filename                       = "catalog.zip"
  reserved_concurrent_executions = 5
  timeout                        = 300
  code_signing_config_arn        = "arn:aws:lambda:eu-west-1:123456789012:code-signing-config:csc-0123456789abcdef0"

  tracing_config {
    mode = "Active"
  }
}

# --- REST API (v1) ---

resource "aws_api_gateway_rest_api" "catalog" {
  name = "catalog"
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.catalog.id
  parent_id   = aws_api_gateway_rest_api.catalog.root_resource_id
  path_part   = "items"
}

resource "aws_api_gateway_method" "list_items" {
  rest_api_id   = aws_api_gateway_rest_api.catalog.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "list_items" {
  rest_api_id             = aws_api_gateway_rest_api.catalog.id
  resource_id             = aws_api_gateway_resource.items.id
  http_method             = aws_api_gateway_method.list_items.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.catalog.invoke_arn
}

resource "aws_api_gateway_method" "put_item" {
  rest_api_id      = aws_api_gateway_rest_api.catalog.id
  resource_id      = aws_api_gateway_resource.items.id
  http_method      = "PUT"
  authorization    = "NONE"
  api_key_required = true
}

resource "aws_api_gateway_integration" "put_item" {
  rest_api_id             = aws_api_gateway_rest_api.catalog.id
  resource_id             = aws_api_gateway_resource.items.id
  http_method             = "PUT"
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.admin.invoke_arn
}

resource "aws_api_gateway_deployment" "catalog" {
  rest_api_id = aws_api_gateway_rest_api.catalog.id
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.catalog.id
  deployment_id = aws_api_gateway_deployment.catalog.id
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.catalog.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    logging_level      = "INFO"
    data_trace_enabled = true
  }
}

resource "aws_api_gateway_domain_name" "catalog" {
  domain_name     = "api.example.com"
  security_policy = "TLS_1_0"
}

resource "aws_lambda_permission" "rest" {
  function_name = aws_lambda_function.catalog.function_name
  action        = "lambda:InvokeFunction"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.catalog.execution_arn}/*/*"
}

# --- HTTP API (v2) ---

resource "aws_apigatewayv2_api" "public" {
  name          = "catalog-public"
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins     = ["*"]
    allow_methods     = ["*"]
    allow_headers     = ["*"]
  }
}

resource "aws_apigatewayv2_integration" "catalog" {
  api_id                 = aws_apigatewayv2_api.public.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.catalog.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "search" {
  api_id    = aws_apigatewayv2_api.public.id
  route_key = "GET /search"
  target    = "integrations/${aws_apigatewayv2_integration.catalog.id}"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.public.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_lambda_permission" "http" {
  function_name = aws_lambda_function.catalog.function_name
  action        = "lambda:InvokeFunction"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.public.execution_arn}/*/*"
}
