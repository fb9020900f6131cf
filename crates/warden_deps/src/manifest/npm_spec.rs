//! npm dependency specifiers: what is an exact registry pin, what is an alias (`npm:name@1.2.3`),
//! and what is not a registry version at all (git, file, link, workspace, URL).

/// The (name, version) actually installed for a lockfile entry, resolving `npm:` aliases;
/// `None` when the version is not a registry version.
pub fn resolved(name: &str, version: &str) -> Option<(String, String)> {
    let version = version.trim();
    if let Some(alias) = version.strip_prefix("npm:") {
        let at = alias.rfind('@').filter(|&i| i > 0)?;
        return Some((alias[..at].to_string(), alias[at + 1..].to_string()))
            .filter(|(_, v)| is_exact(v));
    }
    is_exact(version).then(|| (name.to_string(), version.to_string()))
}

/// Whether a specifier pins one exact version (`1.2.3`, `=1.2.3`, `v1.2.3-beta.1`).
pub fn is_exact(spec: &str) -> bool {
    let s = spec.trim();
    let s = s.strip_prefix('=').unwrap_or(s).trim_start();
    let s = s.strip_prefix('v').unwrap_or(s);
    semver::Version::parse(s).is_ok()
}

/// Whether a package.json specifier refers to the registry at all (ranges, tags or pins), as
/// opposed to git, file, link, workspace or URL sources.
pub fn is_registry(spec: &str) -> bool {
    let s = spec.trim();
    !(s.contains("://")
        || s.starts_with("git")
        || s.starts_with("file:")
        || s.starts_with("link:")
        || s.starts_with("workspace:")
        || s.starts_with("portal:")
        || s.starts_with("patch:")
        || s.starts_with("github:")
        || (s.contains('/') && !s.starts_with("npm:") && !s.starts_with('@')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_pins() {
        for yes in ["1.2.3", "=1.2.3", "v1.2.3", "1.0.0-beta.1"] {
            assert!(is_exact(yes), "{yes}");
        }
        for no in [
            "^1.2.3",
            "~1.2",
            "1.2",
            "1.x",
            "*",
            "latest",
            ">=1.0.0",
            "1.2.3 || 2.0.0",
            "",
        ] {
            assert!(!is_exact(no), "{no}");
        }
        assert_eq!(
            resolved("x", "npm:@scope/real@2.0.0"),
            Some(("@scope/real".into(), "2.0.0".into()))
        );
        assert_eq!(resolved("x", "file:../x"), None);
        assert!(!is_registry("github:user/repo"));
        assert!(!is_registry("user/repo"));
        assert!(is_registry("^1.0.0"));
        assert!(is_registry("latest"));
    }
}
