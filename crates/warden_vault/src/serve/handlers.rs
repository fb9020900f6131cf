//! The two HTTP endpoints of the AWS Parameters and Secrets Lambda Extension, answering in the
//! shapes of Secrets Manager `GetSecretValue` and SSM `GetParameter`.
//!
//! - `GET /secretsmanager/get?secretId=ID[&versionId=V][&versionStage=S]`
//! - `GET /systemsmanager/parameters/get?name=NAME[&version=N][&label=L]&withDecryption=true`,
//!   where NAME may carry a `:N` / `:label` selector, and `/aws/reference/secretsmanager/ID`
//!   reads a secret (authorised as `secretsmanager:GetSecretValue`).
//!
//! Every request, successful or not, is written to the audit log before the response is sent;
//! if the audit log cannot be written the caller gets a 500 and no value.

use super::ServeState;
use super::access::{ApiError, GET_PARAMETER, GET_SECRET_VALUE, Served, Target};
use super::audit::AuditEvent;
use crate::model::Selector;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

/// The header the extension requires.
pub const TOKEN_HEADER: &str = "x-aws-parameters-secrets-token";
const REFERENCE_PREFIX: &str = "/aws/reference/secretsmanager/";

type Params = Query<HashMap<String, String>>;

fn identify<'s>(state: &'s ServeState, headers: &HeaderMap) -> Result<&'s str, ApiError> {
    let token = headers.get(TOKEN_HEADER).ok_or(ApiError::Unauthenticated)?;
    state
        .identities
        .resolve(token.as_bytes())
        .ok_or(ApiError::Unauthenticated)
}

fn json_response(status: u16, request_id: &str, body: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-requestid", v);
    }
    response
}

/// Audits the outcome, then renders it; an audit failure replaces the response with a 500.
fn finish(
    state: &ServeState,
    request_id: &str,
    function: Option<&str>,
    action: &str,
    ssm: bool,
    result: Result<(Served, Value), ApiError>,
) -> Response {
    let now = (state.clock)();
    let (event, status, body) = match &result {
        Ok((served, _)) => (
            AuditEvent {
                request_id,
                function,
                action,
                resource: Some(&served.resource),
                version_id: Some(&served.secret.version_id),
                outcome: "allow",
                status: 200,
                cache_hit: served.cache_hit,
            },
            200,
            None,
        ),
        Err(err) => {
            let (kind, message) = err.body(ssm);
            (
                AuditEvent {
                    request_id,
                    function,
                    action,
                    resource: err.resource(),
                    version_id: None,
                    outcome: err.outcome(),
                    status: err.status(),
                    cache_hit: false,
                },
                err.status(),
                Some(json!({"__type": kind, "message": message})),
            )
        }
    };
    if let Err(e) = state.audit.record(now, &event) {
        eprintln!("warden secrets serve: audit log failure, refusing to answer: {e}");
        let (kind, message) = ApiError::Internal.body(ssm);
        return json_response(
            500,
            request_id,
            &json!({"__type": kind, "message": message}),
        );
    }
    match (result, body) {
        (Ok((_, value)), _) => json_response(status, request_id, &value),
        (Err(_), Some(error)) => json_response(status, request_id, &error),
        (Err(_), None) => json_response(500, request_id, &Value::Null),
    }
}

fn epoch_seconds(ms: u64) -> Value {
    // Millisecond precision as a float, the AWS JSON protocol's timestamp form.
    json!(ms as f64 / 1000.0)
}

fn secret_body(state: &ServeState, served: &Served) -> Value {
    let s = &served.secret;
    let mut body = serde_json::Map::new();
    body.insert(
        "ARN".into(),
        json!(state.secret_arn(&s.name, &s.arn_suffix)),
    );
    body.insert("CreatedDate".into(), epoch_seconds(s.created_ms));
    body.insert("Name".into(), json!(s.name));
    match std::str::from_utf8(&s.value) {
        Ok(text) => body.insert("SecretString".into(), json!(text)),
        Err(_) => body.insert(
            "SecretBinary".into(),
            json!(base64::engine::general_purpose::STANDARD.encode(s.value.as_slice())),
        ),
    };
    body.insert("VersionId".into(), json!(s.version_id));
    body.insert("VersionStages".into(), json!(s.stages));
    body.insert("ResultMetadata".into(), json!({}));
    Value::Object(body)
}

fn secret_selector(q: &HashMap<String, String>) -> Selector {
    match (q.get("versionId"), q.get("versionStage")) {
        (Some(id), Some(stage)) => Selector::IdAndStage(id.clone(), stage.clone()),
        (Some(id), None) => Selector::Id(id.clone()),
        (None, Some(stage)) => Selector::Stage(stage.clone()),
        (None, None) => Selector::Current,
    }
}

