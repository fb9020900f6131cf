//! Property tests: hostile input never panics; redaction never reveals more than 4 characters.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use proptest::prelude::*;
use warden_secrets::{classify_value, redact, scan_text};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn scan_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        for m in scan_text(Path::new("x.env"), &bytes) {
            prop_assert!(m.start < m.end && m.end <= bytes.len());
        }
    }

    #[test]
    fn scan_never_panics_on_keyword_soup(parts in proptest::collection::vec(prop_oneof![
        Just("password=".to_owned()), Just("token: \"".to_owned()), Just("AKIA".to_owned()),
        Just("-----BEGIN PRIVATE KEY-----\\n".to_owned()), Just("eyJ".to_owned()), Just("postgres://a:".to_owned()),
        Just("@h/".to_owned()), Just("\n".to_owned()), Just("\"".to_owned()), Just("é".to_owned()),
        Just("xoxb-".to_owned()), Just("AccountKey=".to_owned()), Just("Server=x;Password=".to_owned()),
        "[A-Za-z0-9+/=_.:-]{0,40}",
    ], 0..64)) {
        let text = parts.concat();
        for path in ["a.py", ".env", "package-lock.json", "README.md"] {
            for m in scan_text(Path::new(path), text.as_bytes()) {
                prop_assert!(m.start < m.end && m.end <= text.len());
                prop_assert!(m.line >= 1 && m.end_line >= m.line && m.column >= 1);
            }
        }
        let _ = classify_value(Some("DB_PASSWORD"), &text);
        let _ = classify_value(None, &text);
    }

    #[test]
    fn classify_never_panics(name in "\\PC{0,40}", value in "\\PC{0,200}") {
        let _ = classify_value(Some(&name), &value);
    }

    #[test]
    fn redaction_reveals_at_most_four_chars(secret in "\\PC{0,80}") {
        let r = redact(&secret);
        let n = secret.chars().count();
        let shown: String = r.chars().take_while(|_| true).filter(|c| *c != '*').collect();
        let prefix: String = secret.chars().take(4).collect();
        if n >= 16 {
            prop_assert!(r.starts_with(&prefix));
            prop_assert_eq!(r.chars().count(), 16);
            prop_assert!(r.chars().skip(4).all(|c| c == '*'));
        } else {
            prop_assert_eq!(r.as_str(), "********");
        }
        // Whatever the secret, the output never holds more than its first 4 characters.
        prop_assert!(shown.chars().count() <= 4);
    }
}
