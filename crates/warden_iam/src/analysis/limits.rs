//! Three-valued conditions and resource breadth for analysis.
//!
//! A condition *limits* a grant when it restricts who or what can use it: source ARN/account/org,
//! principal org/account/ARN, resource account/org/tags, request tags, `iam:PassedToService`,
//! network origin, or any service-specific key, used with a positive operator and a value that is
//! not a bare `*`. Other conditions (`aws:SecureTransport`, `aws:CurrentTime`, MFA, region, user
//! agent, the principal's own tags) do not limit it.

use crate::arn::{ArnPattern, split_arn};
use crate::catalog::ActionInfo;
use crate::pattern::Glob;
use crate::policy::{BaseOp, ConditionClause, ResourcePattern, Statement};

/// How a statement's conditions bear on its grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConditionEffect {
    /// No condition.
    None,
    /// Conditions that do not restrict who can use the grant.
    NonLimiting,
    /// At least one condition that restricts it.
    Limiting,
}

const LIMITING_GLOBAL: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principalservicename",
    "aws:resourceaccount",
    "aws:resourceorgid",
    "aws:resourceorgpaths",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceip",
    "aws:vpcsourceip",
    "aws:calledvia",
    "aws:calledviafirst",
    "aws:calledvialast",
    "aws:userid",
    "aws:username",
    "aws:tagkeys",
];

fn key_limits(key_lower: &str) -> bool {
    if let Some(rest) = key_lower.strip_prefix("aws:") {
        return LIMITING_GLOBAL.contains(&key_lower)
            || rest.starts_with("resourcetag/")
            || rest.starts_with("requesttag/");
    }
    true
}

fn clause_limits(c: &ConditionClause) -> bool {
    let op = &c.operator;
    if op.base == BaseOp::Null || op.base.negated() || op.if_exists {
        return false;
    }
    if c.values.is_empty() || c.values.iter().all(|v| v.raw.chars().all(|ch| ch == '*')) {
        return false;
    }
    if op.base == BaseOp::IpAddress && c.values.iter().any(|v| v.raw.ends_with("/0")) {
        return false;
    }
    key_limits(&c.key_lower)
}

/// Classifies a statement's conditions; returns the limiting keys (as written).
pub fn classify_conditions(st: &Statement) -> (ConditionEffect, Vec<String>) {
    if st.conditions.is_empty() {
        return (ConditionEffect::None, Vec::new());
    }
    let keys: Vec<String> = st
        .conditions
        .iter()
        .filter(|c| clause_limits(c))
        .map(|c| c.key.clone())
        .collect();
    if keys.is_empty() {
        (ConditionEffect::NonLimiting, keys)
    } else {
        (ConditionEffect::Limiting, keys)
    }
}

/// True when `pattern` matches every resource of at least one of the action's resource types
/// (in the partition, region and account the pattern names), or the action has no resource
/// types and the pattern is `*`. Unresolved template values are never unconstrained.
pub fn pattern_unconstrained(pattern: &ResourcePattern, action: Option<ActionInfo<'_>>) -> bool {
    if pattern.is_unknown() {
        return false;
    }
    if pattern.compiled.is_any() {
        return true;
    }
    let Some(action) = action else { return false };
    action
        .resource_types()
        .any(|(rt, _)| pattern_covers_format(pattern, &rt.arn_format))
}

/// True when `pattern` matches every ARN of a resource type's documented format (in the
/// partition, region and account the pattern names literally).
pub fn pattern_covers_format(pattern: &ResourcePattern, format: &str) -> bool {
    if pattern.is_unknown() || format.is_empty() {
        return false;
    }
    if pattern.compiled.is_any() {
        return true;
    }
    if service_field_excludes(&pattern.compiled, format) {
        return false;
    }
    let raw_fields = split_arn(&pattern.raw);
    ["wardensample", "Other-Sample/x:y"].iter().all(|sample| {
        let arn = fill_format(format, raw_fields.as_ref(), sample);
        pattern.compiled.matches_str(&arn)
    })
}

