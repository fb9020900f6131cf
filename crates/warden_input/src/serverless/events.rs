//! `functions.*.events`: triggers of each function, and the routes `http` and `httpApi` events
//! add to the APIs the framework creates (`ApiGatewayRestApi`, `HttpApi`) with their
//! authentication:
//!
//! * `http`: no `authorizer` is open; `authorizer: aws_iam` (or `type: aws_iam`) is IAM; a Cognito
//!   user pool ARN or `type: COGNITO_USER_POOLS` is Cognito; a function of the service, a Lambda
//!   ARN, `type: token|request` or an `authorizerId` is a Lambda authorizer; `private: true`
//!   requires an API key;
//! * `httpApi`: no `authorizer` is open; `type: aws_iam` is IAM; a named authorizer takes the
//!   kind declared in `provider.httpApi.authorizers` (`jwt` or `request`).
//!
//! Buckets and topics the framework creates for `s3` and `sns` events become resources.

use super::naming;
use super::service::{Service, map_node, referenced, truthy};
use std::collections::BTreeMap;
use warden_model::{
    Api, ApiKind, AuthKind, Authorizer, Key, Node, Resource, Route, Trigger, TriggerKind, Val,
};
use warden_source::Origin;

/// The APIs events create, and the resources generated for events.
#[derive(Default)]
pub struct Generated {
    pub rest: Option<Api>,
    pub http: Option<Api>,
    pub resources: Vec<Resource>,
}

/// The event's type and value: `- http: {...}` or `- http: GET /path`.
fn event_entry(item: &Node) -> Option<(&Key, &Node)> {
    match item.entries() {
        [(k, v)] => Some((k, v)),
        _ => None,
    }
}

/// Triggers of one function; routes are added to `out`.
pub fn lower(svc: &Service<'_>, key: &str, def: &Node, out: &mut Generated) -> Vec<Trigger> {
    let Some(events) = def.get("events") else {
        return Vec::new();
    };
    let mut triggers = Vec::new();
    for (i, item) in events.items().iter().enumerate() {
        let Some((ty, ev)) = event_entry(item) else {
            continue;
        };
        let name = format!("{}[{i}]", ty.name);
        let origin = ty.origin.clone();
        let (kind, source) = match ty.name.as_str() {
            "http" => {
                http_route(svc, key, ev, &origin, out);
                (TriggerKind::Api, Some(naming::REST_API.to_string()))
            }
            "httpApi" => {
                http_api_route(svc, key, ev, &origin, out);
                (TriggerKind::HttpApi, Some(naming::HTTP_API.to_string()))
            }
            "s3" => (TriggerKind::S3, s3_source(svc, ev, &origin, out)),
            "sns" => (TriggerKind::Sns, sns_source(svc, ev, &origin, out)),
            "sqs" => (TriggerKind::Sqs, arn_source(svc, ev)),
            "stream" => {
                let source = arn_source(svc, ev);
                (stream_kind(svc, ev, source.as_deref()), source)
            }
            "schedule" => (TriggerKind::Schedule, None),
            "eventBridge" | "cloudwatchEvent" => (TriggerKind::EventBridge, None),
            "cloudwatchLog" => (TriggerKind::CloudWatchLogs, None),
            "cognitoUserPool" => (TriggerKind::Cognito, None),
            "iot" => (TriggerKind::IotRule, None),
            "alexaSkill" | "alexaSmartHome" => (TriggerKind::Alexa, None),
            "msk" => (TriggerKind::Msk, None),
            "activemq" | "rabbitmq" => (TriggerKind::Mq, None),
            "kafka" => (TriggerKind::SelfManagedKafka, None),
            "websocket" => (
                TriggerKind::Other("WebSocket".into()),
                Some(naming::WEBSOCKET_API.to_string()),
            ),
            "alb" => (TriggerKind::Other("ALB".into()), None),
            other => (TriggerKind::Other(other.to_string()), None),
        };
        triggers.push(Trigger {
            name,
            kind,
            origin,
            source,
            properties: ev.clone(),
        });
    }
    triggers
}

/// The ARN of an `sqs`/`stream` event (`arn: …` or the string form).
pub fn event_arn(ev: &Node) -> Option<&Node> {
    if ev.is_map() { ev.get("arn") } else { Some(ev) }
}

fn arn_source(svc: &Service<'_>, ev: &Node) -> Option<String> {
    event_arn(ev)
        .filter(|arn| arn.as_str().is_none())
        .and_then(|arn| referenced(arn, |id| svc.types.contains_key(id)))
}

