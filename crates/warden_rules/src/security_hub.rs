//! The AWS Security Hub (CSPM) controls each rule corresponds to, where one exists.
//!
//! One table instead of a field in every rule's metadata. A control is listed only when its check
//! is the same concern as the rule's (the rule may be stricter, e.g. asking for a customer-managed
//! key where the control accepts any encryption). Ids and titles come from the AWS Security Hub
//! user guide, "Security Hub CSPM controls reference" (checked 2026-11):
//!
//! - Lambda.1 Lambda function policies should prohibit public access (also fails for an S3
//!   invocation permission without a condition such as `aws:SourceAccount`)
//! - Lambda.2 Lambda functions should use supported runtimes
//! - APIGateway.4 API Gateway should be associated with a WAF Web ACL
//! - APIGateway.8 API Gateway routes should specify an authorization type
//! - APIGateway.9 Access logging should be configured for API Gateway V2 Stages
//! - S3.5 S3 general purpose buckets should require requests to use SSL
//! - SQS.1 Amazon SQS queues should be encrypted at rest
//! - SNS.1 SNS topics should be encrypted at-rest using AWS KMS
//! - Kinesis.1 Kinesis streams should be encrypted at rest
//! - KMS.4 AWS KMS key rotation should be enabled
//! - SecretsManager.1 Secrets Manager secrets should have automatic rotation enabled
//! - CloudTrail.2 CloudTrail should have encryption at-rest enabled
//! - CloudTrail.4 CloudTrail log file validation should be enabled
//! - IAM.1 IAM policies should not allow full "*" administrative privileges

/// Rule code → Security Hub control ids, sorted by code.
const TABLE: &[(&str, &[&str])] = &[
    ("API002", &["APIGateway.4"]),
    ("API006", &["APIGateway.9"]),
    ("AUTH001", &["Lambda.1"]),
    ("AUTH002", &["APIGateway.8"]),
    ("DATA002", &["S3.5"]),
    ("DATA004", &["SQS.1"]),
    ("DATA005", &["SNS.1"]),
    ("DATA006", &["Kinesis.1"]),
    ("DATA008", &["KMS.4"]),
    ("EVT001", &["Lambda.1"]),
    ("EVT002", &["Lambda.1"]),
    ("IAM001", &["IAM.1"]),
    ("OPS003", &["CloudTrail.4"]),
    ("OPS004", &["CloudTrail.2"]),
    ("OPS005", &["Lambda.2"]),
    ("SEC005", &["SecretsManager.1"]),
];

/// The Security Hub control ids of rule `code` (empty when no control matches it).
pub fn controls(code: &str) -> &'static [&'static str] {
    TABLE
        .binary_search_by(|(c, _)| c.cmp(&code))
        .ok()
        .and_then(|i| TABLE.get(i))
        .map_or(&[], |(_, ids)| ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_names_real_rules() {
        for w in TABLE.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        for (code, ids) in TABLE {
            assert!(crate::find_rule(code).is_some(), "no rule {code}");
            assert!(!ids.is_empty(), "{code}");
            for id in *ids {
                let (service, number) = id.split_once('.').unwrap_or_default();
                assert!(!service.is_empty() && number.parse::<u32>().is_ok(), "{id}");
            }
        }
    }

    #[test]
    fn looks_up_by_code() {
        assert_eq!(controls("EVT002"), ["Lambda.1"]);
        assert_eq!(controls("OPS005"), ["Lambda.2"]);
        assert!(controls("PATH001").is_empty());
        assert!(controls("NOPE").is_empty());
    }
}
