//! Where YAML scalars and aliases end: `yaml-rust2` reports only where a token starts, so the
//! end is found by reading the source from there according to the scalar's style.

use yaml_rust2::scanner::TScalarStyle;

/// End (relative byte offset) of a scalar of `style` whose marker is at `start`.
pub(super) fn scalar_end(body: &str, start: usize, style: TScalarStyle, value: &str) -> usize {
    let b = body.as_bytes();
    if start >= b.len() {
        return b.len();
    }
    match style {
        TScalarStyle::SingleQuoted => {
            let mut i = start + 1;
            while i < b.len() {
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i += 1;
            }
            b.len()
        }
        TScalarStyle::DoubleQuoted => {
            let mut i = start + 1;
            while i < b.len() {
                match b[i] {
                    b'\\' => i += 2,
                    b'"' => return i + 1,
                    _ => i += 1,
                }
            }
            b.len()
        }
        TScalarStyle::Literal | TScalarStyle::Folded => block_end(body, start),
        TScalarStyle::Plain => plain_end(body, start, value),
    }
}

/// A plain scalar's end: the source is matched against the value, where any run of source
/// whitespace (line folding) may stand for the value's spaces and newlines.
fn plain_end(body: &str, start: usize, value: &str) -> usize {
    let src = body.get(start..).unwrap_or("");
    if src.starts_with(value) {
        return start + value.len();
    }
    let mut s = src.char_indices().peekable();
    let mut v = value.chars().peekable();
    let mut end = 0;
    while let (Some(&vc), Some(&(i, sc))) = (v.peek(), s.peek()) {
        if vc == sc {
            end = i + sc.len_utf8();
            v.next();
            s.next();
        } else if matches!(sc, ' ' | '\t' | '\r' | '\n') {
            s.next();
        } else if matches!(vc, ' ' | '\n') {
            v.next();
        } else {
            break;
        }
    }
    start + end
}

/// A block scalar's end: its marker is at its first content character; content continues over
/// blank lines and lines indented at least as much, and ends after the last non-blank one.
fn block_end(body: &str, start: usize) -> usize {
    let b = body.as_bytes();
    let line_start = body
        .get(..start)
        .and_then(|s| s.rfind(['\n', '\r']))
        .map_or(0, |i| i + 1);
    let indent = if b[line_start..start].iter().all(|&c| c == b' ') {
        (start - line_start).max(1)
    } else {
        1
    };
    let line_end =
        |from: usize| memchr::memchr2(b'\n', b'\r', &b[from..]).map_or(b.len(), |i| from + i);
    let next_line = |end: usize| {
        if b.get(end) == Some(&b'\r') && b.get(end + 1) == Some(&b'\n') {
            end + 2
        } else {
            (end + 1).min(b.len())
        }
    };
    let trimmed_end = |from: usize, to: usize| {
        let mut e = to;
        while e > from && matches!(b[e - 1], b' ' | b'\t') {
            e -= 1;
        }
        e
    };
    let first_end = line_end(start);
    let mut end = trimmed_end(start, first_end);
    let mut pos = next_line(first_end);
    while pos < b.len() {
        let le = line_end(pos);
        let spaces = b[pos..le].iter().take_while(|&&c| c == b' ').count();
        let content_end = trimmed_end(pos + spaces, le);
        if content_end > pos + spaces {
            if spaces < indent {
                break;
            }
            end = content_end;
        }
        pos = next_line(le);
    }
    end
}

/// End of an alias `*name` starting at `start`: the name runs to whitespace or a flow indicator.
pub(super) fn alias_end(body: &str, start: usize) -> usize {
    let b = body.as_bytes();
    let mut i = start + 1;
    while i < b.len()
        && !matches!(
            b[i],
            b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
        )
    {
        i += 1;
    }
    // Stay on a character boundary (names are ASCII in practice).
    while i < b.len() && !body.is_char_boundary(i) {
        i += 1;
    }
    i.min(b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_ends_follow_each_style() {
        let body = "a: 'it''s' x";
        assert_eq!(scalar_end(body, 3, TScalarStyle::SingleQuoted, "it's"), 10);
        let body = r#"a: "q\"z" x"#;
        assert_eq!(scalar_end(body, 3, TScalarStyle::DoubleQuoted, "q\"z"), 9);
        let body = "a: one\n  two  \nb: 1";
        assert_eq!(scalar_end(body, 3, TScalarStyle::Plain, "one two"), 12);
        let body = "a: |\n  l1\n\n    l2  \n  # c\nb: 1";
        let start = body.find("l1").unwrap();
        assert_eq!(
            &body[start..block_end(body, start)],
            "l1\n\n    l2  \n  # c"
        );
        let body = "a: *ref, b";
        assert_eq!(alias_end(body, 3), 7);
    }
}
