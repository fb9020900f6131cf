//! Redaction for logs: sensitive headers, query parameters and JSON fields by name, and secret
//! patterns (card numbers passing the Luhn check, JWTs, bearer tokens, AWS key ids) anywhere.

use regex::Regex;
use serde_json::Value;

/// Placeholder written instead of a secret.
pub const MASK: &str = "[REDACTED]";

const DEFAULT_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "x-amz-security-token",
];
const DEFAULT_FIELDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "api_key",
    "apikey",
    "key",
    "authorization",
    "card",
    "card_number",
    "cardnumber",
    "pan",
    "cvv",
    "cvc",
    "ssn",
    "signature",
    "sig",
    "client_secret",
    "code",
];

/// A configured redactor.
#[derive(Debug)]
pub struct Redactor {
    headers: Vec<String>,
    fields: Vec<String>,
    patterns: Vec<Regex>,
    /// The same patterns in one set: one pass tells whether any applies.
    any_pattern: regex::RegexSet,
    card: Regex,
}

fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(*d);
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

impl Redactor {
    pub fn new(headers: &[String], fields: &[String], patterns: &[String]) -> Result<Self, String> {
        let mut ps = vec![
            Regex::new(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
                .map_err(|e| e.to_string())?,
            Regex::new(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{8,}").map_err(|e| e.to_string())?,
            Regex::new(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b").map_err(|e| e.to_string())?,
        ];
        for p in patterns {
            ps.push(Regex::new(p).map_err(|e| format!("redact pattern `{p}`: {e}"))?);
        }
        let any_pattern =
            regex::RegexSet::new(ps.iter().map(Regex::as_str)).map_err(|e| e.to_string())?;
        Ok(Self {
            any_pattern,
            headers: DEFAULT_HEADERS
                .iter()
                .map(|s| s.to_string())
                .chain(headers.iter().map(|h| h.to_ascii_lowercase()))
                .collect(),
            fields: DEFAULT_FIELDS
                .iter()
                .map(|s| s.to_string())
                .chain(fields.iter().map(|h| h.to_ascii_lowercase()))
                .collect(),
            patterns: ps,
            card: Regex::new(r"\b(?:\d[ -]?){12,18}\d\b").map_err(|e| e.to_string())?,
        })
    }

    /// Adds header names that carry secrets (API key and signature headers of authorizers).
    pub fn add_header(&mut self, name: &str) {
        self.headers.push(name.to_ascii_lowercase());
    }

    pub fn is_sensitive_header(&self, name: &str) -> bool {
        self.headers.iter().any(|h| h.eq_ignore_ascii_case(name))
    }

    fn is_sensitive_field(&self, name: &str) -> bool {
        let n = name.to_ascii_lowercase();
        self.fields.contains(&n)
    }

    /// Redacts secret patterns inside free text.
    pub fn text(&self, s: &str) -> String {
        // Fast path, same result: a card number needs 13 digits, and no other pattern applies.
        if s.bytes().filter(u8::is_ascii_digit).count() < 13 && !self.any_pattern.is_match(s) {
            return s.to_string();
        }
        let mut out = self
            .card
            .replace_all(s, |c: &regex::Captures<'_>| {
                let digits: Vec<u8> = c[0]
                    .bytes()
                    .filter(u8::is_ascii_digit)
                    .map(|b| b - b'0')
                    .collect();
                if (13..=19).contains(&digits.len()) && luhn(&digits) {
                    MASK.to_string()
                } else {
                    c[0].to_string()
                }
            })
            .into_owned();
        for p in &self.patterns {
            if p.is_match(&out) {
                out = p.replace_all(&out, MASK).into_owned();
            }
        }
        out
    }

    /// Redacts a header value by name, then by pattern.
    pub fn header(&self, name: &str, value: &str) -> String {
        if self.is_sensitive_header(name) {
            MASK.to_string()
        } else {
            self.text(value)
        }
    }

    /// Redacts a query string: sensitive parameter names are masked, values pattern-redacted.
    pub fn query(&self, q: &str) -> String {
        q.split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if self.is_sensitive_field(&crate::waf::decode::form_decode(k)) => {
                    format!("{k}={MASK}")
                }
                Some((k, v)) => format!("{k}={}", self.text(&crate::waf::decode::form_decode(v))),
                None => self.text(pair),
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Redacts a JSON document in place.
    pub fn json(&self, v: &mut Value) {
        match v {
            Value::Object(o) => {
                for (k, val) in o.iter_mut() {
                    if self.is_sensitive_field(k) {
                        *val = Value::String(MASK.into());
                    } else {
                        self.json(val);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| self.json(x)),
            Value::String(s) => *s = self.text(s),
            _ => {}
        }
    }

    /// Redacts a body for logging (JSON structurally, anything else as text), at most `max` bytes.
    pub fn body(&self, content_type: Option<&str>, body: &[u8], max: usize) -> Value {
        if content_type.is_some_and(|c| c.contains("json")) {
            if let Ok(mut v) = serde_json::from_slice::<Value>(body) {
                self.json(&mut v);
                return v;
            }
        }
        if content_type.is_some_and(|c| c.contains("x-www-form-urlencoded")) {
            return Value::String(self.query(&String::from_utf8_lossy(body)));
        }
        let text = String::from_utf8_lossy(body);
        Value::String(self.text(crate::waf::decode::truncate(&text, max)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_everything_sensitive() {
        let r = Redactor::new(&[], &["ssn_number".into()], &[r"sk_live_[a-z0-9]+".into()]).unwrap();
        assert_eq!(r.header("Authorization", "Bearer abc"), MASK);
        assert_eq!(
            r.text("card 4111 1111 1111 1111 ok"),
            format!("card {MASK} ok")
        );
        assert_eq!(
            r.text("order 1234567890123"),
            "order 1234567890123",
            "not Luhn-valid"
        );
        assert!(!r.text("t=eyJhbGciOi.eyJzdWIiOiIx.abcdef").contains("eyJ"));
        assert_eq!(r.text("key sk_live_abc123"), format!("key {MASK}"));
        assert_eq!(
            r.query("a=1&token=xyz&ssn_number=5"),
            format!("a=1&token={MASK}&ssn_number={MASK}")
        );
        let mut v = serde_json::json!({"user": "a", "password": "p", "nested": [{"card": "4111111111111111"}], "note": "4111-1111-1111-1111"});
        r.json(&mut v);
        let s = v.to_string();
        assert!(!s.contains("4111") && !s.contains("\"p\""), "{s}");
    }
}
