//! ARNs: splitting into the six colon-separated fields and segment-wise wildcard matching.
//!
//! A pattern is matched field by field (`*` does not cross a colon in partition, service,
//! region or account), the resource field may itself contain colons, and a pattern with fewer
//! than six fields whose last field ends in `*` lets that `*` cover the rest of the ARN.

use crate::pattern::{Glob, PatChar};

/// Splits `s` into the six ARN fields, or `None` if it is not an ARN.
pub fn split_arn(s: &str) -> Option<[&str; 6]> {
    let mut it = s.splitn(6, ':');
    let f = [
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ];
    (f[0] == "arn").then_some(f)
}

/// A compiled resource (or ARN condition) pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArnPattern {
    /// `*`.
    Any,
    /// Six fields, each a glob.
    Fields(Box<[Glob; 6]>),
    /// Fewer than six fields, the last ending in `*` which covers the remainder.
    Truncated(Box<[Glob]>, Glob),
    /// Not ARN-shaped: matched as one glob against the whole string.
    Whole(Glob),
}

impl ArnPattern {
    /// Compiles text where `*`/`?` are wildcards.
    pub fn new(text: &str) -> ArnPattern {
        let mut v = Vec::with_capacity(text.len());
        crate::pattern::wild_chars(text, &mut v);
        ArnPattern::from_chars(&v)
    }

    /// Compiles pattern characters.
    pub fn from_chars(chars: &[PatChar]) -> ArnPattern {
        if chars == [PatChar::Star] {
            return ArnPattern::Any;
        }
        let mut fields: Vec<&[PatChar]> = Vec::with_capacity(6);
        let mut start = 0;
        for (i, c) in chars.iter().enumerate() {
            if fields.len() == 5 {
                break;
            }
            if *c == PatChar::Lit(':') {
                fields.push(&chars[start..i]);
                start = i + 1;
            }
        }
        fields.push(&chars[start..]);
        if fields.len() == 6 {
            let g: Vec<Glob> = fields.iter().map(|f| Glob::from_chars(f)).collect();
            match <[Glob; 6]>::try_from(g) {
                Ok(arr) => ArnPattern::Fields(Box::new(arr)),
                Err(_) => ArnPattern::Whole(Glob::from_chars(chars)),
            }
        } else if fields.len() > 1
            && fields
                .last()
                .is_some_and(|f| f.last() == Some(&PatChar::Star))
        {
            let n = fields.len();
            let head = fields[..n - 1]
                .iter()
                .map(|f| Glob::from_chars(f))
                .collect();
            ArnPattern::Truncated(head, Glob::from_chars(fields[n - 1]))
        } else if fields.len() > 1
            && fields[0] == [PatChar::Lit('a'), PatChar::Lit('r'), PatChar::Lit('n')]
        {
            // ARN-shaped but short of fields: only the identical text matches.
            let text: String = chars
                .iter()
                .map(|c| match c {
                    PatChar::Lit(c) => *c,
                    PatChar::Star => '*',
                    PatChar::One => '?',
                })
                .collect();
            ArnPattern::Whole(Glob::literal(&text))
        } else {
            ArnPattern::Whole(Glob::from_chars(chars))
        }
    }

    /// True for `*`.
    pub fn is_any(&self) -> bool {
        matches!(self, ArnPattern::Any)
    }

    /// Matches a resource string (split once by the caller with [`split_arn`]).
    pub fn matches(&self, full: &str, fields: Option<&[&str; 6]>) -> bool {
        match self {
            ArnPattern::Any => true,
            ArnPattern::Whole(g) => g.matches(full),
            ArnPattern::Fields(globs) => match fields {
                Some(f) => globs.iter().zip(f.iter()).all(|(g, t)| g.matches(t)),
                None => false,
            },
            ArnPattern::Truncated(head, rest) => {
                let Some(f) = fields else { return false };
                if !head.iter().zip(f.iter()).all(|(g, t)| g.matches(t)) {
                    return false;
                }
                // Offset of field `head.len()` in `full`.
                let offset: usize = f[..head.len()].iter().map(|t| t.len() + 1).sum();
                full.get(offset..).is_some_and(|r| rest.matches(r))
            }
        }
    }

    /// Matches an ARN string, splitting it first.
    pub fn matches_str(&self, s: &str) -> bool {
        let f = split_arn(s);
        self.matches(s, f.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            ("*", "arn:aws:s3:::b/k", true),
            ("*", "*", true),
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b/k/x:y", true),
            ("arn:aws:s3:::b/*", "arn:aws:s3:::c/k", false),
            ("arn:aws:s3:::*", "*", false),
            ("arn:aws:*:*:*:*", "arn:aws:sqs:us-east-1:1:q", true),
            ("arn:aws:s*:*:*:*", "arn:aws:sqs:us-east-1:1:q", true),
            // `*` in a field does not cross a colon.
            ("arn:aws:*:1:q", "arn:aws:sqs:us-east-1:1:q", false),
            // A trailing `*` on a short pattern covers the rest.
            ("arn:aws:sqs:*", "arn:aws:sqs:us-east-1:1:q", true),
            ("arn:aws:sns:*", "arn:aws:sqs:us-east-1:1:q", false),
            (
                "arn:aws:logs:*:*:log-group:g:*",
                "arn:aws:logs:eu:1:log-group:g:log-stream:s",
                true,
            ),
            ("arn:aws:iam::?:role/x", "arn:aws:iam::1:role/x", true),
            ("arn:aws:iam::?:role/x", "arn:aws:iam::12:role/x", false),
            ("not-an-arn*", "not-an-arn-x", true),
        ];
        for (p, r, want) in cases {
            assert_eq!(ArnPattern::new(p).matches_str(r), want, "{p} vs {r}");
        }
    }
}
