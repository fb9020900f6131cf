//! Terraform AWS lowering, end to end through `project::load`: the model a Terraform module gives
//! is the one the equivalent CloudFormation gives (functions with their roles, environment, URL,
//! triggers and permissions; APIs with routes and authorizers; CloudFormation-shaped resources).
#![allow(clippy::unwrap_used)]

use warden_input::project::{self, LoadOptions};
use warden_model::{App, AuthKind, Format, Node, PolicySource, RoleLink, TriggerKind};

fn load(files: &[(&str, &str)]) -> (Vec<App>, Vec<warden_model::ScanError>) {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let project = project::load(dir.path(), &LoadOptions::default()).unwrap();
    let apps = project
        .apps
        .into_iter()
        .filter(|a| a.format == Format::Terraform)
        .collect();
    (apps, project.errors)
}

const LAMBDA: &str = r#"
resource "aws_iam_role" "fn" {
  name = "fn"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
  inline_policy {
    name   = "logs"
    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "logs:*", Resource = "*" }] })
  }
}

resource "aws_iam_policy" "read" {
  name   = "read"
  policy = <<-EOT
    {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "${aws_s3_bucket.data.arn}/*"}]}
  EOT
}

resource "aws_iam_role_policy_attachment" "read" {
  role       = aws_iam_role.fn.name
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_role_policy_attachment" "basic" {
  role       = "fn"
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_s3_bucket" "data" { bucket = "data" }

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "arn:aws:kms:eu-west-1:123456789012:key/abc"
    }
  }
}

resource "aws_s3_bucket_notification" "data" {
  bucket = aws_s3_bucket.data.id
  lambda_function {
    lambda_function_arn = aws_lambda_function.api.arn
    events              = ["s3:ObjectCreated:*"]
  }
}

resource "aws_sqs_queue" "q" {
  name              = "q"
  kms_master_key_id = "alias/app"
}

resource "aws_lambda_event_source_mapping" "q" {
  event_source_arn = aws_sqs_queue.q.arn
  function_name    = "api"
}

resource "aws_lambda_function" "api" {
  function_name                  = "api"
  role                           = aws_iam_role.fn.arn
  runtime                        = "python3.12"
  handler                        = "app.handler"
  filename                       = "src"
  reserved_concurrent_executions = -1
  environment {
    variables = { MODE = "prod" }
  }
  tracing_config { mode = "Active" }
}

resource "aws_lambda_function_url" "api" {
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "s3" {
  function_name = aws_lambda_function.api.function_name
  action        = "lambda:InvokeFunction"
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.data.arn
}
"#;

#[test]
fn lambda_iam_and_event_sources_lower_like_cloudformation() {
    let (apps, errors) = load(&[("main.tf", LAMBDA)]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(apps.len(), 1);
    let app = &apps[0];
    assert_eq!(app.file, "main.tf");
    let f = app.function("aws_lambda_function.api").unwrap();
    assert!(matches!(&f.role, RoleLink::Resource(r) if r == "aws_iam_role.fn"));
    assert_eq!(f.environment[0].name, "MODE");
    assert_eq!(f.tracing.as_ref().and_then(Node::as_str), Some("Active"));
    assert!(
        f.reserved_concurrency.is_none(),
        "-1 is Terraform's 'unreserved'"
    );
    assert_eq!(f.code_uri.as_ref().and_then(Node::as_str), Some("src"));
    assert_eq!(f.url.as_ref().unwrap().auth_type.as_str(), Some("NONE"));
    let kinds: Vec<&TriggerKind> = f.triggers.iter().map(|t| &t.kind).collect();
    assert!(kinds.contains(&&TriggerKind::S3), "{kinds:?}");
    assert!(kinds.contains(&&TriggerKind::Sqs), "{kinds:?}");
    let p = &app.permissions[0];
    assert_eq!(p.function.as_deref(), Some("aws_lambda_function.api"));
    assert!(p.source_arn.is_some());

    let role = app.role("aws_iam_role.fn").unwrap();
    let sources: Vec<&PolicySource> = role.policies.iter().map(|p| &p.source).collect();
    assert!(sources.contains(&&PolicySource::Inline), "{sources:?}");
    assert!(
        sources.contains(&&PolicySource::AwsManaged {
            name: "AWSLambdaBasicExecutionRole".into()
        }),
        "a literal role name links the attachment: {sources:?}"
    );
    let customer = role
        .policies
        .iter()
        .find(|p| matches!(p.source, PolicySource::CustomerManaged { .. }))
        .unwrap();
    // The heredoc JSON policy is a document; its resource refers to the bucket.
    let stmt = &customer
        .document
        .as_ref()
        .unwrap()
        .get("Statement")
        .unwrap()
        .items()[0];
    let res = stmt.get("Resource").unwrap().as_unknown().unwrap();
    assert_eq!(res.resource.as_deref(), Some("aws_s3_bucket.data"));
    assert!(role.trust_policy.is_some());

    let bucket = app.resource("aws_s3_bucket.data").unwrap();
    assert_eq!(bucket.kind, "AWS::S3::Bucket");
    let sse = bucket
        .properties
        .at(&["BucketEncryption", "ServerSideEncryptionConfiguration"])
        .unwrap()
        .items()[0]
        .at(&["ServerSideEncryptionByDefault", "SSEAlgorithm"])
        .and_then(Node::as_str);
    assert_eq!(sse, Some("aws:kms"));
    // The split resource's values keep their Terraform origins.
    let q = app.resource("aws_sqs_queue.q").unwrap();
    let key = q.properties.get("KmsMasterKeyId").unwrap();
    assert_eq!(
        &*key.origin.path,
        "resource.aws_sqs_queue.q.kms_master_key_id"
    );
}

const APIS: &str = r#"
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = "arn:aws:iam::123456789012:role/external"
  runtime       = "python3.12"
  handler       = "app.handler"
}

resource "aws_api_gateway_rest_api" "rest" { name = "rest" }

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.rest.id
  parent_id   = aws_api_gateway_rest_api.rest.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_resource" "order" {
  rest_api_id = aws_api_gateway_rest_api.rest.id
  parent_id   = aws_api_gateway_resource.orders.id
  path_part   = "{id}"
}

