//! A CloudFormation template's static context: parameters (defaults and overrides), pseudo
//! parameters, mappings, conditions and the resource table the intrinsic resolver consults.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use warden_model::{Node, Unknown, Val};

/// Parameter values given on the command line (`--param`, `--params-file`).
pub type ParamOverrides = BTreeMap<String, String>;

/// What a template declares, indexed for resolution.
#[derive(Debug)]
pub struct Context<'a> {
    pub file: Arc<str>,
    pub root: &'a Node,
    /// Resolved parameter values; `None` when the parameter has neither a default nor an override.
    pub parameters: HashMap<String, Option<Node>>,
    /// Resource logical id → declared `Type`.
    pub resource_types: HashMap<String, String>,
    pub mappings: Option<&'a Node>,
    /// Condition name → its definition.
    pub condition_defs: HashMap<String, &'a Node>,
}

impl<'a> Context<'a> {
    pub fn new(file: Arc<str>, root: &'a Node, overrides: &ParamOverrides) -> Self {
        let mut parameters = HashMap::new();
        if let Some(params) = root.get("Parameters") {
            for (key, decl) in params.entries() {
                let value = match overrides.get(&key.name) {
                    Some(v) => Some(Node::new(Val::Str(v.clone()), key.origin.clone())),
                    None => decl.get("Default").cloned(),
                };
                parameters.insert(key.name.clone(), value);
            }
        }
        let mut resource_types = HashMap::new();
        if let Some(resources) = root.get("Resources") {
            for (key, decl) in resources.entries() {
                let kind = decl.get("Type").and_then(Node::as_str).unwrap_or("");
                resource_types.insert(key.name.clone(), kind.to_string());
            }
        }
        let mut condition_defs = HashMap::new();
        if let Some(conds) = root.get("Conditions") {
            for (key, def) in conds.entries() {
                condition_defs.insert(key.name.clone(), def);
            }
        }
        Self {
            file,
            root,
            parameters,
            resource_types,
            mappings: root.get("Mappings"),
            condition_defs,
        }
    }

    /// The value of a pseudo parameter, known where it is the same in every deployment that matters
    /// for analysis (`AWS::Partition` is taken as `aws`; override with `--param AWS::Partition=…`).
    pub fn pseudo(
        &self,
        name: &str,
        overrides: &ParamOverrides,
    ) -> Option<Result<String, Unknown>> {
        if !name.starts_with("AWS::") {
            return None; // a template parameter, overridden or not, is resolved as one
        }
        if let Some(v) = overrides.get(name) {
            return Some(Ok(v.clone()));
        }
        let known = |s: &str| Some(Ok(s.to_string()));
        match name {
            "AWS::Partition" => known("aws"),
            "AWS::URLSuffix" => known("amazonaws.com"),
            "AWS::Region"
            | "AWS::AccountId"
            | "AWS::StackName"
            | "AWS::StackId"
            | "AWS::NotificationARNs" => Some(Err(Unknown::new(
                name,
                format!("pseudo parameter {name} is known only at deploy time"),
            ))),
            _ => None,
        }
    }

    pub fn is_resource(&self, id: &str) -> bool {
        self.resource_types.contains_key(id)
    }

    pub fn resource_type(&self, id: &str) -> Option<&str> {
        self.resource_types.get(id).map(String::as_str)
    }
}
