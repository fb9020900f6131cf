//! The Lambda Invoke API (`POST /2015-03-31/functions/NAME/invocations`, as served by the Lambda
//! Runtime Interface Emulator and `sam local start-lambda`) with API Gateway proxy events: payload
//! format 1.0 (REST APIs) and 2.0 (HTTP APIs), and the mapping of the function's answer back to
//! an HTTP response.

use super::{CallCtx, GwResponse};
use crate::config::EventVersion;
use crate::error::{Reason, Rejection};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use bytes::Bytes;
use http::{HeaderName, HeaderValue, StatusCode};
use http_body_util::Full;
use serde_json::{Map, Value, json};

fn is_text(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else { return true };
    let ct = ct.to_ascii_lowercase();
    ct.starts_with("text/")
        || ct.contains("json")
        || ct.contains("xml")
        || ct.contains("javascript")
        || ct.starts_with("application/x-www-form-urlencoded")
}

fn body_field(parts: &http::request::Parts, body: &Bytes) -> (Value, bool) {
    if body.is_empty() {
        return (Value::Null, false);
    }
    let ct = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    match std::str::from_utf8(body) {
        Ok(s) if is_text(ct) => (Value::String(s.to_string()), false),
        _ => (Value::String(B64.encode(body)), true),
    }
}

fn query_pairs(q: Option<&str>) -> Vec<(String, String)> {
    crate::waf::extract::form_pairs(q.unwrap_or("")).collect()
}

fn params_obj(params: &[(String, String)]) -> Value {
    if params.is_empty() {
        return Value::Null;
    }
    Value::Object(
        params
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

fn host(parts: &http::request::Parts) -> &str {
    parts
        .headers
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| parts.uri.host())
        .unwrap_or("localhost")
}

/// `requestTime` of payload 1.0: `21/Nov/2026:19:10:41 +0000`.
fn clf_time(ms: u64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = ms / 1000;
    let (y, m, d) = crate::time::civil_from_days((secs / 86_400) as i64);
    let t = secs % 86_400;
    let month = MONTHS[(m as usize).clamp(1, 12) - 1];
    format!(
        "{d:02}/{month}/{y}:{:02}:{:02}:{:02} +0000",
        t / 3600,
        (t / 60) % 60,
        t % 60
    )
}

/// Builds a payload format 1.0 event (REST API).
pub fn event_v1(parts: &http::request::Parts, body: &Bytes, ctx: &CallCtx<'_>) -> Value {
    let mut headers = Map::new();
    let mut multi: Map<String, Value> = Map::new();
    for (k, v) in &parts.headers {
        let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
        headers.insert(k.as_str().to_string(), Value::String(v.clone()));
        if let Value::Array(a) = multi
            .entry(k.as_str().to_string())
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            a.push(Value::String(v));
        }
    }
    let pairs = query_pairs(parts.uri.query());
    let (qs, mqs) = if pairs.is_empty() {
        (Value::Null, Value::Null)
    } else {
        let mut single = Map::new();
        let mut many: Map<String, Value> = Map::new();
        for (k, v) in pairs {
            single.insert(k.clone(), Value::String(v.clone()));
            if let Value::Array(a) = many.entry(k).or_insert_with(|| Value::Array(Vec::new())) {
                a.push(Value::String(v));
            }
        }
        (Value::Object(single), Value::Object(many))
    };
    let (body_v, b64) = body_field(parts, body);
    let mut authorizer = Value::Null;
    if let Some(p) = ctx.principal {
        let mut a = Map::new();
        if !p.claims.is_empty() {
            a.insert("claims".into(), Value::Object((*p.claims).clone()));
        }
        if let Some(k) = &p.api_key {
            a.insert("apiKeyId".into(), Value::String(k.clone()));
        }
        a.insert("principalId".into(), Value::String(p.id.clone()));
        authorizer = Value::Object(a);
    }
    let now = crate::time::unix_millis();
    json!({
        "resource": ctx.route_path,
        "path": parts.uri.path(),
        "httpMethod": parts.method.as_str(),
        "headers": headers,
        "multiValueHeaders": multi,
        "queryStringParameters": qs,
        "multiValueQueryStringParameters": mqs,
        "pathParameters": params_obj(ctx.params),
        "stageVariables": null,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "warden",
            "resourceId": "warden",
            "resourcePath": ctx.route_path,
            "httpMethod": parts.method.as_str(),
            "path": parts.uri.path(),
            "stage": "$default",
            "domainName": host(parts),
            "requestId": ctx.meta.id,
            "extendedRequestId": ctx.meta.id,
            "requestTime": clf_time(now),
            "requestTimeEpoch": now,
            "protocol": format!("{:?}", parts.version),
            "identity": {
                "sourceIp": ctx.meta.client_ip.to_string(),
                "userAgent": parts.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()),
                "apiKeyId": ctx.principal.and_then(|p| p.api_key.clone()),
            },
            "authorizer": authorizer,
        },
        "body": body_v,
        "isBase64Encoded": b64,
    })
}

