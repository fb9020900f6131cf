//! Request validation: content types, JSON depth and size, and JSON Schemas for the body, query
//! and path parameters and headers. Remote `$ref` resolution is disabled: every external
//! reference fails.

use crate::config::SchemaConfig;
use crate::error::{Reason, Rejection};
use jsonschema::Validator;
use serde_json::{Map, Value};

struct NoRemote;

impl jsonschema::Retrieve for NoRemote {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        Err(format!("remote $ref `{uri}` is disabled").into())
    }
}

/// The compiled validation of one route.
pub struct RouteSchema {
    body: Option<Validator>,
    query: Option<Validator>,
    path: Option<Validator>,
    headers: Option<Validator>,
    content_types: Vec<String>,
    max_depth: usize,
}

impl std::fmt::Debug for RouteSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RouteSchema")
            .field("content_types", &self.content_types)
            .finish()
    }
}

fn compile(v: &Option<Value>, what: &str) -> Result<Option<Validator>, String> {
    v.as_ref()
        .map(|s| {
            jsonschema::options()
                .with_retriever(NoRemote)
                .build(s)
                .map_err(|e| format!("{what} schema: {e}"))
        })
        .transpose()
}

/// Header names are matched case-insensitively: the names a headers schema lists in its
/// top-level `properties` and `required` are lower-cased, as the request's names are.
fn lower_header_names(schema: &Value) -> Value {
    let mut s = schema.clone();
    if let Some(Value::Object(props)) = s.get_mut("properties") {
        let lowered: Map<String, Value> = std::mem::take(props)
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        *props = lowered;
    }
    if let Some(Value::Array(names)) = s.get_mut("required") {
        for n in names.iter_mut() {
            if let Value::String(name) = n {
                *name = name.to_ascii_lowercase();
            }
        }
    }
    s
}

