//! Sources: which fields of a handler's event are attacker-controlled, decided by the function's
//! triggers in the model, and how exposed the function is (public route, authenticated route,
//! internal queue or stream). Also the request objects of web frameworks.

use crate::value::TaintSpec;
use warden_model::{App, AuthKind, Function, FunctionKind, TriggerKind};

/// How reachable a function's event data is to an attacker; findings' severity follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exposure {
    /// Only schedules or nothing external: the event carries no attacker data.
    None,
    /// Internal queues, streams, buckets, topics, or an unknown invoker.
    Internal,
    /// An HTTP route behind an authorizer or IAM.
    Authenticated,
    /// An HTTP route or function URL anyone can call.
    Public,
}

impl Exposure {
    pub fn as_str(self) -> &'static str {
        match self {
            Exposure::None => "no external input",
            Exposure::Internal => "internal event source",
            Exposure::Authenticated => "authenticated route",
            Exposure::Public => "public unauthenticated route",
        }
    }
}

type Patterns = Vec<(Vec<&'static str>, &'static str)>;

const HTTP_BODY: &str = "HTTP request body";
const HTTP_QUERY: &str = "HTTP query string";
const HTTP_PATH: &str = "HTTP path parameters";
const HTTP_HEADERS: &str = "HTTP headers";

fn api_gateway() -> Patterns {
    vec![
        (vec!["body"], HTTP_BODY),
        (vec!["queryStringParameters"], HTTP_QUERY),
        (vec!["multiValueQueryStringParameters"], HTTP_QUERY),
        (vec!["rawQueryString"], HTTP_QUERY),
        (vec!["pathParameters"], HTTP_PATH),
        (vec!["path"], "HTTP request path"),
        (vec!["rawPath"], "HTTP request path"),
        (vec!["headers"], HTTP_HEADERS),
        (vec!["multiValueHeaders"], HTTP_HEADERS),
        (vec!["cookies"], "HTTP cookies"),
        (vec!["requestContext", "http", "path"], "HTTP request path"),
        (
            vec!["requestContext", "identity", "userAgent"],
            HTTP_HEADERS,
        ),
    ]
}

/// Express, Azure and GCP (Node) request objects, and Flask/Chalice/Azure Python requests.
pub fn framework_request() -> TaintSpec {
    let mut p: Patterns = vec![
        (vec!["body"], HTTP_BODY),
        (vec!["rawBody"], HTTP_BODY),
        (vec!["query"], HTTP_QUERY),
        (vec!["params"], "HTTP route parameters"),
        (vec!["headers"], HTTP_HEADERS),
        (vec!["cookies"], "HTTP cookies"),
        (vec!["url"], "HTTP request URL"),
        (vec!["originalUrl"], "HTTP request URL"),
        (vec!["path"], "HTTP request path"),
        (vec!["get"], HTTP_HEADERS),
        (vec!["header"], HTTP_HEADERS),
        (vec!["json"], HTTP_BODY),
        (vec!["text"], HTTP_BODY),
        (vec!["formData"], HTTP_BODY),
        // Flask / Werkzeug
        (vec!["args"], HTTP_QUERY),
        (vec!["form"], HTTP_BODY),
        (vec!["data"], HTTP_BODY),
        (vec!["values"], HTTP_BODY),
        (vec!["files"], "uploaded files"),
        (vec!["get_json"], HTTP_BODY),
        (vec!["get_data"], HTTP_BODY),
        (vec!["view_args"], "HTTP route parameters"),
        // Azure Functions (Python)
        (vec!["route_params"], "HTTP route parameters"),
        (vec!["get_body"], HTTP_BODY),
        // Chalice `app.current_request`
        (vec!["json_body"], HTTP_BODY),
        (vec!["raw_body"], HTTP_BODY),
        (vec!["query_params"], HTTP_QUERY),
        (vec!["uri_params"], "HTTP route parameters"),
        // Powertools for AWS Lambda (`app.current_event`)
        (vec!["json_body"], HTTP_BODY),
        (vec!["decoded_body"], HTTP_BODY),
        (vec!["query_string_parameters"], HTTP_QUERY),
        (vec!["multi_value_query_string_parameters"], HTTP_QUERY),
        (vec!["get_query_string_value"], HTTP_QUERY),
        (vec!["path_parameters"], "HTTP path parameters"),
        (vec!["get_header_value"], HTTP_HEADERS),
        // Starlette / FastAPI
        (vec!["path_params"], "HTTP route parameters"),
        (vec!["query_params"], HTTP_QUERY),
    ];
    p.dedup();
    TaintSpec { patterns: p }
}

