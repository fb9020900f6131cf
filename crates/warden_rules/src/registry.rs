//! The rule table: one row per rule, sorted by code. Adding a rule is one file and one row here.

use crate::doc;
use crate::meta::Rule;
use crate::rules;
use warden_model::RuleInfo;

/// Every rule, sorted by code.
pub static RULES: &[&dyn Rule] = &[
    &rules::api::api_without_throttling::ApiWithoutThrottling,
    &rules::api::public_api_without_waf::PublicApiWithoutWaf,
    &rules::api::domain_without_tls12::DomainWithoutTls12,
    &rules::api::permissive_cors::PermissiveCors,
    &rules::api::missing_request_validation::MissingRequestValidation,
    &rules::api::api_access_logging_off::ApiAccessLoggingOff,
    &rules::api::execution_log_full_data_trace::ExecutionLogFullDataTrace,
    &rules::api::integration_over_plain_http::IntegrationOverPlainHttp,
    &rules::auth::function_url_auth_none::FunctionUrlAuthNone,
    &rules::auth::unauthenticated_route::UnauthenticatedRoute,
    &rules::auth::api_key_only_authentication::ApiKeyOnlyAuthentication,
    &rules::auth::cognito_weak_password_policy::CognitoWeakPasswordPolicy,
    &rules::auth::cognito_unauthenticated_identities::CognitoUnauthenticatedIdentities,
    &rules::auth::cognito_client_writable_privilege_attribute::CognitoClientWritablePrivilegeAttribute,
    &rules::cloud::local_settings_secret_not_ignored::LocalSettingsSecretNotIgnored,
    &rules::cloud::function_app_https_not_enforced::FunctionAppHttpsNotEnforced,
    &rules::cloud::function_app_weak_tls::FunctionAppWeakTls,
    &rules::cloud::function_app_ftp_enabled::FunctionAppFtpEnabled,
    &rules::cloud::function_app_auth_allows_anonymous::FunctionAppAuthAllowsAnonymous,
    &rules::cloud::function_app_public_network_access::FunctionAppPublicNetworkAccess,
    &rules::cloud::key_vault_secret_management_for_function::KeyVaultSecretManagementForFunction,
    &rules::code::command_injection::CommandInjection,
    &rules::code::code_injection::CodeInjection,
    &rules::code::unsafe_deserialization::UnsafeDeserialization,
    &rules::code::sql_injection::SqlInjection,
    &rules::code::nosql_injection::NoSqlInjection,
    &rules::code::path_traversal::PathTraversal,
    &rules::code::server_side_request_forgery::ServerSideRequestForgery,
    &rules::code::xml_external_entities::XmlExternalEntities,
    &rules::code::dynamic_code_evaluation::DynamicCodeEvaluation,
    &rules::code::sensitive_data_in_logs::SensitiveDataInLogs,
    &rules::code::jwt_without_signature_verification::JwtWithoutSignatureVerification,
    &rules::code::error_details_in_response::ErrorDetailsInResponse,
    &rules::data::bucket_without_customer_key::BucketWithoutCustomerKey,
    &rules::data::bucket_allows_plain_http::BucketAllowsPlainHttp,
    &rules::data::table_without_customer_key::TableWithoutCustomerKey,
    &rules::data::queue_without_customer_key::QueueWithoutCustomerKey,
    &rules::data::topic_unencrypted::TopicUnencrypted,
    &rules::data::stream_unencrypted::StreamUnencrypted,
    &rules::data::log_group_without_customer_key::LogGroupWithoutCustomerKey,
    &rules::data::kms_key_without_rotation::KmsKeyWithoutRotation,
    &rules::data::sensitive_environment_without_customer_key::SensitiveEnvironmentWithoutCustomerKey,
    &rules::deps::vulnerable_dependency::VulnerableDependency,
    &rules::deps::unpinned_dependencies::UnpinnedDependencies,
    &rules::wallet::public_function_without_reserved_concurrency::PublicFunctionWithoutReservedConcurrency,
    &rules::wallet::long_timeout_on_sync_api_function::LongTimeoutOnSyncApiFunction,
    &rules::events::permission_without_source::PermissionWithoutSource,
    &rules::events::permission_for_any_principal::PermissionForAnyPrincipal,
    &rules::events::public_event_source::PublicEventSource,
    &rules::events::cross_account_invoke_without_condition::CrossAccountInvokeWithoutCondition,
    &rules::cloud::gcp_default_service_account::GcpDefaultServiceAccount,
    &rules::cloud::gcp_http_trigger_security_optional::GcpHttpTriggerSecurityOptional,
    &rules::cloud::gcp_ingress_allow_all::GcpIngressAllowAll,
    &rules::iam::wildcard_action::WildcardAction,
    &rules::iam::admin_equivalent_grant::AdminEquivalentGrant,
    &rules::iam::privilege_escalation_path::PrivilegeEscalationPath,
    &rules::iam::service_wide_wildcard::ServiceWideWildcard,
    &rules::iam::unconstrained_write::UnconstrainedWrite,
    &rules::iam::data_exfiltration_grant::DataExfiltrationGrant,
    &rules::iam::credentials_exposure::CredentialsExposure,
    &rules::iam::resource_policy_rewrite::ResourcePolicyRewrite,
    &rules::iam::privileged_role_grant::PrivilegedRoleGrant,
    &rules::iam::missing_permission_for_sdk_call::MissingPermissionForSdkCall,
    &rules::iam::unused_permission_grant::UnusedPermissionGrant,
    &rules::ops::function_without_tracing::FunctionWithoutTracing,
    &rules::ops::log_group_without_retention::LogGroupWithoutRetention,
    &rules::ops::trail_without_log_validation::TrailWithoutLogValidation,
    &rules::ops::trail_without_encryption::TrailWithoutEncryption,
    &rules::ops::deprecated_runtime::DeprecatedRuntime,
    &rules::ops::layer_from_another_account::LayerFromAnotherAccount,
    &rules::ops::function_without_code_signing::FunctionWithoutCodeSigning,
    &rules::paths::public_path_to_dangerous_permission::PublicPathToDangerousPermission,
    &rules::paths::public_path_to_privilege_escalation::PublicPathToPrivilegeEscalation,
    &rules::secrets::plaintext_secret_in_environment::PlaintextSecretInEnvironment,
    &rules::secrets::secret_in_template_property::SecretInTemplateProperty,
    &rules::secrets::secret_parameter_default::SecretParameterDefault,
    &rules::secrets::plaintext_ssm_secret::PlaintextSsmSecret,
    &rules::secrets::secret_without_rotation::SecretWithoutRotation,
    &rules::secrets::secret_without_customer_key::SecretWithoutCustomerKey,
    &rules::secrets::secret_parameter_without_noecho::SecretParameterWithoutNoecho,
    &rules::secrets::hardcoded_secret_in_source::HardcodedSecretInSource,
];

pub fn all_rules() -> &'static [&'static dyn Rule] {
    RULES
}

/// A rule by code, case-insensitively.
pub fn find_rule(code: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code))
}

/// Metadata of every rule, as renderers need it.
pub fn rule_infos() -> Vec<RuleInfo> {
    RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            let documentation = doc::extract(m.source);
            RuleInfo {
                code: m.code,
                name: m.name,
                category: m.category,
                severity: m.severity,
                confidence: m.confidence,
                summary: doc::summary(&documentation),
                doc: documentation,
                cwe: m.cwe,
                owasp: m.owasp,
                security_hub: crate::security_hub::controls(m.code),
            }
        })
        .collect()
}
