//! Builds an index from a source: reads every document, parses and converts records in
//! parallel, drops withdrawn records, skips (and counts) `GIT` ranges and unsupported
//! ecosystems, merges the affected entries of one record for one package, and lays the result
//! out as [`super::format`] describes.

use super::format::{Header, Slot, SourceStats};
use crate::advisory::{Event, StoredAdvisory, StoredRange, summary_line};
use crate::ecosystem::Ecosystem;
use crate::error::DbError;
use crate::osv::model::{OsvEvent, OsvRecord};
use crate::osv::read::{RawDoc, data_files, parse_doc, read_file};
use crate::severity;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// How many error messages a source keeps.
const KEEP_ERRORS: usize = 20;

#[derive(Default)]
struct Converted {
    withdrawn: bool,
    modified: Option<String>,
    other_ecosystems: u64,
    git_ranges: u64,
    ecosystems: Vec<Ecosystem>,
    entries: Vec<(Ecosystem, String, StoredAdvisory)>,
}

fn events(list: &[OsvEvent]) -> Vec<Event> {
    let mut out = Vec::with_capacity(list.len());
    for e in list {
        if let Some(v) = &e.introduced {
            out.push(Event::Introduced(v.clone()));
        }
        if let Some(v) = &e.fixed {
            out.push(Event::Fixed(v.clone()));
        }
        if let Some(v) = &e.last_affected {
            out.push(Event::LastAffected(v.clone()));
        }
        if let Some(v) = &e.limit {
            out.push(Event::Limit(v.clone()));
        }
    }
    out
}

fn convert(rec: OsvRecord) -> Converted {
    let mut c = Converted {
        modified: rec.modified.clone(),
        ..Default::default()
    };
    if rec
        .withdrawn
        .as_deref()
        .is_some_and(|w| !w.trim().is_empty())
    {
        c.withdrawn = true;
        return c;
    }
    let record_cvss = severity::pick(
        rec.severity
            .iter()
            .map(|s| (s.kind.as_str(), s.score.as_str())),
    );
    let summary = summary_line(rec.summary.as_deref(), rec.details.as_deref());
    let mut aliases: Vec<String> = rec
        .aliases
        .iter()
        .filter(|a| **a != rec.id)
        .cloned()
        .collect();
    aliases.sort();
    aliases.dedup();
    for aff in &rec.affected {
        let Some(pkg) = &aff.package else { continue };
        let Some(eco) = Ecosystem::from_osv(&pkg.ecosystem) else {
            c.other_ecosystems += 1;
            continue;
        };
        let mut ranges = Vec::new();
        let mut git = 0u32;
        for r in &aff.ranges {
            match r.kind.as_str() {
                "SEMVER" => ranges.push(StoredRange {
                    semver: true,
                    events: events(&r.events),
                }),
                "ECOSYSTEM" => ranges.push(StoredRange {
                    semver: false,
                    events: events(&r.events),
                }),
                _ => git += 1,
            }
        }
        c.git_ranges += u64::from(git);
        let cvss = severity::pick(
            aff.severity
                .iter()
                .map(|s| (s.kind.as_str(), s.score.as_str())),
        )
        .or_else(|| record_cvss.clone());
        if !c.ecosystems.contains(&eco) {
            c.ecosystems.push(eco);
        }
        c.entries.push((
            eco,
            eco.normalize_name(&pkg.name),
            StoredAdvisory {
                id: rec.id.clone(),
                aliases: aliases.clone(),
                summary: summary.clone(),
                modified: rec.modified.clone().unwrap_or_default(),
                cvss,
                ranges,
                versions: aff.versions.clone(),
                git_ranges: git,
            },
        ));
    }
    c
}

/// Builds the header and blob of the index of `source` (canonical path).
pub fn build(source: &Path, fingerprint: String) -> Result<(Header, Vec<u8>), DbError> {
    let files = data_files(source).map_err(|e| DbError::Source {
        path: source.to_path_buf(),
        source: e,
    })?;
    let mut docs: Vec<RawDoc> = Vec::new();
    let mut errors = Vec::new();
    for f in &files {
        if let Err(e) = read_file(f, &mut docs, &mut errors) {
            errors.push(format!("{}: {e}", f.display()));
        }
    }
    let converted: Vec<Result<Vec<Converted>, String>> = docs
        .par_iter()
        .map(|d| {
            parse_doc(d)
                .map(|recs| recs.into_iter().map(convert).collect())
                .map_err(|e| format!("{}: {e}", d.origin))
        })
        .collect();
    drop(docs);

    let mut stats = SourceStats::default();
    let mut per_eco: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut map: BTreeMap<(u8, String), Vec<StoredAdvisory>> = BTreeMap::new();
    for result in converted {
        let recs = match result {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for c in recs {
            stats.records += 1;
            if let Some(m) = &c.modified {
                if stats.newest_modified.as_ref().is_none_or(|n| m > n) {
                    stats.newest_modified = Some(m.clone());
                }
            }
            if c.withdrawn {
                stats.withdrawn += 1;
                continue;
            }
            stats.other_ecosystems += c.other_ecosystems;
            stats.git_ranges += c.git_ranges;
            for e in &c.ecosystems {
                *per_eco.entry(e.osv_name()).or_default() += 1;
            }
            for (eco, name, adv) in c.entries {
                let list = map.entry((eco.tag(), name)).or_default();
                match list.iter_mut().find(|a| a.id == adv.id) {
                    // Several affected entries of one record for one package: one advisory.
                    Some(existing) => {
                        existing.ranges.extend(adv.ranges);
                        existing.versions.extend(adv.versions);
                        existing.git_ranges += adv.git_ranges;
                        if existing.cvss.is_none() {
                            existing.cvss = adv.cvss;
                        }
                    }
                    None => list.push(adv),
                }
            }
        }
    }
    stats.error_count = errors.len() as u64;
    errors.truncate(KEEP_ERRORS);
    stats.errors = errors;
    stats.per_ecosystem = per_eco
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();

    let mut blob = Vec::new();
    let mut slots = Vec::with_capacity(map.len());
    for ((eco, name), mut advs) in map {
        advs.sort_by(|a, b| a.id.cmp(&b.id));
        let bytes = postcard::to_allocvec(&advs).map_err(|e| DbError::Encode(e.to_string()))?;
        let offset = u32::try_from(blob.len())
            .map_err(|_| DbError::Encode("index larger than 4 GiB".into()))?;
        let len = u32::try_from(bytes.len())
            .map_err(|_| DbError::Encode("record larger than 4 GiB".into()))?;
        blob.extend_from_slice(&bytes);
        slots.push(Slot {
            eco,
            name,
            offset,
            len,
        });
    }
    let built_unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let header = Header {
        source: source.display().to_string(),
        fingerprint,
        built_unix,
        stats,
        slots,
    };
    Ok((header, blob))
}
