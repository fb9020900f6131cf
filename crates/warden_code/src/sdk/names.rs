//! From SDK names to IAM action names: which service prefix a boto3 client name, an AWS SDK for
//! JavaScript v2 class or a v3 package stands for, how an operation name becomes an action name
//! (snake_case and camelCase to PascalCase, `XxxCommand` to `Xxx`), and the exceptions where the
//! SDK operation is not the IAM action (DocumentClient methods, S3 transfer helpers, batch calls).
//! Every mapped action is checked against the IAM action catalog; unknown ones are dropped.

use warden_iam::catalog;

/// Service prefixes whose SDK name differs from the IAM prefix (boto3 client names, v3 package
/// suffixes, v2 class names lower-cased).
const SERVICE_ALIASES: &[(&str, &str)] = &[
    ("stepfunctions", "states"),
    ("sfn", "states"),
    ("sesv2", "ses"),
    ("bedrock-runtime", "bedrock"),
    ("bedrockruntime", "bedrock"),
    ("bedrock-agent-runtime", "bedrock"),
    ("iot-data", "iot"),
    ("iot-data-plane", "iot"),
    ("iotdata", "iot"),
    ("apigatewaymanagementapi", "execute-api"),
    ("secrets-manager", "secretsmanager"),
    ("eventbridge", "events"),
    ("cloudwatchevents", "events"),
    ("cloudwatch-events", "events"),
    ("cloudwatch-logs", "logs"),
    ("cloudwatchlogs", "logs"),
    ("cognitoidentityserviceprovider", "cognito-idp"),
    ("cognito-identity-provider", "cognito-idp"),
    ("cognitoidentity", "cognito-identity"),
    ("kinesis-firehose", "firehose"),
    ("elasticache", "elasticache"),
    ("dynamodbstreams", "dynamodb"),
    ("dynamodb-streams", "dynamodb"),
    ("timestream-write", "timestream"),
    ("timestream-query", "timestream"),
    ("sagemaker-runtime", "sagemaker"),
    ("sagemakerruntime", "sagemaker"),
    ("lex-runtime-v2", "lex"),
    ("xray", "xray"),
    ("opensearch", "es"),
    ("elasticsearch", "es"),
    ("elasticsearchservice", "es"),
    ("rds-data", "rds-data"),
    ("rdsdataservice", "rds-data"),
    ("resourcegroupstaggingapi", "tag"),
    ("resource-groups-tagging-api", "tag"),
    ("scheduler", "scheduler"),
    ("transcribeservice", "transcribe"),
    ("comprehendmedical", "comprehendmedical"),
    ("location", "geo"),
    ("pinpoint", "mobiletargeting"),
    ("pinpoint-sms-voice-v2", "sms-voice"),
    ("mediaconvert", "mediaconvert"),
];

/// The IAM service prefix of an SDK service name (`s3`, `stepfunctions`, `client-sfn`'s `sfn`,
/// v2's `DynamoDB`), if the catalog knows it.
pub fn service_prefix(sdk_name: &str) -> Option<&'static str> {
    let lower = sdk_name.to_ascii_lowercase();
    let name = SERVICE_ALIASES
        .iter()
        .find(|(a, _)| *a == lower)
        .map_or(lower.as_str(), |(_, p)| p);
    catalog()
        .service(name)
        .map(|s| s.prefix.as_str())
        .or_else(|| {
            // v2 class names drop hyphens (`CognitoIdentity`); try the catalog's prefixes so.
            catalog()
                .services
                .iter()
                .find(|s| s.prefix.replace('-', "") == name)
                .map(|s| s.prefix.as_str())
        })
}

/// The service of an AWS SDK for JavaScript v3 package (`@aws-sdk/client-s3` → `s3`).
pub fn v3_package_service(package: &str) -> Option<&'static str> {
    service_prefix(package.strip_prefix("@aws-sdk/client-")?)
}

