//! OSV range semantics: whether an installed version is affected by an advisory, and the nearest
//! fixed version. Events are sorted by version under the ecosystem's order (`introduced: "0"`
//! first), then walked: `introduced` at or below the version sets affected, `fixed` at or below
//! clears it, `last_affected` strictly below clears it; `limit` events bound the range
//! (exclusive). An explicit `versions` list matches too. `GIT` ranges never reach this module.

use crate::advisory::{Event, StoredAdvisory, StoredRange};
use crate::ecosystem::Ecosystem;
use crate::version::Version;
use std::cmp::Ordering;

/// The outcome of matching one advisory.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The smallest fixed version above the installed one, if the advisory names one.
    pub nearest_fixed: Option<String>,
}

/// What matching one advisory against one version found.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The version is affected.
    Affected(Match),
    /// The version is not affected.
    NotAffected,
    /// A range could not be evaluated (an event or the installed version does not parse) and
    /// nothing else matched.
    Unknown,
}

struct Parsed {
    order: u8,
    version: Option<Version>,
    event: Event,
}

fn event_text(e: &Event) -> &str {
    match e {
        Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
    }
}

/// Evaluates one range; `None` when an event does not parse.
fn in_range(eco: Ecosystem, range: &StoredRange, v: &Version) -> Option<bool> {
    let mut events = Vec::with_capacity(range.events.len());
    let mut limits = Vec::new();
    for e in &range.events {
        let text = event_text(e).trim();
        let order = match e {
            Event::Introduced(_) => 0,
            Event::Fixed(_) | Event::LastAffected(_) => 1,
            Event::Limit(_) => 2,
        };
        if let Event::Limit(_) = e {
            if text != "*" {
                limits.push(Version::parse(eco, text)?);
            }
            continue;
        }
        let version = if matches!(e, Event::Introduced(_)) && text == "0" {
            None
        } else {
            Some(Version::parse(eco, text)?)
        };
        events.push(Parsed {
            order,
            version,
            event: e.clone(),
        });
    }
    events.sort_by(|a, b| {
        let by_version = match (&a.version, &b.version) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => x.compare(y).unwrap_or(Ordering::Equal),
        };
        by_version.then(a.order.cmp(&b.order))
    });
    let mut affected = false;
    for p in &events {
        let cmp = match &p.version {
            None => Ordering::Greater,
            Some(ev) => v.compare(ev)?,
        };
        match p.event {
            Event::Introduced(_) if cmp != Ordering::Less => affected = true,
            Event::Fixed(_) if cmp != Ordering::Less => affected = false,
            Event::LastAffected(_) if cmp == Ordering::Greater => affected = false,
            _ => {}
        }
    }
    if affected && !limits.is_empty() {
        affected = limits.iter().any(|l| v.compare(l) == Some(Ordering::Less));
    }
    Some(affected)
}

/// Whether a listed version equals the installed one (textually, or under the ecosystem order).
fn listed(eco: Ecosystem, adv: &StoredAdvisory, raw: &str, v: Option<&Version>) -> bool {
    let raw = raw.trim();
    adv.versions.iter().any(|l| {
        l.trim() == raw
            || v.is_some_and(|v| {
                Version::parse(eco, l).is_some_and(|lv| lv.compare(v) == Some(Ordering::Equal))
            })
    })
}

/// The smallest `fixed` above `v` over all ranges.
fn nearest_fixed(eco: Ecosystem, adv: &StoredAdvisory, v: Option<&Version>) -> Option<String> {
    let v = v?;
    let mut best: Option<(Version, &str)> = None;
    for r in &adv.ranges {
        for e in &r.events {
            if let Event::Fixed(text) = e {
                let Some(fv) = Version::parse(eco, text) else {
                    continue;
                };
                if fv.compare(v) != Some(Ordering::Greater) {
                    continue;
                }
                let better = match &best {
                    None => true,
                    Some((b, _)) => fv.compare(b) == Some(Ordering::Less),
                };
                if better {
                    best = Some((fv, text.trim()));
                }
            }
        }
    }
    best.map(|(_, t)| t.to_string())
}

