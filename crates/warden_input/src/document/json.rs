//! JSON (RFC 8259, strict) into the tree [`Builder`], with byte offsets.
//!
//! A small iterative parser: containers live on an explicit stack bounded by the builder's depth
//! limit, strings without escapes are copied in one slice, numbers keep their text. CloudFormation
//! JSON templates are strict JSON, so comments and trailing commas are syntax errors.

use super::builder::{Builder, Res, Scalar};
use super::error::DocumentError;
use super::limits::Limits;
use super::offsets::to_u32;
use super::{Document, Format};
use std::sync::Arc;
use warden_source::Span;

/// Parses `body` (a BOM already stripped; offsets shifted by `base`).
pub(super) fn parse(
    file: Arc<str>,
    body: &str,
    base: u32,
    limits: &Limits,
) -> Result<Document, DocumentError> {
    let mut p = JsonParser {
        s: body,
        b: body.as_bytes(),
        pos: 0,
        base,
        builder: Builder::new(file, limits),
    };
    p.document()?;
    let (root, warnings) = p.builder.finish(base);
    Ok(Document {
        root,
        warnings,
        format: Format::Json,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    Object,
    Array,
}

struct JsonParser<'s, 'l> {
    s: &'s str,
    b: &'s [u8],
    pos: usize,
    base: u32,
    builder: Builder<'l>,
}

impl JsonParser<'_, '_> {
    fn at(&self, pos: usize) -> u32 {
        self.base + to_u32(pos)
    }

    fn error(&self, message: impl Into<String>) -> DocumentError {
        let at = self.at(self.pos.min(self.b.len()));
        DocumentError::Syntax {
            format: Format::Json,
            message: message.into(),
            span: Span::new(at, at),
        }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn document(&mut self) -> Result<(), DocumentError> {
        self.ws();
        if self.pos == self.b.len() {
            return Ok(()); // empty document: null root
        }
        let mut stack: Vec<Container> = Vec::new();
        loop {
            // A value starts here.
            self.ws();
            let start = self.pos;
            match self.peek() {
                Some(open @ (b'{' | b'[')) => {
                    let map = open == b'{';
                    self.builder
                        .start_collection(map, self.at(start), true, true, None, 0)?;
                    self.pos += 1;
                    self.ws();
                    let close = if map { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        self.builder.end_collection(Some(self.at(self.pos)))?;
                    } else {
                        if map {
                            stack.push(Container::Object);
                            self.key()?;
                        } else {
                            stack.push(Container::Array);
                        }
                        continue;
                    }
                }
                Some(b'"') => {
                    let scalar = self.string(Res::Str)?;
                    self.builder.scalar(scalar)?;
                }
                Some(b't') => self.literal("true", Res::Bool)?,
                Some(b'f') => self.literal("false", Res::Bool)?,
                Some(b'n') => self.literal("null", Res::Null)?,
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(_) => return Err(self.error("expected a value")),
                None => return Err(self.error("unexpected end of input: expected a value")),
            }
            // A value ended: separators and closing brackets until the next value starts.
            loop {
                self.ws();
                let Some(&top) = stack.last() else {
                    if self.pos < self.b.len() {
                        return Err(self.error("unexpected characters after the JSON value"));
                    }
                    return Ok(());
                };
                let close = if top == Container::Object { b'}' } else { b']' };
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        if top == Container::Object {
                            self.key()?;
                        }
                        break;
                    }
                    Some(c) if c == close => {
                        self.pos += 1;
                        stack.pop();
                        self.builder.end_collection(Some(self.at(self.pos)))?;
                    }
                    _ if top == Container::Object => {
                        return Err(self.error("expected `,` or `}` after an object value"));
                    }
                    _ => return Err(self.error("expected `,` or `]` after an array item")),
                }
            }
        }
    }

    /// An object key and its colon.
    fn key(&mut self) -> Result<(), DocumentError> {
        self.ws();
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a string key"));
        }
        let key = self.string(Res::Str)?;
        self.builder.scalar(key)?;
        self.ws();
        if self.peek() != Some(b':') {
            return Err(self.error("expected `:` after an object key"));
        }
        self.pos += 1;
        Ok(())
    }

    fn literal(&mut self, word: &'static str, res: Res) -> Result<(), DocumentError> {
        let start = self.pos;
        if !self.b[start..].starts_with(word.as_bytes()) {
            return Err(self.error("expected a value"));
        }
        self.pos += word.len();
        self.builder.scalar(Scalar {
            text: word.to_string(),
            res,
            span: Span::new(self.at(start), self.at(self.pos)),
            verbatim_at: Some(self.at(start)),
            wrap: None,
            anchor: 0,
        })
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<(), DocumentError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("invalid number: expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number: expected a digit after `.`"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number: expected an exponent"));
            }
        }
        let text = self.s[start..self.pos].to_string();
        self.builder.scalar(Scalar {
            text,
            res: Res::Num,
            span: Span::new(self.at(start), self.at(self.pos)),
            verbatim_at: Some(self.at(start)),
            wrap: None,
            anchor: 0,
        })
    }

    /// A string starting at the current `"`.
    fn string(&mut self, res: Res) -> Result<Scalar, DocumentError> {
        let start = self.pos;
        self.pos += 1;
        let mut out: Option<String> = None;
        let mut seg = self.pos;
        loop {
            let rest = &self.b[self.pos..];
            let Some(i) = rest
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
            else {
                self.pos = self.b.len();
                return Err(self.error("unterminated string"));
            };
            self.pos += i;
            match self.b[self.pos] {
                b'"' => {
                    let raw = &self.s[seg..self.pos];
                    let verbatim_at = out.is_none().then(|| self.at(start + 1));
                    let text = match out {
                        Some(mut s) => {
                            s.push_str(raw);
                            s
                        }
                        None => raw.to_string(),
                    };
                    self.pos += 1;
                    return Ok(Scalar {
                        text,
                        res,
                        span: Span::new(self.at(start), self.at(self.pos)),
                        verbatim_at,
                        wrap: None,
                        anchor: 0,
                    });
                }
                b'\\' => {
                    let buf = out.get_or_insert_with(String::new);
                    buf.push_str(&self.s[seg..self.pos]);
                    let c = self.escape()?;
                    if let Some(buf) = out.as_mut() {
                        buf.push(c);
                    }
                    seg = self.pos;
                }
                _ => return Err(self.error("control character in string (must be escaped)")),
            }
        }
    }

    /// An escape sequence at the current `\`; leaves `pos` after it.
    fn escape(&mut self) -> Result<char, DocumentError> {
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let hi = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    if !self.b[self.pos..].starts_with(b"\\u") {
                        return Err(self.error("unpaired surrogate in \\u escape"));
                    }
                    self.pos += 2;
                    let lo = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(self.error("unpaired surrogate in \\u escape"));
                    }
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                } else {
                    hi
                };
                return char::from_u32(code)
                    .ok_or_else(|| self.error("unpaired surrogate in \\u escape"));
            }
            _ => return Err(self.error("invalid escape sequence")),
        };
        self.pos += 1;
        Ok(c)
    }

    fn hex4(&mut self) -> Result<u32, DocumentError> {
        let digits = self
            .b
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.error("truncated \\u escape"))?;
        let mut v = 0u32;
        for &d in digits {
            let n = (d as char)
                .to_digit(16)
                .ok_or_else(|| self.error("invalid hex digit in \\u escape"))?;
            v = v * 16 + n;
        }
        self.pos += 4;
        Ok(v)
    }
}
