//! A small synthetic report over two templates: non-ASCII text, multi-line and long spans, a long
//! minified line, secrets, a file missing from the source map, related locations, hostile
//! characters and scan errors. Findings are deliberately out of order.

use std::sync::Arc;
use warden_model::{
    Category, Confidence, Finding, Related, Report, RuleInfo, ScanError, Severity, Stats,
};
use warden_render::RenderOptions;
use warden_source::{Origin, SourceFile, SourceMap, Span};

pub const LONG_SECRET: &str = "sk_live_51HxAbCdEfGhIjKlMnOp";
pub const SHORT_SECRET: &str = "Zq9!xw";

pub const TEMPLATE: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: Commandes — boutique «café» 日本語
Resources:
  OrderFn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Environment:
        Variables:
          STRIPE_KEY: \"sk_live_51HxAbCdEfGhIjKlMnOp\"
          PIN: 'Zq9!xw'
      FunctionUrlConfig:
        AuthType: NONE
  OrderRole:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: all
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: \"*\"
                Resource: \"*\"
";

pub fn api_json() -> String {
    let padding = (0..12)
        .map(|i| format!("\"Param{i}\":{{\"Type\":\"String\"}}"))
        .collect::<Vec<_>>()
        .join(",");
    format!(
        "{{\"Parameters\":{{{padding}}},\"Resources\":{{\"Api\":{{\"Type\":\"AWS::Serverless::Api\",\"Properties\":{{\"Name\":\"Ünïcødé\",\"Cors\":\"'*'\"}}}}}}}}\n"
    )
}

fn span_of(text: &str, needle: &str) -> Span {
    let start = text.find(needle).expect("needle in fixture");
    Span::new(start as u32, (start + needle.len()) as u32)
}

fn origin(file: &str, span: Span, path: &str) -> Origin {
    Origin::new(file.into(), span, path)
}

fn finding(
    rule: &'static str,
    name: &'static str,
    category: Category,
    severity: Severity,
    origin: Origin,
) -> Finding {
    Finding {
        rule,
        name,
        category,
        severity,
        confidence: Confidence::High,
        message: String::new(),
        origin,
        resource: None,
        help: String::new(),
        related: Vec::new(),
        flow: Vec::new(),
        fingerprint: format!("fp-{rule}"),
    }
}

pub fn sources() -> SourceMap {
    let mut map = SourceMap::new();
    map.insert(Arc::new(SourceFile::new("template.yaml", TEMPLATE)));
    map.insert(Arc::new(SourceFile::new("api/openapi.json", api_json())));
    map
}

