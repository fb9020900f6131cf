//! Keeping secrets out of every output: masks for excerpts, scrubbing of free text.

/// Values this long keep their first four characters in the mask; shorter ones are fully hidden.
const REVEAL_FROM: usize = 16;
/// The number of characters a long value keeps.
const REVEAL: usize = 4;
/// Free text is scrubbed of values at least this long (shorter ones would match ordinary words).
const SCRUB_FROM: usize = 6;

/// The mask shown instead of a secret `value`: its first four characters and `****` when it has at
/// least sixteen characters, else `****`. Surrounding quotes are kept, the quoted text is masked.
pub fn mask(value: &str) -> String {
    let (open, inner, close) = split_quotes(value);
    let mut out = String::from(open);
    if inner.chars().count() >= REVEAL_FROM {
        out.extend(inner.chars().take(REVEAL).map(|c| {
            if c.is_whitespace() || c.is_control() {
                ' '
            } else {
                c
            }
        }));
    }
    out.push_str("****");
    out.push_str(close);
    out
}

/// `text` with every occurrence of the secret `value` (unquoted) replaced by its mask.
pub fn scrub(text: &str, value: &str) -> String {
    let (_, inner, _) = split_quotes(value);
    let inner = inner.trim();
    if inner.chars().count() < SCRUB_FROM || !text.contains(inner) {
        return text.to_owned();
    }
    text.replace(inner, &mask(inner))
}

/// Splits a matching pair of surrounding quotes off `value`.
fn split_quotes(value: &str) -> (&str, &str, &str) {
    for quote in ["\"", "'"] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return (quote, &value[1..value.len() - 1], quote);
        }
    }
    ("", value, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_keep_four_characters() {
        assert_eq!(mask("sk_live_0123456789abcdef"), "sk_l****");
        assert_eq!(mask("\"sk_live_0123456789abcdef\""), "\"sk_l****\"");
        assert_eq!(mask("'ééééééééééééééééé'"), "'éééé****'");
    }

    #[test]
    fn short_values_are_fully_hidden() {
        assert_eq!(mask("hunter2"), "****");
        assert_eq!(mask("0123456789abcde"), "****");
        assert_eq!(mask("\""), "****");
        assert_eq!(mask(""), "****");
    }

    #[test]
    fn scrub_replaces_every_occurrence() {
        let secret = "\"AKIAABCDEFGHIJKLMNOP\"";
        let text = "key AKIAABCDEFGHIJKLMNOP and again AKIAABCDEFGHIJKLMNOP";
        assert_eq!(scrub(text, secret), "key AKIA**** and again AKIA****");
        assert_eq!(scrub("short abc", "abc"), "short abc");
    }
}
