//! Turns a request into the values the WAF inspects: path, query parameters, headers, cookies
//! and body fields (JSON strings and keys, form fields, multipart parts, XML text and
//! attributes). Bodies are parsed, not pattern-matched raw, so encodings are undone first.

use super::decode::form_decode;

/// Where a value came from (for logs and audit records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
    Body,
}

impl Location {
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
            Location::Body => "body",
        }
    }
}

/// Splits `a=1&b=2` into decoded names and values.
pub fn form_pairs(s: &str) -> impl Iterator<Item = (String, String)> + '_ {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (form_decode(k), form_decode(v)),
            None => (form_decode(p), String::new()),
        })
}

/// Splits a `Cookie` header into values.
pub fn cookie_values(h: &str) -> impl Iterator<Item = &str> {
    h.split(';')
        .map(|c| c.split_once('=').map(|(_, v)| v).unwrap_or(c).trim())
}

/// Collects the strings of a JSON document (keys and string values), at most `max_items`.
pub fn json_strings(v: &serde_json::Value, out: &mut Vec<String>, max_items: usize) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        if out.len() >= max_items {
            return;
        }
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => stack.extend(a.iter()),
            serde_json::Value::Object(o) => {
                for (k, v) in o {
                    out.push(k.clone());
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
}

/// Extracts the boundary of a `multipart/*` content type.
pub fn multipart_boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Splits a multipart body into (part headers, part content) pairs.
pub fn multipart_parts<'a>(body: &'a [u8], boundary: &str) -> Vec<(&'a [u8], &'a [u8])> {
    let delim = format!("--{boundary}");
    let d = delim.as_bytes();
    let mut parts = Vec::new();
    let mut positions = Vec::new();
    let mut i = 0;
    while let Some(p) = find(&body[i..], d) {
        positions.push(i + p);
        i += p + d.len();
    }
    for w in positions.windows(2) {
        let part = &body[w[0] + d.len()..w[1]];
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let part = part.strip_suffix(b"\r\n").unwrap_or(part);
        match find(part, b"\r\n\r\n") {
            Some(h) => parts.push((&part[..h], &part[h + 4..])),
            None => parts.push((part, &b""[..])),
        }
    }
    parts
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Extracts text content, CDATA and attribute values of an XML document with a linear scan, and
/// reports whether it declares a DTD (which the XXE rules then inspect raw).
pub fn xml_texts(doc: &str, out: &mut Vec<String>) {
    let b = doc.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < b.len() {
        if b[i] == b'<' {
            if i > text_start {
                push_nonblank(out, &doc[text_start..i]);
            }
            if doc[i..].starts_with("<![CDATA[") {
                let start = i + 9;
                let end = doc[start..]
                    .find("]]>")
                    .map(|e| start + e)
                    .unwrap_or(b.len());
                push_nonblank(out, &doc[start..end]);
                i = (end + 3).min(b.len());
                text_start = i;
                continue;
            }
            // Inside a tag: collect quoted attribute values.
            let mut j = i + 1;
            while j < b.len() && b[j] != b'>' {
                if b[j] == b'"' || b[j] == b'\'' {
                    let q = b[j];
                    let s = j + 1;
                    let mut e = s;
                    while e < b.len() && b[e] != q {
                        e += 1;
                    }
                    push_nonblank(out, &doc[s..e.min(b.len())]);
                    j = e + 1;
                    continue;
                }
                j += 1;
            }
            i = (j + 1).min(b.len());
            text_start = i;
            continue;
        }
        i += 1;
    }
    if text_start < b.len() {
        push_nonblank(out, &doc[text_start..]);
    }
}

fn push_nonblank(out: &mut Vec<String>, s: &str) {
    let t = s.trim();
    if !t.is_empty() {
        out.push(t.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_is_split() {
        let body = b"--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello\r\n--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"../../x\"\r\n\r\nbody2\r\n--XX--\r\n";
        let parts = multipart_parts(body, "XX");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].1, b"hello");
        assert!(String::from_utf8_lossy(parts[1].0).contains("../../x"));
        assert_eq!(
            multipart_boundary("multipart/form-data; boundary=\"XX\"").unwrap(),
            "XX"
        );
    }

    #[test]
    fn xml_text_and_attributes() {
        let mut out = Vec::new();
        xml_texts(
            "<a x='1'>hi<b y=\"&lt;z\"/><![CDATA[<script>]]></a>",
            &mut out,
        );
        assert_eq!(out, vec!["1", "hi", "&lt;z", "<script>"]);
        let mut out = Vec::new();
        xml_texts("<a", &mut out);
        xml_texts("<a b='", &mut out);
        xml_texts("<![CDATA[", &mut out);
    }
}
