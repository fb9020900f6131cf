//! Secrets in configuration.

pub mod plaintext_secret_in_environment;
