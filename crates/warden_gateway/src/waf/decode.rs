//! Decoders applied before inspection: percent-encoding (repeated, `%uXXXX` too), HTML entities,
//! JavaScript/JSON unicode and hex escapes, Log4j lookup obfuscation, then normalisation
//! (lowercase, NUL removal, whitespace folding). All are single passes: linear in the input.

/// Percent-decodes once (`+` is kept); invalid escapes are kept verbatim. Also decodes `%uXXXX`.
pub fn percent_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let b = input[i];
        if b == b'%' {
            if let (Some(h), Some(l)) = (hex_val(input.get(i + 1)), hex_val(input.get(i + 2))) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
            if matches!(input.get(i + 1), Some(b'u' | b'U')) {
                if let Some(cp) = hex4(input.get(i + 2..i + 6)) {
                    push_char(&mut out, cp);
                    i += 6;
                    continue;
                }
            }
        }
        out.push(b);
        i += 1;
    }
    out
}

/// Percent-decodes a path segment or parameter to a string (lossy UTF-8).
pub fn percent_decode_str(input: &str) -> String {
    String::from_utf8_lossy(&percent_decode(input.as_bytes())).into_owned()
}

/// Form decoding: `+` is a space, then percent-decoding.
pub fn form_decode(input: &str) -> String {
    let plus: Vec<u8> = input
        .bytes()
        .map(|b| if b == b'+' { b' ' } else { b })
        .collect();
    String::from_utf8_lossy(&percent_decode(&plus)).into_owned()
}

