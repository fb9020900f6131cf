//! The JSON dialect the Functions host accepts in `host.json`, `function.json` and
//! `local.settings.json` (it reads them with a lenient parser): `//` and `/* */` comments and
//! trailing commas. [`strict`] blanks them out with spaces, so the text parses as strict JSON and
//! every byte offset still points at the original text.

use std::borrow::Cow;

/// The text with comments and trailing commas replaced by spaces (newlines kept).
pub fn strict(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    if !b.contains(&b'/') && !b.contains(&b',') {
        return Cow::Borrowed(text);
    }
    let mut out = b.to_vec();
    let mut i = 0;
    let mut in_string = false;
    // The position of the last comma outside strings not yet followed by a value.
    let mut pending_comma: Option<usize> = None;
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                in_string = true;
                pending_comma = None;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                for (j, byte) in out.iter_mut().enumerate().take(end).skip(i) {
                    if b[j] != b'\n' {
                        *byte = b' ';
                    }
                }
                i = end;
                continue;
            }
            b',' => pending_comma = Some(i),
            b'}' | b']' => {
                if let Some(p) = pending_comma.take() {
                    out[p] = b' ';
                }
            }
            c if c.is_ascii_whitespace() => {}
            _ => pending_comma = None,
        }
        i += 1;
    }
    // Only ASCII bytes were replaced by ASCII spaces, and whole comments: still UTF-8.
    match String::from_utf8(out) {
        Ok(s) => Cow::Owned(s),
        Err(_) => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_trailing_commas_become_spaces() {
        let text = "{\n  \"a\": \"x//y,\", // note é\n  /* b */ \"b\": [1, 2,],\n}";
        let s = strict(text);
        assert_eq!(s.len(), text.len());
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["a"], "x//y,");
        assert_eq!(v["b"], serde_json::json!([1, 2]));
    }

    #[test]
    fn strict_json_is_untouched() {
        let text = "{\"a\": [1, 2]}";
        assert_eq!(strict(text), text);
    }

    #[test]
    fn unterminated_parts_do_not_panic() {
        for t in ["/*", "\"", "//", "{,", "\"\\"] {
            let _ = strict(t);
        }
    }
}
