# The REST and HTTP APIs of tf-apigw-vulnerable with their gaps closed.

locals {
  kms_key_arn  = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  signing      = "arn:aws:lambda:eu-west-1:123456789012:code-signing-config:csc-0123456789abcdef0"
  user_pool    = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_example"
  access_log_format = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
}

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
  timeout                        = 10
  reserved_concurrent_executions = 20
  code_signing_config_arn        = local.signing

  tracing_config {
    mode = "Active"
  }
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/aws/apigateway/catalog"
  retention_in_days = 90
  kms_key_id        = local.kms_key_arn
}

# --- REST API (v1) ---

resource "aws_api_gateway_rest_api" "catalog" {
  name = "catalog"
}

resource "aws_api_gateway_authorizer" "users" {
  name          = "users"
  rest_api_id   = aws_api_gateway_rest_api.catalog.id
  type          = "COGNITO_USER_POOLS"
  provider_arns = [local.user_pool]
}

resource "aws_api_gateway_request_validator" "body" {
  name                  = "body"
  rest_api_id           = aws_api_gateway_rest_api.catalog.id
  validate_request_body = true
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.catalog.id
  parent_id   = aws_api_gateway_rest_api.catalog.root_resource_id
  path_part   = "items"
}

resource "aws_api_gateway_method" "put_item" {
  rest_api_id          = aws_api_gateway_rest_api.catalog.id
  resource_id          = aws_api_gateway_resource.items.id
  http_method          = "PUT"
  authorization        = "COGNITO_USER_POOLS"
  authorizer_id        = aws_api_gateway_authorizer.users.id
  request_validator_id = aws_api_gateway_request_validator.body.id
}

resource "aws_api_gateway_integration" "put_item" {
  rest_api_id             = aws_api_gateway_rest_api.catalog.id
  resource_id             = aws_api_gateway_resource.items.id
  http_method             = aws_api_gateway_method.put_item.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.catalog.invoke_arn
}

resource "aws_api_gateway_deployment" "catalog" {
  rest_api_id = aws_api_gateway_rest_api.catalog.id
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id          = aws_api_gateway_rest_api.catalog.id
  deployment_id        = aws_api_gateway_deployment.catalog.id
  stage_name           = "prod"
  xray_tracing_enabled = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api.arn
    format          = local.access_log_format
  }
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.catalog.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = "ERROR"
    throttling_rate_limit  = 100
    throttling_burst_limit = 50
  }
}

resource "aws_wafv2_web_acl_association" "catalog" {
  resource_arn = aws_api_gateway_stage.prod.arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/catalog/0123"
}

resource "aws_api_gateway_domain_name" "catalog" {
  domain_name     = "api.example.com"
  security_policy = "TLS_1_2"
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
    allow_origins = ["https://shop.example.com"]
    allow_methods = ["GET"]
    allow_headers = ["authorization"]
  }
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.public.id
  name             = "jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = "https://auth.example.com"
    audience = ["catalog"]
  }
}

resource "aws_apigatewayv2_integration" "catalog" {
  api_id                 = aws_apigatewayv2_api.public.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.catalog.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "search" {
  api_id             = aws_apigatewayv2_api.public.id
  route_key          = "GET /search"
  target             = "integrations/${aws_apigatewayv2_integration.catalog.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.jwt.id
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.public.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = 100
    throttling_burst_limit = 50
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api.arn
    format          = local.access_log_format
  }
}

resource "aws_lambda_permission" "http" {
  function_name = aws_lambda_function.catalog.function_name
  action        = "lambda:InvokeFunction"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.public.execution_arn}/*/*"
}
