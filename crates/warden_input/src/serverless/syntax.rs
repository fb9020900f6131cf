//! The `${…}` variable syntax of `serverless.yml` strings, parsed into text and variable parts.
//!
//! A variable starts with `${` followed by a lowercase letter and a source type: `${type:address}`,
//! `${type(param, …):address}` or `${type(param)}`. After the first source, comma-separated
//! fallbacks follow: more sources (`self:provider.stage`, `${self:x}`), quoted strings, numbers,
//! `true`, `false`, `null` or a bare word. Addresses and parameters may nest variables
//! (`${self:custom.${opt:stage}.url}`). Anything else after `${` (`${AWS::Region}`,
//! `${BucketName}` in a CloudFormation `Fn::Sub`) is foreign text kept as written, as the
//! framework does; `\$` writes a literal `$`.

use std::fmt;

/// A string: text and variables, in order.
pub type Template = Vec<Part>;

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    Var(Variable),
}

/// One `${…}` with its sources, first to last fallback.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    pub sources: Vec<Source>,
    /// The variable as written, for messages and unknown placeholders.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// `type:address`, `type(params):address`, `type(params)`.
    Ref {
        kind: String,
        params: Vec<Template>,
        address: Option<Template>,
    },
    /// A literal fallback.
    Literal(Literal),
    /// A `${…}` written in a fallback position.
    Nested(Variable),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Num(String),
    Bool(bool),
    Null,
}

/// Invalid variable syntax, with the byte offset in the string where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub at: usize,
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.at)
    }
}

/// Deepest nesting of variables inside addresses and parameters.
const MAX_NESTING: usize = 32;

/// True when `s` may hold a variable or an escape (a cheap test before [`parse`]).
pub fn may_have_variables(s: &str) -> bool {
    s.contains("${") || s.contains("\\$")
}

/// Parses a whole string.
pub fn parse(s: &str) -> Result<Template, SyntaxError> {
    let mut p = Parser {
        s,
        b: s.as_bytes(),
        i: 0,
    };
    let parts = p.parts(&[], 0)?;
    Ok(parts)
}

