//! Keyword prefilter: one Aho-Corasick pass over the text finds the lines worth running
//! regexes on, and which detectors to run there. A text without any keyword costs that pass.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::detectors::Shape;
use crate::names::KEY_QUALIFIERS;

/// Bit for the name-based (assignment) detectors.
pub(crate) const GENERIC_BIT: u32 = 63;

/// Keywords that announce a secret-like name; every name that [`crate::names::classify_name`]
/// accepts contains one of them (a unit test checks it).
fn generic_keywords() -> Vec<String> {
    // `pw` only next to a separator or an operator: alone it is too frequent in base64 and words.
    let mut k: Vec<String> = [
        "pass",
        "pwd",
        "_pw",
        "-pw",
        ".pw",
        "pw_",
        "pw=",
        "pw:",
        "pw\"",
        "pw'",
        "pw ",
        "secret",
        "token",
        "credential",
        "creds",
        "privkey",
        "apikey",
        "bearer",
        "auth",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for q in KEY_QUALIFIERS {
        for sep in ["", "_", "-", "."] {
            k.push(format!("{q}{sep}key"));
        }
    }
    k
}

/// A line with keyword hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    /// Byte offset of the line start.
    pub start: usize,
    /// Byte offset of the line end (the `\n`, or the text end).
    pub end: usize,
    /// 1-based line number.
    pub line: u32,
    /// Detectors to run: bit `i` is `SHAPES[i]`, [`GENERIC_BIT`] the name-based detectors.
    pub mask: u64,
    /// Range into [`Candidates::generic_hits`] of this line's generic keyword offsets.
    pub hits: (usize, usize),
}

/// Candidate lines, plus the absolute offsets of generic (secret-name) keyword hits.
#[derive(Debug, Default)]
pub(crate) struct Candidates {
    pub lines: Vec<Candidate>,
    pub generic_hits: Vec<usize>,
}

/// The compiled keyword automaton.
pub(crate) struct Prefilter {
    ac: AhoCorasick,
    /// Per pattern: detector mask, and the exact bytes when the keyword is case-sensitive.
    meta: Vec<(u64, Option<Vec<u8>>)>,
}

impl Prefilter {
    /// Builds the automaton for `shapes` plus the generic keywords.
    pub(crate) fn new(shapes: &[Shape]) -> Result<Self, aho_corasick::BuildError> {
        let mut patterns: Vec<String> = Vec::new();
        let mut meta = Vec::new();
        for (i, shape) in shapes.iter().enumerate() {
            for kw in shape.keywords {
                let exact = kw
                    .bytes()
                    .any(|b| b.is_ascii_uppercase())
                    .then(|| kw.as_bytes().to_vec());
                patterns.push((*kw).to_owned());
                meta.push((1u64 << i, exact));
            }
        }
        for kw in generic_keywords() {
            patterns.push(kw);
            meta.push((1u64 << GENERIC_BIT, None));
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            // A full DFA: one table lookup per byte. With ~150 case-insensitive keywords no
            // literal prefilter applies, and the DFA is several times faster than the NFAs.
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&patterns)?;
        Ok(Self { ac, meta })
    }

    /// The lines of `text` with at least one keyword, in order.
    pub(crate) fn candidates(&self, text: &[u8]) -> Candidates {
        let mut out: Vec<Candidate> = Vec::new();
        let mut generic_hits = Vec::new();
        // Newlines counted up to `counted`; `line_no` is the line number at `counted`.
        let mut counted = 0usize;
        let mut line_no = 1u32;
        for m in self.ac.find_overlapping_iter(text) {
            let (mask, exact) = &self.meta[m.pattern().as_usize()];
            if let Some(exact) = exact {
                if &text[m.start()..m.end()] != exact.as_slice() {
                    continue;
                }
            }
            let generic = mask & (1u64 << GENERIC_BIT) != 0;
            if generic {
                generic_hits.push(m.start());
            }
            if let Some(last) = out.last_mut() {
                if m.start() < last.end {
                    last.mask |= mask;
                    last.hits.1 = generic_hits.len();
                    continue;
                }
            }
            let start = memchr::memrchr(b'\n', &text[counted..m.start()])
                .map_or(counted, |i| counted + i + 1);
            let newlines = memchr::memchr_iter(b'\n', &text[counted..start]).count();
            line_no = line_no.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
            counted = start;
            let end =
                memchr::memchr(b'\n', &text[m.start()..]).map_or(text.len(), |i| m.start() + i);
            let first_hit = generic_hits.len() - usize::from(generic);
            out.push(Candidate {
                start,
                end,
                line: line_no,
                mask: *mask,
                hits: (first_hit, generic_hits.len()),
            });
        }
        Candidates {
            lines: out,
            generic_hits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::SHAPES;

    #[test]
    fn finds_lines_and_masks() {
        let p = Prefilter::new(SHAPES).unwrap();
        let text = b"nothing here\nkey = AKIAQ3EGT7XK2MPLWZ4B\n\nDB_PASSWORD=x\nslovakia\n";
        let all = p.candidates(text);
        let c = &all.lines;
        assert_eq!(c.len(), 2, "{c:?}");
        let (a, b) = c[1].hits;
        assert_eq!(&all.generic_hits[a..b], &[c[1].start + 3]);
        assert_eq!(
            (c[0].line, &text[c[0].start..c[0].end]),
            (2, &b"key = AKIAQ3EGT7XK2MPLWZ4B"[..])
        );
        assert_eq!(c[1].line, 4);
        assert_ne!(c[1].mask & (1 << GENERIC_BIT), 0);
        assert!(p.candidates(b"lorem ipsum dolor sit amet").lines.is_empty());
    }

    #[test]
    fn every_secret_name_hits_a_generic_keyword() {
        let p = Prefilter::new(SHAPES).unwrap();
        for name in [
            "DB_PASSWORD",
            "db_pw",
            "SMTP_PASS",
            "dbPwd",
            "CLIENT_SECRET",
            "GITHUB_TOKEN",
            "apiKey",
            "X-Api-Key",
            "signingKey",
            "HMAC_KEY",
            "Authorization",
            "auth",
            "credentials",
            "creds",
            "PRIVKEY",
            "bearer",
            "jwt.key",
            "MasterUserPassword",
            "passphrase",
        ] {
            assert!(crate::names::classify_name(name).is_some(), "{name}");
            let c = p.candidates(name.as_bytes()).lines;
            assert!(c.iter().any(|c| c.mask & (1 << GENERIC_BIT) != 0), "{name}");
        }
    }
}
