//! SAM policy templates (`DynamoDBCrudPolicy`, `S3ReadPolicy`, ...) as published in the PyPI
//! package `aws-sam-translator` (Apache-2.0), embedded from `data/sam_policy_templates.json`.
//!
//! A template's [`definition`](SamPolicyTemplate::definition) is the upstream `Definition`
//! unchanged: a `{"Statement": [...]}` object whose strings still hold `Fn::Sub`/`Ref` to the
//! template's parameters and to pseudo parameters; substituting them is the intrinsic resolver's job.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;

use super::{DataHeader, RefDataError};

/// Version of `aws-sam-translator` the embedded templates come from (checked against the data
/// header by the tests).
pub const VERSION: &str = "1.115.0";

const DATASET: &str = "sam policy templates";
const DATA: &str = include_str!("../../data/sam_policy_templates.json");

/// One SAM policy template.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamPolicyTemplate {
    /// Template name as written under a function's `Policies` (`DynamoDBCrudPolicy`).
    pub name: String,
    /// Upstream one-line description.
    #[serde(default)]
    pub description: String,
    /// Parameter names in upstream order (`["TableName"]`); empty for templates without any.
    pub parameters: Vec<String>,
    /// The upstream `Definition`: `{"Statement": [...]}` with intrinsics left in place.
    pub definition: serde_json::Value,
}

impl SamPolicyTemplate {
    /// The statements of the definition (validated to be an array when the data is loaded).
    pub fn statements(&self) -> &[serde_json::Value] {
        self.definition
            .get("Statement")
            .and_then(serde_json::Value::as_array)
            .map_or(&[], Vec::as_slice)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    header: DataHeader,
    templates: Vec<SamPolicyTemplate>,
}

fn table() -> Result<&'static Table, &'static RefDataError> {
    static TABLE: OnceLock<Result<Table, RefDataError>> = OnceLock::new();
    TABLE.get_or_init(load).as_ref()
}

fn load() -> Result<Table, RefDataError> {
    let mut table: Table = serde_json::from_str(DATA).map_err(|e| RefDataError::new(DATASET, e))?;
    table.templates.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(pair) = table.templates.windows(2).find(|w| w[0].name == w[1].name) {
        return Err(RefDataError::new(
            DATASET,
            format!("template `{}` appears twice", pair[0].name),
        ));
    }
    for template in &table.templates {
        let statements_ok = template
            .definition
            .get("Statement")
            .is_some_and(serde_json::Value::is_array);
        if !statements_ok {
            return Err(RefDataError::new(
                DATASET,
                format!("template `{}` has no Statement array", template.name),
            ));
        }
        let mut seen = HashSet::new();
        if let Some(dup) = template
            .parameters
            .iter()
            .find(|p| !seen.insert(p.as_str()))
        {
            return Err(RefDataError::new(
                DATASET,
                format!("template `{}` lists parameter `{dup}` twice", template.name),
            ));
        }
    }
    Ok(table)
}

/// The template called `name` (exact, case-sensitive, as SAM matches it), or `None`.
pub fn get(name: &str) -> Option<&'static SamPolicyTemplate> {
    let table = table().ok()?;
    let index = table
        .templates
        .binary_search_by(|t| t.name.as_str().cmp(name))
        .ok()?;
    table.templates.get(index)
}

/// Every template name, sorted.
pub fn names() -> impl Iterator<Item = &'static str> {
    let templates = table().map_or(&[][..], |t| t.templates.as_slice());
    templates.iter().map(|t| t.name.as_str())
}

/// Number of templates embedded.
pub fn count() -> usize {
    table().map_or(0, |t| t.templates.len())
}

/// The data header (source, version, licence, generation date), or why the data is unreadable.
pub fn header() -> Result<&'static DataHeader, RefDataError> {
    table().map(|t| &t.header).map_err(Clone::clone)
}
