//! AWS SDK calls in handler code, mapped to the IAM actions they need.
//!
//! [`scan_module`] finds the calls of one lowered module (boto3 clients, resources and tables; AWS
//! SDK for JavaScript v2 and v3), each with its IAM actions (validated against the action catalog
//! of `warden_iam`) and the arguments that name resources (literals, environment variables).
//! [`collect`] does it for a function: its handler file and every local module it imports, and
//! says whether the picture is complete (every file parsed without syntax errors, no SDK use the
//! analysis cannot follow). [`policy`] turns a function's calls into least-privilege statements,
//! resolving environment variables through the template to resource ARNs.

mod files;
pub mod names;
pub mod policy;
mod reach;
mod walk;

pub use files::{CodeFiles, LoaderFiles, SourceFiles};
pub use walk::scan_module;

use crate::parse::Lang;
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;
use warden_source::Origin;

/// What a resource-naming argument holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResourceRef {
    /// A string literal.
    Literal(String),
    /// The value of an environment variable (`process.env.X`, `os.environ['X']`).
    Env(String),
    /// Anything else (computed at run time).
    Unknown,
}

/// One SDK call.
#[derive(Debug, Clone, PartialEq)]
pub struct SdkCall {
    /// IAM actions the call needs (`s3:GetObject`), as the catalog documents them.
    pub actions: Vec<String>,
    /// Resource-naming parameters (`Bucket`, `Key`, `TableName`, `QueueUrl`, …).
    pub params: Vec<(String, ResourceRef)>,
    /// Where the call is.
    pub origin: Origin,
    /// The operation as written (`get_object`, `GetObjectCommand`, `put`).
    pub operation: String,
    /// False when the client was created with other credentials (explicit keys, an assumed
    /// role's session): the call does not use the function's role.
    pub role_credentials: bool,
}

/// The SDK use of one module.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModuleSdk {
    pub calls: Vec<SdkCall>,
    /// SDK use the analysis cannot follow (a client handed to other code, an operation chosen at
    /// run time), with the reason.
    pub dynamic: Vec<(Origin, String)>,
    /// Operations that match no IAM action (dropped and counted), as `service:Operation`.
    pub unknown_operations: Vec<String>,
    /// Imported modules that are not SDK modules (local code or other packages).
    pub imports: Vec<String>,
    /// Names that may be submodules (Python `from pkg import sub`): read when they are files.
    pub submodules: Vec<String>,
}

/// The SDK use of a function: its handler file and the local modules it imports.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FunctionSdk {
    pub calls: Vec<SdkCall>,
    pub dynamic: Vec<(Origin, String)>,
    pub unknown_operations: Vec<String>,
    /// Files read (relative paths), handler first.
    pub files: Vec<String>,
    /// Why the picture may be partial: files with syntax errors, unreadable local imports,
    /// packages that may call AWS on the code's behalf.
    pub incomplete: Vec<String>,
}

impl FunctionSdk {
    /// True when every file parsed fully and every SDK use was followed.
    pub fn complete(&self) -> bool {
        self.dynamic.is_empty() && self.incomplete.is_empty()
    }

    /// Every IAM action the code calls, sorted.
    pub fn actions(&self) -> BTreeSet<String> {
        self.calls
            .iter()
            .flat_map(|c| c.actions.iter().cloned())
            .collect()
    }

    /// Every service prefix the code calls, sorted.
    pub fn services(&self) -> BTreeSet<String> {
        self.actions()
            .iter()
            .filter_map(|a| a.split(':').next().map(str::to_owned))
            .collect()
    }
}

