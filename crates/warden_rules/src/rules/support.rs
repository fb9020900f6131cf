//! Shared helpers for rules over raw resource properties: finding resources by type, following
//! references between them, reading policy statements and API stage settings.

use warden_model::{Api, ApiKind, App, Format, Node, Resource, Unknown, Val};

/// Every resource of one of `kinds`.
pub fn resources<'a>(
    app: &'a App,
    kinds: &'a [&'a str],
) -> impl Iterator<Item = &'a Resource> + 'a {
    app.resources
        .iter()
        .filter(move |r| kinds.contains(&r.kind.as_str()))
}

fn unknown_refers_to(u: &Unknown, id: &str) -> bool {
    if u.resource.as_deref() == Some(id) {
        return true;
    }
    let is_ref = |expr: &str| {
        expr == format!("Ref {id}")
            || expr
                .strip_prefix("GetAtt ")
                .is_some_and(|t| t.split('.').next() == Some(id))
    };
    if is_ref(&u.expr) {
        return true;
    }
    let text = u.partial.as_deref().unwrap_or("");
    text.split("{{unknown:")
        .skip(1)
        .filter_map(|chunk| chunk.split("}}").next())
        .any(is_ref)
}

/// True when any value inside `node` refers to resource `id` (`!Ref id`, `!GetAtt id.X`, `${id}`
/// inside a `!Sub`).
pub fn refers_to(node: &Node, id: &str) -> bool {
    match &node.val {
        Val::Unknown(u) => unknown_refers_to(u, id),
        Val::List(items) => items.iter().any(|n| refers_to(n, id)),
        Val::Map(entries) => entries.iter().any(|(_, n)| refers_to(n, id)),
        _ => false,
    }
}

/// True when `value` names resource `res`: a reference to it, or a literal equal to its physical
/// name property (`BucketName`, `QueueName`…) given as `name_key`.
pub fn names_resource(value: &Node, res: &Resource, name_key: &str) -> bool {
    refers_to(value, &res.id)
        || value
            .as_str()
            .is_some_and(|v| res.properties.get(name_key).and_then(Node::as_str) == Some(v))
}

/// A property that is present and not `null`.
pub fn present<'a>(props: &'a Node, key: &str) -> Option<&'a Node> {
    props.get(key).filter(|n| !matches!(n.val, Val::Null))
}

/// The statements of a policy document (`Statement` as a map or a list).
pub fn statements(doc: &Node) -> Vec<&Node> {
    doc.get("Statement")
        .map(Node::one_or_many)
        .unwrap_or_default()
}

/// True when a statement's `Principal` is everyone: `"*"`, `{AWS: "*"}` (also inside a list).
pub fn principal_is_anyone(stmt: &Node) -> bool {
    let Some(p) = stmt.get("Principal") else {
        return false;
    };
    if p.as_str() == Some("*") {
        return true;
    }
    p.get("AWS")
        .is_some_and(|aws| aws.one_or_many().iter().any(|a| a.as_str() == Some("*")))
}

/// Glob match of an IAM action pattern (`s3:Put*`, `*`) against an action, case-insensitively.
pub fn glob(pattern: &str, action: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let a: Vec<char> = action.to_ascii_lowercase().chars().collect();
    let (mut pi, mut ai, mut star, mut mark) = (0, 0, None, 0);
    while ai < a.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == a[ai]) {
            pi += 1;
            ai += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ai;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ai = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// The first of `wanted` actions an `Allow` statement's `Action` grants, if any.
pub fn grants_any<'a>(stmt: &Node, wanted: &[&'a str]) -> Option<&'a str> {
    let actions = stmt.get("Action")?;
    wanted.iter().copied().find(|w| {
        actions
            .one_or_many()
            .iter()
            .any(|a| a.as_str().is_some_and(|pat| glob(pat, w)))
    })
}

/// Condition keys that only describe the transport, not who may call: they never limit callers.
const NON_LIMITING_KEYS: &[&str] = &["aws:securetransport"];