resource "aws_api_gateway_authorizer" "cognito" {
  rest_api_id   = aws_api_gateway_rest_api.rest.id
  name          = "cognito"
  type          = "COGNITO_USER_POOLS"
  provider_arns = ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_x"]
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.rest.id
  resource_id   = aws_api_gateway_resource.order.id
  http_method   = "GET"
  authorization = "COGNITO_USER_POOLS"
  authorizer_id = aws_api_gateway_authorizer.cognito.id
}

resource "aws_api_gateway_integration" "get" {
  rest_api_id = aws_api_gateway_rest_api.rest.id
  resource_id = aws_api_gateway_resource.order.id
  http_method = aws_api_gateway_method.get.http_method
  type        = "AWS_PROXY"
  uri         = aws_lambda_function.fn.invoke_arn
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id = aws_api_gateway_rest_api.rest.id
  stage_name  = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.rest.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    throttling_rate_limit  = 100
    throttling_burst_limit = 50
  }
}

resource "aws_wafv2_web_acl_association" "rest" {
  resource_arn = aws_api_gateway_stage.prod.arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/y"
}

resource "aws_apigatewayv2_api" "http" {
  name          = "http"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id          = aws_apigatewayv2_api.http.id
  authorizer_type = "JWT"
  name            = "jwt"
}

resource "aws_apigatewayv2_integration" "fn" {
  api_id           = aws_apigatewayv2_api.http.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.fn.arn
}

resource "aws_apigatewayv2_route" "open" {
  api_id    = aws_apigatewayv2_api.http.id
  route_key = "POST /hook"
  target    = "integrations/${aws_apigatewayv2_integration.fn.id}"
}

resource "aws_apigatewayv2_route" "closed" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "GET /me"
  target             = "integrations/${aws_apigatewayv2_integration.fn.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.jwt.id
}
"#;

