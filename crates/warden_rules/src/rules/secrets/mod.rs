//! Secrets in configuration, templates and code.

pub mod hardcoded_secret_in_source;
pub mod plaintext_secret_in_environment;
pub mod plaintext_ssm_secret;
pub mod secret_in_template_property;
pub mod secret_parameter_default;
pub mod secret_parameter_without_noecho;
pub mod secret_without_customer_key;
pub mod secret_without_rotation;
