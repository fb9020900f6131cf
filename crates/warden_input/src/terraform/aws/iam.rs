//! IAM: `aws_iam_role` (trust policy, `inline_policy` blocks, `managed_policy_arns`, permissions
//! boundary), `aws_iam_role_policy`, `aws_iam_policy`, and the attachments
//! (`aws_iam_role_policy_attachment`, `aws_iam_policy_attachment`) merged into the role's
//! `ManagedPolicyArns` (AWS managed and external ARNs) or the managed policy's `Roles`.

use super::shape::{Props, blocks, policy, reference_to, target};
use super::{Cfn, Ctx, find};
use crate::terraform::TfResource;
use warden_model::Node;

pub fn convert(r: &TfResource, ctx: &Ctx<'_>, out: &mut Vec<Cfn>) {
    let b = &r.body;
    let mut p = Props::new(&r.origin);
    let kind = match r.kind.as_str() {
        "aws_iam_role" => {
            p.copy_all(
                b,
                &[
                    ("name", "RoleName"),
                    ("path", "Path"),
                    ("permissions_boundary", "PermissionsBoundary"),
                    ("managed_policy_arns", "ManagedPolicyArns"),
                ],
            );
            if let Some((k, v)) = b.entry("assume_role_policy") {
                p.put("AssumeRolePolicyDocument", &k.origin, policy(v));
            }
            for ip in blocks(b, "inline_policy") {
                let Some((k, doc)) = ip.entry("policy") else {
                    continue; // an empty block removes inline policies
                };
                let mut item = Props::new(&ip.origin);
                item.copy(ip, "name", "PolicyName");
                item.put("PolicyDocument", &k.origin, policy(doc));
                p.push_item("Policies", &ip.origin, item.into_node());
            }
            "AWS::IAM::Role"
        }
        "aws_iam_role_policy" => {
            p.copy(b, "name", "PolicyName");
            if let Some((k, v)) = b.entry("policy") {
                p.put("PolicyDocument", &k.origin, policy(v));
            }
            if let Some((k, v)) = b.entry("role") {
                p.put("RoleName", &k.origin, ctx.link(v, "aws_iam_role"));
            }
            "AWS::IAM::RolePolicy"
        }
        "aws_iam_policy" => {
            p.copy(b, "name", "ManagedPolicyName");
            if let Some((k, v)) = b.entry("policy") {
                p.put("PolicyDocument", &k.origin, policy(v));
            }
            "AWS::IAM::ManagedPolicy"
        }
        _ => return,
    };
    out.push(Cfn::new(r, kind, p));
}

pub fn merge(r: &TfResource, ctx: &Ctx<'_>, out: &mut [Cfn]) {
    let b = &r.body;
    let roles: Vec<&Node> = match r.kind.as_str() {
        "aws_iam_role_policy_attachment" => b.get("role").into_iter().collect(),
        "aws_iam_policy_attachment" => b
            .get("roles")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .collect(),
        _ => return,
    };
    let Some(arn) = b.get("policy_arn") else {
        return;
    };
    let arn = ctx.link(arn, "aws_iam_policy");
    let customer = ctx
        .target(&arn)
        .filter(|t| t.kind == "aws_iam_policy")
        .map(|t| t.address.clone());
    for role in roles {
        let role = ctx.link(role, "aws_iam_role");
        let Some(role_addr) = target(&role).map(str::to_string) else {
            continue;
        };
        if !ctx
            .resources
            .iter()
            .any(|x| x.address == role_addr && x.kind == "aws_iam_role")
        {
            continue;
        }
        match &customer {
            Some(policy_addr) => {
                if let Some(c) = find(out, policy_addr) {
                    let item = reference_to(&role_addr, &role);
                    c.props.push_item(
                        "Roles",
                        &r.origin,
                        Node {
                            origin: r.origin.clone(),
                            ..item
                        },
                    );
                }
            }
            None => {
                if let Some(c) = find(out, &role_addr) {
                    let arn = Node {
                        origin: arn.origin.clone(),
                        ..arn.clone()
                    };
                    c.props.push_item("ManagedPolicyArns", &r.origin, arn);
                }
            }
        }
    }
}
