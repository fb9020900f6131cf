//! PEM private-key bodies: a header only counts when real key material follows it.

/// Minimum base64 characters of key material after the header (a 256-bit EC key has ~160).
const MIN_BODY: usize = 64;
/// How far past the header the body may extend.
pub(crate) const MAX_SPAN: usize = 16 * 1024;

/// Scans the body that follows a `-----BEGIN … PRIVATE KEY-----` header ending at `from`.
/// Accepts line breaks, escaped `\n`, string quotes and concatenation between base64 lines, and
/// RFC 1421 headers (`Proc-Type:`, `DEK-Info:`). Returns the end offset of the key (past the
/// footer when there is one) when enough key material follows.
pub(crate) fn body_end(text: &[u8], from: usize) -> Option<usize> {
    let limit = text.len().min(from.saturating_add(MAX_SPAN));
    let mut i = from;
    let mut material = 0usize;
    let mut line_chars = 0usize;
    let mut last_material = from;
    while i < limit {
        let rest = &text[i..limit];
        if rest.starts_with(b"-----END") {
            let footer_end = rest[8..]
                .windows(5)
                .position(|w| w == b"-----")
                .map(|p| i + 8 + p + 5)
                .filter(|&e| e - i <= 80)
                .unwrap_or(i + 8);
            return (material >= MIN_BODY).then_some(footer_end);
        }
        let b = text[i];
        if line_chars == 0 && b.is_ascii_alphabetic() && is_header_line(&text[i..limit]) {
            // An RFC 1421 header (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`): skip the line.
            while i < limit
                && text[i] != b'\n'
                && !(text[i] == b'\\' && text.get(i + 1) == Some(&b'n'))
            {
                i += 1;
            }
            continue;
        }
        if b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=' {
            material += 1;
            line_chars += 1;
            last_material = i + 1;
        } else if b == b'\\' && matches!(text.get(i + 1), Some(b'n' | b'r')) {
            line_chars = 0;
            i += 1;
        } else if b == b'\n' {
            line_chars = 0;
        } else if matches!(b, b'\r' | b' ' | b'\t' | b'"' | b'\'' | b',' | b'`') {
            // separators between base64 lines in source code
        } else {
            break;
        }
        i += 1;
    }
    (material >= MIN_BODY).then_some(last_material)
}

/// True when the line starting `rest` is a `Name: value` header (a name of letters, digits and
/// dashes followed by a colon).
fn is_header_line(rest: &[u8]) -> bool {
    let name_len = rest
        .iter()
        .take(24)
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    name_len > 0 && rest.get(name_len) == Some(&b':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_without_body_is_not_a_key() {
        let t = b"-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----";
        assert_eq!(body_end(t, 31), None);
        let t = b"if pem.startswith('-----BEGIN PRIVATE KEY-----'):";
        assert_eq!(body_end(t, 46), None);
    }

    #[test]
    fn body_lines_and_escapes() {
        let body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
        let t =
            format!("-----BEGIN PRIVATE KEY-----\\n{body}\\n{body}\\n-----END PRIVATE KEY-----\\n");
        let end = body_end(t.as_bytes(), 27).unwrap();
        assert_eq!(&t[end - 5..end], "-----");
        let t = format!(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,AB12\n\n{body}\n{body}\n"
        );
        assert!(body_end(t.as_bytes(), 31).is_some());
    }
}
