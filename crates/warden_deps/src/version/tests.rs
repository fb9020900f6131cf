//! Ordering tables per ecosystem, with the tricky cases each one has.

use super::*;
use Ordering::{Equal, Greater, Less};

fn check(eco: Ecosystem, table: &[(&str, &str, Ordering)]) {
    for (a, b, want) in table {
        assert_eq!(compare(eco, a, b), Some(*want), "{eco}: {a} vs {b}");
        assert_eq!(
            compare(eco, b, a),
            Some(want.reverse()),
            "{eco}: {b} vs {a}"
        );
    }
}

#[test]
fn npm_semver_with_prereleases() {
    check(
        Ecosystem::Npm,
        &[
            ("1.0.0-alpha", "1.0.0-alpha.1", Less),
            ("1.0.0-alpha.1", "1.0.0-alpha.beta", Less),
            ("1.0.0-alpha.beta", "1.0.0-beta", Less),
            ("1.0.0-beta.2", "1.0.0-beta.11", Less),
            ("1.0.0-beta.11", "1.0.0-rc.1", Less),
            ("1.0.0-rc.1", "1.0.0", Less),
            ("1.0.0", "1.0.0+build.5", Equal),
            ("v1.2.3", "=1.2.3", Equal),
            ("1.2", "1.2.0", Equal),
            ("2.0.0", "10.0.0", Less),
            ("0.0.0", "0.0.1-0", Less),
        ],
    );
    assert!(Version::parse(Ecosystem::Npm, "not-a-version").is_none());
    assert!(Version::parse(Ecosystem::Npm, "^1.2.3").is_none());
}

#[test]
fn cargo_semver() {
    check(
        Ecosystem::CratesIo,
        &[
            ("0.9.9", "0.10.0", Less),
            ("1.0.0-pre.1", "1.0.0", Less),
            ("1.0.0+1", "1.0.0+2", Equal),
            ("0.1.10", "0.1.9", Greater),
        ],
    );
}

#[test]
fn go_versions_and_pseudo_versions() {
    check(
        Ecosystem::Go,
        &[
            ("v1.2.3", "1.2.3", Equal),
            ("v2.0.0+incompatible", "2.0.0", Equal),
            // A pseudo-version based on v1.2.3 sorts after it and before v1.2.4.
            ("v1.2.3", "v1.2.4-0.20191109021931-daa7c04131f5", Less),
            ("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4", Less),
            // Pseudo-versions order by timestamp.
            (
                "v0.0.0-20200101000000-aaaaaaaaaaaa",
                "v0.0.0-20210101000000-000000000000",
                Less,
            ),
            ("v0.0.0-20210101000000-000000000000", "v0.0.1", Less),
            // Based on a pre-release.
            (
                "v1.3.0-beta.1",
                "v1.3.0-beta.1.0.20200101000000-abcdefabcdef",
                Less,
            ),
            (
                "v1.3.0-beta.1.0.20200101000000-abcdefabcdef",
                "v1.3.0-beta.2",
                Less,
            ),
            ("go1.21.3", "1.21.10", Less),
            ("1.21", "1.21.0", Equal),
        ],
    );
    let go = |s: &str| SemverKey::parse_go(s).unwrap();
    assert!(go("v0.0.0-20200101000000-abcdefabcdef").is_go_pseudo());
    assert!(go("v1.2.4-0.20191109021931-daa7c04131f5").is_go_pseudo());
    assert!(!go("v1.2.4-beta.1").is_go_pseudo());
}

#[test]
fn pep440_ordering() {
    check(
        Ecosystem::PyPI,
        &[
            ("1.0.dev0", "1.0a1", Less),
            ("1.0a1", "1.0a2.dev1", Less),
            ("1.0a2.dev1", "1.0a2", Less),
            ("1.0a2", "1.0b1", Less),
            ("1.0b1", "1.0rc1", Less),
            ("1.0rc1", "1.0", Less),
            ("1.0", "1.0+local", Less),
            ("1.0+local", "1.0.post1.dev0", Less),
            ("1.0.post1.dev0", "1.0.post1", Less),
            ("1.0.post1", "1.1.dev0", Less),
            ("1.0", "1.0.0", Equal),
            ("1.0c1", "1.0rc1", Equal),
            ("1.0-1", "1.0.post1", Equal),
            ("1.0alpha1", "1.0a1", Equal),
            ("1.0-preview-2", "1.0rc2", Equal),
            ("1.0.post", "1.0.post0", Equal),
            ("v1.0", "1.0", Equal),
            ("1!0.1", "2.0", Greater),
            ("1!1.0", "2!0.1", Less),
            ("1.0+abc.5", "1.0+abc.10", Less),
            ("1.0+abc", "1.0+5", Less),
            ("1.0+ubuntu-1", "1.0+ubuntu.1", Equal),
            ("1.10", "1.9", Greater),
            ("2.0.0RC1", "2.0.0", Less),
        ],
    );
    for bad in ["", "abc", "1.0+", "1.0+a..b", "1.0 foo", "1.0-foo"] {
        assert!(
            Version::parse(Ecosystem::PyPI, bad).is_none(),
            "{bad:?} parsed"
        );
    }
}

#[test]
fn maven_ordering() {
    check(
        Ecosystem::Maven,
        &[
            ("1", "1.1", Less),
            ("1-snapshot", "1", Less),
            ("1", "1-sp", Less),
            ("1-foo2", "1-foo10", Less),
            ("1.ga", "1", Equal),
            ("1-ga", "1.0", Equal),
            ("1.0.0", "1", Equal),
            ("1-final", "1.0", Equal),
            ("1-alpha-1", "1-a1", Equal),
            ("1.0-alpha-1", "1.0-beta-1", Less),
            ("1.0-beta-1", "1.0-milestone-1", Less),
            ("1.0-m1", "1.0-rc1", Less),
            ("1.0-rc1", "1.0-cr1", Equal),
            ("1.0-RC1", "1.0-SNAPSHOT", Less),
            ("1.0-SNAPSHOT", "1.0", Less),
            ("1.0", "1.0-sp1", Less),
            ("1.0-sp1", "1.0-foo", Less),
            ("1.0-foo", "1.0-1", Less),
            ("1.0-1", "1.0.1", Less),
            ("2.9.10.7", "2.9.10.8", Less),
            ("2.12.7.1", "2.13.0", Less),
            ("5.3.18", "5.3.9", Greater),
            ("31.1-jre", "32.0.0-jre", Less),
        ],
    );
}