/// True when a statement's `Condition` restricts who may use it (source, account, organization,
/// network, principal...). A condition on transport only does not.
pub fn has_limiting_condition(stmt: &Node) -> bool {
    let Some(cond) = stmt.get("Condition") else {
        return false;
    };
    if cond.is_unknown() {
        return true;
    }
    cond.entries().iter().any(|(_, keys)| {
        keys.is_unknown()
            || keys
                .entries()
                .iter()
                .any(|(k, _)| !NON_LIMITING_KEYS.contains(&k.name.to_ascii_lowercase().as_str()))
    })
}

/// Policy type, the property naming its targets, and the write actions that create events.
const EVENT_SOURCE_POLICIES: &[(&str, &str, &[&str])] = &[
    ("AWS::S3::BucketPolicy", "Bucket", &["s3:PutObject"]),
    ("AWS::SNS::TopicPolicy", "Topics", &["sns:Publish"]),
    ("AWS::SQS::QueuePolicy", "Queues", &["sqs:SendMessage"]),
];

/// The trigger kind a bucket, topic or queue produces.
fn event_source_trigger(kind: &str) -> Option<warden_model::TriggerKind> {
    match kind {
        "AWS::S3::Bucket" => Some(warden_model::TriggerKind::S3),
        "AWS::SNS::Topic" => Some(warden_model::TriggerKind::Sns),
        "AWS::SQS::Queue" => Some(warden_model::TriggerKind::Sqs),
        _ => None,
    }
}

/// Why anyone may write events into the source of trigger `t` (a bucket, topic or queue declared in
/// the app): a `PublicReadWrite` ACL, or a resource-policy statement allowing the event-creating
/// action to `*` without a limiting condition. Each reason comes with the node that grants it.
pub fn public_writers<'a>(app: &'a App, t: &warden_model::Trigger) -> Vec<(&'a Node, String)> {
    let mut open: Vec<(&Node, String)> = Vec::new();
    let Some(source) = t.source.as_deref().and_then(|s| app.resource(s)) else {
        return open;
    };
    if event_source_trigger(&source.kind).as_ref() != Some(&t.kind) {
        return open;
    }
    if source.kind == "AWS::S3::Bucket"
        && let Some(acl) = source.properties.get("AccessControl")
        && acl.as_str() == Some("PublicReadWrite")
    {
        open.push((acl, "its ACL is `PublicReadWrite`".into()));
    }
    for (kind, target_key, actions) in EVENT_SOURCE_POLICIES {
        for policy in app.resources.iter().filter(|r| r.kind == *kind) {
            let p = &policy.properties;
            if !p.get(target_key).is_some_and(|v| refers_to(v, &source.id)) {
                continue;
            }
            let Some(doc) = p.get("PolicyDocument") else {
                continue;
            };
            for stmt in statements(doc) {
                if stmt.get("Effect").and_then(Node::as_str) != Some("Allow")
                    || !principal_is_anyone(stmt)
                    || has_limiting_condition(stmt)
                {
                    continue;
                }
                if let Some(action) = grants_any(stmt, actions) {
                    open.push((
                        stmt,
                        format!("policy `{}` allows `{action}` to `*`", policy.id),
                    ));
                }
            }
        }
    }
    open
}

/// The routes of `function` anyone on the internet can call: no authorizer, no IAM
/// authorization, no required API key, not on a private REST API, not a CORS preflight. Routes
/// whose authentication is unknown come second in each pair (`false`).
pub fn open_routes<'a>(
    app: &'a App,
    function: &str,
) -> Vec<(&'a Api, &'a warden_model::Route, bool)> {
    let mut out = Vec::new();
    for api in app.apis.iter().filter(|a| !is_private(a)) {
        for r in &api.routes {
            if r.function.as_deref() != Some(function)
                || r.method == "OPTIONS"
                || r.api_key_required
            {
                continue;
            }
            match r.auth {
                warden_model::AuthKind::None => out.push((api, r, true)),
                warden_model::AuthKind::Unknown(_) => out.push((api, r, false)),
                _ => {}
            }
        }
    }
    out
}

/// How an API's stage settings are declared.
pub enum StageSource<'a> {
    /// On the API itself (SAM `AWS::Serverless::Api`/`HttpApi`, implicit APIs).
    Api(&'a Node),
    /// An `AWS::ApiGateway::Stage`/`AWS::ApiGatewayV2::Stage` resource.
    Stage(&'a Resource),
    /// The `StageDescription` of an `AWS::ApiGateway::Deployment`.
    Deployment(&'a Resource, &'a Node),
}

impl StageSource<'_> {
    /// The settings map (the API's properties, the stage's, or the deployment's stage description).
    pub fn settings(&self) -> &Node {
        match self {
            StageSource::Api(n) => n,
            StageSource::Stage(r) => &r.properties,
            StageSource::Deployment(_, n) => n,
        }
    }
}