pub fn report() -> Report {
    let t = "template.yaml";
    let api = api_json();

    let mut secret = finding(
        "SEC001",
        "plaintext-secret-in-environment",
        Category::Secret,
        Severity::Critical,
        origin(
            t,
            span_of(TEMPLATE, "\"sk_live_51HxAbCdEfGhIjKlMnOp\""),
            "/Resources/OrderFn/Properties/Environment/Variables/STRIPE_KEY",
        ),
    );
    secret.message = format!(
        "environment variable `STRIPE_KEY` of `OrderFn` holds a Stripe live key ({LONG_SECRET})"
    );
    secret.help = "store it in Secrets Manager and read it at run time".into();
    secret.resource = Some("OrderFn".into());

    let mut pin = finding(
        "SEC001",
        "plaintext-secret-in-environment",
        Category::Secret,
        Severity::Critical,
        origin(
            t,
            span_of(TEMPLATE, "'Zq9!xw'"),
            "/Resources/OrderFn/Properties/Environment/Variables/PIN",
        ),
    );
    pin.message = format!("environment variable `PIN` looks like a password: {SHORT_SECRET}");
    pin.help = "use a {{resolve:secretsmanager:…}} dynamic reference".into();
    pin.resource = Some("OrderFn".into());
    pin.confidence = Confidence::Medium;

    let mut url = finding(
        "AUTH002",
        "function-url-without-auth",
        Category::Auth,
        Severity::High,
        origin(
            t,
            span_of(TEMPLATE, "AuthType: NONE"),
            "/Resources/OrderFn/Properties/FunctionUrlConfig/AuthType",
        ),
    );
    url.message = "function URL of `OrderFn` accepts requests from anyone: 50% of \"routes\" <open> & unsigned\nsecond line".into();
    url.help =
        "set `AuthType: AWS_IAM`, or put the function behind an API with an authorizer".into();
    url.resource = Some("OrderFn".into());

    let statement =
        "- Effect: Allow\n                Action: \"*\"\n                Resource: \"*\"\n";
    let mut wildcard = finding(
        "IAM001",
        "wildcard-action",
        Category::Iam,
        Severity::High,
        origin(
            t,
            span_of(TEMPLATE, statement),
            "/Resources/OrderRole/Properties/Policies/0/PolicyDocument/Statement/0",
        ),
    );
    wildcard.message = "role `OrderRole` may call every action of every service".into();
    wildcard.help = "list the actions the function needs".into();
    wildcard.resource = Some("OrderRole".into());
    wildcard.related = vec![
        Related {
            origin: origin(t, span_of(TEMPLATE, "OrderRole:"), "/Resources/OrderRole"),
            message: "the role is defined here".into(),
        },
        Related {
            origin: origin("gone.yaml", Span::new(3, 9), "/Resources/Other"),
            message: "and assumed here".into(),
        },
    ];

    let role_start = TEMPLATE.find("  OrderRole:").expect("role");
    let mut boundary = finding(
        "IAM005",
        "role-without-permissions-boundary",
        Category::Iam,
        Severity::Medium,
        origin(
            t,
            Span::new(role_start as u32 + 2, TEMPLATE.len() as u32),
            "/Resources/OrderRole",
        ),
    );
    boundary.message = "role `OrderRole` has no permissions boundary".into();
    boundary.help = "attach a `PermissionsBoundary`".into();
    boundary.resource = Some("OrderRole".into());
    boundary.confidence = Confidence::Low;

    let mut cors = finding(
        "CORS001",
        "cors-allows-any-origin",
        Category::Cors,
        Severity::Low,
        origin(
            "api/openapi.json",
            span_of(&api, "\"Cors\":\"'*'\""),
            "/Resources/Api/Properties/Cors",
        ),
    );
    cors.message = "API `Api` (Ünïcødé) answers CORS requests from any origin".into();
    cors.help = "list the allowed origins".into();
    cors.resource = Some("Api".into());

    let mut missing = finding(
        "CFG001",
        "uncatalogued-check",
        Category::Config,
        Severity::Info,
        origin("gone.yaml", Span::new(120, 140), "/Resources/X"),
    );
    missing.message = "a finding in a file the source map does not hold".into();
    missing.fingerprint = String::new();

    Report {
        findings: vec![missing, cors, boundary, wildcard, url, pin, secret],
        errors: vec![
            ScanError::new(
                "vendor/huge.yaml",
                "file is 52428800 bytes, over the 5 MB limit",
            ),
            ScanError::new(
                "broken.yaml",
                "YAML: mapping values are not allowed here at line 3, column 7; bytes \u{1b}[31m\u{0}<x> & \"q\" 100%",
            ),
        ],
        stats: Stats {
            files_scanned: 4,
            apps: 2,
            functions: 1,
            duration_ms: 1234,
        },
    }
}

pub fn rules() -> Vec<RuleInfo> {
    let rule = |code, name, category, severity, summary: &str, cwe, owasp| RuleInfo {
        code,
        name,
        category,
        severity,
        confidence: Confidence::High,
        summary: summary.to_owned(),
        doc: format!(
            "## What it does\n{summary}\n\n## Why is this bad?\nAn attacker gains a foothold.\n\n## Insecure example\n```yaml\nAuthType: NONE\n```\n\n## Secure alternative\n```yaml\nAuthType: AWS_IAM\n```\n\n## References\nOWASP Serverless Top 10."
        ),
        cwe,
        owasp,
        security_hub: &[],
    };
    vec![
        rule(
            "SEC001",
            "plaintext-secret-in-environment",
            Category::Secret,
            Severity::Critical,
            "Flags a secret-like value stored in plain text in a function's environment.",
            &[798],
            &["SAS-3"],
        ),
        rule(
            "IAM005",
            "role-without-permissions-boundary",
            Category::Iam,
            Severity::Medium,
            "Flags a role without a permissions boundary.",
            &[],
            &[],
        ),
        rule(
            "AUTH002",
            "function-url-without-auth",
            Category::Auth,
            Severity::High,
            "Flags a function URL that anyone can call.",
            &[306],
            &["SAS-2"],
        ),
        rule(
            "IAM001",
            "wildcard-action",
            Category::Iam,
            Severity::High,
            "Flags a policy statement that allows every action.",
            &[269, 732],
            &["SAS-4"],
        ),
        rule(
            "CORS001",
            "cors-allows-any-origin",
            Category::Cors,
            Severity::Low,
            "Flags an API that answers CORS requests from any origin.",
            &[942],
            &["SAS-7"],
        ),
    ]
}

pub fn options() -> RenderOptions {
    RenderOptions::new("0.1.0")
}
