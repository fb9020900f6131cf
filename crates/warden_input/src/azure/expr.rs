//! Call arguments and simple expressions over [`lex`](super::lex) tokens: string literals, lists of
//! them, dotted names (`func.AuthLevel.ANONYMOUS`), JavaScript object literals, keyword arguments
//! (`route="x"` in Python, `Route = "x"` in C#). Anything else is [`Expr::Other`]: its value is
//! not known statically.

use super::lex::{Tok, Token};

/// Maximum nesting of lists and objects followed.
const MAX_DEPTH: usize = 32;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A string literal (adjacent literals concatenated); `plain` is false with interpolation.
    Str {
        value: String,
        plain: bool,
    },
    List(Vec<Spanned>),
    /// `a.b.c`.
    Dotted(String),
    /// `None`, `null`, `undefined`.
    Null,
    Bool(bool),
    /// A JavaScript object literal: `(key, key span, value)`.
    Object(Vec<(String, (usize, usize), Spanned)>),
    Other,
}

/// An expression and its byte span.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    pub expr: Expr,
    pub start: usize,
    pub end: usize,
}

impl Spanned {
    /// A plain string's value.
    pub fn str(&self) -> Option<&str> {
        match &self.expr {
            Expr::Str { value, plain: true } => Some(value),
            _ => None,
        }
    }

    /// The last segment of a dotted name (`ANONYMOUS` of `func.AuthLevel.ANONYMOUS`).
    pub fn last_segment(&self) -> Option<&str> {
        match &self.expr {
            Expr::Dotted(d) => d.rsplit('.').next(),
            _ => None,
        }
    }

    /// An object literal's entry.
    pub fn field(&self, key: &str) -> Option<&Spanned> {
        match &self.expr {
            Expr::Object(entries) => entries.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }
}

/// One argument of a call: positional or `key = value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub key: Option<String>,
    pub value: Spanned,
}

/// The route a trigger declares in keyword argument `key`: `None` when absent or `null` (the
/// function's name is the route), `{unknown}` when it is not a string literal.
pub fn route_arg(args: &[Arg], key: &str) -> Option<String> {
    kwarg(args, key).and_then(|r| match &r.expr {
        Expr::Null => None,
        _ => Some(
            r.str()
                .map_or_else(|| "{unknown}".to_string(), str::to_string),
        ),
    })
}

/// The keyword argument `key`.
pub fn kwarg<'a>(args: &'a [Arg], key: &str) -> Option<&'a Spanned> {
    args.iter()
        .find(|a| a.key.as_deref() == Some(key))
        .map(|a| &a.value)
}

/// The positional arguments, in order.
pub fn positional(args: &[Arg]) -> impl Iterator<Item = &Spanned> {
    args.iter().filter(|a| a.key.is_none()).map(|a| &a.value)
}

