//! Name-based detectors: a literal judged by the key it is assigned to (environment variables,
//! template properties, `NAME=value` and `"name": "value"` assignments in text).

use super::DetectorInfo;
use crate::allowlist::{is_digest, is_uuid};
use crate::entropy::looks_random;
use crate::names::{NameClass, classify_name};
use crate::secret_match::Confidence;
use crate::values::{Verdict, is_identifier, is_locator, vet};

const AWS_SECRET: DetectorInfo = DetectorInfo {
    id: "aws-secret-access-key",
    description: "AWS secret access key",
    confidence: Confidence::High,
};
const TWILIO: DetectorInfo = DetectorInfo {
    id: "twilio-auth-token",
    description: "Twilio auth token",
    confidence: Confidence::High,
};
const NPM: DetectorInfo = DetectorInfo {
    id: "npm-auth-token",
    description: "npm registry auth token (.npmrc _authToken)",
    confidence: Confidence::High,
};
const AUTHORIZATION: DetectorInfo = DetectorInfo {
    id: "authorization-header",
    description: "credential in an Authorization header value",
    confidence: Confidence::Medium,
};
const PASSWORD: DetectorInfo = DetectorInfo {
    id: "generic-password",
    description: "password literal under a password-like key",
    confidence: Confidence::Medium,
};
const SECRET: DetectorInfo = DetectorInfo {
    id: "generic-secret",
    description: "high-entropy literal under a secret-like key (token, API key, client secret)",
    confidence: Confidence::Medium,
};
const WEAK: DetectorInfo = DetectorInfo {
    id: "weak-password",
    description: "default or placeholder password deployed as a literal",
    confidence: Confidence::Low,
};

/// Name-based detectors, in priority order (after every shape detector).
pub(crate) static NAMED: &[DetectorInfo] = &[
    AWS_SECRET,
    TWILIO,
    NPM,
    AUTHORIZATION,
    PASSWORD,
    SECRET,
    WEAK,
];

/// Priority of a named detector relative to the others.
pub(crate) fn rank(id: &str) -> usize {
    NAMED.iter().position(|d| d.id == id).unwrap_or(NAMED.len())
}

/// A name-based verdict.
pub(crate) struct NamedHit {
    pub info: DetectorInfo,
    pub confidence: Confidence,
    /// Offset of the secret inside the value given (after trimming and scheme stripping).
    pub offset: usize,
    pub len: usize,
}

fn hit(info: DetectorInfo, confidence: Confidence, offset: usize, v: &str) -> Option<NamedHit> {
    Some(NamedHit {
        info,
        confidence,
        offset,
        len: v.len(),
    })
}

/// Judges `value` under key `name`. `report_weak` turns guessable passwords into
/// `weak-password` findings (configuration values) instead of ignoring them (free text).
pub(crate) fn classify(name: &str, value: &str, report_weak: bool) -> Option<NamedHit> {
    let class = classify_name(name)?;
    let lead = value.len() - value.trim_start().len();
    let mut v = value.trim();
    let mut offset = lead;
    if class == NameClass::Authorization {
        // `Bearer <token>`, `Basic <base64>`, `token <token>`.
        if let Some((scheme, rest)) = v.split_once(' ') {
            let s = scheme.to_ascii_lowercase();
            if matches!(
                s.as_str(),
                "bearer" | "basic" | "token" | "apikey" | "sso-key"
            ) {
                let rest_trimmed = rest.trim_start();
                offset += v.len() - rest_trimmed.len();
                v = rest_trimmed.trim_end();
            }
        }
    }
    let verdict = vet(v);
    if matches!(
        verdict,
        Verdict::Empty | Verdict::Reference | Verdict::Markup
    ) {
        return None;
    }
    let b = v.as_bytes();
    if is_digest(b) || b.iter().any(u8::is_ascii_whitespace) {
        return None;
    }
    let base64ish = |b: &[u8]| {
        b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
    };
    let hex = |b: &[u8]| b.iter().all(u8::is_ascii_hexdigit);
    match class {
        NameClass::AwsSecretKey if b.len() == 40 && base64ish(b) && looks_random(b) => {
            return hit(AWS_SECRET, Confidence::High, offset, v);
        }
        NameClass::TwilioToken if b.len() == 32 && hex(b) && looks_random(b) => {
            return hit(TWILIO, Confidence::High, offset, v);
        }
        NameClass::NpmAuthToken
            if verdict == Verdict::Literal && (is_uuid(b) || looks_random(b)) =>
        {
            return hit(NPM, Confidence::High, offset, v);
        }
        _ => {}
    }
    if class == NameClass::Password {
        let weak = verdict == Verdict::Weak || v.chars().count() < 6;
        if weak {
            return if report_weak {
                hit(WEAK, Confidence::Low, offset, v)
            } else {
                None
            };
        }
        if is_identifier(v) || is_locator(v) || b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let confidence = if looks_random(b) {
            Confidence::High
        } else {
            Confidence::Medium
        };
        return hit(PASSWORD, confidence, offset, v);
    }
    if verdict == Verdict::Weak || is_identifier(v) || is_locator(v) {
        return None;
    }
    let info = if class == NameClass::Authorization {
        AUTHORIZATION
    } else {
        SECRET
    };
    if is_uuid(b) {
        // Several vendors issue UUID API keys, but UUIDs are also ids: report, with low confidence.
        return hit(info, Confidence::Low, offset, v);
    }
    if !looks_random(b) {
        return None;
    }
    let confidence = if b.len() >= 32 {
        Confidence::High
    } else {
        Confidence::Medium
    };
    hit(info, confidence, offset, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(name: &str, value: &str, weak: bool) -> Option<&'static str> {
        classify(name, value, weak).map(|h| h.info.id)
    }

    #[test]
    fn verdicts() {
        assert_eq!(
            id(
                "AWS_SECRET_ACCESS_KEY",
                "k3Hq9vZ2mW8xR4tY7uP1aS5dF6gJ0lQ2zX3cV8bN",
                false
            ),
            Some("aws-secret-access-key")
        );
        assert_eq!(
            id("DB_PASSWORD", "S7v!qpLr3z", false),
            Some("generic-password")
        );
        assert_eq!(id("DB_PASSWORD", "changeme", false), None);
        assert_eq!(id("DB_PASSWORD", "changeme", true), Some("weak-password"));
        assert_eq!(id("DB_PASSWORD", "${ssm:/db/pw}", true), None);
        assert_eq!(
            id("API_KEY", "q8Vd3LmZ2xTf9RkW7pNc", false),
            Some("generic-secret")
        );
        assert_eq!(id("API_KEY", "my-api-key", false), None);
        assert_eq!(id("TOKEN_TABLE_NAME", "q8Vd3LmZ2xTf9RkW7pNc", false), None);
        assert_eq!(
            id("Authorization", "Bearer q8Vd3LmZ2xTf9RkW7pNc", false),
            Some("authorization-header")
        );
        let h = classify("Authorization", "Bearer q8Vd3LmZ2xTf9RkW7pNc", false).unwrap();
        assert_eq!((h.offset, h.len), (7, 20));
        assert_eq!(
            id("checksum", "9f86d081884c7d659a2feaa0c55ad015", false),
            None
        );
        assert_eq!(
            id("secret", "sha256:9f86d081884c7d659a2feaa0c55ad015", false),
            None
        );
    }
}