struct Parser<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn err<T>(&self, message: impl Into<String>) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            at: self.i,
            message: message.into(),
        })
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    /// Text and variables up to (not including) a byte of `stops` outside any brace, or the end.
    fn parts(&mut self, stops: &[u8], nesting: usize) -> Result<Template, SyntaxError> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut foreign_depth = 0usize;
        let mut text_start = self.i;
        while let Some(c) = self.peek() {
            if foreign_depth == 0 && stops.contains(&c) {
                break;
            }
            match c {
                b'\\' if self.b.get(self.i + 1) == Some(&b'$') => {
                    text.push_str(&self.s[text_start..self.i]);
                    text.push('$');
                    self.i += 2;
                    text_start = self.i;
                }
                b'$' if self.b.get(self.i + 1) == Some(&b'{') => {
                    let start = self.i;
                    if let Some(var) = self.variable(nesting)? {
                        text.push_str(&self.s[text_start..start]);
                        if !text.is_empty() {
                            parts.push(Part::Text(std::mem::take(&mut text)));
                        }
                        parts.push(Part::Var(var));
                        text_start = self.i;
                    } else {
                        // Foreign `${…}` (CloudFormation `Fn::Sub`): kept as written.
                        self.i = start + 2;
                        foreign_depth += 1;
                    }
                }
                b'}' if foreign_depth > 0 => {
                    foreign_depth -= 1;
                    self.i += 1;
                }
                _ => self.i += 1,
            }
        }
        text.push_str(&self.s[text_start..self.i]);
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(parts)
    }

    /// A variable at `${`; `None` (cursor unchanged) when the text is foreign syntax.
    fn variable(&mut self, nesting: usize) -> Result<Option<Variable>, SyntaxError> {
        if nesting >= MAX_NESTING {
            return self.err(format!("variables nested deeper than {MAX_NESTING} levels"));
        }
        let start = self.i;
        if !self.b.get(start + 2).is_some_and(u8::is_ascii_lowercase) {
            return Ok(None);
        }
        self.i = start + 2;
        let first = self.source(nesting)?;
        let is_ref = match &first {
            Source::Ref {
                address, params, ..
            } => {
                // `${aws::x}`: an address starting with `:` is foreign, as in the framework.
                !(params.is_empty()
                    && matches!(address.as_deref(), Some([Part::Text(t), ..]) if t.starts_with(':')))
            }
            _ => false,
        };
        if !is_ref {
            self.i = start;
            return Ok(None);
        }
        let mut sources = vec![first];
        loop {
            self.skip_spaces();
            match self.peek() {
                Some(b'}') => {
                    self.i += 1;
                    break;
                }
                Some(b',') => {
                    self.i += 1;
                    self.skip_spaces();
                    sources.push(self.source(nesting)?);
                }
                Some(_) => return self.err("expected `,` or `}` after a variable source"),
                None => {
                    self.i = start;
                    return self.err("unterminated variable: missing `}`");
                }
            }
        }
        Ok(Some(Variable {
            sources,
            text: self.s[start..self.i].to_string(),
        }))
    }

    fn source(&mut self, nesting: usize) -> Result<Source, SyntaxError> {
        self.skip_spaces();
        match self.peek() {
            Some(q @ (b'\'' | b'"')) => {
                return self.quoted(q).map(|s| Source::Literal(Literal::Str(s)));
            }
            Some(b'$') if self.b.get(self.i + 1) == Some(&b'{') => {
                let at = self.i;
                return match self.variable(nesting + 1)? {
                    Some(v) => Ok(Source::Nested(v)),
                    None => {
                        self.i = at;
                        self.err("a fallback `${…}` must be a variable")
                    }
                };
            }
            None => return self.err("unterminated variable: missing `}`"),
            _ => {}
        }
        let word_start = self.i;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
        {
            self.i += 1;
        }
        let word = &self.s[word_start..self.i];
        let is_type = word.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
            && word.bytes().all(|c| c.is_ascii_alphanumeric());
        match self.peek() {
            Some(b'(') if is_type => {
                self.i += 1;
                let mut params = Vec::new();
                loop {
                    self.skip_spaces();
                    if self.peek() == Some(b')') {
                        self.i += 1;
                        break;
                    }
                    let param = match self.peek() {
                        Some(q @ (b'\'' | b'"')) => {
                            let s = self.quoted(q)?;
                            self.skip_spaces();
                            vec![Part::Text(s)]
                        }
                        _ => trim(self.parts(b",)}", nesting + 1)?),
                    };
                    params.push(param);
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b')') => {
                            self.i += 1;
                            break;
                        }
                        _ => return self.err("unterminated parameter list: missing `)`"),
                    }
                }
                self.skip_spaces();
                let address = if self.peek() == Some(b':') {
                    self.i += 1;
                    Some(self.address(nesting)?)
                } else {
                    None
                };
                Ok(Source::Ref {
                    kind: word.to_string(),
                    params,
                    address,
                })
            }
            Some(b':') if is_type => {
                self.i += 1;
                Ok(Source::Ref {
                    kind: word.to_string(),
                    params: Vec::new(),
                    address: Some(self.address(nesting)?),
                })
            }
            _ if word.is_empty() => self.err("invalid variable source"),
            _ => Ok(Source::Literal(literal(word))),
        }
    }

    fn address(&mut self, nesting: usize) -> Result<Template, SyntaxError> {
        self.skip_spaces();
        if let Some(q @ (b'\'' | b'"')) = self.peek() {
            return Ok(vec![Part::Text(self.quoted(q)?)]);
        }
        Ok(trim(self.parts(b",}", nesting + 1)?))
    }

    /// A quoted string starting at the quote; double quotes take JSON-style escapes.
    fn quoted(&mut self, quote: u8) -> Result<String, SyntaxError> {
        let start = self.i;
        self.i += 1;
        let mut out = String::new();
        let mut run = self.i;
        while let Some(c) = self.peek() {
            if c == quote {
                out.push_str(&self.s[run..self.i]);
                self.i += 1;
                return Ok(out);
            }
            if c == b'\\' && quote == b'"' {
                out.push_str(&self.s[run..self.i]);
                let esc = self.b.get(self.i + 1).copied();
                match esc {
                    Some(b'n') => out.push('\n'),
                    Some(b't') => out.push('\t'),
                    Some(e @ (b'"' | b'\\' | b'/')) => out.push(char::from(e)),
                    _ => out.push('\\'),
                }
                self.i += if esc.is_some_and(|e| matches!(e, b'n' | b't' | b'"' | b'\\' | b'/')) {
                    2
                } else {
                    1
                };
                run = self.i;
                continue;
            }
            self.i += 1;
        }
        self.i = start;
        self.err("unterminated string literal in a variable")
    }
}

