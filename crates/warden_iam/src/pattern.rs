//! Wildcard patterns (`*` any run, `?` one character) compiled once and matched without allocation.
//!
//! A pattern is built from pieces so that characters produced by escapes (`${*}`) or by policy
//! variable values stay literal. Case folding is the caller's job: fold both sides first.

/// One unit of a pattern before compilation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatChar {
    /// A literal character.
    Lit(char),
    /// `*`: any run of characters, including none.
    Star,
    /// `?`: exactly one character.
    One,
}

/// Converts text to pattern characters, treating `*` and `?` as wildcards.
pub fn wild_chars(text: &str, out: &mut Vec<PatChar>) {
    out.extend(text.chars().map(|c| match c {
        '*' => PatChar::Star,
        '?' => PatChar::One,
        c => PatChar::Lit(c),
    }));
}

/// Converts text to literal pattern characters (no wildcards).
pub fn literal_chars(text: &str, out: &mut Vec<PatChar>) {
    out.extend(text.chars().map(PatChar::Lit));
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// A compiled pattern token (exposed only through [`Glob::General`]).
pub enum Tok {
    /// Literal text.
    Lit(Box<str>),
    /// Any run.
    Star,
    /// One character.
    One,
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Glob {
    /// `*`: matches everything.
    Any,
    /// No wildcard: exact comparison.
    Exact(Box<str>),
    /// `prefix*`.
    Prefix(Box<str>),
    /// Anything else.
    General(Box<[Tok]>),
}

impl Glob {
    /// Compiles text where `*` and `?` are wildcards.
    pub fn new(text: &str) -> Glob {
        let mut v = Vec::with_capacity(text.len());
        wild_chars(text, &mut v);
        Glob::from_chars(&v)
    }

    /// Compiles text matched literally.
    pub fn literal(text: &str) -> Glob {
        Glob::Exact(text.into())
    }

    /// Compiles a sequence of pattern characters.
    pub fn from_chars(chars: &[PatChar]) -> Glob {
        let mut toks: Vec<Tok> = Vec::new();
        let mut lit = String::new();
        for &c in chars {
            match c {
                PatChar::Lit(ch) => lit.push(ch),
                PatChar::Star | PatChar::One => {
                    if !lit.is_empty() {
                        toks.push(Tok::Lit(std::mem::take(&mut lit).into()));
                    }
                    if c == PatChar::Star {
                        if toks.last() != Some(&Tok::Star) {
                            toks.push(Tok::Star);
                        }
                    } else {
                        toks.push(Tok::One);
                    }
                }
            }
        }
        if !lit.is_empty() {
            toks.push(Tok::Lit(lit.into()));
        }
        match toks.as_slice() {
            [] => Glob::Exact("".into()),
            [Tok::Star] => Glob::Any,
            [Tok::Lit(s)] => Glob::Exact(s.clone()),
            [Tok::Lit(s), Tok::Star] => Glob::Prefix(s.clone()),
            _ => Glob::General(toks.into_boxed_slice()),
        }
    }

    /// True when the pattern is exactly `*`.
    pub fn is_any(&self) -> bool {
        matches!(self, Glob::Any)
    }

    /// True when the pattern has no wildcard.
    pub fn is_exact(&self) -> bool {
        matches!(self, Glob::Exact(_))
    }

    /// The literal text before the first wildcard.
    pub fn literal_prefix(&self) -> &str {
        match self {
            Glob::Any => "",
            Glob::Exact(s) | Glob::Prefix(s) => s,
            Glob::General(t) => match t.first() {
                Some(Tok::Lit(s)) => s,
                _ => "",
            },
        }
    }

    /// Matches the whole of `text`.
    pub fn matches(&self, text: &str) -> bool {
        match self {
            Glob::Any => true,
            Glob::Exact(s) => **s == *text,
            Glob::Prefix(p) => text.starts_with(&**p),
            Glob::General(toks) => general_match(toks, text),
        }
    }
}

fn char_len_at(text: &str, pos: usize) -> usize {
    text[pos..].chars().next().map_or(1, char::len_utf8)
}

fn general_match(toks: &[Tok], text: &str) -> bool {
    let mut ti = 0usize;
    let mut pos = 0usize;
    // (token index after the last star, text position the star currently stops at)
    let mut back: Option<(usize, usize)> = None;
    loop {
        if ti < toks.len() {
            match &toks[ti] {
                Tok::Star => {
                    back = Some((ti + 1, pos));
                    ti += 1;
                    continue;
                }
                Tok::One => {
                    if pos < text.len() {
                        pos += char_len_at(text, pos);
                        ti += 1;
                        continue;
                    }
                }
                Tok::Lit(s) => {
                    if text[pos..].starts_with(&**s) {
                        pos += s.len();
                        ti += 1;
                        continue;
                    }
                }
            }
        } else if pos == text.len() {
            return true;
        }
        match back {
            Some((sti, spos)) if spos < text.len() => {
                let np = spos + char_len_at(text, spos);
                back = Some((sti, np));
                ti = sti;
                pos = np;
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            ("*", "", true),
            ("*", "abc", true),
            ("a*", "abc", true),
            ("a*", "bac", false),
            ("*c", "abc", true),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "aXbY", false),
            ("*a*a*", "banana", true),
            ("??", "é!", true),
            ("abc", "abc", true),
            ("abc", "abcd", false),
            ("*bc", "bcbc", true),
            ("a**", "a", true),
            ("", "", true),
            ("", "x", false),
            ("?*", "", false),
        ];
        for (p, t, want) in cases {
            assert_eq!(Glob::new(p).matches(t), want, "{p} vs {t}");
        }
    }

    #[test]
    fn literal_pieces_stay_literal() {
        let mut v = Vec::new();
        literal_chars("a*", &mut v);
        wild_chars("?", &mut v);
        let g = Glob::from_chars(&v);
        assert!(g.matches("a*x"));
        assert!(!g.matches("abx"));
    }
}
