//! `AWS::IAM::Role`, `::Policy`, `::RolePolicy` and `::ManagedPolicy`: roles with every policy
//! attached to them, wherever in the template the attachment is written.

use super::context::Context;
use super::convert::referenced_resource;
use super::lower_sam_function::managed;
use warden_model::{App, AttachedPolicy, Node, PolicySource, Resource, Role};

pub fn role(app: &mut App, res: &Resource, ctx: &Context<'_>) {
    let p = &res.properties;
    let mut policies = Vec::new();
    if let Some(inline) = p.get("Policies") {
        for item in inline.items() {
            policies.push(AttachedPolicy {
                name: item
                    .get("PolicyName")
                    .map_or_else(|| "inline".to_string(), ToString::to_string),
                origin: item.origin.clone(),
                source: PolicySource::Inline,
                document: item.get("PolicyDocument").cloned(),
            });
        }
    }
    if let Some(arns) = p.get("ManagedPolicyArns") {
        for arn in arns.items() {
            policies.push(managed_arn(arn, ctx));
        }
    }
    app.roles.push(Role {
        id: res.id.clone(),
        origin: res.origin.clone(),
        generated_for: None,
        trust_policy: p.get("AssumeRolePolicyDocument").cloned(),
        policies,
        permissions_boundary: p.get("PermissionsBoundary").cloned(),
    });
}

fn managed_arn(arn: &Node, ctx: &Context<'_>) -> AttachedPolicy {
    if let Some(name) = arn.as_str() {
        return managed(name, &arn.origin);
    }
    if let Some(mp) = referenced_resource(arn, |id| {
        ctx.resource_type(id) == Some("AWS::IAM::ManagedPolicy")
    }) {
        return AttachedPolicy {
            name: mp.clone(),
            origin: arn.origin.clone(),
            source: PolicySource::CustomerManaged { resource: mp },
            document: None,
        };
    }
    // `!Sub arn:${AWS::Partition}:iam::aws:policy/...` resolves partially: the policy is known.
    if let Some(partial) = arn.as_unknown().and_then(|u| u.partial.as_deref())
        && partial.contains(":iam::aws:policy/")
        && !partial[partial.find(":iam::aws:policy/").unwrap_or(0)..].contains("{{")
    {
        let name = partial.rsplit('/').next().unwrap_or(partial);
        return managed(name, &arn.origin);
    }
    AttachedPolicy {
        name: arn.to_string(),
        origin: arn.origin.clone(),
        source: PolicySource::External,
        document: None,
    }
}

/// The roles a `Roles`/`RoleName` property names (`!Ref Role` gives the role's name).
fn target_roles(p: &Node, ctx: &Context<'_>) -> Vec<String> {
    let is_role = |id: &str| ctx.resource_type(id) == Some("AWS::IAM::Role");
    let mut out = Vec::new();
    for key in ["Roles", "RoleName"] {
        if let Some(v) = p.get(key) {
            for item in v.one_or_many() {
                if let Some(id) = referenced_resource(item, is_role) {
                    out.push(id);
                }
            }
        }
    }
    out
}

/// Attaches standalone policies to roles and fills customer managed policy documents.
pub fn attach_policies(app: &mut App, ctx: &Context<'_>) {
    let mut attach: Vec<(String, AttachedPolicy)> = Vec::new();
    let mut documents: Vec<(String, Node)> = Vec::new();
    for res in &app.resources {
        let p = &res.properties;
        match res.kind.as_str() {
            "AWS::IAM::Policy" | "AWS::IAM::RolePolicy" => {
                let Some(doc) = p.get("PolicyDocument") else {
                    continue;
                };
                for role in target_roles(p, ctx) {
                    attach.push((
                        role,
                        AttachedPolicy {
                            name: res.id.clone(),
                            origin: res.origin.clone(),
                            source: PolicySource::Inline,
                            document: Some(doc.clone()),
                        },
                    ));
                }
            }
            "AWS::IAM::ManagedPolicy" => {
                let Some(doc) = p.get("PolicyDocument") else {
                    continue;
                };
                documents.push((res.id.clone(), doc.clone()));
                for role in target_roles(p, ctx) {
                    attach.push((
                        role,
                        AttachedPolicy {
                            name: res.id.clone(),
                            origin: res.origin.clone(),
                            source: PolicySource::CustomerManaged {
                                resource: res.id.clone(),
                            },
                            document: Some(doc.clone()),
                        },
                    ));
                }
            }
            _ => {}
        }
    }
    for (role, policy) in attach {
        if let Some(r) = app.roles.iter_mut().find(|r| r.id == role) {
            r.policies.push(policy);
        }
    }
    for role in &mut app.roles {
        for policy in &mut role.policies {
            if let PolicySource::CustomerManaged { resource } = &policy.source
                && policy.document.is_none()
            {
                policy.document = documents
                    .iter()
                    .find(|(id, _)| id == resource)
                    .map(|(_, d)| d.clone());
            }
        }
    }
}
