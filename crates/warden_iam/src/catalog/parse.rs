//! Parser of the generated catalog text (format documented in `scripts/iam/gen-catalog.js`).

use super::{AccessLevel, Action, Catalog, ConditionKey, KeyType, ResourceType, Service};

/// A malformed catalog line.
#[derive(Debug, thiserror::Error)]
#[error("catalog line {line}: {message}")]
pub struct CatalogParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

fn err(line: usize, message: &str) -> CatalogParseError {
    CatalogParseError {
        line: line + 1,
        message: message.to_owned(),
    }
}

pub(super) fn parse(text: &str) -> Result<Catalog, CatalogParseError> {
    let mut c = Catalog::default();
    for (n, line) in text.lines().enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            [] | [""] => {}
            ["#version", v] => c.version = (*v).to_owned(),
            ["#date", v] => c.data_date = (*v).to_owned(),
            [h, ..] if h.starts_with('#') => {}
            ["G", name, kind] => c.global_keys.push(ConditionKey {
                name: (*name).to_owned(),
                kind: KeyType::parse(kind),
            }),
            ["S", prefix, name, rcp] => {
                close_service(&mut c);
                c.by_service
                    .insert(prefix.to_ascii_lowercase(), c.services.len());
                c.services.push(Service {
                    prefix: (*prefix).to_owned(),
                    name: (*name).to_owned(),
                    supports_rcp: *rcp == "1",
                    resource_types: Vec::new(),
                    condition_keys: Vec::new(),
                    actions: c.actions.len()..c.actions.len(),
                });
            }
            ["R", name, arn] => {
                let svc = c
                    .services
                    .last_mut()
                    .ok_or_else(|| err(n, "resource before service"))?;
                svc.resource_types.push(ResourceType {
                    name: (*name).to_owned(),
                    arn_format: (*arn).to_owned(),
                });
            }
            ["K", name, kind] => {
                let svc = c
                    .services
                    .last_mut()
                    .ok_or_else(|| err(n, "key before service"))?;
                svc.condition_keys.push(ConditionKey {
                    name: (*name).to_owned(),
                    kind: KeyType::parse(kind),
                });
            }
            ["A", name, level, res, keys] => {
                let si = c
                    .services
                    .len()
                    .checked_sub(1)
                    .ok_or_else(|| err(n, "action before service"))?;
                let level = match *level {
                    "L" => AccessLevel::List,
                    "R" => AccessLevel::Read,
                    "W" => AccessLevel::Write,
                    "P" => AccessLevel::PermissionsManagement,
                    "T" => AccessLevel::Tagging,
                    _ => return Err(err(n, "unknown access level")),
                };
                let mut resources = Vec::new();
                for r in res.split(',').filter(|s| !s.is_empty()) {
                    let (idx, req) = match r.strip_suffix('!') {
                        Some(i) => (i, true),
                        None => (r, false),
                    };
                    resources.push((
                        idx.parse::<u16>()
                            .map_err(|_| err(n, "bad resource index"))?,
                        req,
                    ));
                }
                let mut condition_keys = Vec::new();
                for k in keys.split(',').filter(|s| !s.is_empty()) {
                    condition_keys.push(k.parse::<u16>().map_err(|_| err(n, "bad key index"))?);
                }
                let key = format!("{}:{}", c.services[si].prefix, name).to_ascii_lowercase();
                c.by_action.insert(key.clone(), c.actions.len());
                c.actions.push(Action {
                    service: si,
                    name: (*name).to_owned(),
                    key,
                    level,
                    resources,
                    condition_keys,
                });
            }
            _ => return Err(err(n, "unrecognised record")),
        }
    }
    close_service(&mut c);
    Ok(c)
}

fn close_service(c: &mut Catalog) {
    let end = c.actions.len();
    if let Some(s) = c.services.last_mut() {
        s.actions.end = end;
    }
}
