//! Which rules run and at which severity: `--select`/`--ignore` by code or prefix, and per-rule
//! severity overrides from `warden.toml`.

use std::collections::BTreeMap;
use warden_model::Severity;

#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Codes or prefixes to run (`IAM`, `SEC001`); empty means every rule.
    pub select: Vec<String>,
    /// Codes or prefixes not to run.
    pub ignore: Vec<String>,
    /// Severity per rule code.
    pub severity: BTreeMap<String, Severity>,
}

fn longest_match(code: &str, prefixes: &[String]) -> Option<usize> {
    prefixes
        .iter()
        .filter(|p| {
            code.len() >= p.len() && code[..p.len()].eq_ignore_ascii_case(p) || p.as_str() == "ALL"
        })
        .map(|p| if p == "ALL" { 0 } else { p.len() })
        .max()
}

impl Selection {
    /// True when `code` runs: the most specific matching prefix decides; on a tie, ignore wins.
    pub fn enabled(&self, code: &str) -> bool {
        let selected = if self.select.is_empty() {
            Some(0)
        } else {
            longest_match(code, &self.select)
        };
        match (selected, longest_match(code, &self.ignore)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }

    pub fn severity_for(&self, code: &str, default: Severity) -> Severity {
        self.severity.get(code).copied().unwrap_or(default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(select: &[&str], ignore: &[&str]) -> Selection {
        Selection {
            select: select.iter().map(|s| s.to_string()).collect(),
            ignore: ignore.iter().map(|s| s.to_string()).collect(),
            severity: BTreeMap::new(),
        }
    }

    #[test]
    fn prefixes_and_specificity() {
        assert!(sel(&[], &[]).enabled("IAM001"));
        assert!(sel(&["IAM"], &[]).enabled("IAM001"));
        assert!(!sel(&["IAM"], &[]).enabled("SEC001"));
        assert!(!sel(&[], &["iam001"]).enabled("IAM001"));
        assert!(sel(&["IAM001"], &["IAM"]).enabled("IAM001"));
        assert!(!sel(&["IAM"], &["IAM001"]).enabled("IAM001"));
        assert!(!sel(&["IAM"], &["IAM"]).enabled("IAM001"));
        assert!(sel(&["ALL"], &[]).enabled("SEC001"));
    }
}
