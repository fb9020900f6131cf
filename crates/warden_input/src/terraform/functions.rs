//! Terraform's built-in functions that matter for security analysis, evaluated over known values
//! (`jsonencode` keeps the structured value so policies stay documents with origins; `jsondecode`
//! parses). Any unknown argument makes the result unknown; functions not listed here are unknown
//! with a reason. `file`, `templatefile`, `try` and `can` need the environment: see `eval`.

use super::values::{
    self, as_f64, bool_node, json_to_node, key, list, map, null, num, str_node, to_text, unknown,
};
use warden_model::{Node, Val};
use warden_source::Origin;

/// Most items a function (or a `for`, `count`, `for_each`) produces.
pub const MAX_ITEMS: usize = 4096;

/// Calls `name` on evaluated `args`. `text` is the call's source text (for unknowns).
pub fn call(name: &str, args: &[Node], text: &str, o: &Origin) -> Node {
    let unknown_arg = args.iter().any(Node::is_unknown);
    let u = |reason: &str| unknown(text, reason, o);
    match name {
        "jsonencode" => match args.first() {
            // The structured value stands for its JSON text: policies stay documents.
            Some(v) => v.clone(),
            None => u("jsonencode() needs an argument"),
        },
        "jsondecode" => match args.first() {
            Some(v) if matches!(v.val, Val::Map(_) | Val::List(_)) => v.clone(),
            Some(Node {
                val: Val::Str(s), ..
            }) => match serde_json::from_str::<serde_json::Value>(s) {
                Ok(j) => json_to_node(&j, o),
                Err(e) => u(&format!("jsondecode(): invalid JSON: {e}")),
            },
            Some(Node {
                val: Val::Unknown(x),
                ..
            }) if x.partial.is_some() => {
                let partial = x.partial.as_deref().unwrap_or("");
                match serde_json::from_str::<serde_json::Value>(partial) {
                    Ok(j) => json_to_node(&j, o),
                    Err(_) => u("jsondecode() of a value not known statically"),
                }
            }
            _ => u("jsondecode() of a value not known statically"),
        },
        _ if unknown_arg
            && !matches!(
                name,
                "coalesce"
                    | "merge"
                    | "concat"
                    | "length"
                    | "lookup"
                    | "tolist"
                    | "toset"
                    | "tomap"
            ) =>
        {
            u(&format!("{name}() of a value not known statically"))
        }
        "merge" => {
            let mut entries: Vec<(warden_model::Key, Node)> = Vec::new();
            for a in args {
                match &a.val {
                    Val::Map(es) => {
                        for (k, v) in es {
                            entries.retain(|(ek, _)| ek.name != k.name);
                            entries.push((k.clone(), v.clone()));
                        }
                    }
                    Val::Null => {}
                    _ => return u("merge() of a value not known statically"),
                }
            }
            map(entries, o)
        }
        "concat" => {
            let mut items = Vec::new();
            for a in args {
                match &a.val {
                    Val::List(l) => items.extend(l.iter().cloned()),
                    _ => return u("concat() of a value not known statically"),
                }
            }
            list(items, o)
        }
        "length" => match args.first().map(|a| &a.val) {
            Some(Val::List(l)) => num(l.len() as f64, o),
            Some(Val::Map(m)) => num(m.len() as f64, o),
            Some(Val::Str(s)) => num(s.chars().count() as f64, o),
            _ => u("length() of a value not known statically"),
        },
        "lookup" => {
            let (Some(m), Some(k)) = (args.first(), args.get(1)) else {
                return u("lookup() needs a map and a key");
            };
            match (&m.val, to_text(k)) {
                (Val::Map(_), Some(k)) => match m.get(&k) {
                    Some(v) => v.clone(),
                    None => args
                        .get(2)
                        .cloned()
                        .unwrap_or_else(|| u("lookup(): no such key and no default")),
                },
                _ => u("lookup() of a value not known statically"),
            }
        }
        "coalesce" => {
            for a in args {
                match &a.val {
                    Val::Null => continue,
                    Val::Str(s) if s.is_empty() => continue,
                    Val::Unknown(_) => return u("coalesce() of a value not known statically"),
                    _ => return a.clone(),
                }
            }
            u("coalesce(): every argument is null or empty")
        }
        "tolist" | "tomap" => args
            .first()
            .cloned()
            .unwrap_or_else(|| u("needs an argument")),
        "toset" | "distinct" => match args.first() {
            Some(Node {
                val: Val::List(items),
                ..
            }) => {
                let mut out: Vec<Node> = Vec::new();
                for i in items {
                    if !out.iter().any(|x| values::equal(x, i) == Some(true)) {
                        out.push(i.clone());
                    }
                }
                list(out, o)
            }
            Some(v) if !v.is_unknown() && name == "toset" => v.clone(),
            _ => u(&format!("{name}() of a value not known statically")),
        },
        "format" => format(args, o).unwrap_or_else(|| u("format() not evaluated")),
        "join" => {
            let (
                Some(sep),
                Some(Node {
                    val: Val::List(items),
                    ..
                }),
            ) = (args.first(), args.get(1))
            else {
                return u("join() needs a separator and a list");
            };
            let Some(sep) = to_text(sep) else {
                return u("join() separator not known");
            };
            let parts: Vec<Node> = items
                .iter()
                .enumerate()
                .flat_map(|(i, n)| {
                    let mut v = Vec::new();
                    if i > 0 {
                        v.push(str_node(sep.clone(), o));
                    }
                    v.push(n.clone());
                    v
                })
                .collect();
            super::eval::join_parts(parts, text.to_string(), o)
        }
        "split" => match (
            args.first().and_then(to_text),
            args.get(1).and_then(to_text),
        ) {
            (Some(sep), Some(s)) if !sep.is_empty() => {
                list(s.split(sep.as_str()).map(|p| str_node(p, o)).collect(), o)
            }
            _ => u("split() needs a separator and a string"),
        },
        "lower" | "upper" | "trimspace" | "tostring" => match args.first().and_then(to_text) {
            Some(s) => str_node(
                match name {
                    "lower" => s.to_lowercase(),
                    "upper" => s.to_uppercase(),
                    "trimspace" => s.trim().to_string(),
                    _ => s,
                },
                o,
            ),
            None => u(&format!("{name}() needs a string")),
        },
        "tonumber" => match args.first().and_then(as_f64) {
            Some(n) => num(n, o),
            None => u("tonumber() needs a number"),
        },
        "replace" => {
            let (Some(s), Some(from), Some(to)) = (
                args.first().and_then(to_text),
                args.get(1).and_then(to_text),
                args.get(2).and_then(to_text),
            ) else {
                return u("replace() needs three strings");
            };
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                return u("replace() with a regular expression is not evaluated");
            }
            if from.is_empty() {
                return str_node(s, o);
            }
            let grows = to.len().saturating_sub(from.len()) * s.matches(from.as_str()).count();
            if s.len() + grows > super::eval::MAX_STRING {
                return u("replace(): result longer than the evaluation limit");
            }
            str_node(s.replace(&from, &to), o)
        }
        "element" => match (args.first().map(|a| &a.val), args.get(1).and_then(as_f64)) {
            (Some(Val::List(items)), Some(i)) if !items.is_empty() && i >= 0.0 => {
                items[(i as usize) % items.len()].clone()
            }
            _ => u("element() needs a non-empty list and an index"),
        },
        "keys" | "values" => match args.first() {
            Some(
                m @ Node {
                    val: Val::Map(es), ..
                },
            ) => list(
                es.iter()
                    .map(|(k, v)| {
                        if name == "keys" {
                            str_node(k.name.clone(), &k.origin)
                        } else {
                            v.clone()
                        }
                    })
                    .collect(),
                &m.origin,
            ),
            _ => u(&format!("{name}() needs a map")),
        },
        "contains" => match (args.first().map(|a| &a.val), args.get(1)) {
            (Some(Val::List(items)), Some(x)) => {
                bool_node(items.iter().any(|i| values::equal(i, x) == Some(true)), o)
            }
            _ => u("contains() needs a list and a value"),
        },
        "flatten" => match args.first() {
            Some(
                v @ Node {
                    val: Val::List(_), ..
                },
            ) => {
                let mut out = Vec::new();
                flatten(v, &mut out, 0);
                list(out, o)
            }
            _ => u("flatten() needs a list"),
        },
        "compact" => match args.first().map(|a| &a.val) {
            Some(Val::List(items)) => list(
                items
                    .iter()
                    .filter(|i| {
                        !matches!(&i.val, Val::Null) && to_text(i).is_none_or(|s| !s.is_empty())
                    })
                    .cloned()
                    .collect(),
                o,
            ),
            _ => u("compact() needs a list"),
        },
        "zipmap" => match (args.first().map(|a| &a.val), args.get(1).map(|a| &a.val)) {
            (Some(Val::List(ks)), Some(Val::List(vs))) => {
                let mut entries = Vec::new();
                for (k, v) in ks.iter().zip(vs) {
                    let Some(name) = to_text(k) else {
                        return u("zipmap() key not known");
                    };
                    entries.push((key(name, &k.origin), v.clone()));
                }
                map(entries, o)
            }
            _ => u("zipmap() needs two lists"),
        },
        "range" => {
            let nums: Option<Vec<f64>> = args.iter().map(as_f64).collect();
            let (start, end, step) = match nums.as_deref() {
                Some([e]) => (0.0, *e, 1.0),
                Some([s, e]) => (*s, *e, if e >= s { 1.0 } else { -1.0 }),
                Some([s, e, st]) if *st != 0.0 => (*s, *e, *st),
                _ => return u("range() needs numbers"),
            };
            let mut out = Vec::new();
            let mut x = start;
            while ((step > 0.0 && x < end) || (step < 0.0 && x > end)) && out.len() < MAX_ITEMS {
                out.push(num(x, o));
                x += step;
            }
            list(out, o)
        }
        "max" | "min" => {
            let nums: Option<Vec<f64>> = args.iter().map(as_f64).collect();
            match nums {
                Some(ns) if !ns.is_empty() => {
                    let pick = if name == "max" { f64::max } else { f64::min };
                    num(ns.iter().copied().fold(ns[0], pick), o)
                }
                _ => u(&format!("{name}() needs numbers")),
            }
        }
        "startswith" | "endswith" => match (
            args.first().and_then(to_text),
            args.get(1).and_then(to_text),
        ) {
            (Some(s), Some(p)) => bool_node(
                if name == "startswith" {
                    s.starts_with(&p)
                } else {
                    s.ends_with(&p)
                },
                o,
            ),
            _ => u(&format!("{name}() needs two strings")),
        },
        "substr" => match (
            args.first().and_then(to_text),
            args.get(1).and_then(as_f64),
            args.get(2).and_then(as_f64),
        ) {
            (Some(s), Some(off), Some(len)) if off >= 0.0 => {
                let chars = s.chars().skip(off as usize);
                let out: String = if len < 0.0 {
                    chars.collect()
                } else {
                    chars.take(len as usize).collect()
                };
                str_node(out, o)
            }
            _ => u("substr() needs a string, an offset and a length"),
        },
        "basename" | "dirname" => match args.first().and_then(to_text) {
            Some(s) => {
                let (dir, base) = s
                    .trim_end_matches('/')
                    .rsplit_once('/')
                    .unwrap_or((".", s.as_str()));
                str_node(if name == "basename" { base } else { dir }, o)
            }
            None => u(&format!("{name}() needs a string")),
        },
        "abspath" | "pathexpand" | "chomp" => match args.first().and_then(to_text) {
            Some(s) if name == "chomp" => str_node(s.trim_end_matches(['\n', '\r']), o),
            Some(s) => str_node(s, o),
            None => u(&format!("{name}() needs a string")),
        },
        "null" => null(o),
        _ => u(&format!("function {name}() is not evaluated")),
    }
}

