//! PEP 440 versions for PyPI: epochs, release segments, pre (`a`/`b`/`rc` and their aliases),
//! post (including the implicit `1.0-1` form), dev releases and local versions, parsed leniently
//! as the specification's normalisation rules allow and ordered as `packaging` orders them.

use std::cmp::Ordering;

/// A parsed PEP 440 version.
#[derive(Debug, Clone)]
pub struct Pep440 {
    epoch: u64,
    release: Vec<u64>,
    pre: Option<(u8, u64)>,
    post: Option<u64>,
    dev: Option<u64>,
    local: Vec<LocalPart>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum LocalPart {
    Num(u64),
    Text(String),
}

impl PartialOrd for LocalPart {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for LocalPart {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Num(a), Self::Num(b)) => a.cmp(b),
            (Self::Text(a), Self::Text(b)) => a.cmp(b),
            // Numeric segments sort above alphanumeric ones.
            (Self::Num(_), Self::Text(_)) => Ordering::Greater,
            (Self::Text(_), Self::Num(_)) => Ordering::Less,
        }
    }
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn number(&mut self) -> Option<u64> {
        let start = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        if start == self.i {
            return None;
        }
        std::str::from_utf8(&self.s[start..self.i])
            .ok()?
            .parse()
            .ok()
    }
    fn eat_sep(&mut self) -> bool {
        if matches!(self.peek(), Some(b'.' | b'-' | b'_')) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    /// Eats the longest of `words` at the cursor, returning its index.
    fn word(&mut self, words: &[&str]) -> Option<usize> {
        let rest = &self.s[self.i..];
        let mut best: Option<(usize, usize)> = None;
        for (k, w) in words.iter().enumerate() {
            if rest.starts_with(w.as_bytes()) && best.is_none_or(|(_, len)| w.len() > len) {
                best = Some((k, w.len()));
            }
        }
        let (k, len) = best?;
        self.i += len;
        Some(k)
    }
}

impl Pep440 {
    /// Parses a version; `None` when it is not valid PEP 440 (even after normalisation).
    pub fn parse(input: &str) -> Option<Self> {
        let lower = input.trim().to_ascii_lowercase();
        let bytes = lower.as_bytes();
        let mut c = Cursor { s: bytes, i: 0 };
        if c.peek() == Some(b'v') {
            c.i += 1;
        }
        let first = c.number()?;
        let (epoch, mut release) = if c.peek() == Some(b'!') {
            c.i += 1;
            (first, vec![c.number()?])
        } else {
            (0, vec![first])
        };
        while c.peek() == Some(b'.') && c.s.get(c.i + 1).is_some_and(|b| b.is_ascii_digit()) {
            c.i += 1;
            release.push(c.number()?);
        }
        let mut v = Pep440 {
            epoch,
            release,
            pre: None,
            post: None,
            dev: None,
            local: Vec::new(),
        };
        // Pre-release.
        let save = c.i;
        c.eat_sep();
        const PRE: [&str; 8] = ["alpha", "beta", "preview", "pre", "rc", "a", "b", "c"];
        match c.word(&PRE) {
            Some(k) => {
                let kind = match PRE[k] {
                    "a" | "alpha" => 0,
                    "b" | "beta" => 1,
                    _ => 2,
                };
                let save_n = c.i;
                c.eat_sep();
                let n = match c.number() {
                    Some(n) => n,
                    None => {
                        c.i = save_n;
                        0
                    }
                };
                v.pre = Some((kind, n));
            }
            None => c.i = save,
        }
        // Post-release: `-N` or `[sep](post|rev|r)[sep][N]`.
        let save = c.i;
        if c.peek() == Some(b'-') && c.s.get(c.i + 1).is_some_and(|b| b.is_ascii_digit()) {
            c.i += 1;
            v.post = c.number();
        } else {
            c.eat_sep();
            if c.word(&["post", "rev", "r"]).is_some() {
                let save_n = c.i;
                c.eat_sep();
                v.post = Some(match c.number() {
                    Some(n) => n,
                    None => {
                        c.i = save_n;
                        0
                    }
                });
            } else {
                c.i = save;
            }
        }
        // Dev release.
        let save = c.i;
        c.eat_sep();
        if c.word(&["dev"]).is_some() {
            let save_n = c.i;
            c.eat_sep();
            v.dev = Some(match c.number() {
                Some(n) => n,
                None => {
                    c.i = save_n;
                    0
                }
            });
        } else {
            c.i = save;
        }
        // Local version.
        if c.peek() == Some(b'+') {
            c.i += 1;
            let rest = std::str::from_utf8(&c.s[c.i..]).ok()?;
            for part in rest.split(['.', '-', '_']) {
                if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return None;
                }
                v.local.push(match part.parse::<u64>() {
                    Ok(n) if part.bytes().all(|b| b.is_ascii_digit()) => LocalPart::Num(n),
                    _ => LocalPart::Text(part.to_string()),
                });
            }
            c.i = c.s.len();
        }
        (c.i == c.s.len()).then_some(v)
    }

    fn release_trimmed(&self) -> &[u64] {
        let mut end = self.release.len();
        while end > 1 && self.release[end - 1] == 0 {
            end -= 1;
        }
        &self.release[..end]
    }

    /// Whether this is a pre-release or dev release.
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }
}

/// Sort key for the pre-release slot: a dev release of a final version sorts before its
/// pre-releases, a final release after them.
fn pre_key(v: &Pep440) -> (i8, u8, u64) {
    match v.pre {
        Some((k, n)) => (0, k, n),
        None if v.post.is_none() && v.dev.is_some() => (-1, 0, 0),
        None => (1, 0, 0),
    }
}

impl PartialEq for Pep440 {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Pep440 {}
impl PartialOrd for Pep440 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pep440 {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| self.release_trimmed().cmp(other.release_trimmed()))
            .then_with(|| pre_key(self).cmp(&pre_key(other)))
            // No post release sorts before any post release.
            .then_with(|| {
                self.post
                    .map(|p| p as i128)
                    .unwrap_or(-1)
                    .cmp(&other.post.map(|p| p as i128).unwrap_or(-1))
            })
            // No dev release sorts after any dev release.
            .then_with(|| {
                self.dev
                    .map(|d| d as i128)
                    .unwrap_or(i128::MAX)
                    .cmp(&other.dev.map(|d| d as i128).unwrap_or(i128::MAX))
            })
            .then_with(|| self.local.cmp(&other.local))
    }
}