/// The literal service field of an ARN format (`sqs` of `arn:${Partition}:sqs:…`), when a
/// filled-in ARN keeps it as its third field (the partition is filled with colon-free text).
pub(crate) fn format_service(format: &str) -> Option<&str> {
    let mut f = format.splitn(4, ':');
    let (Some("arn"), Some(partition), Some(service), Some(_)) =
        (f.next(), f.next(), f.next(), f.next())
    else {
        return None;
    };
    if (partition.contains('$') && partition != "${Partition}") || service.contains('$') {
        return None;
    }
    Some(service)
}

/// The glob of a pattern's service field, when it is matched field by field.
pub(crate) fn pattern_service(pattern: &ArnPattern) -> Option<&Glob> {
    match pattern {
        ArnPattern::Fields(globs) => Some(&globs[2]),
        ArnPattern::Truncated(head, _) if head.len() >= 3 => Some(&head[2]),
        _ => None,
    }
}

/// True when the format's literal service field is not matched by the pattern's service field,
/// so no filled-in ARN of the format can match (a fast, exact reject).
fn service_field_excludes(pattern: &ArnPattern, format: &str) -> bool {
    match (format_service(format), pattern_service(pattern)) {
        (Some(service), Some(glob)) => !glob.matches(service),
        _ => false,
    }
}

fn fill_format(format: &str, fields: Option<&[&str; 6]>, sample: &str) -> String {
    let lit = |i: usize, dflt: &str| -> String {
        match fields.map(|f| f[i]) {
            Some(v) if !v.contains('*') && !v.contains('?') && !v.is_empty() => v.to_owned(),
            _ => dflt.to_owned(),
        }
    };
    let mut out = String::with_capacity(format.len() + 16);
    let mut rest = format;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            rest = after;
            break;
        };
        let var = &after[..end];
        out.push_str(&match var {
            "Partition" => lit(1, "aws"),
            "Region" => lit(3, "us-east-1"),
            "Account" => lit(4, "123456789012"),
            _ => sample.to_owned(),
        });
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::catalog;

    fn unconstrained(p: &str, action: &str) -> bool {
        pattern_unconstrained(&ResourcePattern::new(p, true), catalog().action(action))
    }

    #[test]
    fn breadth() {
        assert!(unconstrained("*", "s3:GetObject"));
        assert!(unconstrained("arn:aws:s3:::*", "s3:GetObject"));
        assert!(unconstrained("arn:aws:s3:::*/*", "s3:GetObject"));
        assert!(!unconstrained("arn:aws:s3:::my-bucket/*", "s3:GetObject"));
        assert!(unconstrained(
            "arn:aws:dynamodb:us-east-1:123456789012:table/*",
            "dynamodb:PutItem"
        ));
        assert!(!unconstrained(
            "arn:aws:dynamodb:us-east-1:123456789012:table/Orders",
            "dynamodb:PutItem"
        ));
        assert!(!unconstrained(
            "{{unknown:GetAtt Table.Arn}}",
            "dynamodb:PutItem"
        ));
        assert!(!unconstrained(
            "arn:aws:s3:::{{unknown:Ref Bucket}}/*",
            "s3:GetObject"
        ));
    }

    #[test]
    fn condition_classes() {
        let st = |cond: serde_json::Value| {
            let p = crate::Policy::parse(&serde_json::json!({"Version": "2012-10-17", "Statement":
                {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": cond}}))
            .unwrap();
            classify_conditions(&p.statements[0]).0
        };
        assert_eq!(
            st(serde_json::json!({"Bool": {"aws:SecureTransport": "true"}})),
            ConditionEffect::NonLimiting
        );
        assert_eq!(
            st(serde_json::json!({"DateLessThan": {"aws:CurrentTime": "2030-01-01"}})),
            ConditionEffect::NonLimiting
        );
        assert_eq!(
            st(serde_json::json!({"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:1:t"}})),
            ConditionEffect::Limiting
        );
        assert_eq!(
            st(
                serde_json::json!({"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}})
            ),
            ConditionEffect::Limiting
        );
        assert_eq!(
            st(serde_json::json!({"StringLike": {"aws:SourceArn": "*"}})),
            ConditionEffect::NonLimiting
        );
        assert_eq!(
            st(serde_json::json!({"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}})),
            ConditionEffect::NonLimiting
        );
        assert_eq!(
            st(serde_json::json!({"StringEqualsIfExists": {"aws:SourceAccount": "1"}})),
            ConditionEffect::NonLimiting
        );
    }
}
