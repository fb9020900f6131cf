//! Known secret formats, found by shape anywhere in a text: vendor tokens with distinctive
//! prefixes, private keys, JWTs, connection strings and URLs with inline passwords.
//!
//! Each shape lists the keywords that must occur on a line before its regexes run (the
//! prefilter), its regexes (the named group `s`, or the whole match, is the secret), and the
//! check that vets a regex match. Table order is priority order: when two matches overlap, the
//! earlier detector wins.

use crate::allowlist::{inside_blob, is_example};
use crate::entropy::is_fake_body;
use crate::secret_match::Confidence;
use crate::values::{Verdict, vet};

/// How a regex match is vetted.
#[derive(Clone, Copy)]
pub(crate) enum Check {
    /// A prefixed token: not an example, not hand-filled, not glued to a longer token, not
    /// inside a base64 blob. `prefix` bytes are skipped before judging the random body.
    Token { prefix: usize, cont: fn(u8) -> bool },
    /// A PEM private key: key material must follow the header.
    PrivateKey,
    /// A JWT: header must decode, not a documentation token.
    Jwt,
    /// A password inside a URL (`scheme://user:password@host`).
    UrlPassword,
    /// `Password=…` inside an ADO.NET/ODBC connection string.
    ConnStringPassword,
}

/// One known-format detector.
pub(crate) struct Shape {
    pub id: &'static str,
    pub description: &'static str,
    pub confidence: Confidence,
    /// Prefilter keywords; all-lower-case ones match case-insensitively, others exactly.
    pub keywords: &'static [&'static str],
    /// Regexes, compiled once (ASCII mode).
    pub patterns: &'static [&'static str],
    pub check: Check,
    /// Bytes past the end of the line the regexes and checks may read (multi-line secrets).
    pub window: usize,
}

fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}
fn alnum_us(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}
fn alnum_us_dash(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}
fn alnum_dash(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}
fn base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='
}
fn jwt_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.'
}

