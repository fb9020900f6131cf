//! Request validation: content types, JSON depth and size, and JSON Schemas for the body, query
//! and path parameters. Remote `$ref` resolution is disabled: every external reference fails.

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
            content_types: cfg
                .content_types
                .iter()
                .map(|c| c.to_ascii_lowercase())
                .collect(),
            max_depth: cfg.max_json_depth,
        })
    }

    /// Validates one request.
    pub fn check(
        &self,
        content_type: Option<&str>,
        query: Option<&str>,
        params: &[(String, String)],
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

    fn schema() -> RouteSchema {
        RouteSchema::compile(&SchemaConfig {
            body: Some(json!({"type": "object", "required": ["qty"],
                "properties": {"qty": {"type": "integer", "minimum": 1}}, "additionalProperties": false})),
            query: Some(json!({"type": "object", "properties": {"page": {"pattern": "^[0-9]+$"}}})),
            path: Some(json!({"type": "object", "properties": {"id": {"pattern": "^[a-z0-9-]{1,36}$"}}})),
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
            br#"{"qty": 2}"#,
        );
        assert!(ok.is_ok());
        let bad = s
            .check(Some("application/json"), None, &[], br#"{"qty": 0}"#)
            .unwrap_err();
        assert_eq!(bad.status(), 422);
        let bad = s.check(Some("text/plain"), None, &[], b"x").unwrap_err();
        assert_eq!(bad.status(), 415);
        let bad = s
            .check(
                Some("application/json"),
                Some("page=x"),
                &[],
                br#"{"qty": 1}"#,
            )
            .unwrap_err();
        assert_eq!(bad.status(), 422);
        let bad = s
            .check(None, None, &[("id".into(), "../x".into())], b"")
            .unwrap_err();
        assert_eq!(bad.status(), 422);
        let deep = s
            .check(
                Some("application/json"),
                None,
                &[],
                br#"{"qty":[[[[[1]]]]]}"#,
            )
            .unwrap_err();
        assert_eq!(deep.status(), 400);
        let notjson = s
            .check(Some("application/json"), None, &[], b"{")
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