/// True when the API's stage settings live on the API (SAM, implicit or Serverless Framework).
pub fn settings_on_api(app: &App, api: &Api) -> bool {
    match app.resource(&api.id) {
        Some(r) => r.kind.starts_with("AWS::Serverless::"),
        None => true,
    }
}

/// The places where an API's stages are configured.
pub fn stages<'a>(app: &'a App, api: &'a Api) -> Vec<StageSource<'a>> {
    if settings_on_api(app, api) {
        return vec![StageSource::Api(&api.properties)];
    }
    let mut out = Vec::new();
    for r in &app.resources {
        let key = match r.kind.as_str() {
            "AWS::ApiGateway::Stage" | "AWS::ApiGateway::Deployment" => "RestApiId",
            "AWS::ApiGatewayV2::Stage" => "ApiId",
            _ => continue,
        };
        if !r.properties.get(key).is_some_and(|v| refers_to(v, &api.id)) {
            continue;
        }
        if r.kind == "AWS::ApiGateway::Deployment" {
            if let Some(desc) = r.properties.get("StageDescription") {
                out.push(StageSource::Deployment(r, desc));
            }
        } else {
            out.push(StageSource::Stage(r));
        }
    }
    out
}

/// True for apps whose resources have the CloudFormation shape: SAM, CloudFormation, CDK output,
/// and Terraform (whose AWS resources are lowered into CloudFormation-shaped resources).
pub fn is_cfn(app: &App) -> bool {
    matches!(
        app.format,
        Format::Sam | Format::CloudFormation | Format::Cdk | Format::Terraform
    )
}

/// `REST API` or `HTTP API`.
pub fn api_kind(api: &Api) -> &'static str {
    match api.kind {
        ApiKind::Rest => "REST API",
        ApiKind::Http => "HTTP API",
        ApiKind::FunctionApp => "function HTTP trigger",
    }
}

/// True when the API is private (reachable only from VPC endpoints).
pub fn is_private(api: &Api) -> bool {
    let Some(ep) = &api.endpoint else {
        return false;
    };
    let is_private = |n: &Node| {
        n.as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("PRIVATE"))
    };
    is_private(ep)
        || ep.get("Type").is_some_and(is_private)
        || ep
            .get("Types")
            .is_some_and(|t| t.one_or_many().into_iter().any(is_private))
}

/// The functions reachable without authentication: an API route with no authorizer (API keys do not
/// authenticate) or a function URL with `AuthType: NONE`.
pub fn is_public_function(app: &App, function: &str) -> bool {
    let url_open = app
        .function(function)
        .and_then(|f| f.url.as_ref())
        .is_some_and(|u| u.auth_type.as_str() == Some("NONE"));
    url_open
        || app.apis.iter().any(|api| {
            api.routes.iter().any(|r| {
                r.function.as_deref() == Some(function)
                    && r.method != "OPTIONS"
                    && r.auth == warden_model::AuthKind::None
            })
        })
}

/// The first value under key `key` anywhere inside `node` (depth-first, document order).
pub fn find_key<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.val {
        Val::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
            .or_else(|| entries.iter().find_map(|(_, v)| find_key(v, key))),
        Val::List(items) => items.iter().find_map(|n| find_key(n, key)),
        _ => None,
    }
}

/// True when a KMS key reference is an AWS managed key alias (`alias/aws/s3`, `…:alias/aws/sns`).
pub fn is_aws_managed_key(key: &Node) -> bool {
    key.as_str()
        .is_some_and(|s| s.starts_with("alias/aws/") || s.contains(":alias/aws/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("s3:Put*", "s3:PutObject"));
        assert!(glob("*", "sns:Publish"));
        assert!(glob("SQS:*", "sqs:SendMessage"));
        assert!(!glob("s3:Get*", "s3:PutObject"));
        assert!(glob("s3:*Object", "s3:PutObject"));
    }
}
