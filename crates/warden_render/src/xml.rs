//! XML 1.0 escaping for any text: markup characters escaped, characters XML cannot carry replaced.

/// Escapes `text` for element content.
pub fn text(text: &str) -> String {
    escape(text, false)
}

/// Escapes `text` for a double- or single-quoted attribute value (line breaks and tabs kept as
/// character references, so attribute normalisation does not turn them into spaces).
pub fn attr(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            '\n' | '\t' => out.push(c),
            c if allowed(c) => out.push(c),
            // Not representable in XML 1.0, not even as a reference: shown as `\u{…}`.
            c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
        }
    }
    out
}

/// The XML 1.0 `Char` production (minus what `escape` handles itself).
fn allowed(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(text("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d");
        assert_eq!(
            attr("say \"hi\"\n'x'"),
            "say &quot;hi&quot;&#10;&apos;x&apos;"
        );
        assert_eq!(
            text("bell\u{7}nul\u{0}\u{FFFE}"),
            "bell\\u{7}nul\\u{0}\\u{fffe}"
        );
        assert_eq!(text("line\r\nnext\tété"), "line&#13;\nnext\tété");
    }
}