/// `stream` events: DynamoDB or Kinesis, from `type`, the ARN or the referenced resource.
pub fn stream_kind(svc: &Service<'_>, ev: &Node, source: Option<&str>) -> TriggerKind {
    let declared = ev.get("type").and_then(Node::as_str);
    let arn = event_arn(ev).map(|a| match a.as_unknown() {
        Some(u) => u.partial.clone().unwrap_or_else(|| u.expr.clone()),
        None => a.as_str().unwrap_or("").to_string(),
    });
    let by_source = source.and_then(|s| svc.type_of(s));
    match (declared, by_source) {
        (Some("dynamodb"), _) | (_, Some("AWS::DynamoDB::Table")) => TriggerKind::DynamoDb,
        (Some("kinesis"), _) | (_, Some("AWS::Kinesis::Stream")) => TriggerKind::Kinesis,
        _ => match arn.as_deref() {
            Some(a) if a.contains(":dynamodb:") => TriggerKind::DynamoDb,
            Some(a) if a.contains(":kinesis:") => TriggerKind::Kinesis,
            _ => TriggerKind::Other("stream".into()),
        },
    }
}

fn s3_source(svc: &Service<'_>, ev: &Node, origin: &Origin, out: &mut Generated) -> Option<String> {
    let bucket = if ev.is_map() { ev.get("bucket")? } else { ev };
    if let Some(id) = referenced(bucket, |id| svc.type_of(id) == Some("AWS::S3::Bucket"))
        && bucket.as_str().is_none()
    {
        return Some(id);
    }
    let name = bucket.as_str()?;
    if truthy(ev.get("existing")) {
        return None; // a bucket outside this service
    }
    let id = naming::s3_bucket(name);
    if !svc.types.contains_key(&id) && !out.resources.iter().any(|r| r.id == id) {
        out.resources.push(Resource {
            id: id.clone(),
            kind: "AWS::S3::Bucket".into(),
            origin: bucket.origin.clone(),
            properties: map_node(vec![("BucketName".into(), None, bucket.clone())], origin),
            condition: None,
        });
    }
    Some(id)
}

fn sns_source(
    svc: &Service<'_>,
    ev: &Node,
    origin: &Origin,
    out: &mut Generated,
) -> Option<String> {
    let topic = if ev.is_map() {
        ev.get("arn").or_else(|| ev.get("topicName"))?
    } else {
        ev
    };
    if topic.as_str().is_none() {
        return referenced(topic, |id| svc.type_of(id) == Some("AWS::SNS::Topic"));
    }
    let name = topic.as_str()?;
    if name.starts_with("arn:") {
        return None; // an existing topic
    }
    let id = naming::sns_topic(name);
    if !svc.types.contains_key(&id) && !out.resources.iter().any(|r| r.id == id) {
        out.resources.push(Resource {
            id: id.clone(),
            kind: "AWS::SNS::Topic".into(),
            origin: topic.origin.clone(),
            properties: map_node(vec![("TopicName".into(), None, topic.clone())], origin),
            condition: None,
        });
    }
    Some(id)
}

/// Method and path from `GET /path` or a map with `method`/`path`.
fn method_path(ev: &Node, default_path: &str) -> (String, String) {
    if let Some(s) = ev.as_str() {
        let mut words = s.split_whitespace();
        let first = words.next().unwrap_or("");
        return match words.next() {
            Some(path) => (first.to_string(), path.to_string()),
            None if first == "*" => ("*".into(), "*".into()),
            None => ("ANY".into(), first.to_string()),
        };
    }
    let method = ev.get("method").and_then(Node::as_str).unwrap_or("ANY");
    let path = ev
        .get("path")
        .and_then(Node::as_str)
        .unwrap_or(default_path);
    (method.to_string(), path.to_string())
}

fn normalize_method(m: &str) -> String {
    if m == "*" {
        "ANY".into()
    } else {
        m.to_ascii_uppercase()
    }
}

