//! EVT003: a bucket, topic or queue that anyone can write to and that triggers a function.

use crate::meta::{Rule, RuleMeta, with_related};
use crate::rules::support::public_writers;
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an event source declared in the template — an S3 bucket, SNS topic or SQS queue — whose
/// resource policy (`AWS::S3::BucketPolicy`, `AWS::SNS::TopicPolicy`, `AWS::SQS::QueuePolicy`) or
/// canned ACL (`PublicReadWrite`) lets anyone write to it (`s3:PutObject`, `sns:Publish`,
/// `sqs:SendMessage`) without a condition that limits the caller, when that source triggers a
/// function. The finding points at the policy statement and at the trigger.
///
/// ## Why is this bad?
/// Anyone on the internet can create the events the function processes: attacker-chosen object
/// keys, message bodies and attributes reach the handler (event-data injection), and every event is
/// billed (SAS-1, SAS-5).
///
/// ## Insecure example
/// ```yaml
/// UploadsPolicy:
///   Type: AWS::S3::BucketPolicy
///   Properties:
///     Bucket: !Ref Uploads
///     PolicyDocument:
///       Statement:
///         - {Effect: Allow, Principal: "*", Action: s3:PutObject, Resource: !Sub "${Uploads.Arn}/*"}
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
///         - Effect: Allow
///           Principal: {AWS: !GetAtt UploaderRole.Arn}
///           Action: s3:PutObject
///           Resource: !Sub "${Uploads.Arn}/*"
/// ```
///
/// ## References
/// Amazon S3 "Blocking public access"; Amazon SNS and SQS "Access policy examples"; AWS Security
/// Hub S3.3, SNS.4, SQS.3; OWASP Serverless Top 10 SAS-1, SAS-5; CWE-284.
#[derive(Debug)]
pub struct PublicEventSource;

static META: RuleMeta = RuleMeta {
    code: "EVT003",
    name: "public-event-source",
    category: Category::Public,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "events: every trigger restricted to its expected source",
    cwe: &[284],
    owasp: &["SAS-1", "SAS-5"],
    source: include_str!("public_event_source.rs"),
};

const HELP: &str = "grant write access only to the principals that produce events (a role ARN, a service with `aws:SourceArn`), or add a limiting condition";

impl Rule for PublicEventSource {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for f in &app.functions {
            for t in &f.triggers {
                let Some(source) = t.source.as_deref() else {
                    continue;
                };
                let open = public_writers(app, t);
                for (at, why) in open {
                    let finding = META.finding(
                        &at.origin,
                        Some(&f.id),
                        format!(
                            "anyone can write to `{}` ({why}), and it triggers function `{}`: attacker-controlled events reach its code",
                            source, f.id
                        ),
                        HELP,
                    );
                    out.push(with_related(
                        finding,
                        &t.origin,
                        format!("`{}` triggers `{}` here", source, f.id),
                    ));
                }
            }
        }
    }
}
