//! Converts a YAML document (as `yaml-rust2` loads it) into a `serde_json::Value`, so YAML OSV
//! records go through the same serde types as JSON ones. Scalars become strings (OSV has no
//! numeric field that matching reads, and versions such as `1.10` must not become numbers).

use serde_json::{Map, Value};
use yaml_rust2::{Yaml, YamlLoader};

/// Parses YAML text into JSON values, one per document.
pub fn parse(text: &str) -> Result<Vec<Value>, String> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| e.to_string())?;
    Ok(docs.iter().map(|d| convert(d, 0)).collect())
}

fn convert(y: &Yaml, depth: usize) -> Value {
    if depth > 64 {
        return Value::Null;
    }
    match y {
        Yaml::Real(s) | Yaml::String(s) => Value::String(s.clone()),
        Yaml::Integer(i) => Value::String(i.to_string()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(items) => Value::Array(items.iter().map(|i| convert(i, depth + 1)).collect()),
        Yaml::Hash(h) => {
            let mut m = Map::new();
            for (k, v) in h {
                let key = match k {
                    Yaml::String(s) | Yaml::Real(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    _ => continue,
                };
                m.insert(key, convert(v, depth + 1));
            }
            Value::Object(m)
        }
        Yaml::Null | Yaml::BadValue | Yaml::Alias(_) => Value::Null,
    }
}
