//! IAM001: a policy statement that allows every action of every service.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Node, PolicySource, Severity};

/// ## What it does
/// Flags an `Allow` statement whose `Action` is `*` (or `*:*`) in any policy attached to a role of
/// the application: inline `Policies`, `AWS::IAM::Policy`, customer managed policies and AWS managed
/// policies such as `AdministratorAccess` (resolved from the embedded snapshot).
///
/// ## Why is this bad?
/// The role may call every API of every service. One injection in a function holding it is full
/// control of the account: reading every secret, creating users, deleting data (SAS-4, CWE-269).
///
/// ## Insecure example
/// ```yaml
/// Policies:
///   - Statement:
///       - Effect: Allow
///         Action: "*"
///         Resource: "*"
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Policies:
///   - DynamoDBReadPolicy:
///       TableName: !Ref OrdersTable
/// ```
///
/// ## References
/// AWS IAM user guide, "Security best practices: apply least-privilege permissions";
/// OWASP Serverless Top 10 SAS-4 (over-privileged function permissions); CWE-269.
#[derive(Debug)]
pub struct WildcardAction;

static META: RuleMeta = RuleMeta {
    code: "IAM001",
    name: "wildcard-action",
    category: Category::Iam,
    severity: Severity::Critical,
    confidence: Confidence::High,
    practice: "identity: least privilege per function",
    cwe: &[269],
    owasp: &["SAS-4"],
    source: include_str!("wildcard_action.rs"),
};

const HELP: &str = "list only the actions the function calls, on the resources it uses (SAM policy templates such as `DynamoDBReadPolicy` do this)";

fn is_full_wildcard(action: &Node) -> bool {
    matches!(action.as_str(), Some("*" | "*:*"))
}

impl Rule for WildcardAction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for role in &app.roles {
            let users: Vec<&str> = app
                .functions
                .iter()
                .filter(|f| matches!(&f.role, warden_model::RoleLink::Resource(r) if r == &role.id))
                .map(|f| f.id.as_str())
                .collect();
            let subject = match users.as_slice() {
                [] => format!("role `{}`", role.id),
                [one] => format!("function `{one}`"),
                many => format!(
                    "functions {}",
                    many.iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let resource = users.first().copied().unwrap_or(role.id.as_str());
            for policy in &role.policies {
                let Some(doc) = &policy.document else {
                    continue;
                };
                let Some(statements) = doc.get("Statement") else {
                    continue;
                };
                for stmt in statements.one_or_many() {
                    if stmt.get("Effect").and_then(Node::as_str) != Some("Allow") {
                        continue;
                    }
                    let Some(actions) = stmt.get("Action") else {
                        continue;
                    };
                    let Some(wild) = actions
                        .one_or_many()
                        .into_iter()
                        .find(|a| is_full_wildcard(a))
                    else {
                        continue;
                    };
                    let via = match &policy.source {
                        PolicySource::AwsManaged { name } => {
                            format!(" through AWS managed policy `{name}`")
                        }
                        PolicySource::SamTemplate { name } => {
                            format!(" through SAM policy template `{name}`")
                        }
                        _ => String::new(),
                    };
                    let condition = if stmt.get("Condition").is_some() {
                        " (only a condition restricts it)"
                    } else {
                        ""
                    };
                    out.push(META.finding(
                        &wild.origin,
                        Some(resource),
                        format!("{subject} may call every action of every service{via}{condition}"),
                        HELP,
                    ));
                }
            }
        }
    }
}