/// `get_object` → `GetObject`, `list_objects_v2` → `ListObjectsV2`.
pub fn snake_to_pascal(name: &str) -> String {
    name.split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// `getObject` → `GetObject`.
pub fn camel_to_pascal(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// Operations whose IAM actions differ from their names, per service (PascalCase operation).
const EXCEPTIONS: &[(&str, &str, &[&str])] = &[
    ("s3", "ListObjectsV2", &["ListBucket"]),
    ("s3", "ListObjects", &["ListBucket"]),
    ("s3", "ListObjectVersions", &["ListBucketVersions"]),
    ("s3", "HeadObject", &["GetObject"]),
    ("s3", "HeadBucket", &["ListBucket"]),
    // Managed uploads split large bodies into multipart uploads, all authorised by PutObject.
    ("s3", "Upload", &["PutObject"]),
    ("s3", "UploadFile", &["PutObject"]),
    ("s3", "UploadFileobj", &["PutObject"]),
    (
        "s3",
        "WriteGetObjectResponse",
        &["s3-object-lambda:WriteGetObjectResponse"],
    ),
    // Operations no IAM permission governs.
    ("sts", "GetCallerIdentity", &[]),
    ("s3", "UploadPart", &["PutObject"]),
    ("s3", "CreateMultipartUpload", &["PutObject"]),
    ("s3", "CompleteMultipartUpload", &["PutObject"]),
    ("s3", "ListParts", &["ListMultipartUploadParts"]),
    ("s3", "DownloadFile", &["GetObject"]),
    ("s3", "DownloadFileobj", &["GetObject"]),
    ("s3", "SelectObjectContent", &["GetObject"]),
    ("s3", "CopyObject", &["GetObject", "PutObject"]),
    ("s3", "Copy", &["GetObject", "PutObject"]),
    ("s3", "DeleteObjects", &["DeleteObject"]),
    ("s3", "CreatePresignedPost", &["PutObject"]),
    ("s3", "GeneratePresignedPost", &["PutObject"]),
    ("lambda", "Invoke", &["InvokeFunction"]),
    ("lambda", "InvokeWithResponseStream", &["InvokeFunction"]),
    ("sqs", "SendMessageBatch", &["SendMessage"]),
    ("sqs", "DeleteMessageBatch", &["DeleteMessage"]),
    (
        "sqs",
        "ChangeMessageVisibilityBatch",
        &["ChangeMessageVisibility"],
    ),
    ("sns", "PublishBatch", &["Publish"]),
    ("execute-api", "PostToConnection", &["ManageConnections"]),
    ("execute-api", "GetConnection", &["ManageConnections"]),
    ("execute-api", "DeleteConnection", &["ManageConnections"]),
    ("bedrock", "Converse", &["InvokeModel"]),
    (
        "bedrock",
        "ConverseStream",
        &["InvokeModelWithResponseStream"],
    ),
    ("dynamodb", "TransactGetItems", &["GetItem"]),
    (
        "dynamodb",
        "TransactWriteItems",
        &["PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"],
    ),
    ("dynamodb", "ExecuteStatement", &["PartiQLSelect"]),
    ("kinesis", "PutRecordBatch", &["PutRecords"]),
];

/// DynamoDB DocumentClient operations (v2 `DocumentClient` methods, v3 `lib-dynamodb` commands
/// without the `Command` suffix) to the IAM actions they need.
const DOCUMENT_CLIENT: &[(&str, &[&str])] = &[
    ("Get", &["GetItem"]),
    ("Put", &["PutItem"]),
    ("Update", &["UpdateItem"]),
    ("Delete", &["DeleteItem"]),
    ("Query", &["Query"]),
    ("Scan", &["Scan"]),
    ("BatchGet", &["BatchGetItem"]),
    ("BatchWrite", &["BatchWriteItem"]),
    ("TransactGet", &["GetItem"]),
    (
        "TransactWrite",
        &["PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"],
    ),
    ("ExecuteStatement", &["PartiQLSelect"]),
];

/// boto3 DynamoDB `Table` resource methods that are not operation names.
const TABLE_RESOURCE: &[(&str, &[&str])] = &[
    ("batch_writer", &["BatchWriteItem"]),
    ("load", &["DescribeTable"]),
    ("reload", &["DescribeTable"]),
];

/// Client methods that are not service operations (no permission of their own).
const NOT_OPERATIONS: &[&str] = &[
    "promise",
    "send",
    "destroy",
    "close",
    "middlewarestack",
    "config",
    "meta",
    "exceptions",
    "can_paginate",
    "get_waiter",
    "waiter_names",
    "on",
    "makerequest",
    "makeunauthenticatedrequest",
    "waitfor",
    "setupRequestListeners",
    "createset",
];

/// True when a method name of a client is not an operation.
pub fn is_helper_method(method: &str) -> bool {
    let lower = method.to_ascii_lowercase();
    NOT_OPERATIONS
        .iter()
        .any(|m| m.eq_ignore_ascii_case(&lower))
}

/// The outcome of mapping one SDK operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    /// IAM actions (`service:Name`, as the catalog documents them).
    Actions(Vec<String>),
    /// The operation matches no catalog action (dropped and counted).
    Unknown(String),
}

fn validated(service: &str, names: &[&str]) -> Mapped {
    let mut out = Vec::new();
    for n in names {
        // An exception may name another service's action (`s3-object-lambda:…`).
        let full = if n.contains(':') {
            (*n).to_owned()
        } else {
            format!("{service}:{n}")
        };
        match catalog().action(&full) {
            Some(a) => out.push(a.full_name()),
            None => return Mapped::Unknown(full),
        }
    }
    Mapped::Actions(out)
}

/// Maps an operation given in PascalCase (`GetObject`) of `service` to its IAM actions.
pub fn map_operation(service: &str, op: &str) -> Mapped {
    if let Some((_, _, actions)) = EXCEPTIONS
        .iter()
        .find(|(s, o, _)| *s == service && o.eq_ignore_ascii_case(op))
    {
        return validated(service, actions);
    }
    validated(service, &[op])
}

/// Maps a DynamoDB DocumentClient operation (`put`, `PutCommand` without the suffix: `Put`).
pub fn map_document_client(op: &str) -> Mapped {
    let pascal = camel_to_pascal(op);
    match DOCUMENT_CLIENT.iter().find(|(o, _)| *o == pascal) {
        Some((_, actions)) => validated("dynamodb", actions),
        None => Mapped::Unknown(format!("dynamodb:{pascal}")),
    }
}

/// Maps a boto3 DynamoDB `Table` resource method (`put_item`, `batch_writer`).
pub fn map_table_method(method: &str) -> Mapped {
    match TABLE_RESOURCE.iter().find(|(m, _)| *m == method) {
        Some((_, actions)) => validated("dynamodb", actions),
        None => map_operation("dynamodb", &snake_to_pascal(method)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acts(m: Mapped) -> Vec<String> {
        match m {
            Mapped::Actions(a) => a,
            Mapped::Unknown(u) => panic!("unknown {u}"),
        }
    }

    #[test]
    fn services() {
        for (sdk, prefix) in [
            ("s3", "s3"),
            ("S3", "s3"),
            ("DynamoDB", "dynamodb"),
            ("stepfunctions", "states"),
            ("StepFunctions", "states"),
            ("SecretsManager", "secretsmanager"),
            ("CognitoIdentityServiceProvider", "cognito-idp"),
            ("bedrock-runtime", "bedrock"),
            ("ApiGatewayManagementApi", "execute-api"),
            ("sesv2", "ses"),
            ("EventBridge", "events"),
            ("Lambda", "lambda"),
        ] {
            assert_eq!(service_prefix(sdk), Some(prefix), "{sdk}");
        }
        assert_eq!(v3_package_service("@aws-sdk/client-sfn"), Some("states"));
        assert_eq!(
            v3_package_service("@aws-sdk/client-secrets-manager"),
            Some("secretsmanager")
        );
        assert_eq!(v3_package_service("@aws-sdk/lib-dynamodb"), None);
        assert_eq!(service_prefix("not-a-service"), None);
    }

    #[test]
    fn case_conversions() {
        assert_eq!(snake_to_pascal("get_object"), "GetObject");
        assert_eq!(snake_to_pascal("list_objects_v2"), "ListObjectsV2");
        assert_eq!(camel_to_pascal("putItem"), "PutItem");
    }

    #[test]
    fn operations_and_exceptions() {
        let table = [
            ("s3", "GetObject", vec!["s3:GetObject"]),
            ("s3", "ListObjectsV2", vec!["s3:ListBucket"]),
            ("s3", "HeadObject", vec!["s3:GetObject"]),
            ("s3", "Upload", vec!["s3:PutObject"]),
            (
                "s3",
                "WriteGetObjectResponse",
                vec!["s3-object-lambda:WriteGetObjectResponse"],
            ),
            ("sts", "GetCallerIdentity", vec![]),
            ("lambda", "Invoke", vec!["lambda:InvokeFunction"]),
            ("sqs", "SendMessageBatch", vec!["sqs:SendMessage"]),
            (
                "secretsmanager",
                "GetSecretValue",
                vec!["secretsmanager:GetSecretValue"],
            ),
            ("states", "StartExecution", vec!["states:StartExecution"]),
            ("dynamodb", "TransactGetItems", vec!["dynamodb:GetItem"]),
        ];
        for (svc, op, want) in table {
            assert_eq!(acts(map_operation(svc, op)), want, "{svc} {op}");
        }
        assert_eq!(
            map_operation("s3", "FrobnicateObject"),
            Mapped::Unknown("s3:FrobnicateObject".into())
        );
        assert_eq!(acts(map_document_client("put")), vec!["dynamodb:PutItem"]);
        assert_eq!(
            acts(map_document_client("BatchGet")),
            vec!["dynamodb:BatchGetItem"]
        );
        assert_eq!(acts(map_table_method("put_item")), vec!["dynamodb:PutItem"]);
        assert_eq!(
            acts(map_table_method("batch_writer")),
            vec!["dynamodb:BatchWriteItem"]
        );
        assert!(is_helper_method("promise") && is_helper_method("get_waiter"));
    }
}