/// Matches an installed version (raw text and, when it parses, its parsed form) against one
/// advisory of the same ecosystem.
pub fn match_advisory(
    eco: Ecosystem,
    adv: &StoredAdvisory,
    raw: &str,
    v: Option<&Version>,
) -> Outcome {
    let mut unknown = false;
    let mut hit = listed(eco, adv, raw, v);
    if !hit {
        for r in &adv.ranges {
            match v.and_then(|v| in_range(eco, r, v)) {
                Some(true) => {
                    hit = true;
                    break;
                }
                Some(false) => {}
                None => unknown = true,
            }
        }
    }
    if hit {
        Outcome::Affected(Match {
            nearest_fixed: nearest_fixed(eco, adv, v),
        })
    } else if unknown {
        Outcome::Unknown
    } else {
        Outcome::NotAffected
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adv(ranges: Vec<Vec<Event>>, versions: &[&str]) -> StoredAdvisory {
        StoredAdvisory {
            id: "TEST-1".into(),
            aliases: vec![],
            summary: String::new(),
            modified: String::new(),
            cvss: None,
            ranges: ranges
                .into_iter()
                .map(|events| StoredRange {
                    semver: true,
                    events,
                })
                .collect(),
            versions: versions.iter().map(|s| s.to_string()).collect(),
            git_ranges: 0,
        }
    }
    use Event::*;
    fn s(x: &str) -> String {
        x.to_string()
    }
    fn check(eco: Ecosystem, a: &StoredAdvisory, version: &str) -> Outcome {
        match_advisory(eco, a, version, Version::parse(eco, version).as_ref())
    }
    fn fixed_of(o: Outcome) -> Option<String> {
        match o {
            Outcome::Affected(m) => m.nearest_fixed,
            other => panic!("not affected: {other:?}"),
        }
    }

    #[test]
    fn introduced_fixed_pairs_out_of_order() {
        // Two disjoint ranges in one range object, events shuffled.
        let a = adv(
            vec![vec![
                Fixed(s("1.5.0")),
                Introduced(s("2.0.0")),
                Introduced(s("0")),
                Fixed(s("2.3.1")),
            ]],
            &[],
        );
        let e = Ecosystem::Npm;
        assert_eq!(fixed_of(check(e, &a, "1.0.0")), Some(s("1.5.0")));
        assert_eq!(check(e, &a, "1.5.0"), Outcome::NotAffected);
        assert_eq!(check(e, &a, "1.9.9"), Outcome::NotAffected);
        assert_eq!(fixed_of(check(e, &a, "2.0.0")), Some(s("2.3.1")));
        assert_eq!(check(e, &a, "2.3.1"), Outcome::NotAffected);
        // A prerelease of the fix is still affected.
        assert_eq!(fixed_of(check(e, &a, "2.3.1-rc.1")), Some(s("2.3.1")));
    }

    #[test]
    fn last_affected_is_inclusive() {
        let a = adv(
            vec![vec![Introduced(s("1.0")), LastAffected(s("1.4"))]],
            &[],
        );
        let e = Ecosystem::PyPI;
        assert_eq!(check(e, &a, "0.9"), Outcome::NotAffected);
        assert_eq!(fixed_of(check(e, &a, "1.4")), None);
        assert_eq!(fixed_of(check(e, &a, "1.4.0")), None);
        assert_eq!(check(e, &a, "1.4.post1"), Outcome::NotAffected);
    }

    #[test]
    fn limit_bounds_the_range() {
        let a = adv(vec![vec![Introduced(s("0")), Limit(s("2.0.0"))]], &[]);
        let e = Ecosystem::CratesIo;
        assert!(matches!(check(e, &a, "1.9.0"), Outcome::Affected(_)));
        assert_eq!(check(e, &a, "2.0.0"), Outcome::NotAffected);
        let star = adv(vec![vec![Introduced(s("1.0.0")), Limit(s("*"))]], &[]);
        assert!(matches!(check(e, &star, "9.0.0"), Outcome::Affected(_)));
    }

    #[test]
    fn versions_list_matches_even_without_ranges() {
        let a = adv(vec![], &["1.0", "1.1"]);
        assert!(matches!(
            check(Ecosystem::PyPI, &a, "1.0.0"),
            Outcome::Affected(_)
        ));
        assert_eq!(check(Ecosystem::PyPI, &a, "1.2"), Outcome::NotAffected);
    }

    #[test]
    fn unparseable_events_are_unknown_not_silently_clean() {
        let a = adv(
            vec![vec![Introduced(s("0")), Fixed(s("not a version"))]],
            &[],
        );
        assert_eq!(check(Ecosystem::PyPI, &a, "1.0"), Outcome::Unknown);
        let b = adv(vec![vec![Introduced(s("0")), Fixed(s("2.0"))]], &[]);
        assert_eq!(check(Ecosystem::PyPI, &b, "garbage"), Outcome::Unknown);
    }

    #[test]
    fn go_pseudo_versions_in_range() {
        let a = adv(
            vec![vec![
                Introduced(s("0")),
                Fixed(s("0.0.0-20210520170846-37e1c6afe023")),
            ]],
            &[],
        );
        let e = Ecosystem::Go;
        assert!(matches!(
            check(e, &a, "v0.0.0-20200101000000-abcdefabcdef"),
            Outcome::Affected(_)
        ));
        assert_eq!(
            check(e, &a, "v0.0.0-20220101000000-abcdefabcdef"),
            Outcome::NotAffected
        );
        assert_eq!(check(e, &a, "v0.1.0"), Outcome::NotAffected);
    }

    #[test]
    fn maven_qualifiers_in_range() {
        let a = adv(
            vec![vec![Introduced(s("2.0.0")), Fixed(s("2.9.10.8"))]],
            &[],
        );
        let e = Ecosystem::Maven;
        assert!(matches!(check(e, &a, "2.9.10.7"), Outcome::Affected(_)));
        assert!(matches!(check(e, &a, "2.0.0-rc1"), Outcome::NotAffected));
        assert!(matches!(
            check(e, &a, "2.9.10.8-SNAPSHOT"),
            Outcome::Affected(_)
        ));
        assert_eq!(check(e, &a, "2.12.0"), Outcome::NotAffected);
    }
}
