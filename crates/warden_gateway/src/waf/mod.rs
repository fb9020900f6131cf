//! The web application firewall: decodes every inspectable value, then matches all rules at once
//! (Aho-Corasick prefilter, `RegexSet` scan: linear time), sums anomaly scores per request and
//! compares them to a threshold. IP allow/deny lists and the oversize-body action live here too.

pub mod decode;
pub mod extract;
pub mod ip;
pub mod rules;

use aho_corasick::AhoCorasick;
use extract::Location;
use regex::RegexSet;

/// Result of inspecting one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Sum of the scores of the distinct rules that matched.
    pub score: u32,
    /// Matched rules as `rule@location`.
    pub matches: Vec<String>,
    /// Families that matched.
    pub families: Vec<&'static str>,
}

impl Verdict {
    pub fn rules(&self) -> String {
        self.matches.join(",")
    }
}

/// Error building the WAF.
#[derive(Debug, thiserror::Error)]
#[error("WAF: {0}")]
pub struct WafError(String);

/// The compiled rule set.
pub struct Engine {
    set: RegexSet,
    rules: Vec<rules::Rule>,
    prefilter: AhoCorasick,
    /// The same triggers, ASCII case-insensitive (for plain raw values).
    prefilter_ci: AhoCorasick,
    max_inspect: usize,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("rules", &self.rules.len())
            .finish()
    }
}

/// What a request looks like to the WAF.
pub struct Inspectable<'a> {
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a http::HeaderMap,
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

struct Acc<'e> {
    engine: &'e Engine,
    hit: Vec<bool>,
    verdict: Verdict,
}

impl Acc<'_> {
    fn scan(&mut self, loc: Location, raw: &str) {
        if raw.is_empty() {
            return;
        }
        // Fast path, same verdict: on plain text (ASCII, nothing to decode, no whitespace or
        // control characters) normalisation only lowercases, so a case-insensitive prefilter on
        // the raw value answers without building the normalised copy.
        let cut = decode::truncate(raw, self.engine.max_inspect);
        if decode::is_plain(cut) && !self.engine.prefilter_ci.is_match(cut) {
            return;
        }
        let norm = decode::normalize(raw, self.engine.max_inspect);
        if !self.engine.prefilter.is_match(&norm) {
            return;
        }
        self.scan_normalized(loc, &norm);
        if let Some(stripped) = decode::strip_sql_comments(&norm) {
            self.scan_normalized(loc, &stripped);
        }
    }

    fn scan_normalized(&mut self, loc: Location, norm: &str) {
        self.scan_family(loc, norm, None);
    }

    fn scan_family(&mut self, loc: Location, norm: &str, only: Option<rules::Family>) {
        for idx in self.engine.set.matches(norm).iter() {
            if self.hit[idx] {
                continue;
            }
            let rule = &self.engine.rules[idx];
            if only.is_some_and(|f| f != rule.family) {
                continue;
            }
            self.hit[idx] = true;
            self.verdict.score += rule.score;
            self.verdict
                .matches
                .push(format!("{}@{}", rule.id, loc.as_str()));
            let fam = rule.family.as_str();
            if !self.verdict.families.contains(&fam) {
                self.verdict.families.push(fam);
            }
        }
    }
}

impl Engine {
    /// Compiles the rule table, minus disabled rule ids.
    pub fn new(max_inspect: usize, disabled: &[String]) -> Result<Self, WafError> {
        let rules: Vec<_> = rules::rules()
            .into_iter()
            .filter(|r| !disabled.iter().any(|d| d == r.id))
            .collect();
        for d in disabled {
            if !rules::rules().iter().any(|r| r.id == d) {
                return Err(WafError(format!("unknown rule id `{d}` in disabled_rules")));
            }
        }
        let set = regex::RegexSetBuilder::new(rules.iter().map(|r| r.pattern.as_str()))
            .size_limit(64 << 20)
            .dfa_size_limit(64 << 20)
            .build()
            .map_err(|e| WafError(e.to_string()))?;
        let prefilter = AhoCorasick::new(rules::TRIGGERS).map_err(|e| WafError(e.to_string()))?;
        let prefilter_ci = aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(rules::TRIGGERS)
            .map_err(|e| WafError(e.to_string()))?;
        Ok(Self {
            set,
            rules,
            prefilter,
            prefilter_ci,
            max_inspect: max_inspect.max(256),
        })
    }

    /// Rule ids, for documentation and tests.
    pub fn rule_ids(&self) -> Vec<&'static str> {
        self.rules.iter().map(|r| r.id).collect()
    }

    /// Inspects one value (as a query parameter would be).
    pub fn inspect_value(&self, value: &str) -> Verdict {
        let mut acc = self.acc();
        acc.scan(Location::Query, value);
        acc.verdict
    }

    fn acc(&self) -> Acc<'_> {
        Acc {
            engine: self,
            hit: vec![false; self.rules.len()],
            verdict: Verdict::default(),
        }
    }

    /// Inspects a whole request. The body must already be cut to the inspection size.
    pub fn inspect(&self, req: &Inspectable<'_>) -> Verdict {
        let mut acc = self.acc();
        acc.scan(Location::Path, req.path);
        if let Some(q) = req.query {
            for (k, v) in extract::form_pairs(q) {
                acc.scan(Location::Query, &k);
                acc.scan(Location::Query, &v);
            }
        }
        for (name, value) in req.headers {
            let Ok(v) = value.to_str() else {
                acc.scan(Location::Header, &String::from_utf8_lossy(value.as_bytes()));
                continue;
            };
            if name == http::header::COOKIE {
                for c in extract::cookie_values(v) {
                    acc.scan(Location::Cookie, c);
                }
            } else {
                acc.scan(Location::Header, v);
            }
        }
        if !req.body.is_empty() {
            self.inspect_body(&mut acc, req.content_type.unwrap_or(""), req.body);
        }
        acc.verdict
    }

    fn inspect_body(&self, acc: &mut Acc<'_>, content_type: &str, body: &[u8]) {
        let ct = content_type.to_ascii_lowercase();
        let mime = ct.split(';').next().unwrap_or("").trim();
        let text = String::from_utf8_lossy(body);
        if mime == "application/json" || mime.ends_with("+json") {
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
                let mut strings = Vec::new();
                extract::json_strings(&v, &mut strings, 10_000);
                for s in strings {
                    acc.scan(Location::Body, &s);
                }
                return;
            }
        } else if mime == "application/x-www-form-urlencoded" {
            for (k, v) in extract::form_pairs(&text) {
                acc.scan(Location::Body, &k);
                acc.scan(Location::Body, &v);
            }
            return;
        } else if mime.starts_with("multipart/") {
            if let Some(boundary) = extract::multipart_boundary(content_type) {
                for (headers, content) in extract::multipart_parts(body, &boundary) {
                    acc.scan(Location::Body, &String::from_utf8_lossy(headers));
                    acc.scan(Location::Body, &String::from_utf8_lossy(content));
                }
                return;
            }
        } else if mime.ends_with("/xml") || mime.ends_with("+xml") {
            // DTD tricks are visible only in the raw document.
            let raw = decode::normalize(&text, self.max_inspect);
            acc.scan_family(Location::Body, &raw, Some(rules::Family::Xxe));
            let mut texts = Vec::new();
            extract::xml_texts(&text, &mut texts);
            for t in texts {
                acc.scan(Location::Body, &t);
            }
            return;
        }
        acc.scan(Location::Body, &text);
    }
}

#[cfg(test)]
mod tests;
