//! The dependency audit: every package of every manifest matched against the database, records
//! that share an id or alias merged into one finding, severity from the CVSS score, the nearest
//! fixed version that fixes every merged record, and the unpinned-build records.

use crate::advisory::StoredAdvisory;
use crate::db::VulnDb;
use crate::ecosystem::Ecosystem;
use crate::manifest::{ManifestFile, ManifestFormat, UnpinnedDep};
use crate::matching::{Outcome, match_advisory};
use crate::severity::Severity;
use crate::version::Version;
use rayon::prelude::*;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

/// A vulnerable package.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepFinding {
    /// The manifest (relative path) that installs the package: attribute findings to functions
    /// through this path.
    pub manifest: PathBuf,
    /// The file holding `line`: the manifest itself, or a file it includes (`-r`).
    pub file: PathBuf,
    /// 1-based line of the package entry.
    pub line: u32,
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Package name as written in the manifest.
    pub package: String,
    /// Installed version.
    pub version: String,
    /// The advisory id reported (ecosystem database ids first, then GHSA, then CVE).
    pub advisory: String,
    /// Every other id of the same vulnerability, sorted.
    pub aliases: Vec<String>,
    /// One-line summary.
    pub summary: String,
    /// Severity from the CVSS score; `medium` when no record has a vector.
    pub severity: Severity,
    /// The highest CVSS base score among the merged records.
    pub cvss_score: Option<f64>,
    /// The vector that score comes from.
    pub cvss_vector: Option<String>,
    /// The smallest version above the installed one that fixes every merged record.
    pub fixed_version: Option<String>,
    /// Declared by the project (true) or pulled in transitively (false).
    pub direct: bool,
}

/// Why a manifest is reported as an unpinned build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnpinnedReason {
    /// A project manifest with dependencies and no lockfile (package.json, pyproject.toml).
    NoLockfile,
    /// A pinning manifest (requirements, pom.xml) with some specifiers that are not exact.
    UnpinnedSpecifiers,
}

/// A function package whose builds are not reproducible.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnpinnedManifest {
    /// The manifest (relative path).
    pub manifest: PathBuf,
    /// Line to point at: the first unpinned dependency, else 1.
    pub line: u32,
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Why.
    pub reason: UnpinnedReason,
    /// The dependencies without an exact version.
    pub unpinned: Vec<UnpinnedDep>,
}

/// A file the audit could not fully check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditError {
    /// Relative path.
    pub file: PathBuf,
    /// What went wrong.
    pub message: String,
}

/// The result of [`audit`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditReport {
    /// Vulnerable packages, sorted by file, line, package, advisory.
    pub findings: Vec<DepFinding>,
    /// Unpinned builds, sorted by manifest.
    pub unpinned: Vec<UnpinnedManifest>,
    /// Manifests that could not be parsed, versions that could not be compared.
    pub errors: Vec<AuditError>,
    /// `GIT` ranges in the advisories of the audited packages, which matching skips.
    pub skipped_git_ranges: u64,
    /// Package entries checked.
    pub packages_checked: usize,
}

fn id_rank(id: &str) -> u8 {
    if id.starts_with("CVE-") {
        2
    } else if id.starts_with("GHSA-") {
        1
    } else {
        0
    }
}