/// The catalog, in priority order.
pub(crate) static SHAPES: &[Shape] = &[
    Shape {
        id: "gcp-service-account-key",
        description: "Google Cloud service-account key (private key in a credentials JSON)",
        confidence: Confidence::High,
        keywords: &["\"private_key\""],
        patterns: &[r#"(?-u)"private_key"\s*:\s*"(?P<s>-----BEGIN[ A-Z]{0,24}PRIVATE KEY-----)"#],
        check: Check::PrivateKey,
        window: super::pem::MAX_SPAN,
    },
    Shape {
        id: "private-key",
        description: "private key (PEM block)",
        confidence: Confidence::High,
        keywords: &["private key"],
        patterns: &[r"(?-u)-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----"],
        check: Check::PrivateKey,
        window: super::pem::MAX_SPAN,
    },
    Shape {
        id: "aws-access-key-id",
        description: "AWS access key id",
        confidence: Confidence::High,
        keywords: &["AKIA", "ASIA", "ABIA", "ACCA"],
        patterns: &[r"(?-u)(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}"],
        check: Check::Token {
            prefix: 4,
            cont: alnum,
        },
        window: 0,
    },
    Shape {
        id: "github-token",
        description: "GitHub token",
        confidence: Confidence::High,
        keywords: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
        patterns: &[
            r"(?-u)(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}",
            r"(?-u)github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}",
        ],
        check: Check::Token {
            prefix: 4,
            cont: alnum_us,
        },
        window: 0,
    },
    Shape {
        id: "gitlab-token",
        description: "GitLab token",
        confidence: Confidence::High,
        keywords: &["glpat-", "gldt-", "glrt-", "glptt-", "glsoat-", "glft-"],
        patterns: &[
            r"(?-u)(?:glpat|gldt|glrt|glsoat|glft)-[A-Za-z0-9_-]{20,}",
            r"(?-u)glptt-[0-9a-f]{40}",
        ],
        check: Check::Token {
            prefix: 5,
            cont: alnum_us_dash,
        },
        window: 0,
    },
    Shape {
        id: "slack-token",
        description: "Slack token",
        confidence: Confidence::High,
        keywords: &["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxo-", "xoxe"],
        patterns: &[
            r"(?-u)xox[abposr]-[0-9]{6,}-[0-9A-Za-z-]{16,}",
            r"(?-u)xoxe(?:\.xox[bp])?-1-[0-9A-Za-z-]{40,}",
        ],
        check: Check::Token {
            prefix: 5,
            cont: alnum_dash,
        },
        window: 0,
    },
    Shape {
        id: "slack-webhook-url",
        description: "Slack incoming-webhook URL",
        confidence: Confidence::High,
        keywords: &["hooks.slack.com"],
        patterns: &[
            r"(?-u)https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,}/[A-Z0-9]{6,}/(?P<s>[A-Za-z0-9]{20,})",
        ],
        check: Check::Token {
            prefix: 0,
            cont: alnum,
        },
        window: 0,
    },
    Shape {
        id: "stripe-secret-key",
        description: "Stripe live secret or restricted key",
        confidence: Confidence::High,
        keywords: &["sk_live_", "rk_live_"],
        patterns: &[r"(?-u)(?:sk|rk)_live_[0-9A-Za-z]{20,247}"],
        check: Check::Token {
            prefix: 8,
            cont: alnum_us,
        },
        window: 0,
    },
    Shape {
        id: "google-api-key",
        description: "Google API key",
        confidence: Confidence::High,
        keywords: &["AIza"],
        patterns: &[r"(?-u)AIza[0-9A-Za-z_-]{35}"],
        check: Check::Token {
            prefix: 4,
            cont: alnum_us_dash,
        },
        window: 0,
    },
    Shape {
        id: "sendgrid-api-key",
        description: "SendGrid API key",
        confidence: Confidence::High,
        keywords: &["SG."],
        patterns: &[r"(?-u)SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"],
        check: Check::Token {
            prefix: 3,
            cont: alnum_us_dash,
        },
        window: 0,
    },
    Shape {
        id: "twilio-api-key",
        description: "Twilio API key SID",
        confidence: Confidence::Medium,
        keywords: &["twilio"],
        patterns: &[r"(?-u)SK[0-9a-f]{32}"],
        check: Check::Token {
            prefix: 2,
            cont: alnum,
        },
        window: 0,
    },
    Shape {
        id: "npm-token",
        description: "npm access token",
        confidence: Confidence::High,
        keywords: &["npm_"],
        patterns: &[r"(?-u)npm_[A-Za-z0-9]{36}"],
        check: Check::Token {
            prefix: 4,
            cont: alnum_us,
        },
        window: 0,
    },
    Shape {
        id: "pypi-token",
        description: "PyPI API token",
        confidence: Confidence::High,
        keywords: &["pypi-AgEIcHlwaS5vcmc"],
        patterns: &[r"(?-u)pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"],
        check: Check::Token {
            prefix: 19,
            cont: alnum_us_dash,
        },
        window: 0,
    },
    Shape {
        id: "openai-api-key",
        description: "OpenAI API key",
        confidence: Confidence::High,
        keywords: &["T3BlbkFJ"],
        patterns: &[
            r"(?-u)sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}",
        ],
        check: Check::Token {
            prefix: 3,
            cont: alnum_us_dash,
        },
        window: 0,
    },
    Shape {
        id: "anthropic-api-key",
        description: "Anthropic API key",
        confidence: Confidence::High,
        keywords: &["sk-ant-"],
        patterns: &[r"(?-u)sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120}"],
        check: Check::Token {
            prefix: 13,
            cont: alnum_us_dash,
        },
        window: 0,
    },
    Shape {
        id: "jwt",
        description: "JSON Web Token (bearer credential)",
        confidence: Confidence::Medium,
        keywords: &["eyJ"],
        patterns: &[r"(?-u)eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}"],
        check: Check::Jwt,
        window: 0,
    },
    Shape {
        id: "azure-storage-account-key",
        description: "Azure Storage account key (connection string AccountKey)",
        confidence: Confidence::High,
        keywords: &["accountkey="],
        patterns: &[r"(?i-u)AccountKey=(?P<s>[A-Za-z0-9+/]{86}==)"],
        check: Check::Token {
            prefix: 0,
            cont: base64,
        },
        window: 0,
    },
    Shape {
        id: "azure-shared-access-key",
        description: "Azure Service Bus / Event Hubs shared access key",
        confidence: Confidence::High,
        keywords: &["sharedaccesskey="],
        patterns: &[r"(?i-u)SharedAccessKey=(?P<s>[A-Za-z0-9+/]{43}=)"],
        check: Check::Token {
            prefix: 0,
            cont: base64,
        },
        window: 0,
    },
    Shape {
        id: "database-url-password",
        description: "database URL with an inline password",
        confidence: Confidence::High,
        keywords: &[
            "postgres",
            "mysql",
            "mariadb",
            "mongodb",
            "redis",
            "amqp",
            "mssql",
            "sqlserver",
            "couchdb",
            "neo4j",
            "clickhouse",
            "cockroachdb",
            "oracle",
            "jdbc:",
        ],
        patterns: &[
            // scheme://user:password@host
            r#"(?i-u)(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|couchdbs?|neo4j(?:\+s|\+ssc)?|clickhouse|cockroachdb|oracle)(?:\+[a-z0-9]+)?://[^:/@\s"'<>]*:(?P<s>[^@\s"'<>/]+)@[^\s"'<>]+"#,
            r#"(?i-u)jdbc:[a-z0-9]+:[^\s"'<>]*?[?&;]password=(?P<s>[^&;\s"'<>]+)"#,
        ],
        check: Check::UrlPassword,
        window: 0,
    },
    Shape {
        id: "connection-string-password",
        description: "connection string with an inline password",
        confidence: Confidence::High,
        keywords: &["password=", "pwd="],
        patterns: &[r#"(?i-u)(?:^|[;"'\s])(?:password|pwd)\s*=\s*(?P<s>[^;"'\s]+)"#],
        check: Check::ConnStringPassword,
        window: 0,
    },
    Shape {
        id: "url-password",
        description: "URL with inline credentials",
        confidence: Confidence::Medium,
        keywords: &["://"],
        patterns: &[
            r#"(?i-u)(?:https?|ftps?|sftp|smtps?|ldaps?|ssh|wss?|git\+https?)://[^:/@\s"'<>]+:(?P<s>[^@\s"'<>/]+)@[A-Za-z0-9.-]+"#,
        ],
        check: Check::UrlPassword,
        window: 0,
    },
];

/// Context a check sees.
pub(crate) struct Hit<'a> {
    /// The whole scanned text.
    pub text: &'a [u8],
    /// The line the match starts on.
    pub line: &'a [u8],
    /// Secret span (absolute offsets in `text`).
    pub start: usize,
    pub end: usize,
    /// Whole regex match span (absolute).
    pub match_start: usize,
    pub match_end: usize,
}

/// Vets a match; returns the final secret end offset and confidence, or `None` to drop it.
pub(crate) fn check(shape: &Shape, hit: &Hit<'_>) -> Option<(usize, Confidence)> {
    let secret = &hit.text[hit.start..hit.end];
    match shape.check {
        Check::Token { prefix, cont } => {
            let before = hit.match_start.checked_sub(1).map(|i| hit.text[i]);
            let after = hit.text.get(hit.end).copied();
            if before.is_some_and(cont) || after.is_some_and(cont) {
                return None;
            }
            if is_example(secret) || is_fake_body(secret.get(prefix..).unwrap_or(secret)) {
                return None;
            }
            if inside_blob(hit.text, hit.match_start, hit.end) {
                return None;
            }
            if shape.id == "azure-storage-account-key" && contains_ci(hit.line, b"devstoreaccount1")
            {
                return None;
            }
            Some((hit.end, shape.confidence))
        }
        Check::PrivateKey => {
            let end = super::pem::body_end(hit.text, hit.match_end)?;
            if is_example(&hit.text[hit.start..end]) {
                return None;
            }
            let confidence = if contains_ci(secret, b"ENCRYPTED") {
                Confidence::Medium
            } else {
                shape.confidence
            };
            Some((end, confidence))
        }
        Check::Jwt => {
            let before = hit.match_start.checked_sub(1).map(|i| hit.text[i]);
            let after = hit.text.get(hit.end).copied();
            if before.is_some_and(jwt_char) || after.is_some_and(jwt_char) {
                return None;
            }
            super::jwt::is_real_jwt(secret).then_some((hit.end, shape.confidence))
        }
        Check::UrlPassword => {
            let whole = &hit.text[hit.match_start..hit.match_end];
            if is_example_host(whole) {
                return None;
            }
            let pw = std::str::from_utf8(secret).ok()?;
            // `user:user@` is a default, not a secret.
            let user_same = whole.windows(secret.len() + 2).any(|w| {
                w.first() == Some(&b'/')
                    && &w[1..=secret.len()] == secret
                    && w.last() == Some(&b':')
            });
            if user_same || vet(&percent_decode(pw)) != Verdict::Literal {
                return None;
            }
            Some((hit.end, shape.confidence))
        }
        Check::ConnStringPassword => {
            const CONTEXT: &[&[u8]] = &[
                b"server=",
                b"data source=",
                b"host=",
                b"user id=",
                b"uid=",
                b"database=",
                b"initial catalog=",
                b"user=",
                b"username=",
                b"address=",
                b"endpoint=",
            ];
            if !CONTEXT.iter().any(|c| contains_ci(hit.line, c)) {
                return None;
            }
            let pw = std::str::from_utf8(secret).ok()?;
            (vet(pw) == Verdict::Literal).then_some((hit.end, shape.confidence))
        }
    }
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// True when a URL's host is a documentation host (RFC 2606 / RFC 6761 names).
fn is_example_host(url: &[u8]) -> bool {
    let Some(at) = url.iter().rposition(|&b| b == b'@') else {
        return false;
    };
    let host: Vec<u8> = url[at + 1..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
        .map(u8::to_ascii_lowercase)
        .collect();
    let host = String::from_utf8_lossy(&host);
    ["example.com", "example.org", "example.net", "example"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        || [".test", ".invalid", ".example"]
            .iter()
            .any(|s| host.ends_with(s))
        || host.starts_with("host") && host.len() <= 5
}

/// Decodes `%XX` escapes (passwords in URLs are often percent-encoded).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent() {
        assert_eq!(percent_decode("p%40ss%2Fw"), "p@ss/w");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%4"), "%4");
    }
}