fn flatten(v: &Node, out: &mut Vec<Node>, depth: u32) {
    match &v.val {
        Val::List(items) if depth < 32 => {
            for i in items {
                flatten(i, out, depth + 1);
            }
        }
        _ => out.push(v.clone()),
    }
}

/// `format(spec, args...)` with `%s`, `%d`, `%v`, `%q`, `%%`.
fn format(args: &[Node], o: &Origin) -> Option<Node> {
    let spec = to_text(args.first()?)?;
    let mut out = String::new();
    let mut next = 1;
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // Skip flags and width: `%-5s`, `%05d`.
        let mut verb = chars.next()?;
        while verb.is_ascii_digit() || matches!(verb, '-' | '+' | '#' | ' ' | '.') {
            verb = chars.next()?;
        }
        match verb {
            '%' => out.push('%'),
            's' | 'd' | 'v' | 'f' | 'g' => {
                out.push_str(&to_text(args.get(next)?)?);
                next += 1;
            }
            'q' => {
                out.push_str(&format!("{:?}", to_text(args.get(next)?)?));
                next += 1;
            }
            _ => return None,
        }
    }
    Some(str_node(out, o))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use warden_source::Span;

    fn o() -> Origin {
        Origin::new(Arc::from("main.tf"), Span::new(0, 1), "x")
    }
    fn s(v: &str) -> Node {
        str_node(v, &o())
    }

    #[test]
    fn string_functions() {
        assert_eq!(call("upper", &[s("ab")], "", &o()).as_str(), Some("AB"));
        assert_eq!(
            call("replace", &[s("a-b-c"), s("-"), s("_")], "", &o()).as_str(),
            Some("a_b_c")
        );
        assert_eq!(
            call("format", &[s("%s-%d"), s("x"), num(3.0, &o())], "", &o()).as_str(),
            Some("x-3")
        );
        let parts = call("split", &[s(","), s("a,b")], "", &o());
        assert_eq!(parts.items().len(), 2);
    }

    #[test]
    fn unknown_arguments_make_unknown_results() {
        let u = unknown("var.x", "no default", &o());
        assert!(call("upper", std::slice::from_ref(&u), "upper(var.x)", &o()).is_unknown());
        assert!(call("merge", &[u], "merge(var.x)", &o()).is_unknown());
    }

    #[test]
    fn jsondecode_parses_and_unknown_functions_say_so() {
        let v = call("jsondecode", &[s("{\"a\": [1, 2]}")], "", &o());
        assert_eq!(v.get("a").map(|a| a.items().len()), Some(2));
        let x = call("cidrsubnet", &[s("10.0.0.0/8")], "cidrsubnet(...)", &o());
        assert!(x.as_unknown().unwrap().reason.contains("not evaluated"));
    }
}
