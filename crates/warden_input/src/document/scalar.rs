//! Implicit typing of plain (unquoted, untagged) YAML scalars.
//!
//! CloudFormation documents YAML 1.1 support, and its tooling (cfn-lint, the SAM CLI) reads
//! templates with YAML 1.1 resolvers, while YAML 1.2's core schema is what most other tools use.
//! Warden types a plain scalar as:
//!
//! * null: empty, `~`, `null`, `Null`, `NULL`;
//! * boolean: `true`/`false` in the three cases of both specs, and YAML 1.1's `yes`/`no`/`on`/`off`
//!   (`Yes`, `YES`, ...), which CloudFormation turns into `true`/`false`;
//! * number: anything either spec reads as an integer or a float (`12`, `-3`, `0x1F`, `0o17`,
//!   `0b101`, `1_000`, `1.5`, `1e10`, `.5`, `.inf`, `.nan`), kept as written in [`Val::Num`], so
//!   nothing is lost (`012345678901` stays that text); YAML 1.1 sexagesimals (`1:30`) stay strings;
//! * string: everything else.

use warden_model::Val;

/// The value of a plain scalar whose text is `text`.
pub(super) fn resolve_plain(text: &str) -> Val {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Val::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Val::Bool(true),
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
            Val::Bool(false)
        }
        _ if is_number(text) => Val::Num(text.to_string()),
        _ => Val::Str(text.to_string()),
    }
}

/// True when YAML 1.1 or the YAML 1.2 core schema reads `text` as an integer or a float.
pub(super) fn is_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if unsigned.is_empty() {
        return false;
    }
    if let Some(hex) = unsigned.strip_prefix("0x") {
        return radix_digits(hex, |c| c.is_ascii_hexdigit());
    }
    if let Some(oct) = unsigned.strip_prefix("0o") {
        // YAML 1.2 only, and unsigned there.
        return unsigned.len() == text.len() && radix_digits(oct, |c| matches!(c, b'0'..=b'7'));
    }
    if let Some(bin) = unsigned.strip_prefix("0b") {
        return radix_digits(bin, |c| matches!(c, b'0' | b'1'));
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    is_decimal(unsigned)
}

/// `digits` is non-empty, made of `ok` bytes and `_` separators, with at least one digit.
fn radix_digits(digits: &str, ok: impl Fn(u8) -> bool) -> bool {
    let b = digits.as_bytes();
    !b.is_empty() && b.iter().all(|&c| c == b'_' || ok(c)) && b.iter().any(|&c| c != b'_')
}

/// An unsigned decimal integer or float: `1`, `1_000`, `1.`, `1.5`, `.5`, `1e5`, `1.5E-3`.
fn is_decimal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int_start = i;
    while i < b.len() && (b[i].is_ascii_digit() || (b[i] == b'_' && i > int_start)) {
        i += 1;
    }
    let int_digits = i > int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && (b[i].is_ascii_digit() || (b[i] == b'_' && i > start)) {
            i += 1;
        }
        if !int_digits && i == start {
            return false;
        }
    } else if !int_digits {
        return false;
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        i += 1;
        if i < b.len() && matches!(b[i], b'+' | b'-') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_are_typed_as_yaml_reads_them() {
        for t in ["", "~", "null", "NULL"] {
            assert_eq!(resolve_plain(t), Val::Null, "{t:?}");
        }
        for t in ["true", "True", "yes", "ON"] {
            assert_eq!(resolve_plain(t), Val::Bool(true), "{t:?}");
        }
        for t in ["false", "FALSE", "no", "Off"] {
            assert_eq!(resolve_plain(t), Val::Bool(false), "{t:?}");
        }
        for t in [
            "0",
            "12",
            "-3",
            "+4",
            "0x1F",
            "0o17",
            "0b101",
            "1_000",
            "1.",
            "1.5",
            "-.5",
            "1e10",
            "1.5E-3",
            ".inf",
            "-.Inf",
            ".nan",
            "012345678901",
        ] {
            assert_eq!(resolve_plain(t), Val::Num(t.into()), "{t:?}");
        }
        for t in [
            "a",
            "1a",
            "1.2.3",
            "1:30",
            "-",
            ".",
            "e5",
            "1e",
            "0x",
            "_1",
            "+.nan",
            "-0o7",
            "True!",
            "2012-10-17",
            "yes please",
            "Y",
            "n",
        ] {
            assert_eq!(resolve_plain(t), Val::Str(t.into()), "{t:?}");
        }
    }
}
