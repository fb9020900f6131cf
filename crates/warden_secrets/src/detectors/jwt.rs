//! JSON Web Tokens: a `eyJ….eyJ….sig` shape counts only when its header decodes to a JSON
//! object with an `alg`, and it is not the jwt.io documentation token.

/// Decodes base64url (padding optional). `None` on an invalid character.
pub(crate) fn base64url_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// True when `token` is a plausible signed JWT that is not a documentation example.
pub(crate) fn is_real_jwt(token: &[u8]) -> bool {
    let mut parts = token.split(|&b| b == b'.');
    let (Some(h), Some(p), Some(sig)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let (Some(header), Some(payload)) = (base64url_decode(h), base64url_decode(p)) else {
        return false;
    };
    if header.first() != Some(&b'{') || payload.first() != Some(&b'{') {
        return false;
    }
    if !contains(&header, b"\"alg\"") || contains(&header, b"\"none\"") || sig.len() < 16 {
        return false;
    }
    // The token on jwt.io and in countless tutorials.
    if contains(&payload, b"John Doe") || contains(&payload, b"\"sub\":\"1234567890\"") {
        return false;
    }
    !crate::allowlist::is_example(&payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes() {
        assert_eq!(
            base64url_decode(b"eyJhbGciOiJIUzI1NiJ9").unwrap(),
            b"{\"alg\":\"HS256\"}"
        );
        assert_eq!(base64url_decode(b"a$"), None);
    }

    #[test]
    fn rejects_docs_token_and_unsigned() {
        let docs = b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        assert!(!is_real_jwt(docs));
        // {"alg":"none"}
        assert!(!is_real_jwt(
            b"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTQyIn0.AAAAAAAAAAAAAAAAAAAA"
        ));
    }

    #[test]
    fn accepts_signed() {
        // {"alg":"HS256","typ":"JWT"} . {"sub":"user-42","iat":1700000000}
        let t = b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ.q3Zk1Vx9Tt0bWm7LrP2aNc8Hd4Ye6Gf5Js1Ku0Io9Ej";
        assert!(is_real_jwt(t));
    }
}