fn rest_api<'g>(svc: &Service<'_>, out: &'g mut Generated, origin: &Origin) -> &'g mut Api {
    out.rest.get_or_insert_with(|| {
        let props = svc
            .provider_at(&["apiGateway"])
            .cloned()
            .unwrap_or_else(|| Node::new(Val::Map(Vec::new()), origin.clone()));
        let access_log = svc
            .provider_at(&["logs", "restApi"])
            .filter(|n| n.as_bool() != Some(false))
            .cloned();
        Api {
            id: naming::REST_API.into(),
            kind: ApiKind::Rest,
            origin: svc
                .provider
                .entry("apiGateway")
                .map_or_else(|| origin.clone(), |(k, _)| k.origin.clone()),
            implicit: true,
            routes: Vec::new(),
            authorizers: BTreeMap::new(),
            default_authorizer: None,
            api_key_required: None,
            cors: None,
            throttling: svc.provider_at(&["apiGateway", "usagePlan"]).cloned(),
            access_log,
            endpoint: svc.provider_at(&["endpointType"]).cloned(),
            properties: props,
        }
    })
}

fn http_api<'g>(svc: &Service<'_>, out: &'g mut Generated, origin: &Origin) -> &'g mut Api {
    out.http.get_or_insert_with(|| {
        let mut authorizers = BTreeMap::new();
        if let Some(list) = svc.provider_at(&["httpApi", "authorizers"]) {
            for (name, def) in list.entries() {
                let kind = match def
                    .get("type")
                    .and_then(Node::as_str)
                    .map(str::to_ascii_lowercase)
                    .as_deref()
                {
                    Some("request") => AuthKind::Lambda,
                    Some("jwt") => AuthKind::Jwt,
                    None if def.get("issuerUrl").is_some() => AuthKind::Jwt,
                    None if def.get("functionName").is_some()
                        || def.get("functionArn").is_some() =>
                    {
                        AuthKind::Lambda
                    }
                    other => {
                        AuthKind::Unknown(format!("authorizer {} of type {other:?}", name.name))
                    }
                };
                authorizers.insert(
                    name.name.clone(),
                    Authorizer {
                        name: name.name.clone(),
                        origin: name.origin.clone(),
                        kind,
                    },
                );
            }
        }
        let props = svc
            .provider_at(&["httpApi"])
            .cloned()
            .unwrap_or_else(|| Node::new(Val::Map(Vec::new()), origin.clone()));
        Api {
            id: naming::HTTP_API.into(),
            kind: ApiKind::Http,
            origin: svc
                .provider
                .entry("httpApi")
                .map_or_else(|| origin.clone(), |(k, _)| k.origin.clone()),
            implicit: true,
            routes: Vec::new(),
            authorizers,
            default_authorizer: None,
            api_key_required: None,
            cors: svc
                .provider_at(&["httpApi", "cors"])
                .filter(|c| c.as_bool() != Some(false))
                .cloned(),
            throttling: None,
            access_log: svc
                .provider_at(&["logs", "httpApi"])
                .filter(|n| n.as_bool() != Some(false))
                .cloned(),
            endpoint: None,
            properties: props,
        }
    })
}

fn http_route(svc: &Service<'_>, key: &str, ev: &Node, origin: &Origin, out: &mut Generated) {
    let (method, path) = method_path(ev, "/");
    let path = if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    };
    let api = rest_api(svc, out, origin);
    let (auth, authorizer) = match ev.get("authorizer") {
        None => (AuthKind::None, None),
        Some(a) => {
            let (kind, name) = rest_authorizer(svc, a);
            if let Some(n) = &name
                && !matches!(kind, AuthKind::Iam)
            {
                api.authorizers
                    .entry(n.clone())
                    .or_insert_with(|| Authorizer {
                        name: n.clone(),
                        origin: a.origin.clone(),
                        kind: kind.clone(),
                    });
            }
            (kind, name)
        }
    };
    if api.cors.is_none() {
        api.cors = ev
            .get("cors")
            .filter(|c| c.as_bool() != Some(false))
            .cloned();
    }
    api.routes.push(Route {
        method: normalize_method(&method),
        path,
        origin: origin.clone(),
        function: Some(key.to_string()),
        auth,
        authorizer,
        api_key_required: truthy(ev.get("private")),
    });
}

fn is_cognito_arn(node: &Node, svc: &Service<'_>) -> bool {
    let text = match node.as_unknown() {
        Some(u) => u.partial.clone().unwrap_or_else(|| u.expr.clone()),
        None => node.as_str().unwrap_or("").to_string(),
    };
    text.contains(":cognito-idp:")
        || referenced(node, |id| svc.type_of(id) == Some("AWS::Cognito::UserPool")).is_some()
}

