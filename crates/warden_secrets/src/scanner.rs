//! The scanner: compiled detectors plus options, and the two entry points
//! ([`Scanner::scan_text`] for files, [`Scanner::classify_value`] for configuration values).

use std::path::Path;

use regex::bytes::Regex;

use crate::allowlist::{FileKind, file_kind, line_allowed};
use crate::assign::assignment_at;
use crate::detectors::shapes::{Hit, check};
use crate::detectors::{SHAPES, named};
use crate::error::Error;
use crate::position::{column, end_position};
use crate::prefilter::{Candidate, GENERIC_BIT, Prefilter};
use crate::redact::redact_bytes;
use crate::secret_match::{Confidence, SecretMatch};
use crate::values::is_reference;

/// How many leading bytes are inspected for NUL to decide that content is binary.
const BINARY_PROBE: usize = 8 * 1024;

/// Scanner options.
#[derive(Debug, Clone)]
pub struct Options {
    /// Extra allowlist regexes; a match whose secret text matches one of them is dropped
    /// (for a project's own known test keys).
    pub allow: Vec<String>,
    /// Matches below this confidence are dropped.
    pub min_confidence: Confidence,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            allow: Vec::new(),
            min_confidence: Confidence::Low,
        }
    }
}

/// A compiled secret scanner. Build once, share freely (it is `Send + Sync`).
pub struct Scanner {
    prefilter: Prefilter,
    /// Per shape detector, its compiled regexes and whether each has a `s` (secret) group.
    regexes: Vec<Vec<(Regex, bool)>>,
    allow: Vec<Regex>,
    min_confidence: Confidence,
}

/// A match before positions and redaction are computed.
struct Found {
    detector: &'static str,
    description: &'static str,
    confidence: Confidence,
    key: Option<String>,
    start: usize,
    end: usize,
    line: u32,
    line_start: usize,
    priority: usize,
}