fn hex_val(b: Option<&u8>) -> Option<u8> {
    match b? {
        c @ b'0'..=b'9' => Some(c - b'0'),
        c @ b'a'..=b'f' => Some(c - b'a' + 10),
        c @ b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn hex4(b: Option<&[u8]>) -> Option<u32> {
    let b = b?;
    let mut v = 0u32;
    for c in b {
        v = v << 4 | u32::from(hex_val(Some(c))?);
    }
    Some(v)
}

fn push_char(out: &mut Vec<u8>, cp: u32) {
    let c = char::from_u32(cp).unwrap_or('\u{fffd}');
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// Decodes HTML character references: `&lt;`, `&#60;`, `&#x3c;` (with or without `;`).
pub fn html_decode(input: &str) -> String {
    let b = input.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'&' {
            if let Some((cp, len)) = html_ref(&b[i + 1..]) {
                push_char(&mut out, cp);
                i += 1 + len;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn html_ref(b: &[u8]) -> Option<(u32, usize)> {
    if b.first() == Some(&b'#') {
        let (radix, start) = if matches!(b.get(1), Some(b'x' | b'X')) {
            (16, 2)
        } else {
            (10, 1)
        };
        let mut v: u32 = 0;
        let mut j = start;
        while j < b.len() && j - start < 8 {
            let d = (b[j] as char).to_digit(radix);
            match d {
                Some(d) => v = v.saturating_mul(radix).saturating_add(d),
                None => break,
            }
            j += 1;
        }
        if j == start {
            return None;
        }
        if b.get(j) == Some(&b';') {
            j += 1;
        }
        return Some((v, j));
    }
    const NAMED: &[(&str, u32)] = &[
        ("lt", 60),
        ("gt", 62),
        ("amp", 38),
        ("quot", 34),
        ("apos", 39),
        ("sol", 47),
        ("bsol", 92),
        ("colon", 58),
        ("lpar", 40),
        ("rpar", 41),
        ("semi", 59),
        ("equals", 61),
        ("tab", 9),
        ("newline", 10),
        ("nbsp", 32),
        ("grave", 96),
        ("period", 46),
    ];
    for (name, cp) in NAMED {
        let n = name.len();
        if b.len() >= n && b[..n].eq_ignore_ascii_case(name.as_bytes()) {
            let mut len = n;
            if b.get(n) == Some(&b';') {
                len += 1;
            } else if b.get(n).is_some_and(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            return Some((*cp, len));
        }
    }
    None
}

/// Decodes `\uXXXX`, `\u{X..}`, `\xHH` and octal-free JS escapes.
pub fn unicode_unescape(input: &str) -> String {
    let b = input.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            match b.get(i + 1) {
                Some(b'u') => {
                    if let Some(cp) = hex4(b.get(i + 2..i + 6)) {
                        push_char(&mut out, cp);
                        i += 6;
                        continue;
                    }
                }
                Some(b'x') => {
                    if let (Some(h), Some(l)) = (hex_val(b.get(i + 2)), hex_val(b.get(i + 3))) {
                        push_char(&mut out, u32::from(h << 4 | l));
                        i += 4;
                        continue;
                    }
                }
                _ => {}
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Removes Log4j lookup obfuscation: `${lower:j}` → `j`, `${::-n}` → `n`, `${env:X:-d}` → `d`.
pub fn log4j_deobfuscate(input: &str) -> String {
    if !input.contains("${") {
        return input.to_string();
    }
    let mut s = input.to_string();
    // Each pass removes the innermost lookups; nesting depth is bounded by the pass count.
    for _ in 0..4 {
        let b = s.as_bytes();
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        let mut changed = false;
        while i < b.len() {
            if b[i] == b'$' && b.get(i + 1) == Some(&b'{') {
                let inner_start = i + 2;
                let mut j = inner_start;
                while j < b.len() && b[j] != b'}' && b[j] != b'$' && b[j] != b'{' {
                    j += 1;
                }
                if j < b.len() && b[j] == b'}' {
                    let inner = &s[inner_start..j];
                    let lower = inner.to_ascii_lowercase();
                    let replacement = if let Some(pos) = inner.find(":-") {
                        Some(&inner[pos + 2..])
                    } else if lower.starts_with("lower:") || lower.starts_with("upper:") {
                        Some(&inner[6..])
                    } else {
                        None
                    };
                    if let Some(r) = replacement {
                        out.push_str(r);
                        i = j + 1;
                        changed = true;
                        continue;
                    }
                }
            }
            let ch_len = s[i..].chars().next().map(char::len_utf8).unwrap_or(1);
            out.push_str(&s[i..i + ch_len]);
            i += ch_len;
        }
        s = out;
        if !changed {
            break;
        }
    }
    s
}

/// Full decoding to a fixed point (at most 3 rounds), then normalisation: lowercase, NUL and
/// other control characters to spaces, whitespace runs folded to one space.
pub fn normalize(raw: &str, max: usize) -> String {
    let t = truncate(raw, max);
    // Fast path, same result: ASCII without `%`, `&`, `\` or `$` has nothing to decode (every
    // decoder is the identity on it), so only the normalisation runs.
    if t.is_ascii() && !t.bytes().any(|b| matches!(b, b'%' | b'&' | b'\\' | b'$')) {
        let mut out = String::with_capacity(t.len());
        let mut last_space = false;
        for b in t.bytes() {
            if b.is_ascii_control() || b == b' ' {
                if !last_space {
                    out.push(' ');
                }
                last_space = true;
            } else {
                out.push(char::from(b.to_ascii_lowercase()));
                last_space = false;
            }
        }
        return out;
    }
    normalize_full(t)
}

/// [`normalize`] without the fast path (the input is already truncated).
fn normalize_full(t: &str) -> String {
    let mut s: String = t.to_string();
    for _ in 0..3 {
        let next = unicode_unescape(&html_decode(&percent_decode_str(&s)));
        if next == s {
            break;
        }
        s = next;
    }
    let s = log4j_deobfuscate(&s);
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.chars() {
        let c = if c.is_control() || c.is_whitespace() {
            ' '
        } else {
            c
        };
        if c == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.extend(c.to_lowercase());
            last_space = false;
        }
    }
    out
}

/// SQL comment removal variant: `un/**/ion` → `union`.
pub fn strip_sql_comments(s: &str) -> Option<String> {
    if !s.contains("/*") {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start + 2..].find("*/") {
            Some(end) => rest = &rest[start + 2 + end + 2..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// True when [`normalize`] would only lowercase `s`: ASCII, no byte any decoder reads (`%`,
/// `&`, `\`, `$`), no control character and no run of spaces to fold (a single space stays).
pub fn is_plain(s: &str) -> bool {
    let mut last_space = false;
    s.bytes().all(|b| {
        let space = b == b' ';
        let ok = (b.is_ascii_graphic() && !matches!(b, b'%' | b'&' | b'\\' | b'$'))
            || (space && !last_space);
        last_space = space;
        ok
    })
}

/// `s` cut to at most `max` bytes, on a character boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_layers() {
        assert_eq!(normalize("%253Cscript%253E", 100), "<script>");
        assert_eq!(normalize("&#x3c;SCRIPT&gt;", 100), "<script>");
        assert_eq!(normalize("\\u003cscript\\x3e", 100), "<script>");
        assert_eq!(normalize("%u003cscript", 100), "<script");
        assert_eq!(normalize("a\u{0}\t\n  b", 100), "a b");
        assert_eq!(
            normalize("${${lower:j}ndi:ldap://x}", 100),
            "${jndi:ldap://x}"
        );
        assert_eq!(normalize("${${::-j}${::-n}di:x}", 100), "${jndi:x}");
        assert_eq!(
            strip_sql_comments("un/**/ion sel/*x*/ect").unwrap(),
            "union select"
        );
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for s in [
            "%",
            "%u",
            "%uZZZZ",
            "&#",
            "&#x",
            "&#99999999999;",
            "\\u12",
            "${",
            "${}",
            "é%C3",
        ] {
            let _ = normalize(s, 3);
            let _ = normalize(s, 100);
        }
        assert_eq!(truncate("héllo", 2), "h");
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    #[test]
    fn the_fast_path_equals_full_decoding() {
        let mut inputs: Vec<String> = include_str!("../../tests/data/waf_corpus.tsv")
            .lines()
            .filter_map(|l| l.splitn(4, '\t').nth(3))
            .map(str::to_string)
            .collect();
        inputs.extend(
            [
                "Hello  World",
                "a\tb\r\nc",
                "MiXeD\x7fCase",
                "   ",
                "x\x00y",
                "Bearer eyJhbGciOi.x-y_z",
            ]
            .map(str::to_string),
        );
        // Every ASCII byte at every position of a short string.
        for b in 0u8..128 {
            inputs.push(format!("a{}B {}", char::from(b), char::from(b)));
        }
        for s in &inputs {
            assert_eq!(
                normalize(s, 4096),
                normalize_full(truncate(s, 4096)),
                "{s:?}"
            );
        }
    }
}
