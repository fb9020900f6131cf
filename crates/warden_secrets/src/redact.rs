//! Redaction of secret values for display: the only way a secret's text leaves this crate.

/// Number of leading characters a long secret may show.
const SHOWN: usize = 4;
/// Secrets shorter than this (in characters) show nothing at all.
const MIN_SHOWN_LEN: usize = 16;
/// Fixed mask, so the redacted form does not reveal the secret's length either.
const MASK_LONG: &str = "************";
const MASK_SHORT: &str = "********";

/// Redacts `value`: a secret of at least 16 characters keeps its first 4 characters followed by a
/// fixed mask (`AKIA************`); a shorter one becomes a fixed mask (`********`). The output
/// length never depends on the secret's length.
pub fn redact(value: &str) -> String {
    let mut chars = value.chars();
    if value.chars().count() >= MIN_SHOWN_LEN {
        let mut out: String = chars.by_ref().take(SHOWN).collect();
        out.push_str(MASK_LONG);
        out
    } else {
        MASK_SHORT.to_owned()
    }
}

/// Redacts raw bytes (lossy UTF-8 decoding first).
pub(crate) fn redact_bytes(value: &[u8]) -> String {
    redact(&String::from_utf8_lossy(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_keep_four_chars() {
        assert_eq!(redact("AKIAQ3EGT7XK2MPLWZ4B"), "AKIA************");
        assert_eq!(redact("0123456789abcdef"), "0123************");
    }

    #[test]
    fn short_values_show_nothing() {
        assert_eq!(redact("hunter2"), "********");
        assert_eq!(redact("0123456789abcde"), "********");
        assert_eq!(redact(""), "********");
    }

    #[test]
    fn counts_characters_not_bytes() {
        let v = "ééééééééééééééé"; // 15 chars, 30 bytes
        assert_eq!(redact(v), "********");
        assert_eq!(redact("ééééxxxxxxxxxxxx"), "éééé************");
    }
}
