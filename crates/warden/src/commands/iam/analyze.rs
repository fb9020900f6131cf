//! `warden iam analyze POLICY.json…`: the identity policies of one principal (with its permissions
//! boundary and the SCPs of each OU level) analysed by the IAM engine, plus validation findings
//! and resource-policy findings, rendered in the scan's formats with file and line of each
//! statement, and the scan's exit codes.

use crate::exit::{CLEAN, FINDINGS};
use anyhow::{Context as _, bail};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use warden_iam::validate::ValidationLevel;
use warden_iam::{FindingKind, OrgLevel, Policy, PrincipalPolicies};
use warden_input::document::{self, Format as DocFormat, Limits};
use warden_model::{
    Category, Confidence, Finding, Node, Report, RuleInfo, ScanError, Severity, Stats,
};
use warden_render::{Format, RenderOptions};
use warden_source::{Origin, SourceFile, SourceMap, Span};

/// Arguments of `warden iam analyze`.
#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// Identity policy files of one principal (analysed together: a combination split across
    /// two policies is found).
    policies: Vec<PathBuf>,
    /// Permissions boundary file: actions it does not allow are not reported as granted.
    #[arg(long)]
    boundary: Option<PathBuf>,
    /// SCP file; each file is one OU level, root first (repeatable). Actions an SCP level does
    /// not allow, or denies, are not reported as granted.
    #[arg(long = "scp", value_name = "FILE")]
    scps: Vec<PathBuf>,
    /// Resource policy files to check for public and cross-account grants.
    #[arg(long = "resource-policy", value_name = "FILE")]
    resource_policies: Vec<PathBuf>,
    /// Account owning the resource policies (for cross-account findings).
    #[arg(long)]
    account: Option<String>,
    /// Exit with 1 when a finding is at or above this severity (critical, high, medium, low, info, none).
    #[arg(long, default_value = "high")]
    fail_on: String,
    /// Output format: pretty, json, sarif, github, junit.
    #[arg(long, short = 'f', default_value = "pretty")]
    format: String,
    /// Write the report to this file instead of stdout.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Colour the pretty output: auto, always, never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    color: String,
    /// No summary of the effective actions on stderr.
    #[arg(long, short = 'q')]
    quiet: bool,
}

/// Rule code of policy validation findings (Access Analyzer-style grammar checks).
const VALIDATION_CODE: &str = "IAMV";
/// Rule code of resource-policy findings (public, cross-account, service without source).
const RESOURCE_POLICY_CODE: &str = "IAMR";

/// A policy file: its label in the report, its position tree and the parsed policy.
struct Loaded {
    label: Arc<str>,
    root: Node,
    json: serde_json::Value,
}

/// The scan rule reporting an engine finding kind, by rule name.
fn rule_name(kind: FindingKind) -> Option<&'static str> {
    Some(match kind {
        FindingKind::AdminEquivalent => "admin-equivalent-grant",
        FindingKind::ServiceWildcard => "service-wide-wildcard",
        FindingKind::UnconstrainedWrite | FindingKind::UnconstrainedPermissionsManagement => {
            "unconstrained-write"
        }
        FindingKind::PrivilegeEscalation => "privilege-escalation-path",
        FindingKind::CredentialsExposure => "credentials-exposure",
        FindingKind::DataExfiltration => "data-exfiltration-grant",
        FindingKind::ResourceExposure => "resource-policy-rewrite",
        FindingKind::PublicResourcePolicy
        | FindingKind::CrossAccountResourcePolicy
        | FindingKind::ServicePrincipalWithoutSource => return None,
    })
}

fn help(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::AdminEquivalent => {
            "list the actions the principal needs instead of `*` or `NotAction`"
        }
        FindingKind::ServiceWildcard => "list the actions of the service the principal calls",
        FindingKind::UnconstrainedWrite | FindingKind::UnconstrainedPermissionsManagement => {
            "scope the statement's `Resource` to the resources the principal uses"
        }
        FindingKind::PrivilegeEscalation => {
            "remove the escalation actions, or scope `iam:PassRole` to one role with an `iam:PassedToService` condition"
        }
        FindingKind::CredentialsExposure => "remove credential-minting actions",
        FindingKind::DataExfiltration => "scope reads to the objects, secrets and tables used",
        FindingKind::ResourceExposure => "remove policy-writing actions",
        FindingKind::PublicResourcePolicy => {
            "name the principals, or add an `aws:PrincipalOrgID` or `aws:SourceArn` condition"
        }
        FindingKind::CrossAccountResourcePolicy => "check that the other account is trusted",
        FindingKind::ServicePrincipalWithoutSource => {
            "add an `aws:SourceArn` or `aws:SourceAccount` condition"
        }
    }
}

