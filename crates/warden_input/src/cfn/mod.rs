//! CloudFormation and SAM: intrinsic resolution and lowering into the model.
//!
//! [`lower`] reads one parsed template: it builds the static [`context::Context`], merges SAM
//! `Globals`, resolves every resource's properties with the [`intrinsics::Resolver`], and hands each
//! resource to the module that owns its type (`sam` for `AWS::Serverless::*`, `lambda`, `iam`,
//! `apigw` for the plain CloudFormation equivalents). A final [`link`] pass connects what refers to
//! what (policies to roles, permissions and URLs to functions, routes to APIs).
//!
//! Before lowering, [`includes`] reads the local files a template pulls in (SAM `DefinitionUri`,
//! `AWS::Include`) into its tree.
//!
//! A template whose resources carry `aws:cdk:path` metadata was synthesized by the AWS CDK: it
//! lowers as CloudFormation with [`Format::Cdk`] and the construct paths kept on the app.

pub mod context;
mod convert;
mod globals;
pub mod includes;
pub mod intrinsics;
mod link;
mod lower_apigw;
mod lower_iam;
mod lower_lambda;
mod lower_sam_api;
mod lower_sam_function;
mod lower_sam_state_machine;
mod metadata;

use context::{Context, ParamOverrides};
use intrinsics::Resolver;
use std::sync::Arc;
use thiserror::Error;
use warden_model::{App, Format, Node, Resource, Val};

/// Why a template could not be lowered at all (individual odd resources never fail the template).
#[derive(Debug, Error, PartialEq, Eq)]
pub enum LowerError {
    #[error("not a CloudFormation template: the document is not a mapping")]
    NotAMapping,
    #[error("not a CloudFormation template: no `Resources` mapping")]
    NoResources,
}

/// True when the template declares the SAM transform.
pub fn is_sam(root: &Node) -> bool {
    root.get("Transform").is_some_and(|t| {
        t.one_or_many()
            .iter()
            .any(|v| v.as_str() == Some("AWS::Serverless-2016-10-31"))
    })
}

/// Lowers one template into an [`App`].
pub fn lower(file: Arc<str>, root: &Node, overrides: &ParamOverrides) -> Result<App, LowerError> {
    if !root.is_map() {
        return Err(LowerError::NotAMapping);
    }
    let resources = root.get("Resources").ok_or(LowerError::NoResources)?;
    if !resources.is_map() {
        return Err(LowerError::NoResources);
    }
    let sam = is_sam(root);
    let ctx = Context::new(file.clone(), root, overrides);
    let resolver = Resolver::new(&ctx, overrides);
    let globals = if sam {
        globals::Globals::read(root)
    } else {
        globals::Globals::default()
    };
    let mut app = App::new(
        file.to_string(),
        if sam {
            Format::Sam
        } else {
            Format::CloudFormation
        },
    );
    app.parameters = metadata::parameters(root);
    let mut sam_apis = lower_sam_api::ImplicitApis::default();
    if sam {
        let global = |name: &str| {
            root.at(&["Globals", name])
                .map(|g| resolver.resolve_or_null(g))
        };
        sam_apis.rest_globals = global("Api");
        sam_apis.http_globals = global("HttpApi");
    }

    for (key, decl) in resources.entries() {
        let id = key.name.as_str();
        let kind = decl.get("Type").and_then(Node::as_str).unwrap_or("");
        let condition = decl.get("Condition").and_then(Node::as_str);
        if condition.is_some_and(|c| resolver.condition(c) == Some(false)) {
            continue; // never deployed with these parameters
        }
        app.suppressions.extend(metadata::suppressions(id, decl));
        if let Some(path) = metadata::cdk_path(decl) {
            app.construct_paths.insert(id.to_string(), path.to_string());
        }
        let raw_props = decl
            .get("Properties")
            .cloned()
            .unwrap_or_else(|| convert::empty_map(&key.origin));
        let merged = globals.apply(kind, raw_props);
        let properties = resolver.resolve_or_null(&merged);
        let properties = if matches!(properties.val, Val::Map(_)) {
            properties
        } else {
            convert::empty_map(&key.origin)
        };
        let resource = Resource {
            id: id.to_string(),
            kind: kind.to_string(),
            origin: key.origin.clone(),
            properties,
            condition: condition.map(str::to_string),
        };
        match kind {
            "AWS::Serverless::Function" => {
                lower_sam_function::lower(&mut app, &mut sam_apis, &resource, &ctx, &resolver)
            }
            "AWS::Serverless::StateMachine" => {
                lower_sam_state_machine::lower(&mut app, &resource, &ctx, &resolver)
            }
            "AWS::Serverless::Api" => lower_sam_api::lower_rest(&mut app, &resource),
            "AWS::Serverless::HttpApi" => lower_sam_api::lower_http(&mut app, &resource),
            "AWS::Lambda::Function" => lower_lambda::function(&mut app, &resource, &ctx),
            "AWS::Lambda::Permission" => lower_lambda::permission(&mut app, &resource, &ctx),
            "AWS::IAM::Role" => lower_iam::role(&mut app, &resource, &ctx),
            _ => {}
        }
        app.resources.push(resource);
    }
    if !sam && !app.construct_paths.is_empty() {
        app.format = Format::Cdk;
    }
    sam_apis.finish(&mut app);
    lower_iam::attach_policies(&mut app, &ctx);
    lower_apigw::lower(&mut app, &ctx);
    lower_lambda::event_sources(&mut app, &ctx);
    lower_lambda::urls(&mut app, &ctx);
    link::finish(&mut app);
    Ok(app)
}
