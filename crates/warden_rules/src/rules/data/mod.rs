//! Data at rest and in transit: encryption of stores, customer managed keys, TLS-only buckets.

pub mod bucket_allows_plain_http;
pub mod bucket_without_customer_key;
pub mod kms_key_without_rotation;
pub mod log_group_without_customer_key;
pub mod queue_without_customer_key;
pub mod sensitive_environment_without_customer_key;
pub mod stream_unencrypted;
pub mod table_without_customer_key;
pub mod topic_unencrypted;