fn severity(s: warden_iam::Severity) -> Severity {
    match s {
        warden_iam::Severity::Info => Severity::Info,
        warden_iam::Severity::Low => Severity::Low,
        warden_iam::Severity::Medium => Severity::Medium,
        warden_iam::Severity::High => Severity::High,
        warden_iam::Severity::Critical => Severity::Critical,
    }
}

fn validation_severity(l: ValidationLevel) -> Severity {
    match l {
        ValidationLevel::Error | ValidationLevel::SecurityWarning => Severity::Medium,
        ValidationLevel::Warning => Severity::Low,
        ValidationLevel::Suggestion => Severity::Info,
    }
}

/// Reads a policy file with positions; `Err` is a report error (the file is skipped).
fn load(path: &Path, sources: &mut SourceMap) -> Result<Loaded, ScanError> {
    let label: Arc<str> = path.display().to_string().into();
    let text = std::fs::read_to_string(path)
        .map_err(|e| ScanError::new(&*label, format!("cannot read: {e}")))?;
    let doc = document::parse_as(DocFormat::Json, label.clone(), &text, &Limits::default())
        .map_err(|e| ScanError::new(&*label, e.to_string()))?;
    let json = serde_json::from_str(&text).map_err(|e| ScanError::new(&*label, e.to_string()))?;
    sources.insert(Arc::new(SourceFile::new(label.clone(), text)));
    Ok(Loaded {
        label,
        root: doc.root,
        json,
    })
}

/// The origin of the deepest node on `pointer` (the pointer itself, else its nearest ancestor).
fn origin_at(l: &Loaded, pointer: &str) -> Origin {
    let mut p = pointer;
    loop {
        if let Some(n) = l.root.find_path(p) {
            return n.origin.clone();
        }
        match p.rfind('/') {
            Some(i) if !p.is_empty() => p = &p[..i],
            _ => break,
        }
    }
    Origin::new(l.label.clone(), Span::new(0, 0), "")
}

fn policy_of(l: &Loaded) -> anyhow::Result<Policy> {
    Policy::parse(&l.json).with_context(|| format!("invalid policy {}", l.label))
}

fn finding(
    rule: (&'static str, &'static str),
    sev: Severity,
    message: String,
    origin: Origin,
    help: &str,
) -> Finding {
    Finding {
        rule: rule.0,
        name: rule.1,
        category: Category::Iam,
        severity: sev,
        confidence: Confidence::High,
        message,
        origin,
        resource: None,
        help: help.to_owned(),
        related: Vec::new(),
        flow: Vec::new(),
        fingerprint: String::new(),
    }
}

/// Rule metadata for the two codes that only `iam analyze` reports.
fn local_rules() -> Vec<RuleInfo> {
    let info = |code, name, summary: &str| RuleInfo {
        code,
        name,
        category: Category::Iam,
        severity: Severity::Medium,
        confidence: Confidence::High,
        summary: summary.to_owned(),
        doc: summary.to_owned(),
        cwe: &[],
        owasp: &["SAS-4"],
        security_hub: &[],
    };
    vec![
        info(
            VALIDATION_CODE,
            "policy-validation",
            "Policy validation in the spirit of IAM Access Analyzer: errors, security warnings, warnings and suggestions.",
        ),
        info(
            RESOURCE_POLICY_CODE,
            "resource-policy-exposure",
            "A resource policy open to everyone, to another account, or to a service without a source condition.",
        ),
    ]
}

