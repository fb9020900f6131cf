//! `count` and `for_each` on a `resource`, `data` or `module` block: the instances they expand to
//! (address suffix, key, and the `count`/`each` binding of each), or the reason they are not known
//! statically. Capped at [`MAX_INSTANCES`].

use super::{Env, MAX_INSTANCES, src};
use crate::terraform::eval::instance_key;
use crate::terraform::parse::ParsedFile;
use crate::terraform::scope::Scope;
use crate::terraform::values::{as_f64, key, map, num, str_node, to_text, unknown};
use hcl_edit::Span;
use hcl_edit::structure::Body;
use warden_model::{Node, Val};

/// One known instance of a repeated block.
pub struct Instance {
    /// Address suffix: `[0]`, `["key"]`.
    pub suffix: String,
    /// The `count.index` (as text) or the `for_each` key.
    pub key: String,
    /// `count` or `each` bound for the block's arguments.
    pub scope: Scope<'static>,
}

/// How a block repeats.
pub enum Repeat {
    /// Neither `count` nor `for_each`: one instance without a suffix.
    Once,
    /// `count` with a known number: a list of instances.
    Count(Vec<Instance>),
    /// `for_each` over a known map or set: a map of instances keyed like it.
    ForEach(Vec<Instance>),
    /// `count` or `for_each` not known statically: one stand-in instance whose `count.index` or
    /// `each` are unknown.
    Unknown {
        reason: &'static str,
        /// Why the `count`/`for_each` value itself is unknown, when it says.
        cause: Option<String>,
        scope: Scope<'static>,
    },
}

impl Env<'_> {
    /// Evaluates the `count` or `for_each` of `body` (a block of `file` at document path `path`).
    pub fn repeat(&self, body: &Body, file: &ParsedFile, path: &str) -> Repeat {
        let s = src(file);
        if let Some(a) = body.get_attribute("count") {
            let p = format!("{path}.count");
            let o = s.origin(a.value.span(), &p);
            let v = self.expr(&a.value, s, &p, None);
            return match as_f64(&v) {
                Some(n) if n >= 0.0 => Repeat::Count(
                    (0..(n as usize).min(MAX_INSTANCES))
                        .map(|i| {
                            let b = map(vec![(key("index", &o), num(i as f64, &o))], &o);
                            Instance {
                                suffix: format!("[{i}]"),
                                key: i.to_string(),
                                scope: Scope::bind(None, "count", b),
                            }
                        })
                        .collect(),
                ),
                _ => {
                    let reason = "count not known statically";
                    let b = map(
                        vec![(key("index", &o), unknown("count.index", reason, &o))],
                        &o,
                    );
                    Repeat::Unknown {
                        reason,
                        cause: v.as_unknown().map(|u| u.reason.clone()),
                        scope: Scope::bind(None, "count", b),
                    }
                }
            };
        }
        if let Some(a) = body.get_attribute("for_each") {
            let p = format!("{path}.for_each");
            let o = s.origin(a.value.span(), &p);
            let v = self.expr(&a.value, s, &p, None);
            let pairs: Option<Vec<(String, Node)>> = match &v.val {
                Val::Map(es) => Some(
                    es.iter()
                        .map(|(k, v)| (k.name.clone(), v.clone()))
                        .collect(),
                ),
                // A set of strings: each element is both key and value.
                Val::List(items) => items
                    .iter()
                    .map(|i| to_text(i).map(|t| (t, i.clone())))
                    .collect(),
                _ => None,
            };
            return match pairs {
                Some(pairs) => Repeat::ForEach(
                    pairs
                        .into_iter()
                        .take(MAX_INSTANCES)
                        .map(|(k, v)| {
                            let suffix = instance_key(&str_node(k.clone(), &o)).unwrap_or_default();
                            let b = map(
                                vec![
                                    (key("key", &o), str_node(k.clone(), &o)),
                                    (key("value", &o), v),
                                ],
                                &o,
                            );
                            Instance {
                                suffix,
                                key: k,
                                scope: Scope::bind(None, "each", b),
                            }
                        })
                        .collect(),
                ),
                None => {
                    let reason = "for_each not known statically";
                    let b = map(
                        vec![
                            (key("key", &o), unknown("each.key", reason, &o)),
                            (key("value", &o), unknown("each.value", reason, &o)),
                        ],
                        &o,
                    );
                    Repeat::Unknown {
                        reason,
                        cause: v.as_unknown().map(|u| u.reason.clone()),
                        scope: Scope::bind(None, "each", b),
                    }
                }
            };
        }
        Repeat::Once
    }

    /// The instances of a block as (address suffix, binding); a block whose repetition is not
    /// known statically yields one instance without a suffix and with unknown bindings.
    pub fn expand(
        &self,
        body: &Body,
        file: &ParsedFile,
        path: &str,
    ) -> Vec<(String, Option<Scope<'static>>)> {
        match self.repeat(body, file, path) {
            Repeat::Once => vec![(String::new(), None)],
            Repeat::Count(is) | Repeat::ForEach(is) => {
                is.into_iter().map(|i| (i.suffix, Some(i.scope))).collect()
            }
            Repeat::Unknown { scope, .. } => vec![(String::new(), Some(scope))],
        }
    }
}
