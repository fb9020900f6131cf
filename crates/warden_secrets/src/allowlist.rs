//! Allowlists: example values, hashes, UUIDs, integrity strings, base64 blobs, inline markers,
//! and file kinds (lockfiles) where only known-format detectors run.

use std::path::Path;

/// Inline markers that silence every finding on their line (matched case-insensitively).
/// `pragma: allowlist secret` and `gitleaks:allow` are honoured so repositories that already
/// use detect-secrets or gitleaks keep their annotations.
const LINE_MARKERS: &[&str] = &[
    "pragma: allowlist secret",
    "gitleaks:allow",
    "warden:allow-secret",
];
/// Marker on the previous line that silences the next line.
const NEXT_LINE_MARKER: &str = "pragma: allowlist nextline secret";

/// Lockfiles and checksum files: full of hashes and integrity strings, never of hand-written
/// credentials, so only known-format detectors run on them.
const LOCKFILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "cargo.lock",
    "poetry.lock",
    "pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "composer.lock",
    "gemfile.lock",
    "go.sum",
    "packages.lock.json",
    "gradle.lockfile",
    "flake.lock",
    "podfile.lock",
    "mix.lock",
    "pubspec.lock",
    "package.resolved",
    ".terraform.lock.hcl",
];

/// Directories of vendored third-party code: their sample credentials are not the project's, so
/// only known-format detectors run there.
const VENDORED_DIRS: &[&str] = &[
    "node_modules",
    "site-packages",
    "dist-packages",
    "vendor",
    "bower_components",
    ".venv",
    "venv",
    ".terraform",
    "__pycache__",
    "jspm_packages",
    ".yarn",
];

/// How a file's content is scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileKind {
    /// Run the name-based (generic) detectors.
    pub generic: bool,
    /// Accept unquoted values in `NAME=value` / `name: value` assignments (config formats).
    pub unquoted: bool,
}

/// Decides how to scan the file at `path`.
pub(crate) fn file_kind(path: &Path) -> FileKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let vendored = path.components().any(|c| {
        let c = c.as_os_str().to_string_lossy();
        VENDORED_DIRS.contains(&c.as_ref()) || c == "botocore" || c == "boto3"
    });
    if vendored
        || LOCKFILES.contains(&name.as_str())
        || name.ends_with(".sum")
        || name.ends_with(".lock")
    {
        return FileKind {
            generic: false,
            unquoted: false,
        };
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    // Code, markup and JSON: a value must be a quoted literal to count.
    const QUOTED_ONLY: &[&str] = &[
        "js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx", "py", "pyi", "go", "java", "kt",
        "kts", "scala", "cs", "fs", "vb", "rb", "php", "rs", "swift", "c", "h", "cc", "cpp", "hpp",
        "m", "dart", "lua", "groovy", "json", "jsonc", "json5", "md", "markdown", "rst", "adoc",
        "html", "htm", "xml", "svg", "vue", "svelte", "tf", "hcl", "tfvars", "toml", "ipynb",
        "map", "css", "scss", "less", "sql", "txt",
    ];
    let is_env_file = name == ".env" || name.starts_with(".env.") || ext == "env";
    let unquoted = is_env_file || !QUOTED_ONLY.contains(&ext);
    FileKind {
        generic: true,
        unquoted,
    }
}

/// True when `line` carries an inline allow marker.
pub(crate) fn line_allowed(line: &[u8], previous: Option<&[u8]>) -> bool {
    let has = |hay: &[u8], needle: &str| {
        hay.windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    };
    LINE_MARKERS.iter().any(|m| has(line, m)) || previous.is_some_and(|p| has(p, NEXT_LINE_MARKER))
}

/// True when `secret` is a published example: contains `EXAMPLE` (AWS's documentation
/// convention, e.g. `AKIAIOSFODNN7EXAMPLE`) or is a known public example value.
pub(crate) fn is_example(secret: &[u8]) -> bool {
    const NEEDLE: &[u8] = b"example";
    secret
        .windows(NEEDLE.len())
        .any(|w| w.eq_ignore_ascii_case(NEEDLE))
        || std::str::from_utf8(secret).is_ok_and(crate::values::is_known_example)
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// True when `[start, end)` sits inside a much longer run of base64 characters (a data URI, an
/// embedded image, an integrity hash, a PEM body): a token shape found there is a coincidence.
pub(crate) fn inside_blob(text: &[u8], start: usize, end: usize) -> bool {
    let mut s = start;
    while s > 0 && is_b64(text[s - 1]) {
        s -= 1;
    }
    let mut e = end;
    while e < text.len() && is_b64(text[e]) {
        e += 1;
    }
    let run = e - s;
    run >= 64 && run >= (end - start) + 24
}

/// True for a canonical UUID (`8-4-4-4-12` hex).
pub(crate) fn is_uuid(v: &[u8]) -> bool {
    v.len() == 36
        && v.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// True for a value that announces itself as a digest: `sha256:…`, `sha512-…` (SRI),
/// `md5:…`, or a bcrypt/argon2/scrypt password hash.
pub(crate) fn is_digest(v: &[u8]) -> bool {
    let lower = v.to_ascii_lowercase();
    const PREFIXES: &[&[u8]] = &[
        b"sha1-",
        b"sha256-",
        b"sha384-",
        b"sha512-",
        b"sha1:",
        b"sha256:",
        b"sha384:",
        b"sha512:",
        b"md5:",
        b"md5-",
        b"blake2b:",
        b"h1:",
        b"$2a$",
        b"$2b$",
        b"$2y$",
        b"$argon2",
        b"$scrypt$",
        b"$6$",
        b"$5$",
        b"$1$",
        b"pbkdf2",
    ];
    PREFIXES.iter().any(|p| lower.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        let k = file_kind(Path::new("app/package-lock.json"));
        assert!(!k.generic);
        let k = file_kind(Path::new("src/handler.py"));
        assert!(k.generic && !k.unquoted);
        let k = file_kind(Path::new(".env.production"));
        assert!(k.generic && k.unquoted);
        let k = file_kind(Path::new("serverless.yml"));
        assert!(k.unquoted);
        let k = file_kind(Path::new("fn/node_modules/aws-sdk/examples/config.json"));
        assert!(!k.generic);
        let k = file_kind(Path::new("layer/python/botocore/data/iam/examples-1.json"));
        assert!(!k.generic);
    }

    #[test]
    fn markers() {
        assert!(line_allowed(b"key = 'x' # pragma: allowlist secret", None));
        assert!(line_allowed(
            b"key = 'x'",
            Some(b"# pragma: allowlist nextline secret")
        ));
        assert!(!line_allowed(b"key = 'x'", None));
    }

    #[test]
    fn blobs_and_digests() {
        let blob = [b'Q'; 200];
        assert!(inside_blob(&blob, 50, 70));
        assert!(!inside_blob(b"key=AKIAQ3EGT7XK2MPLWZ4B;", 4, 24));
        assert!(is_uuid(b"3f2b1c4d-9e8f-4a7b-8c6d-5e4f3a2b1c0d"));
        assert!(!is_uuid(b"3f2b1c4d-9e8f-4a7b-8c6d-5e4f3a2b1c0"));
        assert!(is_digest(b"sha512-abc"));
        assert!(is_digest(b"$2b$12$abc"));
        assert!(is_example(b"AKIAIOSFODNN7EXAMPLE"));
    }
}