/// Builds a payload format 2.0 event (HTTP API).
pub fn event_v2(parts: &http::request::Parts, body: &Bytes, ctx: &CallCtx<'_>) -> Value {
    let mut headers: Map<String, Value> = Map::new();
    let mut cookies = Vec::new();
    for (k, v) in &parts.headers {
        let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
        if k == http::header::COOKIE {
            cookies.extend(v.split(';').map(|c| Value::String(c.trim().to_string())));
            continue;
        }
        match headers.get_mut(k.as_str()) {
            Some(Value::String(prev)) => {
                prev.push(',');
                prev.push_str(&v);
            }
            _ => {
                headers.insert(k.as_str().to_string(), Value::String(v));
            }
        }
    }
    let mut qs: Map<String, Value> = Map::new();
    for (k, v) in query_pairs(parts.uri.query()) {
        match qs.get_mut(&k) {
            Some(Value::String(prev)) => {
                prev.push(',');
                prev.push_str(&v);
            }
            _ => {
                qs.insert(k, Value::String(v));
            }
        }
    }
    let (body_v, b64) = body_field(parts, body);
    let route_key = ctx.route_key.to_string();
    let now = crate::time::unix_millis();
    let mut rc = json!({
        "accountId": "anonymous",
        "apiId": "warden",
        "domainName": host(parts),
        "domainPrefix": "warden",
        "http": {
            "method": parts.method.as_str(),
            "path": parts.uri.path(),
            "protocol": format!("{:?}", parts.version),
            "sourceIp": ctx.meta.client_ip.to_string(),
            "userAgent": parts.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or(""),
        },
        "requestId": ctx.meta.id,
        "routeKey": route_key,
        "stage": "$default",
        "time": crate::time::rfc3339_millis(now),
        "timeEpoch": now,
    });
    if let (Some(p), Value::Object(o)) = (ctx.principal, &mut rc) {
        let auth = if p.claims.is_empty() {
            json!({"lambda": {"principalId": p.id, "apiKeyId": p.api_key}})
        } else {
            json!({"jwt": {"claims": *p.claims, "scopes": p.scopes}})
        };
        o.insert("authorizer".into(), auth);
    }
    let mut ev = json!({
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": parts.uri.path(),
        "rawQueryString": parts.uri.query().unwrap_or(""),
        "headers": headers,
        "requestContext": rc,
        "isBase64Encoded": b64,
    });
    if let Value::Object(o) = &mut ev {
        if !cookies.is_empty() {
            o.insert("cookies".into(), Value::Array(cookies));
        }
        if !qs.is_empty() {
            o.insert("queryStringParameters".into(), Value::Object(qs));
        }
        if !ctx.params.is_empty() {
            o.insert("pathParameters".into(), params_obj(ctx.params));
        }
        if !body_v.is_null() {
            o.insert("body".into(), body_v);
        }
    }
    ev
}

fn bad(m: &str) -> Rejection {
    Rejection::upstream(Reason::UpstreamFailed(m.to_string()))
}

