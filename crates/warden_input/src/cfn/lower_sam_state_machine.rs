//! `AWS::Serverless::StateMachine`: the role SAM generates from `Policies` when no `Role` is given
//! (assumable by Step Functions), so identity rules see what the workflow may do. `Logging` and
//! `Tracing` stay in the resource's properties for operational rules.

use super::context::Context;
use super::convert::json_to_node;
use super::intrinsics::Resolver;
use super::lower_sam_function::policy_entry;
use warden_model::{App, Resource, Role};

pub fn lower(app: &mut App, res: &Resource, ctx: &Context<'_>, resolver: &Resolver<'_>) {
    let p = &res.properties;
    if p.get("Role").is_some() {
        return;
    }
    let policies = p
        .get("Policies")
        .map(|list| {
            list.one_or_many()
                .into_iter()
                .enumerate()
                .map(|(i, entry)| policy_entry(&res.id, i, entry, ctx, resolver))
                .collect()
        })
        .unwrap_or_default();
    let trust = json_to_node(
        &serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"},
                           "Action": "sts:AssumeRole"}]
        }),
        &res.origin,
    );
    app.roles.push(Role {
        id: format!("{}Role", res.id),
        origin: res.origin.derived("/Role(generated)"),
        generated_for: Some(res.id.clone()),
        trust_policy: Some(trust),
        policies,
        permissions_boundary: p.get("PermissionsBoundary").cloned(),
    });
}
