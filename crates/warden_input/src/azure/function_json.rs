//! `function.json`: one function per folder, named after the folder. Its `bindings` declare the
//! trigger (`httpTrigger` with `authLevel`, `route`, `methods`; `queueTrigger`, `timerTrigger`,
//! `blobTrigger`…) and the input/output bindings (not lowered). `scriptFile` and `entryPoint` name
//! the handler. An `httpTrigger` without `authLevel` requires a function key (the documented
//! default, `function`).

use super::decl::{AuthLevel, FunctionDecl, HttpDecl, TriggerDecl, parent_dir};
use crate::document::{self, Limits};
use std::sync::Arc;
use warden_model::{Node, ScanError};
use warden_source::SourceFile;

/// Reads one `function.json`; `None` when it has no `bindings`.
pub fn read(source: &SourceFile, limits: &Limits) -> Result<Option<FunctionDecl>, ScanError> {
    let file: Arc<str> = source.path.clone();
    let text = super::jsonc::strict(&source.text);
    let doc =
        document::parse_as(document::Format::Json, file.clone(), &text, limits).map_err(|e| {
            let pos = source.position(e.span().start);
            ScanError::new(
                &*file,
                format!("{e} (line {}, column {})", pos.line, pos.column),
            )
        })?;
    let root = doc.root;
    if !root.is_map() {
        return Err(ScanError::new(
            &*file,
            "function.json is not a JSON object; not lowered",
        ));
    }
    let dir = parent_dir(&file).to_string();
    let name = dir.rsplit('/').next().unwrap_or("").to_string();
    let name = if name.is_empty() {
        "function".to_string()
    } else {
        name
    };
    let handler = root
        .get("entryPoint")
        .or_else(|| root.get("scriptFile"))
        .filter(|n| n.as_str().is_some())
        .cloned();
    let mut decl = FunctionDecl {
        name,
        origin: root.origin.clone(),
        handler,
        code_dir: dir,
        runtime: None,
        http: Vec::new(),
        triggers: Vec::new(),
    };
    // Without `bindings` the file is not an Azure Functions binding file (other tools use the
    // name too): nothing is declared.
    let Some(bindings) = root.get("bindings") else {
        return Ok(None);
    };
    for binding in bindings.items() {
        let Some(kind) = binding.get("type").and_then(Node::as_str) else {
            continue;
        };
        if kind.eq_ignore_ascii_case("httpTrigger") {
            decl.http.push(http(binding));
        } else if kind.to_ascii_lowercase().ends_with("trigger") {
            decl.triggers.push(TriggerDecl {
                binding: kind.to_string(),
                origin: binding.origin.clone(),
                properties: binding.clone(),
            });
        }
    }
    Ok(Some(decl))
}

fn http(binding: &Node) -> HttpDecl {
    let (auth, auth_origin, implied_by) = match binding.get("authLevel") {
        Some(level) => match level.as_str() {
            Some(s) => (AuthLevel::parse(s), level.origin.clone(), None),
            None => (
                AuthLevel::Unknown(level.to_string()),
                level.origin.clone(),
                None,
            ),
        },
        None => (
            AuthLevel::Function,
            binding.origin.clone(),
            Some("the default `authLevel` of `function.json`".to_string()),
        ),
    };
    let route = binding
        .get("route")
        .and_then(Node::as_str)
        .map(str::to_string);
    let methods = binding
        .get("methods")
        .map(|m| {
            m.items()
                .iter()
                .filter_map(Node::as_str)
                .map(str::to_ascii_uppercase)
                .collect()
        })
        .unwrap_or_default();
    HttpDecl {
        auth,
        auth_origin,
        implied_by,
        inherits_app_level: false,
        route,
        methods,
        origin: binding.origin.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(path: &str, text: &str) -> Result<FunctionDecl, ScanError> {
        let source = SourceFile::new(path, text);
        read(&source, &Limits::default())?.ok_or_else(|| ScanError::new(path, "no bindings"))
    }

    #[test]
    fn http_trigger_with_level_route_and_methods() {
        let d = read_text(
            "app/Orders/function.json",
            r#"{"scriptFile": "__init__.py", "bindings": [
                {"authLevel": "anonymous", "type": "httpTrigger", "direction": "in", "name": "req",
                 "methods": ["get", "post"], "route": "orders/{id}"},
                {"type": "http", "direction": "out", "name": "$return"}]}"#,
        )
        .unwrap();
        assert_eq!(d.name, "Orders");
        assert_eq!(d.code_dir, "app/Orders");
        assert_eq!(d.http.len(), 1);
        assert_eq!(d.http[0].auth, AuthLevel::Anonymous);
        assert_eq!(d.http[0].methods, ["GET", "POST"]);
        assert_eq!(d.http[0].route.as_deref(), Some("orders/{id}"));
        assert!(d.triggers.is_empty());
        assert_eq!(d.handler.unwrap().as_str(), Some("__init__.py"));
    }

    #[test]
    fn missing_level_defaults_to_function_and_other_triggers_are_kept() {
        let d = read_text(
            "F/function.json",
            r#"{"bindings": [{"type": "httpTrigger", "name": "req"},
                {"type": "queueTrigger", "queueName": "q", "name": "m"},
                {"type": "timerTrigger", "schedule": "0 * * * * *", "name": "t"}]}"#,
        )
        .unwrap();
        assert_eq!(d.http[0].auth, AuthLevel::Function);
        assert!(d.http[0].implied_by.is_some());
        assert_eq!(d.triggers.len(), 2);
        assert_eq!(
            d.triggers[0].kind(),
            warden_model::TriggerKind::Other("azure:queueTrigger".into())
        );
        assert_eq!(d.triggers[1].kind(), warden_model::TriggerKind::Schedule);
    }

    #[test]
    fn malformed_files_are_errors() {
        for text in [
            "{",
            "[]",
            "{\"bindings\": ",
            "{}",
            "null",
            "{\"bindings\": 3}",
        ] {
            let r = read_text("F/function.json", text);
            if let Ok(d) = r {
                assert!(d.http.is_empty() && d.triggers.is_empty());
            }
        }
        assert!(read_text("F/function.json", "{").is_err());
        // Not an Azure binding file: nothing declared, no error.
        let s = SourceFile::new("F/function.json", "{\"name\": \"x\"}");
        assert!(read(&s, &Limits::default()).unwrap().is_none());
    }
}
