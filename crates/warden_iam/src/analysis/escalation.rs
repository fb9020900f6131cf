//! Privilege-escalation combinations from the published catalogues (Rhino Security Labs' IAM
//! escalation methods, Bishop Fox's iam-vulnerable, pathfinding.cloud), checked against the
//! principal's effective actions, so a combination split across policies is found.

use super::actions::{EffectiveAction, EffectiveActions};
use super::limits::ConditionEffect;
use super::{Finding, FindingKind, Severity};

/// (technique, every action it needs)
const COMBOS: &[(&str, &[&str])] = &[
    (
        "create a new default policy version",
        &["iam:CreatePolicyVersion"],
    ),
    (
        "switch a policy's default version",
        &["iam:SetDefaultPolicyVersion"],
    ),
    (
        "create access keys for another user",
        &["iam:CreateAccessKey"],
    ),
    (
        "set a console password for another user",
        &["iam:CreateLoginProfile"],
    ),
    (
        "change another user's console password",
        &["iam:UpdateLoginProfile"],
    ),
    (
        "attach a managed policy to a user",
        &["iam:AttachUserPolicy"],
    ),
    (
        "attach a managed policy to a group",
        &["iam:AttachGroupPolicy"],
    ),
    (
        "attach a managed policy to a role",
        &["iam:AttachRolePolicy"],
    ),
    ("write an inline user policy", &["iam:PutUserPolicy"]),
    ("write an inline group policy", &["iam:PutGroupPolicy"]),
    ("write an inline role policy", &["iam:PutRolePolicy"]),
    ("add a user to a privileged group", &["iam:AddUserToGroup"]),
    (
        "rewrite a role's trust policy and assume it",
        &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
    ),
    (
        "remove a permissions boundary",
        &["iam:DeleteRolePermissionsBoundary"],
    ),
    (
        "replace a permissions boundary",
        &["iam:PutRolePermissionsBoundary"],
    ),
    (
        "run code with a passed role via a new Lambda function",
        &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:InvokeFunction",
        ],
    ),
    (
        "run code with a passed role via a Lambda function URL or trigger",
        &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:AddPermission",
        ],
    ),
    (
        "run code with a passed role via a Lambda event source",
        &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:CreateEventSourceMapping",
        ],
    ),
    (
        "replace the code of an existing Lambda function",
        &["lambda:UpdateFunctionCode"],
    ),
    (
        "attach a malicious layer to an existing Lambda function",
        &["lambda:UpdateFunctionConfiguration"],
    ),
    (
        "launch an EC2 instance with a passed role",
        &["iam:PassRole", "ec2:RunInstances"],
    ),
    (
        "request a spot instance with a passed role",
        &["iam:PassRole", "ec2:RequestSpotInstances"],
    ),
    (
        "launch instances through Auto Scaling with a passed role",
        &[
            "iam:PassRole",
            "autoscaling:CreateLaunchConfiguration",
            "autoscaling:CreateAutoScalingGroup",
        ],
    ),
    (
        "create a CloudFormation stack with a passed role",
        &["iam:PassRole", "cloudformation:CreateStack"],
    ),
    (
        "update a CloudFormation stack with a passed role",
        &["iam:PassRole", "cloudformation:UpdateStack"],
    ),
    (
        "create a Glue development endpoint with a passed role",
        &["iam:PassRole", "glue:CreateDevEndpoint"],
    ),
    (
        "update a Glue development endpoint's SSH key",
        &["glue:UpdateDevEndpoint"],
    ),
    (
        "run a Glue job with a passed role",
        &["iam:PassRole", "glue:CreateJob", "glue:StartJobRun"],
    ),
    (
        "update a Glue job with a passed role",
        &["iam:PassRole", "glue:UpdateJob", "glue:StartJobRun"],
    ),
    (
        "run an ECS task with a passed role",
        &["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"],
    ),
    (
        "start an ECS service with a passed role",
        &[
            "iam:PassRole",
            "ecs:RegisterTaskDefinition",
            "ecs:CreateService",
        ],
    ),
    (
        "create a SageMaker notebook with a passed role",
        &[
            "iam:PassRole",
            "sagemaker:CreateNotebookInstance",
            "sagemaker:CreatePresignedNotebookInstanceUrl",
        ],
    ),
    (
        "open an existing SageMaker notebook",
        &["sagemaker:CreatePresignedNotebookInstanceUrl"],
    ),
    (
        "run a CodeBuild project with a passed role",
        &[
            "iam:PassRole",
            "codebuild:CreateProject",
            "codebuild:StartBuild",
        ],
    ),
    (
        "run a Data Pipeline with a passed role",
        &[
            "iam:PassRole",
            "datapipeline:CreatePipeline",
            "datapipeline:PutPipelineDefinition",
        ],
    ),
    (
        "run a Step Functions state machine with a passed role",
        &[
            "iam:PassRole",
            "states:CreateStateMachine",
            "states:StartExecution",
        ],
    ),
    (
        "create an App Runner service with a passed role",
        &["iam:PassRole", "apprunner:CreateService"],
    ),
    (
        "run commands on instances through SSM",
        &["ssm:SendCommand"],
    ),
    (
        "open a shell on instances through SSM",
        &["ssm:StartSession"],
    ),
    ("assume any role", &["sts:AssumeRole"]),
];

pub(super) fn findings(eff: &EffectiveActions, out: &mut Vec<Finding>) {
    for (technique, actions) in COMBOS {
        let found: Option<Vec<EffectiveAction<'_>>> = actions.iter().map(|a| eff.get(a)).collect();
        let Some(found) = found else { continue };
        // Every step must be usable on every resource of its type: a role limited to named
        // resources cannot be pointed at someone else's.
        if !found.iter().all(|a| a.unconstrained()) {
            continue;
        }
        let grants: Vec<_> = found.iter().filter_map(|a| a.best()).collect();
        let limiting: Vec<String> = grants
            .iter()
            .filter(|g| g.condition == ConditionEffect::Limiting)
            .flat_map(|g| g.limited_by.iter().cloned())
            .collect();
        let any_limited = grants
            .iter()
            .any(|g| g.condition == ConditionEffect::Limiting);
        let Some(first) = grants.first() else {
            continue;
        };
        let split = grants.iter().any(|g| g.policy_index != first.policy_index);
        let severity = if any_limited {
            Severity::Critical.lowered()
        } else {
            Severity::Critical
        };
        let note = if any_limited {
            format!(
                " (granted only when conditions on {} hold)",
                limiting.join(", ")
            )
        } else {
            String::new()
        };
        out.push(Finding {
            kind: FindingKind::PrivilegeEscalation,
            severity,
            message: format!(
                "principal may escalate privileges ({technique}) with {}{}{note}",
                actions.join(" + "),
                if split {
                    ", granted across several policies"
                } else {
                    ""
                }
            ),
            policy_index: first.policy_index,
            statement_index: first.statement_index,
            actions: actions.iter().map(|a| (*a).to_owned()).collect(),
            limited_by: limiting,
        });
    }
}