/// Maps a function result to an HTTP response.
pub fn map_response(version: EventVersion, result: &[u8]) -> Result<GwResponse, Rejection> {
    let v: Value = serde_json::from_slice(result).map_err(|_| bad("function returned non-JSON"))?;
    let structured = v.as_object().filter(|o| o.contains_key("statusCode"));
    let Some(o) = structured else {
        if version == EventVersion::V1 {
            return Err(bad("function result lacks statusCode"));
        }
        // Payload 2.0: any other JSON is a 200 with that JSON as the body.
        let mut r = http::Response::new(Full::new(Bytes::from(v.to_string())));
        r.headers_mut().insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        return Ok(r);
    };
    let status = o
        .get("statusCode")
        .and_then(|s| {
            s.as_u64()
                .or_else(|| s.as_str().and_then(|s| s.parse().ok()))
        })
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
        .ok_or_else(|| bad("function returned a bad statusCode"))?;
    let body = match o.get("body") {
        None | Some(Value::Null) => Bytes::new(),
        Some(Value::String(s)) => {
            if o.get("isBase64Encoded").and_then(Value::as_bool) == Some(true) {
                Bytes::from(
                    B64.decode(s)
                        .map_err(|_| bad("function returned bad base64"))?,
                )
            } else {
                Bytes::from(s.clone())
            }
        }
        Some(other) => Bytes::from(other.to_string()),
    };
    let mut resp = http::Response::new(Full::new(body));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    let mut put = |k: &str, v: &Value, append: bool| {
        let s = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return,
        };
        if let (Ok(n), Ok(val)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(&s),
        ) {
            if append {
                h.append(n, val);
            } else {
                h.insert(n, val);
            }
        }
    };
    if let Some(Value::Object(m)) = o.get("headers") {
        for (k, v) in m {
            put(k, v, false);
        }
    }
    if let Some(Value::Object(m)) = o.get("multiValueHeaders") {
        for (k, vs) in m {
            if let Value::Array(vs) = vs {
                for v in vs {
                    put(k, v, true);
                }
            }
        }
    }
    if let Some(Value::Array(cs)) = o.get("cookies") {
        for c in cs {
            put("set-cookie", c, true);
        }
    }
    super::http_proxy::strip_hop_by_hop(h);
    h.remove(http::header::CONTENT_LENGTH);
    Ok(resp)
}

pub async fn invoke(
    url: &str,
    version: EventVersion,
    parts: &http::request::Parts,
    body: Bytes,
    ctx: &CallCtx<'_>,
) -> Result<GwResponse, Rejection> {
    let event = match version {
        EventVersion::V1 => event_v1(parts, &body, ctx),
        EventVersion::V2 => event_v2(parts, &body, ctx),
    };
    let req = http::Request::post(url)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header("x-amz-invocation-type", "RequestResponse")
        .body(Full::new(Bytes::from(event.to_string())))
        .map_err(|e| Rejection::gateway("upstream", Reason::Internal(e.to_string())))?;
    let started = std::time::Instant::now();
    let res = super::client::fetch(ctx.client, req, ctx.timeout, ctx.max_response).await;
    ctx.meta
        .set_upstream_us(started.elapsed().as_micros() as u64);
    let (rparts, rbody) = res.map_err(|e| match e {
        super::client::FetchError::Timeout => Rejection::upstream(Reason::UpstreamTimeout),
        other => Rejection::upstream(Reason::UpstreamFailed(other.to_string())),
    })?;
    if !rparts.status.is_success() {
        return Err(bad(&format!("invoke API answered {}", rparts.status)));
    }
    if rparts.headers.contains_key("x-amz-function-error") {
        return Err(bad("function error"));
    }
    map_response(version, &rbody)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_time_is_common_log_format() {
        assert_eq!(clf_time(1_428_582_896_000), "09/Apr/2015:12:34:56 +0000");
    }

    #[test]
    fn maps_structured_and_bare_results() {
        let r = map_response(
            EventVersion::V2,
            br#"{"statusCode":201,"headers":{"x-a":"1"},"cookies":["a=b"],"body":"aGk=","isBase64Encoded":true}"#,
        )
        .unwrap();
        assert_eq!(r.status(), 201);
        assert_eq!(r.headers()["x-a"], "1");
        assert_eq!(r.headers()["set-cookie"], "a=b");
        let r = map_response(EventVersion::V2, br#"{"ok":true}"#).unwrap();
        assert_eq!(r.status(), 200);
        assert!(map_response(EventVersion::V1, br#"{"ok":true}"#).is_err());
        assert!(map_response(EventVersion::V1, br#"{"statusCode":99}"#).is_err());
        assert!(map_response(EventVersion::V1, b"nope").is_err());
    }
}
