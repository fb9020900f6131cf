//! DATA003: a DynamoDB table not encrypted with a customer managed KMS key.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{find_key, is_aws_managed_key, resources};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an `AWS::DynamoDB::Table`, `AWS::DynamoDB::GlobalTable` or `AWS::Serverless::SimpleTable`
/// without a customer managed `KMSMasterKeyId` in its `SSESpecification` (the table then uses an
/// AWS owned key, or the AWS managed key `aws/dynamodb`). Low severity: DynamoDB always encrypts at
/// rest.
///
/// ## Why is this bad?
/// Without a customer managed key, table access is governed by IAM alone: there is no key policy
/// as a second gate and no per-key record of who decrypted data (SAS-7).
///
/// ## Insecure example
/// ```yaml
/// Orders:
///   Type: AWS::DynamoDB::Table
///   Properties:
///     BillingMode: PAY_PER_REQUEST
///     KeySchema: [{AttributeName: id, KeyType: HASH}]
///     AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Orders:
///   Type: AWS::DynamoDB::Table
///   Properties:
///     SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: !Ref DataKey}
/// ```
///
/// ## References
/// Amazon DynamoDB "Encryption at rest"; OWASP Serverless Top 10 SAS-7; CWE-311.
#[derive(Debug)]
pub struct TableWithoutCustomerKey;

static META: RuleMeta = RuleMeta {
    code: "DATA003",
    name: "table-without-customer-key",
    category: Category::Encryption,
    severity: Severity::Low,
    confidence: Confidence::High,
    practice: "encryption: data at rest under a customer-managed key",
    cwe: &[311],
    owasp: &["SAS-7"],
    source: include_str!("table_without_customer_key.rs"),
};

const HELP: &str = "set `SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: <customer managed key>}`";

impl Rule for TableWithoutCustomerKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        let kinds = [
            "AWS::DynamoDB::Table",
            "AWS::DynamoDB::GlobalTable",
            "AWS::Serverless::SimpleTable",
        ];
        for t in resources(app, &kinds) {
            let key = find_key(&t.properties, "KMSMasterKeyId");
            if key.is_some_and(|k| !is_aws_managed_key(k)) {
                continue;
            }
            let at = t
                .properties
                .get("SSESpecification")
                .map_or(&t.origin, |s| &s.origin);
            out.push(META.finding(
                at,
                Some(&t.id),
                format!("table `{}` is encrypted with an AWS owned or AWS managed key, not a customer managed KMS key", t.id),
                HELP,
            ));
        }
    }
}
