//! Stable finding fingerprints: file, resource, rule and a normalised snippet of the flagged text.
//!
//! Line numbers are left out, so a fingerprint survives edits elsewhere in the file; the file is
//! in, so a baseline never absorbs the same violation appearing in another file. Identical
//! findings in one resource are told apart by their order.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use warden_model::Finding;
use warden_source::SourceMap;

/// The flagged text with whitespace collapsed (at most 256 bytes).
fn snippet(finding: &Finding, sources: &SourceMap) -> String {
    let Some(file) = sources.get(&finding.origin.file) else {
        return finding.origin.path.to_string();
    };
    let span = finding.origin.span;
    let text = file
        .text
        .get(span.start as usize..span.end as usize)
        .unwrap_or("");
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.len() > 256 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Fills `fingerprint` on every finding. Call on findings sorted by location.
pub fn assign(findings: &mut [Finding], sources: &SourceMap) {
    let mut seen: HashMap<String, u32> = HashMap::new();
    for f in findings.iter_mut() {
        let mut h = Sha256::new();
        for part in [
            f.origin.file.as_ref(),
            f.resource.as_deref().unwrap_or(""),
            f.rule,
            &snippet(f, sources),
        ] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        let base = hex(&h.finalize()[..16]);
        let n = seen.entry(base.clone()).or_insert(0);
        f.fingerprint = if *n == 0 {
            base.clone()
        } else {
            let mut h2 = Sha256::new();
            h2.update(base.as_bytes());
            h2.update(n.to_le_bytes());
            hex(&h2.finalize()[..16])
        };
        *n += 1;
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
