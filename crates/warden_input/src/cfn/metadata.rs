//! Template parameters, `Metadata: {warden: {ignore: [...]}}` suppressions and CDK construct paths.

use warden_model::{Node, Parameter, Suppression};

pub fn parameters(root: &Node) -> Vec<Parameter> {
    let Some(params) = root.get("Parameters") else {
        return Vec::new();
    };
    params
        .entries()
        .iter()
        .map(|(key, decl)| Parameter {
            name: key.name.clone(),
            origin: key.origin.clone(),
            kind: decl.get("Type").and_then(Node::as_str).map(str::to_string),
            default: decl.get("Default").cloned(),
            no_echo: decl.get("NoEcho").and_then(Node::as_bool).unwrap_or(false),
        })
        .collect()
}

/// Reads `Metadata.warden.ignore`: a list of `{rule, reason}` maps or of plain rule codes.
pub fn suppressions(resource: &str, decl: &Node) -> Vec<Suppression> {
    let Some(ignore) = decl.at(&["Metadata", "warden", "ignore"]) else {
        return Vec::new();
    };
    ignore
        .one_or_many()
        .into_iter()
        .filter_map(|item| {
            let (rule, reason) = match item.as_str() {
                Some(code) => (code.to_string(), None),
                None => (
                    item.get("rule")?.as_str()?.to_string(),
                    item.get("reason")
                        .and_then(Node::as_str)
                        .map(str::to_string),
                ),
            };
            Some(Suppression {
                resource: resource.to_string(),
                rule,
                reason,
                origin: item.origin.clone(),
            })
        })
        .collect()
}

/// The CDK construct path of a resource (`Metadata: {"aws:cdk:path": "Stack/Fn/Resource"}`).
pub fn cdk_path(decl: &Node) -> Option<&str> {
    decl.get("Metadata")?.get("aws:cdk:path")?.as_str()
}