/// `GET /secretsmanager/get`.
pub async fn get_secret(
    State(state): State<Arc<ServeState>>,
    headers: HeaderMap,
    Query(q): Params,
) -> Response {
    let request_id = crate::random::uuid_v4().unwrap_or_default();
    let function = identify(&state, &headers);
    let result = function
        .as_ref()
        .map_err(|_| ApiError::Unauthenticated)
        .and_then(|&function| {
            let id = q
                .get("secretId")
                .filter(|s| !s.is_empty())
                .ok_or_else(|| ApiError::BadRequest("secretId is required".into()))?;
            let served =
                state.fetch(function, GET_SECRET_VALUE, id, &secret_selector(&q), |s| {
                    s.resolve_secret_id(id)
                })?;
            let body = secret_body(&state, &served);
            Ok((served, body))
        });
    finish(
        &state,
        &request_id,
        function.ok(),
        GET_SECRET_VALUE,
        false,
        result,
    )
}

/// Splits `name:selector` into the name and an SSM selector.
fn parameter_selector(
    name: &str,
    q: &HashMap<String, String>,
) -> Result<(String, Selector, Value), ApiError> {
    let (base, inline) = match name.rsplit_once(':') {
        Some((b, s)) if !name.starts_with("arn:") || b.contains("parameter/") => (b, Some(s)),
        _ => (name, None),
    };
    let choice = match (inline, q.get("version"), q.get("label")) {
        (Some(s), None, None) => Some(s.to_owned()),
        (None, Some(v), None) => Some(v.clone()),
        (None, None, Some(l)) => Some(l.clone()),
        (None, None, None) => None,
        _ => {
            return Err(ApiError::BadRequest(
                "give at most one of a :selector, version and label".into(),
            ));
        }
    };
    Ok(match choice {
        None => (base.to_owned(), Selector::Current, Value::Null),
        Some(c) => {
            let selector = match c.parse::<u32>() {
                Ok(n) => Selector::Number(n),
                Err(_) => Selector::Stage(c.clone()),
            };
            (base.to_owned(), selector, json!(format!(":{c}")))
        }
    })
}

/// `GET /systemsmanager/parameters/get`.
pub async fn get_parameter(
    State(state): State<Arc<ServeState>>,
    headers: HeaderMap,
    Query(q): Params,
) -> Response {
    let request_id = crate::random::uuid_v4().unwrap_or_default();
    let function = identify(&state, &headers);
    let requested = q.get("name").cloned().unwrap_or_default();
    let action = if requested.starts_with(REFERENCE_PREFIX) {
        GET_SECRET_VALUE
    } else {
        GET_PARAMETER
    };
    let result = function
        .as_ref()
        .map_err(|_| ApiError::Unauthenticated)
        .and_then(|&function| {
            if requested.is_empty() {
                return Err(ApiError::BadRequest("name is required".into()));
            }
            if q.get("withDecryption").map(String::as_str) != Some("true") {
                return Err(ApiError::BadRequest(
                    "parameters are SecureString: pass withDecryption=true".into(),
                ));
            }
            let (name, selector, selector_json) = parameter_selector(&requested, &q)?;
            let served = match name.strip_prefix(REFERENCE_PREFIX) {
                Some(secret_id) => {
                    state.fetch(function, GET_SECRET_VALUE, secret_id, &selector, |s| {
                        s.resolve_secret_id(secret_id)
                    })?
                }
                None => state.fetch(function, GET_PARAMETER, &name, &selector, |s| {
                    resolve_parameter(s, &name)
                })?,
            };
            let s = &served.secret;
            let value = std::str::from_utf8(&s.value).map_err(|_| {
                ApiError::BadRequest(format!("{name} holds binary data, not a string parameter"))
            })?;
            let shown = if name.starts_with(REFERENCE_PREFIX) {
                name.clone()
            } else {
                s.name.clone()
            };
            let body = json!({
                "Parameter": {
                    "ARN": state.parameter_arn(&shown),
                    "DataType": "text",
                    "LastModifiedDate": epoch_seconds(s.created_ms),
                    "Name": shown,
                    "Selector": selector_json,
                    "SourceResult": Value::Null,
                    "Type": "SecureString",
                    "Value": value,
                    "Version": s.number,
                },
                "ResultMetadata": {}
            });
            Ok((served, body))
        });
    finish(&state, &request_id, function.ok(), action, true, result)
}

/// Resolves a parameter name or ARN to a vault secret of the same name.
fn resolve_parameter(state: &ServeState, name: &str) -> Result<Target, ApiError> {
    let prefix = format!("arn:aws:ssm:{}:{}:parameter", state.region, state.account);
    let candidates: Vec<String> = match name.strip_prefix(&prefix) {
        Some(rest) if rest.starts_with('/') => vec![rest.to_owned(), rest[1..].to_owned()],
        Some(_) => {
            return Ok(Target {
                meta: None,
                resource: name.to_owned(),
            });
        }
        None if name.starts_with("arn:") => {
            return Ok(Target {
                meta: None,
                resource: name.to_owned(),
            });
        }
        None => vec![name.to_owned()],
    };
    for candidate in &candidates {
        if let Some(meta) = state.lookup(candidate)? {
            let resource = state.parameter_arn(&meta.name);
            return Ok(Target {
                meta: Some(meta),
                resource,
            });
        }
    }
    Ok(Target {
        meta: None,
        resource: state.parameter_arn(&candidates[0]),
    })
}
