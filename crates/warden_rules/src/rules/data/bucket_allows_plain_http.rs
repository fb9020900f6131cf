//! DATA002: an S3 bucket whose policy does not deny requests without TLS.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{names_resource, resources, statements};
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags an `AWS::S3::Bucket` that no `AWS::S3::BucketPolicy` protects with a `Deny` statement on
/// `aws:SecureTransport: false` (or on `s3:TlsVersion` below 1.2).
///
/// ## Why is this bad?
/// S3 accepts plain HTTP requests unless the bucket policy refuses them: a client or SDK
/// misconfigured to use `http://` sends data and signed requests in clear, open to interception and
/// tampering on the path (SAS-8).
///
/// ## Insecure example
/// ```yaml
/// Uploads:
///   Type: AWS::S3::Bucket
/// ```
///
/// ## Secure alternative
/// ```yaml
/// UploadsPolicy:
///   Type: AWS::S3::BucketPolicy
///   Properties:
///     Bucket: !Ref Uploads
///     PolicyDocument:
///       Statement:
///         - Effect: Deny
///           Principal: "*"
///           Action: "s3:*"
///           Resource: [!GetAtt Uploads.Arn, !Sub "${Uploads.Arn}/*"]
///           Condition: {Bool: {aws:SecureTransport: false}}
/// ```
///
/// ## References
/// Amazon S3 "Security best practices: enforce encryption of data in transit"; AWS Security Hub
/// S3.5; OWASP Serverless Top 10 SAS-8; CWE-319.
#[derive(Debug)]
pub struct BucketAllowsPlainHttp;

static META: RuleMeta = RuleMeta {
    code: "DATA002",
    name: "bucket-allows-plain-http",
    category: Category::Tls,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "encryption: TLS 1.2+ in transit",
    cwe: &[319],
    owasp: &["SAS-8"],
    source: include_str!("bucket_allows_plain_http.rs"),
};

const HELP: &str =
    "add a bucket policy statement that denies `s3:*` when `aws:SecureTransport` is `false`";

/// True when a statement denies requests made without TLS.
fn denies_plain_http(stmt: &Node) -> bool {
    if stmt.get("Effect").and_then(Node::as_str) != Some("Deny") {
        return false;
    }
    let Some(cond) = stmt.get("Condition") else {
        return false;
    };
    let secure_false = cond.entries().iter().any(|(op, keys)| {
        op.name.starts_with("Bool")
            && keys.entries().iter().any(|(k, v)| {
                k.name.eq_ignore_ascii_case("aws:SecureTransport")
                    && v.one_or_many().iter().any(|x| x.as_bool() == Some(false))
            })
    });
    let old_tls = cond.entries().iter().any(|(op, keys)| {
        op.name.starts_with("NumericLessThan")
            && keys
                .entries()
                .iter()
                .any(|(k, _)| k.name.eq_ignore_ascii_case("s3:TlsVersion"))
    });
    secure_false || old_tls
}

impl Rule for BucketAllowsPlainHttp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for b in resources(app, &["AWS::S3::Bucket"]) {
            let enforced = resources(app, &["AWS::S3::BucketPolicy"])
                .filter(|p| {
                    p.properties
                        .get("Bucket")
                        .is_some_and(|v| names_resource(v, b, "BucketName"))
                })
                .filter_map(|p| p.properties.get("PolicyDocument"))
                .any(|doc| statements(doc).into_iter().any(denies_plain_http));
            if enforced {
                continue;
            }
            out.push(META.finding(
                &b.origin,
                Some(&b.id),
                format!("bucket `{}` accepts plain-HTTP requests: no bucket policy denies `aws:SecureTransport: false`", b.id),
                HELP,
            ));
        }
    }
}
