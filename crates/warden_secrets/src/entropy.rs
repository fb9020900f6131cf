//! Shannon entropy and the "does this look randomly generated" test, with per-charset thresholds.

/// Shannon entropy of `bytes` in bits per byte.
pub fn shannon(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[usize::from(b)] += 1;
    }
    let len = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / len;
            -p * p.log2()
        })
        .sum()
}

/// The alphabet a candidate value is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// `[0-9a-f]` or `[0-9A-F]`.
    Hex,
    /// `[A-Za-z0-9+/=_-]`: base64, base64url and plain alphanumerics.
    Base64,
    /// Anything else printable.
    Other,
}

/// Classifies the alphabet of `s`.
pub fn charset(s: &[u8]) -> Charset {
    let hex_lower = s
        .iter()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b));
    let hex_upper = s
        .iter()
        .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b));
    if hex_lower || hex_upper {
        Charset::Hex
    } else if s
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-'))
    {
        Charset::Base64
    } else {
        Charset::Other
    }
}

/// Minimum entropy (bits per char) for a value of `len` chars drawn from `cs` to count as random.
/// A random string cannot have more than log2(len) bits per char, so short strings get a lower
/// bar; the bars sit about 0.4 bit under what uniformly random strings of that length reach.
pub fn threshold(cs: Charset, len: usize) -> f64 {
    match cs {
        Charset::Hex => {
            if len < 24 {
                3.0
            } else {
                3.2
            }
        }
        Charset::Base64 | Charset::Other => {
            if len < 20 {
                3.3
            } else if len < 32 {
                3.6
            } else {
                4.0
            }
        }
    }
}

/// Longest run of one repeated byte.
pub fn longest_repeat(s: &[u8]) -> usize {
    let mut best = 0;
    let mut run = 0;
    let mut prev = None;
    for &b in s {
        if Some(b) == prev {
            run += 1;
        } else {
            run = 1;
            prev = Some(b);
        }
        best = best.max(run);
    }
    best
}

/// Longest run of consecutive ascending or descending characters (`abcdef`, `54321`).
pub fn longest_sequence(s: &[u8]) -> usize {
    let mut best = usize::from(!s.is_empty());
    let (mut up, mut down) = (1usize, 1usize);
    for w in s.windows(2) {
        let (a, b) = (w[0], w[1]);
        let alnum = a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric();
        up = if alnum && b == a.wrapping_add(1) {
            up + 1
        } else {
            1
        };
        down = if alnum && a == b.wrapping_add(1) {
            down + 1
        } else {
            1
        };
        best = best.max(up).max(down);
    }
    best
}

/// True when the body of a known-format token is obviously filled in by hand (`XXXX…`,
/// `0000…`, `abcdef…`, `123456…`) or far from random.
pub fn is_fake_body(body: &[u8]) -> bool {
    if longest_repeat(body) >= 5 || longest_sequence(body) >= 6 {
        return true;
    }
    body.len() >= 16 && shannon(body) < 2.5
}

/// True when `s` looks like a randomly generated credential: long enough, mixed character
/// classes, no long repeats or sequences, and entropy over the bar for its charset.
pub fn looks_random(s: &[u8]) -> bool {
    let len = s.len();
    if len < 16 || is_fake_body(s) {
        return false;
    }
    let cs = charset(s);
    let digits = s.iter().filter(|b| b.is_ascii_digit()).count();
    let lower = s.iter().any(u8::is_ascii_lowercase);
    let upper = s.iter().any(u8::is_ascii_uppercase);
    let symbol = s.iter().any(|b| !b.is_ascii_alphanumeric());
    match cs {
        Charset::Hex => {
            // A hex value needs both digits and letters; all-digit strings are numbers.
            let letters = s.iter().any(u8::is_ascii_alphabetic);
            if digits == 0 || !letters {
                return false;
            }
        }
        Charset::Base64 | Charset::Other => {
            let classes = usize::from(lower) + usize::from(upper) + usize::from(digits > 0);
            // Random alphanumerics almost always contain a digit; words and identifiers rarely do.
            let long_mixed = len >= 32 && lower && upper && symbol;
            if classes < 2 || (digits == 0 && !long_mixed) {
                return false;
            }
        }
    }
    shannon(s) >= threshold(cs, len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_values() {
        assert_eq!(shannon(b""), 0.0);
        assert_eq!(shannon(b"aaaa"), 0.0);
        assert!((shannon(b"ab") - 1.0).abs() < 1e-9);
        assert!((shannon(b"0123456789abcdef") - 4.0).abs() < 1e-9);
    }

    #[test]
    fn charsets() {
        assert_eq!(charset(b"deadbeef01"), Charset::Hex);
        assert_eq!(charset(b"DEADBEEF01"), Charset::Hex);
        assert_eq!(charset(b"DeadBeef01"), Charset::Base64);
        assert_eq!(charset(b"a b"), Charset::Other);
    }

    #[test]
    fn random_and_not_random() {
        assert!(looks_random(b"q8Vd3LmZ2xTf9RkW7pNc"));
        assert!(looks_random(b"9f86d081884c7d659a2feaa0c55ad015"));
        assert!(!looks_random(b"helloworldfoobar"));
        assert!(!looks_random(b"HelloWorldFooBarBaz"));
        assert!(!looks_random(b"abcdefghijklmnop1"));
        assert!(!looks_random(b"xxxxxxxxxxxxxxxxxxxx"));
        assert!(!looks_random(b"12345678901234567890"));
        assert!(!looks_random(b"short1A"));
    }

    #[test]
    fn fake_bodies() {
        assert!(is_fake_body(b"XXXXXXXXXXXXXXXX"));
        assert!(is_fake_body(b"ab12345678cd"));
        assert!(!is_fake_body(b"Q3EGT7XK2MPLWZ4B"));
        assert_eq!(longest_sequence(b"xabcdy"), 4);
        assert_eq!(longest_sequence(b"9876"), 4);
    }
}
