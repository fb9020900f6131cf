//! Template parameter values from `--param Name=Value` and `--params-file` (the AWS CLI JSON format:
//! `[{"ParameterKey": "Env", "ParameterValue": "prod"}]`). Command-line values win over the file.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CliParameter {
    parameter_key: String,
    parameter_value: Option<String>,
}

pub fn collect(pairs: &[String], file: Option<&Path>) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read parameters file {}", path.display()))?;
        let list: Vec<CliParameter> = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not an AWS CLI parameters file ([{{\"ParameterKey\": …, \"ParameterValue\": …}}])",
                path.display()
            )
        })?;
        for p in list {
            if let Some(v) = p.parameter_value {
                out.insert(p.parameter_key, v);
            }
        }
    }
    for pair in pairs {
        let Some((name, value)) = pair.split_once('=') else {
            bail!("expected NAME=VALUE, got `{pair}`");
        };
        if name.is_empty() {
            bail!("expected NAME=VALUE, got `{pair}`");
        }
        out.insert(name.to_string(), value.to_string());
    }
    Ok(out)
}