/// The kind and name of an `http` event's `authorizer`.
fn rest_authorizer(svc: &Service<'_>, a: &Node) -> (AuthKind, Option<String>) {
    if let Some(s) = a.as_str() {
        if s.eq_ignore_ascii_case("aws_iam") {
            return (AuthKind::Iam, Some("AWS_IAM".into()));
        }
        if s.contains(":cognito-idp:") {
            return (
                AuthKind::Cognito,
                Some(s.rsplit('/').next().unwrap_or(s).to_string()),
            );
        }
        if s.starts_with("arn:") {
            return (
                AuthKind::Lambda,
                Some(s.rsplit(':').next().unwrap_or(s).to_string()),
            );
        }
        if svc.is_function(s) {
            return (AuthKind::Lambda, Some(s.to_string()));
        }
        return (
            AuthKind::Unknown(format!(
                "authorizer `{s}` is neither a function of the service nor an ARN"
            )),
            Some(s.to_string()),
        );
    }
    if a.is_unknown() {
        let kind = if is_cognito_arn(a, svc) {
            AuthKind::Cognito
        } else {
            AuthKind::Lambda
        };
        return (kind, Some(a.to_string()));
    }
    let ty = a
        .get("type")
        .and_then(Node::as_str)
        .map(str::to_ascii_lowercase);
    let name = a
        .get("name")
        .and_then(Node::as_str)
        .map(str::to_string)
        .or_else(|| a.get("authorizerId").map(ToString::to_string))
        .or_else(|| {
            a.get("arn").map(|n| {
                n.as_str().map_or_else(
                    || n.to_string(),
                    |s| s.rsplit(['/', ':']).next().unwrap_or(s).to_string(),
                )
            })
        });
    let kind = match ty.as_deref() {
        Some("aws_iam") => return (AuthKind::Iam, Some("AWS_IAM".into())),
        Some("cognito_user_pools") => AuthKind::Cognito,
        Some("token" | "request" | "custom") => AuthKind::Lambda,
        Some(other) => AuthKind::Unknown(format!("authorizer type `{other}`")),
        None => match (a.get("arn"), a.get("name"), a.get("authorizerId")) {
            (Some(arn), _, _) if is_cognito_arn(arn, svc) => AuthKind::Cognito,
            (Some(_), _, _) | (_, _, Some(_)) => AuthKind::Lambda,
            (None, Some(n), None) if n.as_str().is_some_and(|n| svc.is_function(n)) => {
                AuthKind::Lambda
            }
            (None, Some(n), None) => AuthKind::Unknown(format!(
                "authorizer `{n}` is not a function of the service and has no `arn`"
            )),
            (None, None, None) => AuthKind::Unknown("authorizer without name, arn or type".into()),
        },
    };
    (kind, name)
}

fn http_api_route(svc: &Service<'_>, key: &str, ev: &Node, origin: &Origin, out: &mut Generated) {
    let (method, path) = method_path(ev, "*");
    let (method, path) = match (method.as_str(), path.as_str()) {
        ("*", "*") => ("ANY".to_string(), "$default".to_string()),
        (m, p) => (normalize_method(m), p.to_string()),
    };
    let api = http_api(svc, out, origin);
    let (auth, authorizer) = match ev.get("authorizer") {
        None => (AuthKind::None, None),
        Some(a) => {
            let ty = a
                .get("type")
                .and_then(Node::as_str)
                .map(str::to_ascii_lowercase);
            let name = a.as_str().or_else(|| a.get("name").and_then(Node::as_str));
            match (ty.as_deref(), name) {
                (Some("aws_iam"), _) => (AuthKind::Iam, Some("AWS_IAM".into())),
                (_, Some(n)) => match api.authorizers.get(n) {
                    Some(decl) => (decl.kind.clone(), Some(n.to_string())),
                    None => (
                        AuthKind::Unknown(format!(
                            "authorizer `{n}` is not declared in provider.httpApi.authorizers"
                        )),
                        Some(n.to_string()),
                    ),
                },
                (Some("jwt"), None) => (AuthKind::Jwt, a.get("id").map(ToString::to_string)),
                (Some("request"), None) => (AuthKind::Lambda, a.get("id").map(ToString::to_string)),
                _ => (
                    AuthKind::Unknown("authorizer given by id without its type".into()),
                    a.get("id").map(ToString::to_string),
                ),
            }
        }
    };
    api.routes.push(Route {
        method,
        path,
        origin: origin.clone(),
        function: Some(key.to_string()),
        auth,
        authorizer,
        api_key_required: false,
    });
}
