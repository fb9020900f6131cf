//! Where an expression is evaluated: its source text (for origins and `expr` texts), its document
//! path (`resource.aws_lambda_function.api.environment.variables.DB_PASSWORD`), and the names bound
//! around it (`count`, `each`, `for` variables, `dynamic` iterators, `templatefile` variables).

use std::sync::Arc;
use warden_model::Node;
use warden_source::{Origin, Span};

/// The text an expression was parsed from.
#[derive(Debug, Clone, Copy)]
pub struct Src<'s> {
    pub rel: &'s Arc<str>,
    pub text: &'s str,
}

impl Src<'_> {
    /// The origin of `range` (a byte range of this text) at document path `path`.
    pub fn origin(&self, range: Option<std::ops::Range<usize>>, path: &str) -> Origin {
        let span = range.map_or(Span::new(0, 0), |r| {
            Span::new(
                u32::try_from(r.start).unwrap_or(u32::MAX),
                u32::try_from(r.end).unwrap_or(u32::MAX),
            )
        });
        Origin::new(self.rel.clone(), span, path)
    }

    /// The source text of `range`, shortened for messages.
    pub fn snippet(&self, range: Option<std::ops::Range<usize>>) -> String {
        let text = range
            .and_then(|r| self.text.get(r))
            .unwrap_or("<expression>")
            .trim();
        let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if one_line.chars().count() > 120 {
            let cut: String = one_line.chars().take(117).collect();
            format!("{cut}...")
        } else {
            one_line
        }
    }
}

/// The name of a frame whose value is a map binding each of its keys (`templatefile` variables).
pub const ALL_NAMES: &str = "*";

/// A name bound around an expression; scopes chain to their parent.
#[derive(Debug)]
pub struct Scope<'p> {
    pub parent: Option<&'p Scope<'p>>,
    pub name: String,
    pub value: Node,
}

impl<'p> Scope<'p> {
    pub fn bind(parent: Option<&'p Scope<'p>>, name: impl Into<String>, value: Node) -> Self {
        Self {
            parent,
            name: name.into(),
            value,
        }
    }
}

/// The innermost binding of `name`.
pub fn lookup<'a>(scope: Option<&'a Scope<'a>>, name: &str) -> Option<&'a Node> {
    let mut cur = scope;
    while let Some(s) = cur {
        if s.name == name {
            return Some(&s.value);
        }
        if s.name == ALL_NAMES
            && let Some(v) = s.value.get(name)
        {
            return Some(v);
        }
        cur = s.parent;
    }
    None
}
