//! The CloudFormation logical ids the Serverless Framework gives what it generates, so that
//! `resources` can refer to them (`!GetAtt HelloLambdaFunction.Arn`, `!Ref ApiGatewayRestApi`).

/// The shared execution role.
pub const SERVICE_ROLE: &str = "IamRoleLambdaExecution";
/// The REST API created for `http` events.
pub const REST_API: &str = "ApiGatewayRestApi";
/// The HTTP API created for `httpApi` events.
pub const HTTP_API: &str = "HttpApi";
/// The WebSocket API created for `websocket` events.
pub const WEBSOCKET_API: &str = "WebsocketsApi";

/// The framework's normalisation: first letter upper-cased, `-` → `Dash`, `_` → `Underscore`.
pub fn normalize(name: &str) -> String {
    let mut chars = name.chars();
    let mut out = String::with_capacity(name.len() + 8);
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
    }
    out.push_str(chars.as_str());
    out.replace('-', "Dash").replace('_', "Underscore")
}

/// Bucket and topic names: every non-alphanumeric character dropped, first letter upper-cased.
pub fn normalize_alnum(name: &str) -> String {
    let cleaned: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    normalize(&cleaned)
}

pub fn function(key: &str) -> String {
    format!("{}LambdaFunction", normalize(key))
}

pub fn function_url(key: &str) -> String {
    format!("{}LambdaFunctionUrl", normalize(key))
}

pub fn log_group(key: &str) -> String {
    format!("{}LogGroup", normalize(key))
}

/// The role the per-function-roles plugin convention generates.
pub fn function_role(key: &str) -> String {
    format!("{}IamRoleLambdaExecution", normalize(key))
}

pub fn s3_bucket(bucket: &str) -> String {
    format!("S3Bucket{}", normalize_alnum(bucket))
}

pub fn sns_topic(topic: &str) -> String {
    format!("SNSTopic{}", normalize_alnum(topic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_framework() {
        assert_eq!(function("hello"), "HelloLambdaFunction");
        assert_eq!(
            function("get-user_by-id"),
            "GetDashuserUnderscorebyDashidLambdaFunction"
        );
        assert_eq!(function_role("create"), "CreateIamRoleLambdaExecution");
        assert_eq!(s3_bucket("my-photos.bucket"), "S3BucketMyphotosbucket");
        assert_eq!(sns_topic("alerts"), "SNSTopicAlerts");
    }
}