/// Packages (and submodules) that call AWS APIs on the code's behalf: the calls are not visible
/// in the code. Logging, tracing and typing helpers (Powertools `Logger`, `Tracer`, data classes;
/// `botocore.exceptions`; `@aws-sdk/util-dynamodb`) call nothing and are not listed. An entry
/// ending in `-` or `/` matches every package it starts.
const AWS_CALLING_PACKAGES: &[&str] = &[
    "aws_lambda_powertools.utilities.parameters",
    "aws_lambda_powertools.utilities.idempotency",
    "aws_lambda_powertools.utilities.feature_flags",
    "aws_lambda_powertools.utilities.streaming",
    "@aws-lambda-powertools/parameters",
    "@aws-lambda-powertools/idempotency",
    "@middy/ssm",
    "@middy/secrets-manager",
    "@middy/s3-object-response",
    "@middy/sts",
    "@middy/rds-signer",
    "@middy/appconfig",
    "pynamodb",
    "dynamoose",
    "aioboto3",
    "aiobotocore",
    "awswrangler",
    "@aws/dynamodb-data-mapper",
    "electrodb",
    "dynamodb-toolbox",
    "s3fs",
    "smart_open",
    "@aws-crypto/client-node",
    "aws_encryption_sdk",
    "botocore.session",
    "langchain_aws",
    "@langchain/aws",
    "@aws-sdk/credential-providers",
    // Lambda durable functions checkpoint through the Lambda API.
    "aws_durable_execution_sdk_python",
    "@aws/durable-execution-sdk-js",
    // Signed HTTP requests to AWS APIs (OpenSearch, API Gateway IAM auth, AppSync).
    "opensearchpy",
    "@opensearch-project/opensearch",
    "requests_aws4auth",
    "aws_requests_auth",
    "requests_auth_aws_sigv4",
    "botocore.auth",
    "aws4",
    "aws4fetch",
    "@smithy/signature-v4",
    "@aws-sdk/signature-v4",
    // SDK clients the mapping does not know.
    "@aws-sdk/client-",
    "aws-sdk/clients/",
];

fn calls_aws(package: &str) -> bool {
    AWS_CALLING_PACKAGES.iter().any(|p| {
        package == *p
            || ((p.ends_with('-') || p.ends_with('/')) && package.starts_with(p))
            || package
                .strip_prefix(p)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('/'))
    })
}

/// Collects the SDK use of the code reachable from `handler` (a path relative to the root) through
/// local imports. With `entry` (the handler's exported function), calls in the handler file's
/// other top-level functions that the entry cannot reach (sibling handlers) are left out.
pub fn collect(files: &dyn CodeFiles, handler: &str, entry: Option<&str>) -> FunctionSdk {
    let mut out = FunctionSdk::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut queue = vec![handler.to_owned()];
    while let Some(rel) = queue.pop() {
        if !seen.insert(rel.clone()) || seen.len() > 200 {
            continue;
        }
        let Some(lang) = Lang::from_path(std::path::Path::new(&rel)) else {
            out.incomplete
                .push(format!("`{rel}` is not JavaScript, TypeScript or Python"));
            continue;
        };
        let Some(text) = files.text(&rel) else {
            out.incomplete.push(format!("`{rel}` could not be read"));
            continue;
        };
        let parsed = match crate::parse::parse(lang, text) {
            Ok(p) => p,
            Err(e) => {
                out.incomplete.push(format!("`{rel}`: {e}"));
                continue;
            }
        };
        if parsed.has_errors() {
            out.incomplete.push(format!("`{rel}` has syntax errors"));
        }
        let module = crate::lower::lower(&parsed);
        let mut sdk = scan_module(&module, Arc::from(rel.as_str()));
        if rel == handler
            && let Some(entry) = entry
        {
            let dead = reach::unreachable_spans(&module, entry);
            let live = |o: &Origin| {
                !dead
                    .iter()
                    .any(|d| d.start <= o.span.start && o.span.end <= d.end)
            };
            sdk.calls.retain(|c| live(&c.origin));
            sdk.dynamic.retain(|(o, _)| live(o));
        }
        out.files.push(rel.clone());
        for spec in &sdk.imports {
            match files.resolve(&rel, lang, spec) {
                Some(target) => queue.push(target),
                None if spec.starts_with('.') => out
                    .incomplete
                    .push(format!("`{rel}` imports `{spec}`, which was not found")),
                None if calls_aws(spec) => out.incomplete.push(format!(
                    "`{rel}` uses `{spec}`, which calls AWS on its behalf"
                )),
                None => {}
            }
        }
        for spec in &sdk.submodules {
            if let Some(target) = files.resolve(&rel, lang, spec) {
                queue.push(target);
            } else if calls_aws(spec) {
                out.incomplete.push(format!(
                    "`{rel}` uses `{spec}`, which calls AWS on its behalf"
                ));
            }
        }
        out.calls.extend(sdk.calls);
        out.dynamic.extend(sdk.dynamic);
        out.unknown_operations.extend(sdk.unknown_operations);
    }
    out.incomplete.sort();
    out.incomplete.dedup();
    out.unknown_operations.sort();
    out
}

#[cfg(test)]
mod tests;
