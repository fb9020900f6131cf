//! `--config FILE` over `--from TEMPLATE`: the file's TOML is merged into the derived
//! configuration's TOML (every key the file sets wins, tables merge recursively, routes are
//! matched by `id`), then read back with the usual checks (unknown keys are errors).

use warden_gateway::Config;

/// Merges a TOML configuration over the derived one: the file wins on every key it sets;
/// routes with the same `id` are replaced, other routes are added.
pub fn overlay(
    derived: &Config,
    file_text: &str,
    origin: &std::path::Path,
) -> Result<Config, String> {
    let base = toml::Value::try_from(derived).map_err(|e| e.to_string())?;
    let over: toml::Value =
        toml::from_str(file_text).map_err(|e| format!("{}: {e}", origin.display()))?;
    let merged = merge(base, over);
    merged
        .try_into()
        .map_err(|e: toml::de::Error| format!("{}: {e}", origin.display()))
}

fn merge(base: toml::Value, over: toml::Value) -> toml::Value {
    use toml::Value as V;
    match (base, over) {
        (V::Table(mut b), V::Table(o)) => {
            for (k, v) in o {
                let next = match (k.as_str(), b.remove(&k)) {
                    ("routes", Some(V::Array(routes))) => merge_routes(routes, v),
                    (_, Some(prev)) => merge(prev, v),
                    (_, None) => v,
                };
                b.insert(k, next);
            }
            V::Table(b)
        }
        (_, over) => over,
    }
}

fn merge_routes(mut routes: Vec<toml::Value>, over: toml::Value) -> toml::Value {
    let toml::Value::Array(extra) = over else {
        return over;
    };
    for r in extra {
        let id = r.get("id").cloned();
        match routes
            .iter_mut()
            .find(|x| x.get("id") == id.as_ref() && id.is_some())
        {
            Some(slot) => *slot = r,
            None => routes.push(r),
        }
    }
    toml::Value::Array(routes)
}
