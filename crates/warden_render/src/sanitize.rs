//! Making untrusted text safe to print on a terminal: no escape sequences, no bidi overrides.

/// How a character of untrusted text is shown on a terminal: tabs as spaces, control characters
/// (ESC included) and bidirectional overrides as U+FFFD, everything else as itself.
pub fn display_char(c: char, out: &mut String) {
    match c {
        '\t' => out.push_str("    "),
        c if c.is_control() || is_bidi_control(c) => out.push('\u{FFFD}'),
        c => out.push(c),
    }
}

/// `text` made safe for a terminal, newlines kept.
pub fn terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' {
            out.push('\n');
        } else if c == '\r' {
            continue;
        } else {
            display_char(c, &mut out);
        }
    }
    out
}

/// Characters that reorder text when displayed ("Trojan Source").
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_overrides_are_neutralised() {
        assert_eq!(
            terminal("a\u{1b}[31mb\r\nc\u{202E}d\te"),
            "a\u{FFFD}[31mb\nc\u{FFFD}d    e"
        );
        assert_eq!(terminal("plain é ü 漢"), "plain é ü 漢");
    }
}