#[test]
fn api_gateway_routes_authorizers_stages_and_waf() {
    let (apps, errors) = load(&[("api.tf", APIS)]);
    assert!(errors.is_empty(), "{errors:?}");
    let app = &apps[0];
    let rest = app
        .apis
        .iter()
        .find(|a| a.id == "aws_api_gateway_rest_api.rest")
        .unwrap();
    let route = &rest.routes[0];
    assert_eq!(
        (route.method.as_str(), route.path.as_str()),
        ("GET", "/orders/{id}")
    );
    assert_eq!(route.function.as_deref(), Some("aws_lambda_function.fn"));
    assert_eq!(route.auth, AuthKind::Cognito);
    let stage = app.resource("aws_api_gateway_stage.prod").unwrap();
    let ms = &stage.properties.get("MethodSettings").unwrap().items()[0];
    assert_eq!(ms.get("ResourcePath").and_then(Node::as_str), Some("/*"));
    assert_eq!(
        ms.get("ThrottlingRateLimit").and_then(Node::as_str),
        Some("100")
    );
    let waf = app.resource("aws_wafv2_web_acl_association.rest").unwrap();
    let target = waf
        .properties
        .get("ResourceArn")
        .unwrap()
        .as_unknown()
        .unwrap();
    assert_eq!(
        target.resource.as_deref(),
        Some("aws_api_gateway_rest_api.rest")
    );

    let http = app
        .apis
        .iter()
        .find(|a| a.id == "aws_apigatewayv2_api.http")
        .unwrap();
    let open = http.routes.iter().find(|r| r.path == "/hook").unwrap();
    assert_eq!(open.auth, AuthKind::None);
    assert_eq!(open.function.as_deref(), Some("aws_lambda_function.fn"));
    let closed = http.routes.iter().find(|r| r.path == "/me").unwrap();
    assert_eq!(closed.auth, AuthKind::Jwt);
    // A function whose role is an ARN outside the module.
    let f = app.function("aws_lambda_function.fn").unwrap();
    assert!(matches!(f.role, RoleLink::External(_)));
}

#[test]
fn called_modules_are_not_apps_and_modules_without_resources_are_not_apps() {
    let (apps, errors) = load(&[
        (
            "live/main.tf",
            "module \"q\" {\n  source = \"../modules/queue\"\n}\n",
        ),
        (
            "modules/queue/main.tf",
            "resource \"aws_sqs_queue\" \"q\" { name = \"q\" }\n",
        ),
        ("vars-only/variables.tf", "variable \"x\" {}\n"),
    ]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].file, "live/main.tf");
    assert!(apps[0].resource("module.q.aws_sqs_queue.q").is_some());
}

#[test]
fn suppression_comments_name_the_resource() {
    let text = "# warden:ignore[DATA004] queue holds only public data\nresource \"aws_sqs_queue\" \"q\" { name = \"q\" }\n";
    let (apps, _) = load(&[("main.tf", text)]);
    let s = &apps[0].suppressions[0];
    assert_eq!(s.resource, "aws_sqs_queue.q");
    assert_eq!(s.rule, "DATA004");
    assert_eq!(s.reason.as_deref(), Some("queue holds only public data"));
}

#[test]
fn terraform_json_syntax_lowers_with_origins_in_the_json_file() {
    let text = r#"{
  "variable": {"token": {"default": "sk_live_4eC39HqLyjWDarjtT1zdp7dc"}},
  "resource": {
    "aws_lambda_function": {
      "api": {
        "function_name": "api",
        "role": "${aws_iam_role.fn.arn}",
        "runtime": "python3.12",
        "handler": "app.handler",
        "environment": {"variables": {"TOKEN": "${var.token}"}}
      }
    },
    "aws_iam_role": {"fn": {"name": "fn", "assume_role_policy": "{}"}},
    "aws_lambda_function_url": {
      "api": {"function_name": "${aws_lambda_function.api.function_name}", "authorization_type": "NONE"}
    }
  }
}"#;
    let (apps, errors) = load(&[("cdk.tf.json", text)]);
    assert!(errors.is_empty(), "{errors:?}");
    let app = &apps[0];
    let f = app.function("aws_lambda_function.api").unwrap();
    assert!(matches!(&f.role, RoleLink::Resource(r) if r == "aws_iam_role.fn"));
    assert_eq!(f.url.as_ref().unwrap().auth_type.as_str(), Some("NONE"));
    let token = &f.environment[0];
    assert_eq!(
        token.value.as_str(),
        Some("sk_live_4eC39HqLyjWDarjtT1zdp7dc")
    );
    // Origins point into the JSON text: the key, and the default where the secret is written.
    assert_eq!(&*token.origin.file, "cdk.tf.json");
    let at = |o: &warden_source::Origin| &text[o.span.start as usize..o.span.end as usize];
    assert_eq!(at(&token.origin), "\"TOKEN\"");
    assert_eq!(
        at(&token.value.origin),
        "\"sk_live_4eC39HqLyjWDarjtT1zdp7dc\""
    );
}