/// Runs `warden iam analyze`.
pub fn run(a: AnalyzeArgs) -> anyhow::Result<u8> {
    let started = std::time::Instant::now();
    let format: Format = a.format.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let fail_on = match a.fail_on.as_str() {
        "none" | "never" => None,
        s => Some(s.parse::<Severity>().map_err(anyhow::Error::msg)?),
    };
    if a.policies.is_empty() && a.resource_policies.is_empty() {
        bail!("give at least one identity policy file (or --resource-policy FILE)");
    }
    let mut sources = SourceMap::new();
    let mut errors = Vec::new();
    let mut findings = Vec::new();
    let rules = warden_rules::rule_infos();
    let rule_of = |kind: FindingKind| -> (&'static str, &'static str) {
        rule_name(kind)
            .and_then(|n| rules.iter().find(|r| r.name == n))
            .map_or((RESOURCE_POLICY_CODE, kind.as_str()), |r| (r.code, r.name))
    };

    // Identity policies: validation per file, then one analysis of the principal.
    let mut loaded = Vec::new();
    let mut identity = Vec::new();
    for p in &a.policies {
        let l = match load(p, &mut sources) {
            Ok(l) => l,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for v in warden_iam::validate_policy(&l.json) {
            findings.push(finding(
                (VALIDATION_CODE, v.kind),
                validation_severity(v.level),
                v.message.clone(),
                origin_at(&l, &v.path),
                "fix the policy so that it means what it says",
            ));
        }
        match Policy::parse(&l.json) {
            Ok(pol) => {
                identity.push(pol);
                loaded.push(l);
            }
            // Already reported by validation as `invalid-policy`.
            Err(_) => continue,
        }
    }
    let gate = |p: &Path, sources: &mut SourceMap| -> anyhow::Result<Policy> {
        let l = load(p, sources).map_err(|e| anyhow::anyhow!("{}: {}", e.file, e.message))?;
        policy_of(&l)
    };
    let boundary = match &a.boundary {
        Some(p) => Some(gate(p, &mut sources)?),
        None => None,
    };
    let scps = a
        .scps
        .iter()
        .enumerate()
        .map(|(i, p)| {
            Ok(OrgLevel {
                org_identifier: format!("level-{i}"),
                policies: vec![gate(p, &mut sources)?],
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let principal = PrincipalPolicies {
        identity,
        boundary,
        scps,
    };
    let analysis = warden_iam::analyze_principal(&principal);
    for f in &analysis.findings {
        let (Some(l), Some(pol)) = (
            loaded.get(f.policy_index),
            principal.identity.get(f.policy_index),
        ) else {
            continue;
        };
        let origin = origin_at(l, &pol.statement_pointer(f.statement_index));
        findings.push(finding(
            rule_of(f.kind),
            severity(f.severity),
            f.message.clone(),
            origin,
            help(f.kind),
        ));
    }

    // Resource policies.
    for p in &a.resource_policies {
        let l = match load(p, &mut sources) {
            Ok(l) => l,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let pol = match Policy::parse(&l.json) {
            Ok(pol) => pol,
            Err(e) => {
                errors.push(ScanError::new(&*l.label, e.to_string()));
                continue;
            }
        };
        for f in warden_iam::analyze_resource_policy(&pol, a.account.as_deref()) {
            findings.push(finding(
                rule_of(f.kind),
                severity(f.severity),
                f.message.clone(),
                origin_at(&l, &pol.statement_pointer(f.statement_index)),
                help(f.kind),
            ));
        }
    }

    findings.sort_by(|x, y| {
        (
            &x.origin.file,
            x.origin.span.start,
            x.rule,
            &x.message,
            x.origin.span.end,
        )
            .cmp(&(
                &y.origin.file,
                y.origin.span.start,
                y.rule,
                &y.message,
                y.origin.span.end,
            ))
    });
    findings.dedup_by(|x, y| x.rule == y.rule && x.origin == y.origin && x.message == y.message);
    warden_rules::fingerprint::assign(&mut findings, &sources);
    let report = Report {
        findings,
        errors,
        stats: Stats {
            files_scanned: sources.len() as u64,
            apps: 0,
            functions: 0,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        },
    };
    let color = match a.color.as_str() {
        "always" => true,
        "never" => false,
        _ => {
            a.output.is_none()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let options = RenderOptions::new(env!("CARGO_PKG_VERSION")).with_color(color);
    let mut all_rules = rules.clone();
    all_rules.extend(local_rules());
    let rendered =
        warden_render::render_to_string(format, &report, &sources, &all_rules, &options)?;
    match &a.output {
        Some(path) => std::fs::write(path, rendered)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(rendered.as_bytes())?;
            stdout.flush()?;
        }
    }
    if !a.quiet && !principal.identity.is_empty() {
        let by_service = analysis.by_service();
        let top: Vec<String> = by_service
            .iter()
            .map(|(svc, levels)| (svc, levels.values().map(Vec::len).sum::<usize>()))
            .filter(|(_, n)| *n > 0)
            .take(6)
            .map(|(svc, n)| format!("{svc} {n}"))
            .collect();
        eprintln!(
            "effective actions: {} across {} service(s){}{}",
            analysis.actions.len(),
            by_service.len(),
            if top.is_empty() { "" } else { ": " },
            top.join(", ")
                + if by_service.len() > top.len() {
                    ", …"
                } else {
                    ""
                }
        );
    }
    let failing = fail_on.is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    Ok(if failing { FINDINGS } else { CLEAN })
}