/// Nesting depth of a JSON text, counted without parsing (strings are skipped).
pub fn json_depth(b: &[u8]) -> usize {
    let (mut depth, mut max, mut in_str, mut esc) = (0usize, 0usize, false, false);
    for &c in b {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_str = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

fn first_error(v: &Validator, instance: &Value, what: &str) -> Result<(), Rejection> {
    match v.iter_errors(instance).next() {
        None => Ok(()),
        Some(e) => {
            let at = e.instance_path().to_string();
            let at = if at.is_empty() { "/".to_string() } else { at };
            Err(Rejection::client(
                "schema",
                Reason::SchemaInvalid(format!("{what} failed validation at {at}: {}", e.masked())),
            ))
        }
    }
}

impl RouteSchema {
    pub fn compile(cfg: &SchemaConfig) -> Result<Self, String> {
        Ok(Self {
            body: compile(&cfg.body, "body")?,
            query: compile(&cfg.query, "query")?,
            path: compile(&cfg.path, "path")?,
            headers: compile(&cfg.headers.as_ref().map(lower_header_names), "headers")?,
            content_types: cfg
                .content_types
                .iter()
                .map(|c| c.to_ascii_lowercase())
                .collect(),
            max_depth: cfg.max_json_depth,
        })
    }

    /// True when the route validates headers (callers then pass them to [`Self::check`]).
    pub fn wants_headers(&self) -> bool {
        self.headers.is_some()
    }

    /// Validates one request. `headers` are (name, value) pairs; they are only read when the
    /// route has a headers schema.
    pub fn check<'h>(
        &self,
        content_type: Option<&str>,
        query: Option<&str>,
        params: &[(String, String)],
        headers: impl IntoIterator<Item = (&'h str, &'h [u8])>,
        body: &[u8],
    ) -> Result<(), Rejection> {
        let mime = content_type
            .and_then(|c| c.split(';').next())
            .map(|c| c.trim().to_ascii_lowercase())
            .unwrap_or_default();
        if !body.is_empty() && !self.content_types.is_empty() && !self.content_types.contains(&mime)
        {
            return Err(Rejection::client("schema", Reason::UnsupportedMediaType));
        }
        if let Some(v) = &self.path {
            let obj: Map<String, Value> = params
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            first_error(v, &Value::Object(obj), "path parameters")?;
        }
        if let Some(v) = &self.headers {
            let mut obj = Map::new();
            for (name, value) in headers {
                obj.entry(name.to_ascii_lowercase())
                    .or_insert_with(|| Value::String(String::from_utf8_lossy(value).into_owned()));
            }
            first_error(v, &Value::Object(obj), "headers")?;
        }
        if let Some(v) = &self.query {
            let mut obj = Map::new();
            for (k, val) in crate::waf::extract::form_pairs(query.unwrap_or("")) {
                obj.entry(k).or_insert(Value::String(val));
            }
            first_error(v, &Value::Object(obj), "query")?;
        }
        if let Some(v) = &self.body {
            if json_depth(body) > self.max_depth {
                return Err(Rejection::client(
                    "schema",
                    Reason::BadRequest("JSON too deep"),
                ));
            }
            let doc: Value = serde_json::from_slice(body).map_err(|_| {
                Rejection::client(
                    "schema",
                    Reason::SchemaInvalid("body is not valid JSON".into()),
                )
            })?;
            first_error(v, &doc, "body")?;
        } else if mime == "application/json" && json_depth(body) > self.max_depth {
            return Err(Rejection::client(
                "schema",
                Reason::BadRequest("JSON too deep"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NONE: [(&str, &[u8]); 0] = [];

    fn schema() -> RouteSchema {
        RouteSchema::compile(&SchemaConfig {
            body: Some(json!({"type": "object", "required": ["qty"],
                "properties": {"qty": {"type": "integer", "minimum": 1}}, "additionalProperties": false})),
            query: Some(json!({"type": "object", "properties": {"page": {"pattern": "^[0-9]+$"}}})),
            path: Some(json!({"type": "object", "properties": {"id": {"pattern": "^[a-z0-9-]{1,36}$"}}})),
            headers: None,
            content_types: vec!["application/json".into()],
            max_json_depth: 4,
        })
        .unwrap()
    }

    #[test]
    fn validates_all_parts() {
        let s = schema();
        let ok = s.check(
            Some("application/json"),
            Some("page=2"),
            &[("id".into(), "a-1".into())],
            NONE,
            br#"{"qty": 2}"#,
        );
        assert!(ok.is_ok());
        let bad = s
            .check(Some("application/json"), None, &[], NONE, br#"{"qty": 0}"#)
            .unwrap_err();
        assert_eq!(bad.status(), 422);
        let bad = s
            .check(Some("text/plain"), None, &[], NONE, b"x")
            .unwrap_err();
        assert_eq!(bad.status(), 415);
        let bad = s
            .check(
                Some("application/json"),
                Some("page=x"),
                &[],
                NONE,
                br#"{"qty": 1}"#,
            )
            .unwrap_err();
        assert_eq!(bad.status(), 422);
        let bad = s
            .check(None, None, &[("id".into(), "../x".into())], NONE, b"")
            .unwrap_err();
        assert_eq!(bad.status(), 422);
        let deep = s
            .check(
                Some("application/json"),
                None,
                &[],
                NONE,
                br#"{"qty":[[[[[1]]]]]}"#,
            )
            .unwrap_err();
        assert_eq!(deep.status(), 400);
        let notjson = s
            .check(Some("application/json"), None, &[], NONE, b"{")
            .unwrap_err();
        assert!(notjson.status().is_client_error());
    }

    #[test]
    fn remote_refs_are_refused() {
        let cfg = SchemaConfig {
            body: Some(json!({"$ref": "https://example.com/schema.json"})),
            ..Default::default()
        };
        assert!(RouteSchema::compile(&cfg).is_err());
    }

    #[test]
    fn depth_counter_skips_strings() {
        assert_eq!(json_depth(br#"{"a":"[[[[","b":[1]}"#), 2);
        assert_eq!(json_depth(br#""\"[""#), 0);
    }
}

#[cfg(test)]
mod header_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn headers_are_matched_case_insensitively() {
        let s = RouteSchema::compile(&SchemaConfig {
            headers: Some(json!({"type": "object", "required": ["X-Tenant"],
                "properties": {"X-Tenant": {"pattern": "^[a-z]+$"}}})),
            ..Default::default()
        })
        .unwrap();
        assert!(s.wants_headers());
        let ok = s.check(None, None, &[], [("X-TENANT", &b"acme"[..])], b"");
        assert!(ok.is_ok());
        let missing = s
            .check(None, None, &[], [("x-other", &b"acme"[..])], b"")
            .unwrap_err();
        assert_eq!(missing.status(), 422);
        let bad = s
            .check(None, None, &[], [("x-tenant", &b"../x"[..])], b"")
            .unwrap_err();
        assert_eq!(bad.status(), 422);
        // The first value of a repeated header is the one validated.
        let first = s.check(
            None,
            None,
            &[],
            [("x-tenant", &b"acme"[..]), ("x-tenant", &b"!!"[..])],
            b"",
        );
        assert!(first.is_ok());
    }
}
