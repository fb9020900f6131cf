//! Discovery, classification and format lowering into the Warden model.
//!
//! The pipeline up to the model: [`discover`] walks the tree in parallel, [`classify`] sniffs each
//! file cheaply, [`document`] parses YAML/JSON with origins, [`cfn`] resolves intrinsics and lowers
//! CloudFormation and SAM into [`warden_model::App`]s, [`serverless`] lowers Serverless Framework
//! projects (reusing `cfn` for their `resources`), [`terraform`] evaluates and lowers Terraform
//! modules, [`azure`] lowers Azure Functions projects, [`refdata`] holds the embedded AWS reference
//! data, and [`project`] ties them together for one scan.

pub mod azure;
pub mod cfn;
pub mod classify;
pub mod discover;
pub mod document;
pub mod grouped;
pub mod project;
pub mod refdata;
pub mod serverless;
pub mod terraform;
