//! Vendored Python packages: `*.dist-info/METADATA` (RFC 822 headers `Name:` and `Version:`)
//! under `site-packages/` or a layer's `python/` directory.

use super::{Package, Parsed};

/// Parses a METADATA file: one package at its `Name:` line.
pub fn parse(text: &str) -> Result<Parsed, String> {
    let mut name: Option<(String, u32)> = None;
    let mut version: Option<String> = None;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            break; // end of headers; the description follows
        }
        if let Some(v) = line.strip_prefix("Name:") {
            name = Some((v.trim().to_string(), (n + 1) as u32));
        } else if let Some(v) = line.strip_prefix("Version:") {
            version = Some(v.trim().to_string());
        }
    }
    let mut out = Parsed::default();
    match (name, version) {
        (Some((name, line)), Some(version)) if !name.is_empty() && !version.is_empty() => {
            out.packages.push(Package::new(name, version, line, false));
            Ok(out)
        }
        _ => Err("METADATA without Name and Version headers".into()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn headers() {
        let p =
            super::parse("Metadata-Version: 2.1\nName: PyYAML\nVersion: 5.3\n\nName: not-this\n")
                .unwrap();
        assert_eq!(
            (
                p.packages[0].name.as_str(),
                p.packages[0].version.as_str(),
                p.packages[0].line
            ),
            ("PyYAML", "5.3", 2)
        );
        assert!(super::parse("Metadata-Version: 2.1\n").is_err());
    }
}