/// The index just after the bracket matching the opener at `open` (or the end of the tokens).
pub fn skip_group(toks: &[Token], open: usize) -> usize {
    if let Some(t) = toks.get(open)
        && t.close > open
    {
        return t.close.min(toks.len());
    }
    let mut depth = 0usize;
    let mut i = open;
    while i < toks.len() {
        match toks[i].tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    toks.len()
}

/// Parses the arguments of the call whose `(` (or `[` for C# attributes without parentheses) is
/// at `open`. Returns the arguments and the index after the closing bracket.
pub fn call_args(toks: &[Token], open: usize) -> (Vec<Arg>, usize) {
    let end = skip_group(toks, open);
    let inner_end = if end > open + 1 && end <= toks.len() && is_closer(&toks[end - 1]) {
        end - 1
    } else {
        end
    };
    let mut args = Vec::new();
    for (a, b) in split_top(toks, open + 1, inner_end) {
        if a >= b {
            continue;
        }
        let keyed = b - a >= 3
            && toks[a].ident().is_some()
            && toks[a + 1].is_punct('=')
            && !toks[a + 2].is_punct('=');
        if keyed {
            let key = toks[a].ident().map(str::to_string);
            args.push(Arg {
                key,
                value: expr(toks, a + 2, b, 0),
            });
        } else {
            args.push(Arg {
                key: None,
                value: expr(toks, a, b, 0),
            });
        }
    }
    (args, end)
}

fn is_closer(t: &Token) -> bool {
    matches!(t.tok, Tok::Punct(')' | ']' | '}'))
}

/// Splits `[from, to)` at top-level commas.
fn split_top(toks: &[Token], from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = from;
    let to = to.min(toks.len());
    for (i, t) in toks.iter().enumerate().take(to).skip(from) {
        match t.tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => depth = depth.saturating_sub(1),
            Tok::Punct(',') if depth == 0 => {
                out.push((start, i));
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < to {
        out.push((start, to));
    }
    out
}

/// Parses the expression made of tokens `[a, b)`.
pub fn expr(toks: &[Token], a: usize, b: usize, depth: usize) -> Spanned {
    let b = b.min(toks.len());
    let (start, end) = if a < b {
        (toks[a].start, toks[b - 1].end)
    } else {
        let at = toks.get(a).map_or(0, |t| t.start);
        (at, at)
    };
    let mk = |expr| Spanned { expr, start, end };
    if a >= b || depth > MAX_DEPTH {
        return mk(Expr::Other);
    }
    let slice = &toks[a..b];
    // Adjacent string literals (Python implicit concatenation), possibly joined by `+`.
    if slice
        .iter()
        .all(|t| matches!(t.tok, Tok::Str { .. } | Tok::Punct('+')))
        && matches!(slice[0].tok, Tok::Str { .. })
    {
        let mut value = String::new();
        let mut all_plain = true;
        for t in slice {
            if let Tok::Str { value: v, plain } = &t.tok {
                value.push_str(v);
                all_plain &= plain;
            }
        }
        return mk(Expr::Str {
            value,
            plain: all_plain,
        });
    }
    let closes_at_end =
        matches!(slice[0].tok, Tok::Punct('[' | '{' | '(')) && skip_group(toks, a) == b;
    match &slice[0].tok {
        // `(x)` is `x`; `(x, y)` a Python tuple, read as a list.
        Tok::Punct('(') if closes_at_end => {
            let parts = split_top(toks, a + 1, b - 1);
            if let [(x, y)] = parts.as_slice()
                && !toks[*y..b - 1].iter().any(|t| t.is_punct(','))
            {
                return expr(toks, *x, *y, depth + 1);
            }
            let items = parts
                .into_iter()
                .filter(|(x, y)| x < y)
                .map(|(x, y)| expr(toks, x, y, depth + 1))
                .collect();
            return mk(Expr::List(items));
        }
        Tok::Punct('[') if closes_at_end => {
            let items = split_top(toks, a + 1, b - 1)
                .into_iter()
                .filter(|(x, y)| x < y)
                .map(|(x, y)| expr(toks, x, y, depth + 1))
                .collect();
            return mk(Expr::List(items));
        }
        Tok::Punct('{') if closes_at_end => {
            let parts = split_top(toks, a + 1, b - 1);
            // `{A, B}` without keys: a Java array initializer.
            let keyed = |&(x, y): &(usize, usize)| y - x >= 3 && toks[x + 1].is_punct(':');
            if !parts.is_empty() && !parts.iter().any(keyed) {
                let items = parts
                    .into_iter()
                    .filter(|(x, y)| x < y)
                    .map(|(x, y)| expr(toks, x, y, depth + 1))
                    .collect();
                return mk(Expr::List(items));
            }
            let mut entries = Vec::new();
            for (x, y) in parts {
                if y - x < 3 || !toks[x + 1].is_punct(':') {
                    continue;
                }
                let key = match &toks[x].tok {
                    Tok::Ident(k) => k.clone(),
                    Tok::Str { value, .. } => value.clone(),
                    _ => continue,
                };
                entries.push((
                    key,
                    (toks[x].start, toks[x].end),
                    expr(toks, x + 2, y, depth + 1),
                ));
            }
            return mk(Expr::Object(entries));
        }
        _ => {}
    }
    // A dotted name: ident (. ident)*
    let dotted = slice.len() % 2 == 1
        && slice.iter().enumerate().all(|(i, t)| {
            if i % 2 == 0 {
                t.ident().is_some()
            } else {
                t.is_punct('.')
            }
        });
    if dotted {
        let name: String = slice
            .iter()
            .map(|t| match &t.tok {
                Tok::Ident(s) => s.as_str(),
                _ => ".",
            })
            .collect();
        return mk(match name.as_str() {
            "None" | "null" | "undefined" => Expr::Null,
            "True" | "true" => Expr::Bool(true),
            "False" | "false" => Expr::Bool(false),
            _ => Expr::Dotted(name),
        });
    }
    mk(Expr::Other)
}

#[cfg(test)]
mod tests {
    use super::super::lex::{Lang, tokenize};
    use super::*;

    #[test]
    fn python_keyword_arguments() {
        let toks = tokenize(
            "(route=\"a\" 'b', auth_level=func.AuthLevel.ANONYMOUS, methods=[\"GET\", func.HttpMethod.POST], x=f(1))",
            Lang::Python,
        );
        let (args, end) = call_args(&toks, 0);
        assert_eq!(end, toks.len());
        assert_eq!(kwarg(&args, "route").and_then(Spanned::str), Some("ab"));
        assert_eq!(
            kwarg(&args, "auth_level").and_then(Spanned::last_segment),
            Some("ANONYMOUS")
        );
        let Some(Spanned {
            expr: Expr::List(m),
            ..
        }) = kwarg(&args, "methods")
        else {
            panic!("methods")
        };
        assert_eq!(m[0].str(), Some("GET"));
        assert_eq!(m[1].last_segment(), Some("POST"));
        assert_eq!(kwarg(&args, "x").map(|s| &s.expr), Some(&Expr::Other));
    }

    #[test]
    fn tuples_and_parentheses() {
        let toks = tokenize(r#"(methods=("GET", "POST"), route=("a"))"#, Lang::Python);
        let (args, _) = call_args(&toks, 0);
        let Some(Spanned {
            expr: Expr::List(m),
            ..
        }) = kwarg(&args, "methods")
        else {
            panic!("methods")
        };
        assert_eq!(m.len(), 2);
        assert_eq!(kwarg(&args, "route").and_then(Spanned::str), Some("a"));
    }

    #[test]
    fn js_object_literal() {
        let toks = tokenize(
            "('hello', { methods: ['GET'], 'authLevel': 'anonymous', handler: async (r) => { return 1; } })",
            Lang::Js,
        );
        let (args, _) = call_args(&toks, 0);
        let pos: Vec<_> = positional(&args).collect();
        assert_eq!(pos[0].str(), Some("hello"));
        assert_eq!(
            pos[1].field("authLevel").and_then(Spanned::str),
            Some("anonymous")
        );
        assert!(pos[1].field("handler").is_some());
    }

    #[test]
    fn unbalanced_input_is_tolerated() {
        for text in ["(", "(a=", "([", "({a:", "(a.b.", ")"] {
            let toks = tokenize(text, Lang::Js);
            let _ = call_args(&toks, 0);
        }
    }
}