fn literal(word: &str) -> Literal {
    match word {
        "true" => Literal::Bool(true),
        "false" => Literal::Bool(false),
        "null" => Literal::Null,
        w if w.parse::<f64>().is_ok() && w.bytes().any(|c| c.is_ascii_digit()) => {
            Literal::Num(w.to_string())
        }
        w => Literal::Str(w.to_string()),
    }
}

/// Trims surrounding whitespace from the text at both ends of a template.
fn trim(mut parts: Template) -> Template {
    if let Some(Part::Text(t)) = parts.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(Part::Text(t)) = parts.last_mut() {
        *t = t.trim_end().to_string();
    }
    parts.retain(|p| !matches!(p, Part::Text(t) if t.is_empty()));
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(s: &str) -> Variable {
        match parse(s).unwrap().as_slice() {
            [Part::Var(v)] => v.clone(),
            other => panic!("not one variable: {other:?}"),
        }
    }

    #[test]
    fn whole_variable_with_fallbacks() {
        let v = var("${opt:stage, self:provider.stage, 'dev'}");
        assert_eq!(v.sources.len(), 3);
        assert!(matches!(&v.sources[0], Source::Ref { kind, .. } if kind == "opt"));
        assert!(matches!(&v.sources[1], Source::Ref { kind, .. } if kind == "self"));
        assert_eq!(v.sources[2], Source::Literal(Literal::Str("dev".into())));
    }

    #[test]
    fn foreign_syntax_is_text() {
        let parts = parse("arn:${AWS::Partition}:s3:::${Bucket}/*").unwrap();
        assert_eq!(
            parts,
            vec![Part::Text("arn:${AWS::Partition}:s3:::${Bucket}/*".into())]
        );
        assert_eq!(
            parse("${aws::x}").unwrap(),
            vec![Part::Text("${aws::x}".into())]
        );
    }

    #[test]
    fn nested_address_and_params() {
        let v = var("${self:custom.${opt:stage}.url}");
        let Source::Ref {
            address: Some(addr),
            ..
        } = &v.sources[0]
        else {
            panic!()
        };
        assert_eq!(addr.len(), 3);
        let v = var("${file(./config/${sls:stage}.yml):db.name}");
        let Source::Ref {
            kind,
            params,
            address,
        } = &v.sources[0]
        else {
            panic!()
        };
        assert_eq!(kind, "file");
        assert_eq!(params[0].len(), 3);
        assert_eq!(
            address.as_ref().unwrap(),
            &vec![Part::Text("db.name".into())]
        );
    }

    #[test]
    fn embedded_and_escaped() {
        let parts = parse("svc-${sls:stage}-\\${not}").unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[2], Part::Text("-${not}".into()));
    }

    #[test]
    fn errors_are_reported() {
        assert!(parse("${self:custom.x").is_err());
        assert!(parse("${opt:stage, 'dev}").is_err());
        let deep = format!("{}x{}", "${self:".repeat(40), "}".repeat(40));
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn literals() {
        let v = var("${opt:count, 3}");
        assert_eq!(v.sources[1], Source::Literal(Literal::Num("3".into())));
        let v = var("${env:X, null}");
        assert_eq!(v.sources[1], Source::Literal(Literal::Null));
        let v = var("${opt:x, ${self:y}}");
        assert!(matches!(v.sources[1], Source::Nested(_)));
    }
}
