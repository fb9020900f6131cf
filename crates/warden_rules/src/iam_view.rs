//! The bridge from the model to the IAM engine: every role of every app analysed once, as a
//! principal (all its identity policies together, its permissions boundary), with each engine
//! finding mapped back to the statement that caused it in the template.

use rayon::prelude::*;
use warden_iam::{Policy, PrincipalAnalysis, PrincipalPolicies, analyze_principal};
use warden_model::{App, AttachedPolicy, Node, RoleLink};
use warden_source::Origin;

/// One analysed role.
pub struct RoleRisk {
    /// Index of the app in the scan.
    pub app: usize,
    pub role: String,
    /// Functions that run as this role.
    pub functions: Vec<String>,
    /// The attached policies, in the order given to the engine (findings index into it).
    pub policies: Vec<AttachedPolicy>,
    pub analysis: PrincipalAnalysis,
}

impl RoleRisk {
    /// Who holds the role, for messages: "function `X`", "functions `X`, `Y`" or "role `R`".
    pub fn subject(&self) -> String {
        match self.functions.as_slice() {
            [] => format!("role `{}`", self.role),
            [one] => format!("function `{one}`"),
            many => format!(
                "functions {}",
                many.iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// The resource findings are reported on: the first function, else the role.
    pub fn resource(&self) -> &str {
        self.functions
            .first()
            .map_or(self.role.as_str(), String::as_str)
    }

    /// The template location of statement `statement` of policy `policy`.
    pub fn statement_origin(&self, policy: usize, statement: usize) -> Option<&Origin> {
        let p = self.policies.get(policy)?;
        let stmt = p
            .document
            .as_ref()
            .and_then(|d| d.get("Statement"))
            .and_then(|s| match s.items() {
                [] => Some(s),
                items => items.get(statement),
            });
        match (&p.source, stmt) {
            // Managed policies and templates point at where they are attached.
            (warden_model::PolicySource::AwsManaged { .. }, _) => Some(&p.origin),
            (_, Some(node)) => Some(&node.origin),
            (_, None) => Some(&p.origin),
        }
    }

    /// The name of policy `index`, e.g. "AWS managed policy `ReadOnlyAccess`".
    pub fn policy_label(&self, index: usize) -> String {
        match self.policies.get(index).map(|p| (&p.source, &p.name)) {
            Some((warden_model::PolicySource::AwsManaged { name }, _)) => {
                format!(" (AWS managed policy `{name}`)")
            }
            Some((warden_model::PolicySource::SamTemplate { name }, _)) => {
                format!(" (SAM policy template `{name}`)")
            }
            _ => String::new(),
        }
    }
}

/// Parses a policy for analysis. The deploying account's pseudo parameters become `*`: for the
/// question "which of the account's resources may the role touch", `arn:aws:dynamodb:<region>:
/// <account>:table/*` is every table, while `…:table/{{unknown:Ref Orders}}` stays one table.
fn parse(doc: &Node) -> Option<Policy> {
    let mut json = doc.to_json();
    widen_pseudo_parameters(&mut json);
    Policy::parse(&json).ok()
}

fn widen_pseudo_parameters(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) if s.contains("{{unknown:AWS::") => {
            *s = s
                .replace("{{unknown:AWS::Region}}", "*")
                .replace("{{unknown:AWS::AccountId}}", "*");
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(widen_pseudo_parameters),
        serde_json::Value::Object(map) => map.values_mut().for_each(widen_pseudo_parameters),
        _ => {}
    }
}

/// A permissions boundary declared in the template (`!Ref BoundaryPolicy`): its document. A
/// boundary outside the template is not applied, so findings stay (never a silent pass).
fn boundary_document<'a>(app: &'a App, boundary: &Node) -> Option<&'a Node> {
    let id = boundary.as_unknown()?.resource.as_deref()?;
    let res = app.resource(id)?;
    (res.kind == "AWS::IAM::ManagedPolicy")
        .then(|| res.properties.get("PolicyDocument"))
        .flatten()
}

/// Analyses every role of every app, in parallel.
pub fn analyze(apps: &[App]) -> Vec<RoleRisk> {
    let jobs: Vec<(usize, &App, &warden_model::Role)> = apps
        .iter()
        .enumerate()
        .flat_map(|(i, app)| app.roles.iter().map(move |r| (i, app, r)))
        .collect();
    jobs.into_par_iter()
        .map(|(i, app, role)| {
            let policies: Vec<AttachedPolicy> = role
                .policies
                .iter()
                .filter(|p| p.document.as_ref().and_then(parse).is_some())
                .cloned()
                .collect();
            let identity = policies
                .iter()
                .filter_map(|p| p.document.as_ref().and_then(parse))
                .collect();
            let boundary = role
                .permissions_boundary
                .as_ref()
                .and_then(|b| boundary_document(app, b))
                .and_then(parse);
            let analysis = analyze_principal(&PrincipalPolicies {
                identity,
                boundary,
                scps: Vec::new(),
            });
            let functions = app
                .functions
                .iter()
                .filter(|f| matches!(&f.role, RoleLink::Resource(r) if r == &role.id))
                .map(|f| f.id.clone())
                .collect();
            RoleRisk {
                app: i,
                role: role.id.clone(),
                functions,
                policies,
                analysis,
            }
        })
        .collect()
}
