//! Assignments in text: `NAME=value`, `name: value`, `"name": "value"`, `name => 'value'`,
//! `name := "value"`, `config["name"] = "value"`, keyword arguments.

/// One assignment found on a line (offsets relative to the line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Assignment {
    pub name: (usize, usize),
    pub value: (usize, usize),
}

fn name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'$' | b'@' | b'-')
}

/// The assignment whose name contains offset `pos` of `line` (a keyword hit), if the name is
/// followed by an assignment operator and a value. Comparisons (`==`, `!=`, `<=`, `>=`) are
/// not assignments. Unquoted values are accepted only when `unquoted` (config files): in code
/// an unquoted value is an expression.
pub(crate) fn assignment_at(line: &[u8], pos: usize, unquoted: bool) -> Option<Assignment> {
    if pos >= line.len() {
        return None;
    }
    let mut s = pos;
    while s > 0 && name_char(line[s - 1]) {
        s -= 1;
    }
    let mut e = pos;
    while e < line.len() && name_char(line[e]) {
        e += 1;
    }
    while s < e && !(line[s].is_ascii_alphabetic() || matches!(line[s], b'_' | b'$' | b'@')) {
        s += 1;
    }
    // `${NAME:-default}` is a shell expansion, not an assignment.
    if s >= e || (s > 0 && line[s - 1] == b'{') {
        return None;
    }
    let mut i = e;
    if matches!(line.get(i), Some(b'"' | b'\'' | b'`')) {
        i += 1;
    }
    if line.get(i) == Some(&b']') {
        i += 1;
    }
    while matches!(line.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    let rest = &line[i.min(line.len())..];
    let op_len = if rest.starts_with(b"==") || rest.starts_with(b"=~") {
        return None;
    } else if rest.starts_with(b":=") || rest.starts_with(b"=>") {
        2
    } else if rest.starts_with(b"=") || rest.starts_with(b":") {
        // `a != b`, `a <= b`, `a >= b` never reach here: `!`, `<`, `>` are not name characters
        // and end the name before the operator, so `rest` starts with them.
        if rest.starts_with(b"::") {
            return None;
        }
        1
    } else {
        return None;
    };
    i += op_len;
    while matches!(line.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    let value = parse_value(line, i, unquoted)?;
    Some(Assignment {
        name: (s, e),
        value,
    })
}

/// Parses the value starting at `pos`: a quoted literal (with escapes), or, when `unquoted`,
/// a bare word up to whitespace.
fn parse_value(line: &[u8], mut pos: usize, unquoted: bool) -> Option<(usize, usize)> {
    // Python string prefixes (r"", b"", rb""), C# verbatim (@"").
    let mut p = pos;
    while p < line.len()
        && p - pos < 2
        && matches!(line[p], b'r' | b'b' | b'u' | b'R' | b'B' | b'U' | b'@')
    {
        p += 1;
    }
    if p > pos && matches!(line.get(p), Some(b'"' | b'\'')) {
        pos = p;
    }
    let first = *line.get(pos)?;
    if matches!(first, b'"' | b'\'' | b'`') {
        let mut i = pos + 1;
        while i < line.len() {
            match line[i] {
                b'\\' => i += 2,
                c if c == first => return Some((pos + 1, i)),
                _ => i += 1,
            }
        }
        return None;
    }
    if !unquoted
        || matches!(
            first,
            b'{' | b'[' | b'(' | b'!' | b'&' | b'*' | b'|' | b'>' | b'#' | b'<'
        )
    {
        return None;
    }
    let mut end = pos;
    while end < line.len() && !line[end].is_ascii_whitespace() {
        end += 1;
    }
    while end > pos && matches!(line[end - 1], b',' | b';') {
        end -= 1;
    }
    (end > pos).then_some((pos, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Assignments at every occurrence of `pass`, `key`, `user` (as the prefilter would hit).
    fn pairs(line: &str, unquoted: bool) -> Vec<(String, String)> {
        let lower = line.to_ascii_lowercase();
        let mut out: Vec<(String, String)> = Vec::new();
        for kw in ["pass", "key", "user"] {
            for (pos, _) in lower.match_indices(kw) {
                if let Some(a) = assignment_at(line.as_bytes(), pos, unquoted) {
                    let pair = (
                        line[a.name.0..a.name.1].to_owned(),
                        line[a.value.0..a.value.1].to_owned(),
                    );
                    if !out.contains(&pair) {
                        out.push(pair);
                    }
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn forms() {
        assert_eq!(
            pairs(r#"DB_PASSWORD="abc""#, false),
            [("DB_PASSWORD".into(), "abc".into())]
        );
        assert_eq!(
            pairs("export DB_PASSWORD=abc # note", true),
            [("DB_PASSWORD".into(), "abc".into())]
        );
        assert_eq!(pairs("DB_PASSWORD=abc", false), []);
        assert_eq!(
            pairs(r#"{"user": "bob", "password": "p\"w"}"#, false),
            [
                ("password".into(), r#"p\"w"#.into()),
                ("user".into(), "bob".into())
            ]
        );
        assert_eq!(
            pairs(r#"cfg["api_key"] = 'k'"#, false),
            [("api_key".into(), "k".into())]
        );
        assert_eq!(
            pairs(r#"'password' => 'x',"#, false),
            [("password".into(), "x".into())]
        );
        assert_eq!(
            pairs(r#"connect(password=r"x")"#, false),
            [("password".into(), "x".into())]
        );
        assert_eq!(pairs(r#"if password == "x":"#, false), []);
        assert_eq!(
            pairs(r#"password: os.environ["PW"]"#, true),
            [("password".into(), "os.environ[\"PW\"]".into())]
        );
        assert_eq!(pairs("password: {{ .Values.pw }}", true), []);
        assert_eq!(pairs(r#"if (password != "x")"#, false), []);
        assert_eq!(pairs(r#"ok = password <= "x""#, false), []);
        assert_eq!(
            pairs(r#"this.apiKey = "k";"#, false),
            [("this.apiKey".into(), "k".into())]
        );
        assert_eq!(pairs("Password::new()", false), []);
        assert_eq!(
            pairs(r#"export PASS="${DB_PASS:-x}""#, true),
            [("PASS".into(), "${DB_PASS:-x}".into())]
        );
    }
}
