//! What every emitter renders: the report's findings sorted and located, secrets masked, errors
//! sorted, rule metadata sorted by code.

use crate::location::Location;
use crate::mask;
use crate::options::RenderOptions;
use std::cmp::Ordering;
use warden_model::{Category, Finding, Report, RuleInfo, ScanError, Stats};
use warden_source::{Position, SourceMap};

/// A report prepared for rendering. Emitters only read it.
#[derive(Debug)]
pub struct Context<'a> {
    /// Sorted by file, line, column, rule, message.
    pub findings: Vec<FindingView<'a>>,
    /// Sorted by file, message.
    pub errors: Vec<&'a ScanError>,
    pub stats: &'a Stats,
    /// Sorted by code.
    pub rules: Vec<&'a RuleInfo>,
    pub options: &'a RenderOptions,
}

/// One finding, located, with its free text scrubbed of the secret it is about.
#[derive(Debug)]
pub struct FindingView<'a> {
    pub finding: &'a Finding,
    pub location: Location<'a>,
    pub message: String,
    pub help: String,
    pub related: Vec<RelatedView<'a>>,
    /// The steps of the finding's data flow, source to sink (empty when it has none).
    pub flow: Vec<RelatedView<'a>>,
    /// The secret under the span (only for category `secret`): excerpts show its mask instead.
    pub secret: Option<&'a str>,
    /// Byte ranges of every secret found in the same file, with their masks: an excerpt that
    /// shows one of them (a neighbouring line, a wide span) shows the mask instead.
    pub file_secrets: Vec<(usize, usize, String)>,
}

/// A related location of a finding.
#[derive(Debug)]
pub struct RelatedView<'a> {
    pub location: Location<'a>,
    pub message: String,
}

impl<'a> Context<'a> {
    /// Locates, masks and sorts everything in `report`.
    pub fn new(
        report: &'a Report,
        sources: &'a SourceMap,
        rules: &'a [RuleInfo],
        options: &'a RenderOptions,
    ) -> Self {
        let mut secrets: std::collections::HashMap<&str, Vec<(usize, usize, String)>> =
            std::collections::HashMap::new();
        for f in report
            .findings
            .iter()
            .filter(|f| f.category == Category::Secret)
        {
            let loc = Location::resolve(&f.origin, sources);
            if let Some(text) = loc.text() {
                secrets.entry(&*f.origin.file).or_default().push((
                    f.origin.span.start as usize,
                    f.origin.span.end as usize,
                    mask::mask(text),
                ));
            }
        }
        for list in secrets.values_mut() {
            list.sort();
            list.dedup();
        }
        let mut findings: Vec<FindingView<'a>> = report
            .findings
            .iter()
            .map(|f| {
                let mut view = FindingView::new(f, sources);
                view.file_secrets = secrets.get(&*f.origin.file).cloned().unwrap_or_default();
                view
            })
            .collect();
        findings.sort_by(FindingView::order);
        let mut errors: Vec<&ScanError> = report.errors.iter().collect();
        errors.sort();
        let mut rules: Vec<&RuleInfo> = rules.iter().collect();
        rules.sort_by(|a, b| a.code.cmp(b.code));
        rules.dedup_by(|a, b| a.code == b.code);
        Self {
            findings,
            errors,
            stats: &report.stats,
            rules,
            options,
        }
    }
}

impl<'a> FindingView<'a> {
    fn new(finding: &'a Finding, sources: &'a SourceMap) -> Self {
        let location = Location::resolve(&finding.origin, sources);
        let secret = (finding.category == Category::Secret)
            .then(|| location.text())
            .flatten();
        let clean = |text: &str| match secret {
            Some(value) => mask::scrub(text, value),
            None => text.to_owned(),
        };
        let related = finding
            .related
            .iter()
            .map(|r| RelatedView {
                location: Location::resolve(&r.origin, sources),
                message: clean(&r.message),
            })
            .collect();
        let flow = finding
            .flow
            .iter()
            .map(|r| RelatedView {
                location: Location::resolve(&r.origin, sources),
                message: clean(&r.message),
            })
            .collect();
        Self {
            finding,
            message: clean(&finding.message),
            help: clean(&finding.help),
            related,
            flow,
            secret,
            location,
            file_secrets: Vec::new(),
        }
    }

    /// File, line, column, rule, message; then the rest, so equal keys still sort the same way.
    fn order(a: &Self, b: &Self) -> Ordering {
        a.sort_key().cmp(&b.sort_key())
    }

    #[allow(clippy::type_complexity)]
    fn sort_key(&self) -> (&str, Position, &str, &str, Position, &str) {
        (
            self.location.file,
            self.location.start,
            self.finding.rule,
            &self.message,
            self.location.end,
            &self.finding.fingerprint,
        )
    }

    /// The text of the span as excerpts show it: the mask for a secret, else the text itself.
    pub fn shown_text(&self) -> Option<String> {
        match self.secret {
            Some(secret) => Some(mask::mask(secret)),
            None => self.location.text().map(str::to_owned),
        }
    }
}