impl Scanner {
    /// Compiles the detectors with `options`.
    pub fn new(options: Options) -> Result<Self, Error> {
        let prefilter = Prefilter::new(SHAPES)?;
        let mut regexes = Vec::with_capacity(SHAPES.len());
        for shape in SHAPES {
            let compiled = shape
                .patterns
                .iter()
                .map(|p| {
                    let re = Regex::new(p).map_err(|e| Error::Builtin {
                        detector: shape.id,
                        source: Box::new(e),
                    })?;
                    let grouped = re.capture_names().flatten().any(|n| n == "s");
                    Ok::<_, Error>((re, grouped))
                })
                .collect::<Result<Vec<_>, _>>()?;
            regexes.push(compiled);
        }
        let allow = options
            .allow
            .iter()
            .map(|p| {
                Regex::new(p).map_err(|e| Error::AllowPattern {
                    pattern: p.clone(),
                    source: Box::new(e),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            prefilter,
            regexes,
            allow,
            min_confidence: options.min_confidence,
        })
    }

    /// Scans a file's content. Binary content (a NUL byte in the first 8 KiB) yields nothing.
    /// `path` decides the file kind: lockfiles get known-format detectors only; in code,
    /// markup and JSON a name-based match needs a quoted literal.
    pub fn scan_text(&self, path: &Path, bytes: &[u8]) -> Vec<SecretMatch> {
        if memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE)]).is_some() {
            return Vec::new();
        }
        self.scan(bytes, file_kind(path), false)
    }

    /// Judges one configuration value (an environment variable, a template property, a
    /// parameter default) by its key `name` and its shape. Returns the strongest match, with
    /// offsets, line and columns relative to `value`.
    pub fn classify_value(&self, name: Option<&str>, value: &str) -> Option<SecretMatch> {
        let trimmed = value.trim();
        if trimmed.is_empty() || is_reference(trimmed) {
            return None;
        }
        let kind = FileKind {
            generic: true,
            unquoted: true,
        };
        let found = self.scan(value.as_bytes(), kind, true);
        if let Some(best) = found
            .into_iter()
            .max_by(|a, b| a.confidence.cmp(&b.confidence).then(b.start.cmp(&a.start)))
        {
            return Some(best);
        }
        let hit = named::classify(name?, value, true)?;
        let f = Found {
            detector: hit.info.id,
            description: hit.info.description,
            confidence: hit.confidence,
            key: name.map(str::to_owned),
            start: hit.offset,
            end: hit.offset + hit.len,
            line: 1,
            line_start: 0,
            priority: 0,
        };
        let mut out = self.finish(value.as_bytes(), vec![f]);
        out.pop()
    }

    fn scan(&self, text: &[u8], kind: FileKind, report_weak: bool) -> Vec<SecretMatch> {
        let mut found = Vec::new();
        let all = self.prefilter.candidates(text);
        for cand in &all.lines {
            let before = found.len();
            let hits = &all.generic_hits[cand.hits.0..cand.hits.1];
            self.scan_line(text, cand, hits, kind, report_weak, &mut found);
            if found.len() > before {
                let line = &text[cand.start..cand.end];
                let previous = previous_line(text, cand.start);
                if line_allowed(line, previous) {
                    found.truncate(before);
                }
            }
        }
        self.finish(text, found)
    }

    fn scan_line(
        &self,
        text: &[u8],
        cand: &Candidate,
        generic_hits: &[usize],
        kind: FileKind,
        report_weak: bool,
        out: &mut Vec<Found>,
    ) {
        let line = &text[cand.start..cand.end];
        for (i, shape) in SHAPES.iter().enumerate() {
            if cand.mask & (1u64 << i) == 0 {
                continue;
            }
            let window_end = cand.end.saturating_add(shape.window).min(text.len());
            let window = &text[cand.start..window_end];
            for (re, grouped) in &self.regexes[i] {
                // `find_at` runs on the lazy DFA; captures (slower) only for a match that has a
                // secret group.
                let mut at = 0;
                while let Some(m) = re.find_at(window, at) {
                    if m.start() >= line.len() {
                        break;
                    }
                    at = m.end().max(m.start() + 1);
                    let s = if *grouped {
                        match re.captures_at(window, m.start()).and_then(|c| c.name("s")) {
                            Some(s) => (s.start(), s.end()),
                            None => continue,
                        }
                    } else {
                        (m.start(), m.end())
                    };
                    let hit = Hit {
                        text,
                        line,
                        start: cand.start + s.0,
                        end: cand.start + s.1,
                        match_start: cand.start + m.start(),
                        match_end: cand.start + m.end(),
                    };
                    if let Some((end, confidence)) = check(shape, &hit) {
                        out.push(Found {
                            detector: shape.id,
                            description: shape.description,
                            confidence,
                            key: None,
                            start: hit.start,
                            end,
                            line: cand.line,
                            line_start: cand.start,
                            priority: i,
                        });
                    }
                }
            }
        }
        if kind.generic && cand.mask & (1u64 << GENERIC_BIT) != 0 {
            let mut last_name = None;
            for &hit in generic_hits {
                let Some(a) = assignment_at(line, hit - cand.start, kind.unquoted) else {
                    continue;
                };
                // Several keywords in one name (`api_key` hits `api_key` and `apikey` forms).
                if last_name == Some(a.name) {
                    continue;
                }
                last_name = Some(a.name);
                let (Ok(name), Ok(value)) = (
                    std::str::from_utf8(&line[a.name.0..a.name.1]),
                    std::str::from_utf8(&line[a.value.0..a.value.1]),
                ) else {
                    continue;
                };
                if let Some(hit) = named::classify(name, value, report_weak) {
                    let start = cand.start + a.value.0 + hit.offset;
                    out.push(Found {
                        detector: hit.info.id,
                        description: hit.info.description,
                        confidence: hit.confidence,
                        key: Some(name.to_owned()),
                        start,
                        end: start + hit.len,
                        line: cand.line,
                        line_start: cand.start,
                        priority: SHAPES.len() + named::rank(hit.info.id),
                    });
                }
            }
        }
    }

    /// Applies options, resolves overlaps (earlier detector wins), computes positions and
    /// redacts.
    fn finish(&self, text: &[u8], mut found: Vec<Found>) -> Vec<SecretMatch> {
        found.retain(|f| {
            f.confidence >= self.min_confidence
                && !self
                    .allow
                    .iter()
                    .any(|re| re.is_match(&text[f.start..f.end]))
        });
        found.sort_by(|a, b| a.start.cmp(&b.start).then(a.priority.cmp(&b.priority)));
        let mut kept: Vec<Found> = Vec::with_capacity(found.len());
        for f in found {
            match kept.last_mut() {
                Some(last) if f.start < last.end => {
                    if f.priority < last.priority {
                        *last = f;
                    }
                }
                _ => kept.push(f),
            }
        }
        kept.into_iter()
            .map(|f| {
                let (end_line, end_column) =
                    end_position(text, f.line, f.line_start, f.start, f.end);
                SecretMatch {
                    detector: f.detector,
                    description: f.description,
                    confidence: f.confidence,
                    key: f.key,
                    line: f.line,
                    column: column(text, f.line_start, f.start),
                    end_line,
                    end_column,
                    start: f.start,
                    end: f.end,
                    redacted: redact_bytes(&text[f.start..f.end]),
                }
            })
            .collect()
    }
}

/// The line before the one starting at `line_start`, if any.
fn previous_line(text: &[u8], line_start: usize) -> Option<&[u8]> {
    let end = line_start.checked_sub(1)?;
    let start = memchr::memrchr(b'\n', &text[..end]).map_or(0, |i| i + 1);
    Some(&text[start..end])
}
