//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, defaults `${key, 'x'}` and the
//! escapes `${*}`, `${?}`, `${$}`. A string is parsed once into parts and resolved per request.
//!
//! Variables are only honoured in `Version: 2012-10-17` policies; elsewhere text stays literal.
//! Resolution fails (returns `None`) when a variable has no value and no default, or when its key
//! is multi-valued: AWS then treats the element as not matching.

use crate::pattern::{PatChar, literal_chars, wild_chars};
use crate::request::Context;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Raw text; `*`/`?` are wildcards where the element supports them.
    Text(Box<str>),
    /// A character produced by an escape: always literal.
    Escaped(char),
    /// A variable with its lower-cased key and an optional default.
    Var {
        key: Box<str>,
        default: Option<Box<str>>,
    },
}

/// A string that contains at least one policy variable or escape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Box<[Part]>,
}

impl Template {
    /// Parses `text`; returns `None` when it has no `${…}` construct.
    pub fn parse(text: &str) -> Option<Template> {
        if !text.contains("${") {
            return None;
        }
        let mut parts = Vec::new();
        let mut rest = text;
        let mut lit = String::new();
        let mut any = false;
        while let Some(start) = rest.find("${") {
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else { break };
            lit.push_str(&rest[..start]);
            let inner = &after[..end];
            let part = match inner {
                "*" => Some(Part::Escaped('*')),
                "?" => Some(Part::Escaped('?')),
                "$" => Some(Part::Escaped('$')),
                _ => parse_var(inner),
            };
            match part {
                Some(p) => {
                    if !lit.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut lit).into()));
                    }
                    parts.push(p);
                    any = true;
                }
                None => {
                    lit.push_str("${");
                    lit.push_str(inner);
                    lit.push('}');
                }
            }
            rest = &after[end + 1..];
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            parts.push(Part::Text(lit.into()));
        }
        any.then(|| Template {
            parts: parts.into_boxed_slice(),
        })
    }

    /// The lower-cased keys of the variables used.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var { key, .. } => Some(&**key),
            _ => None,
        })
    }

    /// Resolves into pattern characters; text parts keep their wildcards if `wild`.
    pub fn resolve_chars(&self, ctx: &Context, wild: bool, out: &mut Vec<PatChar>) -> Option<()> {
        for p in self.parts.iter() {
            match p {
                Part::Text(t) if wild => wild_chars(t, out),
                Part::Text(t) => literal_chars(t, out),
                Part::Escaped(c) => out.push(PatChar::Lit(*c)),
                Part::Var { key, default } => literal_chars(&lookup(ctx, key, default)?, out),
            }
        }
        Some(())
    }

    /// Resolves into a plain string (escapes give their character).
    pub fn resolve_string(&self, ctx: &Context) -> Option<String> {
        let mut s = String::new();
        for p in self.parts.iter() {
            match p {
                Part::Text(t) => s.push_str(t),
                Part::Escaped(c) => s.push(*c),
                Part::Var { key, default } => s.push_str(&lookup(ctx, key, default)?),
            }
        }
        Some(s)
    }
}

fn lookup(ctx: &Context, key: &str, default: &Option<Box<str>>) -> Option<String> {
    match ctx.get(key) {
        Some(v) if !v.is_multi() => v.values().first().cloned(),
        Some(_) => None,
        None => default.as_deref().map(str::to_owned),
    }
}

fn parse_var(inner: &str) -> Option<Part> {
    let (key, default) = match inner.split_once(',') {
        Some((k, d)) => {
            let d = d.trim();
            let d = d.strip_prefix('\'')?.strip_suffix('\'')?;
            (k.trim(), Some(d.into()))
        }
        None => (inner.trim(), None),
    };
    if key.is_empty() || key.contains(char::is_whitespace) {
        return None;
    }
    Some(Part::Var {
        key: key.to_ascii_lowercase().into(),
        default,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::Glob;

    fn ctx() -> Context {
        let mut c = Context::default();
        c.insert("aws:username", "alice");
        c.insert_multi("aws:TagKeys", vec!["a".into(), "b".into()]);
        c
    }

    #[test]
    fn resolves_variables_defaults_and_escapes() {
        let t =
            Template::parse("home/${aws:username}/${aws:PrincipalTag/team, 'none'}/${*}").unwrap();
        assert_eq!(t.resolve_string(&ctx()).unwrap(), "home/alice/none/*");
        let mut v = Vec::new();
        t.resolve_chars(&ctx(), true, &mut v).unwrap();
        let g = Glob::from_chars(&v);
        assert!(g.matches("home/alice/none/*"));
        assert!(!g.matches("home/alice/none/x"));
    }

    #[test]
    fn missing_or_multivalued_variable_fails() {
        assert!(
            Template::parse("${aws:userid}")
                .unwrap()
                .resolve_string(&ctx())
                .is_none()
        );
        assert!(
            Template::parse("${aws:TagKeys}")
                .unwrap()
                .resolve_string(&ctx())
                .is_none()
        );
    }

    #[test]
    fn plain_text_is_not_a_template() {
        assert!(Template::parse("arn:aws:s3:::b/*").is_none());
        assert!(Template::parse("${unterminated").is_none());
    }
}