/// Groups matched advisories that share an id or alias (union-find over ids).
fn merge_groups(matched: &[(&StoredAdvisory, Option<String>)]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..matched.len()).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, (adv, _)) in matched.iter().enumerate() {
        for id in std::iter::once(&adv.id).chain(adv.aliases.iter()) {
            match owner.get(id.as_str()) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    owner.insert(id, i);
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..matched.len() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out: Vec<Vec<usize>> = groups.into_values().collect();
    out.sort();
    out
}

/// Audits every package of `manifests` against `db`.
pub fn audit(manifests: &[ManifestFile], db: &VulnDb) -> AuditReport {
    let mut report = AuditReport::default();
    // One lookup per distinct package.
    let keys: HashSet<(Ecosystem, String)> = manifests
        .iter()
        .flat_map(|m| {
            m.packages
                .iter()
                .map(move |p| (m.ecosystem, m.ecosystem.normalize_name(&p.name)))
        })
        .collect();
    let advisories: HashMap<(Ecosystem, String), Vec<StoredAdvisory>> = keys
        .into_par_iter()
        .map(|(eco, name)| {
            let advs = db.lookup(eco, &name);
            ((eco, name), advs)
        })
        .filter(|(_, a)| !a.is_empty())
        .collect();
    report.skipped_git_ranges = advisories
        .values()
        .flatten()
        .map(|a| u64::from(a.git_ranges))
        .sum();

    let per_manifest: Vec<(Vec<DepFinding>, Vec<AuditError>, usize)> = manifests
        .par_iter()
        .map(|m| audit_manifest(m, &advisories))
        .collect();
    for (findings, errors, checked) in per_manifest {
        report.findings.extend(findings);
        report.errors.extend(errors);
        report.packages_checked += checked;
    }
    for m in manifests {
        for e in &m.errors {
            report.errors.push(AuditError {
                file: m.path.clone(),
                message: e.clone(),
            });
        }
        let reason = if m.no_lockfile {
            Some(UnpinnedReason::NoLockfile)
        } else if !m.unpinned.is_empty() {
            Some(UnpinnedReason::UnpinnedSpecifiers)
        } else {
            None
        };
        if let Some(reason) = reason {
            let line = m
                .unpinned
                .iter()
                .find(|u| u.file.is_none())
                .map_or(1, |u| u.line);
            report.unpinned.push(UnpinnedManifest {
                manifest: m.path.clone(),
                line,
                ecosystem: m.ecosystem,
                reason,
                unpinned: m.unpinned.clone(),
            });
        }
    }
    report.findings.sort_by(|a, b| {
        (&a.file, a.line, &a.package, &a.advisory, &a.manifest).cmp(&(
            &b.file,
            b.line,
            &b.package,
            &b.advisory,
            &b.manifest,
        ))
    });
    report.findings.dedup();
    report.unpinned.sort_by(|a, b| a.manifest.cmp(&b.manifest));
    report
        .errors
        .sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
    report
}

fn audit_manifest(
    m: &ManifestFile,
    advisories: &HashMap<(Ecosystem, String), Vec<StoredAdvisory>>,
) -> (Vec<DepFinding>, Vec<AuditError>, usize) {
    let eco = m.ecosystem;
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for p in &m.packages {
        let Some(advs) = advisories.get(&(eco, eco.normalize_name(&p.name))) else {
            continue;
        };
        let parsed = Version::parse(eco, &p.version);
        let mut matched: Vec<(&StoredAdvisory, Option<String>)> = Vec::new();
        let mut unknown = false;
        for a in advs {
            match match_advisory(eco, a, &p.version, parsed.as_ref()) {
                Outcome::Affected(hit) => matched.push((a, hit.nearest_fixed)),
                Outcome::Unknown => unknown = true,
                Outcome::NotAffected => {}
            }
        }
        let file = p.file.clone().unwrap_or_else(|| m.path.clone());
        if unknown && parsed.is_none() {
            errors.push(AuditError {
                file: file.clone(),
                message: format!("line {}: version `{}` of {} is not a valid {eco} version; advisories not checked", p.line, p.version, p.name),
            });
        }
        for group in merge_groups(&matched) {
            findings.push(finding(m, p, &file, eco, &matched, &group));
        }
    }
    (findings, errors, m.packages.len())
}

fn finding(
    m: &ManifestFile,
    p: &crate::manifest::Package,
    file: &std::path::Path,
    eco: Ecosystem,
    matched: &[(&StoredAdvisory, Option<String>)],
    group: &[usize],
) -> DepFinding {
    let members: Vec<&(&StoredAdvisory, Option<String>)> =
        group.iter().filter_map(|&i| matched.get(i)).collect();
    let primary = members
        .iter()
        .map(|(a, _)| *a)
        .min_by(|a, b| (id_rank(&a.id), &a.id).cmp(&(id_rank(&b.id), &b.id)));
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for (a, _) in &members {
        ids.insert(a.id.clone());
        ids.extend(a.aliases.iter().cloned());
    }
    let advisory = primary.map(|a| a.id.clone()).unwrap_or_default();
    ids.remove(&advisory);
    let summary = primary
        .map(|a| a.summary.clone())
        .filter(|s| !s.is_empty())
        .or_else(|| {
            members
                .iter()
                .map(|(a, _)| a.summary.clone())
                .find(|s| !s.is_empty())
        })
        .unwrap_or_default();
    let cvss = members
        .iter()
        .filter_map(|(a, _)| a.cvss.as_ref())
        .max_by(|a, b| a.score.partial_cmp(&b.score).unwrap_or(Ordering::Equal));
    // The fix for the whole group is the highest of each record's nearest fix.
    let fixed_version = members
        .iter()
        .filter_map(|(_, f)| f.as_ref())
        .filter_map(|f| Version::parse(eco, f).map(|v| (v, f)))
        .max_by(|(a, _), (b, _)| a.compare(b).unwrap_or(Ordering::Equal))
        .map(|(_, f)| f.clone());
    DepFinding {
        manifest: m.path.clone(),
        file: file.to_path_buf(),
        line: p.line,
        ecosystem: eco,
        package: p.name.clone(),
        version: p.version.clone(),
        advisory,
        aliases: ids.into_iter().collect(),
        summary,
        severity: cvss.map_or(Severity::Medium, |c| Severity::from_score(c.score)),
        cvss_score: cvss.map(|c| c.score),
        cvss_vector: cvss.map(|c| c.vector.clone()),
        fixed_version,
        direct: p.direct,
    }
}

/// Whether a manifest format pins every transitive package (a lockfile or vendored tree).
pub fn is_lockfile(format: ManifestFormat) -> bool {
    !matches!(
        format,
        ManifestFormat::PackageJson | ManifestFormat::Pyproject | ManifestFormat::PomXml
    )
}