/// True when the trigger kind carries data from outside the account owner's control.
fn trigger_patterns(kind: &TriggerKind) -> Patterns {
    match kind {
        TriggerKind::Api | TriggerKind::HttpApi | TriggerKind::Http => api_gateway(),
        TriggerKind::S3 => vec![(vec!["Records", "*", "s3", "object", "key"], "S3 object key")],
        TriggerKind::Sqs => vec![
            (vec!["Records", "*", "body"], "SQS message body"),
            (
                vec!["Records", "*", "messageAttributes"],
                "SQS message attributes",
            ),
        ],
        TriggerKind::Sns => vec![
            (vec!["Records", "*", "Sns", "Message"], "SNS message"),
            (
                vec!["Records", "*", "Sns", "Subject"],
                "SNS message subject",
            ),
            (
                vec!["Records", "*", "Sns", "MessageAttributes"],
                "SNS message attributes",
            ),
        ],
        TriggerKind::DynamoDb => vec![(vec!["Records", "*", "dynamodb"], "DynamoDB stream record")],
        TriggerKind::Kinesis => vec![(
            vec!["Records", "*", "kinesis", "data"],
            "Kinesis record data",
        )],
        TriggerKind::Msk | TriggerKind::SelfManagedKafka => {
            vec![(vec!["records"], "Kafka record")]
        }
        TriggerKind::Mq => vec![(vec!["messages"], "MQ message")],
        TriggerKind::DocumentDb => vec![(vec!["events"], "DocumentDB change event")],
        TriggerKind::EventBridge => vec![(vec!["detail"], "EventBridge event detail")],
        TriggerKind::CloudWatchLogs => vec![(vec!["awslogs", "data"], "CloudWatch Logs data")],
        TriggerKind::Cognito => vec![(vec!["request"], "Cognito user attributes")],
        TriggerKind::IotRule => vec![(vec![], "IoT message")],
        TriggerKind::Alexa => vec![(vec!["request"], "Alexa request")],
        TriggerKind::Schedule => Vec::new(),
        TriggerKind::Other(_) => vec![(vec![], "event")],
    }
}

/// The tainted fields of a function's event, and its exposure.
pub fn event_sources(app: &App, f: &Function) -> (TaintSpec, Exposure) {
    let mut patterns: Patterns = Vec::new();
    let mut exposure = Exposure::None;
    let mut http = false;
    for t in &f.triggers {
        let p = trigger_patterns(&t.kind);
        if t.kind.is_http() {
            http = true;
        } else if !p.is_empty() {
            exposure = exposure.max(Exposure::Internal);
        }
        patterns.extend(p);
    }
    if f.url.is_some() {
        http = true;
        patterns.extend(api_gateway());
    }
    let routes: Vec<&warden_model::Route> = app
        .apis
        .iter()
        .flat_map(|a| &a.routes)
        .filter(|r| r.function.as_deref() == Some(f.id.as_str()))
        .collect();
    if !routes.is_empty() && !http {
        http = true;
        patterns.extend(api_gateway());
    }
    if http {
        let url_open = f
            .url
            .as_ref()
            .is_some_and(|u| u.auth_type.as_str() == Some("NONE"));
        let open_route = routes
            .iter()
            .any(|r| r.method != "OPTIONS" && r.auth == AuthKind::None);
        let level = if url_open || open_route || (routes.is_empty() && f.url.is_none()) {
            Exposure::Public
        } else {
            Exposure::Authenticated
        };
        exposure = exposure.max(level);
    }
    // A function with no trigger in the model (a custom resource, a step of a state machine, an
    // authorizer the model does not link) has no source we can see: nothing is reported as
    // attacker-controlled rather than guessing.
    if matches!(
        f.kind,
        FunctionKind::AzureFunction | FunctionKind::GcpFunction
    ) && http
    {
        patterns.extend(framework_request().patterns);
    }
    patterns.dedup();
    (TaintSpec { patterns }, exposure)
}

/// The tainted fields for a set of trigger kinds (what [`event_sources`] uses per trigger).
pub fn spec_for_triggers(kinds: &[TriggerKind]) -> TaintSpec {
    let mut patterns: Patterns = kinds.iter().flat_map(trigger_patterns).collect();
    patterns.dedup();
    TaintSpec { patterns }
}
