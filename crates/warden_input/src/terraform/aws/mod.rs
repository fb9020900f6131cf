//! AWS resources lowered into the model through CloudFormation: each Terraform resource becomes
//! the CloudFormation resource it mirrors, with CloudFormation-shaped properties whose values keep
//! their Terraform origins, in a synthetic template lowered by [`crate::cfn`]. Resource ids are the
//! Terraform addresses; references (`aws_iam_role.fn.arn`) are unknowns naming their resource, so
//! the CloudFormation linking (roles, permissions, URLs, routes, event sources) applies as is.
//!
//! Terraform splits some CloudFormation resources in several (`aws_s3_bucket` and its
//! `_server_side_encryption_configuration`, `aws_api_gateway_method` and its `_integration`, role
//! policy attachments): those are merged into the resource they configure ([`merge`]).

mod apigw;
mod compute;
mod data;
mod iam;
mod shape;

use super::TfResource;
use super::values::{key, map, str_node};
use crate::cfn::{self, context::ParamOverrides};
use shape::{Props, reference_to};
use std::collections::HashMap;
use std::sync::Arc;
use warden_model::{App, Node};
use warden_source::Origin;

/// A CloudFormation resource being built from Terraform.
#[derive(Debug, Clone)]
pub struct Cfn {
    pub id: String,
    pub kind: &'static str,
    pub origin: Origin,
    pub props: Props,
}

impl Cfn {
    pub fn new(res: &TfResource, kind: &'static str, props: Props) -> Self {
        Self {
            id: res.address.clone(),
            kind,
            origin: res.origin.clone(),
            props,
        }
    }
}

/// Lookups over the module's resources.
pub struct Ctx<'r> {
    pub resources: &'r [TfResource],
    /// (type, literal physical name) → address, for names written instead of references.
    names: HashMap<(String, String), String>,
}

/// The attribute holding each linkable type's physical name.
const NAME_ATTRS: &[(&str, &str)] = &[
    ("aws_lambda_function", "function_name"),
    ("aws_iam_role", "name"),
    ("aws_iam_policy", "name"),
    ("aws_s3_bucket", "bucket"),
    ("aws_sqs_queue", "name"),
    ("aws_sns_topic", "name"),
    ("aws_cloudwatch_event_rule", "name"),
    ("aws_secretsmanager_secret", "name"),
    ("aws_api_gateway_rest_api", "name"),
    ("aws_api_gateway_stage", "stage_name"),
];

impl<'r> Ctx<'r> {
    pub fn new(resources: &'r [TfResource]) -> Self {
        let mut names = HashMap::new();
        for r in resources.iter().filter(|r| r.mode == super::Mode::Managed) {
            if let Some((_, attr)) = NAME_ATTRS.iter().find(|(k, _)| *k == r.kind)
                && let Some(name) = r.body.get(attr).and_then(Node::as_str)
            {
                names.insert((r.kind.clone(), name.to_string()), r.address.clone());
            }
        }
        Self { resources, names }
    }

    /// `node` linked to the resource of type `kind` it names: a reference stays as is, a
    /// literal name (or ARN ending in the name) declared here becomes a reference.
    pub fn link(&self, node: &Node, kind: &str) -> Node {
        if let Some(s) = node.as_str() {
            let name = s.rsplit([':', '/']).next().unwrap_or(s);
            if let Some(addr) = self
                .names
                .get(&(kind.to_string(), s.to_string()))
                .or_else(|| self.names.get(&(kind.to_string(), name.to_string())))
            {
                return reference_to(addr, node);
            }
        }
        node.clone()
    }

    /// The declared resource an (already linked) value refers to.
    pub fn target(&self, node: &Node) -> Option<&'r TfResource> {
        let addr = shape::target(node)?;
        self.resources.iter().find(|r| r.address == addr)
    }
}

/// Lowers the AWS resources among `resources` into `app`.
pub fn lower(app: &mut App, resources: &[TfResource]) {
    let ctx = Ctx::new(resources);
    let managed = || {
        resources
            .iter()
            .filter(|r| r.mode == super::Mode::Managed && r.kind.starts_with("aws_"))
    };
    let mut out: Vec<Cfn> = Vec::new();
    for r in managed() {
        let before = out.len();
        compute::convert(r, &ctx, &mut out);
        if out.len() == before {
            iam::convert(r, &ctx, &mut out);
        }
        if out.len() == before {
            apigw::convert(r, &ctx, &mut out);
        }
        if out.len() == before {
            data::convert(r, &ctx, &mut out);
        }
    }
    for r in managed() {
        compute::merge(r, &ctx, &mut out);
        iam::merge(r, &ctx, &mut out);
        apigw::merge(r, &ctx, &mut out);
        data::merge(r, &ctx, &mut out);
    }
    if out.is_empty() {
        return;
    }
    let file: Arc<str> = Arc::from(app.file.as_str());
    let template = template(&out, &file);
    let Ok(lowered) = cfn::lower(file, &template, &ParamOverrides::new()) else {
        return;
    };
    app.functions.extend(lowered.functions);
    app.roles.extend(lowered.roles);
    app.apis.extend(lowered.apis);
    app.permissions.extend(lowered.permissions);
    app.resources.extend(lowered.resources);
    compute::rule_triggers(app);
}

/// A policy given as JSON text (or already a document) as a document.
pub fn policy_text(node: &Node) -> Node {
    shape::policy(node)
}

pub fn find<'a>(out: &'a mut [Cfn], id: &str) -> Option<&'a mut Cfn> {
    out.iter_mut().find(|c| c.id == id)
}

/// The synthetic template `{Resources: {address: {Type, Properties}}}`.
fn template(out: &[Cfn], file: &Arc<str>) -> Node {
    let root = Origin::new(file.clone(), warden_source::Span::new(0, 0), "");
    let resources = out
        .iter()
        .map(|c| {
            let decl = map(
                vec![
                    (key("Type", &c.origin), str_node(c.kind, &c.origin)),
                    (key("Properties", &c.origin), c.props.clone().into_node()),
                ],
                &c.origin,
            );
            (key(c.id.clone(), &c.origin), decl)
        })
        .collect();
    map(
        vec![(key("Resources", &root), map(resources, &root))],
        &root,
    )
}
