//! Cheap classification of a file before any full parse: by name, by extension, and by sniffing
//! the first kilobytes of YAML/JSON files for CloudFormation markers.
//!
//! A YAML or JSON file is a CloudFormation template ([`FileKind::CloudFormation`]) when its head
//! has, written as a mapping key (at the start of a line, or after `{` or `,` in JSON):
//!
//! * `AWSTemplateFormatVersion:`, or
//! * `Transform:` whose value (a scalar, a flow list or a block list) names the SAM transform
//!   `AWS::Serverless-2016-10-31`, or
//! * `Resources:` followed by a `Type:` key whose value starts with `AWS::`.
//!
//! `sam` is true when the SAM transform was seen. Nothing is parsed: the sniffing is a handful of
//! `memchr::memmem` searches, so a large OpenAPI document, Kubernetes manifest, GitHub workflow or
//! `package.json` costs microseconds and is [`FileKind::Other`] (or its own kind by name).

use memchr::memmem;
use std::path::Path;

/// What a file is, as far as cheap sniffing can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// An AWS CloudFormation template; `sam` when it declares the SAM transform.
    CloudFormation {
        sam: bool,
    },
    /// `serverless.yml`, `serverless.yaml` or `serverless.json`.
    ServerlessFramework,
    /// `*.tf` or `*.tf.json`.
    Terraform,
    /// An Azure Functions binding file, `function.json`.
    AzureFunctionJson,
    /// A dependency lockfile or manifest.
    Lockfile(LockfileKind),
    /// Handler source code.
    Code(Lang),
    Other,
}

/// Dependency files recognised by name (manifests included: they pin or declare dependencies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LockfileKind {
    /// `package-lock.json` (also `npm-shrinkwrap.json`).
    NpmLock,
    /// `package.json`.
    NpmManifest,
    /// `yarn.lock`.
    Yarn,
    /// `pnpm-lock.yaml`.
    Pnpm,
    /// `requirements*.txt`.
    PipRequirements,
    /// `Pipfile.lock`.
    Pipfile,
    /// `poetry.lock`.
    Poetry,
    /// `uv.lock`.
    Uv,
    /// `go.sum`.
    GoSum,
    /// `Cargo.lock`.
    Cargo,
    /// `gradle.lockfile`.
    Gradle,
    /// `pom.xml`.
    Maven,
}

/// Languages of handler code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// `.js`, `.mjs`, `.cjs`.
    JavaScript,
    /// `.ts`, `.mts`, `.cts` (declaration files `.d.ts` are not code).
    TypeScript,
    /// `.py`.
    Python,
}

/// The SAM transform's name.
pub const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

/// Classifies `path` (only its file name is used) from `head`, the first bytes of the file
/// (a few kilobytes are enough; the whole file works too).
pub fn classify(path: &Path, head: &[u8]) -> FileKind {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return FileKind::Other;
    };
    if let Some(kind) = by_name(name) {
        return kind;
    }
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "tf" => FileKind::Terraform,
        "json" if lower.ends_with(".tf.json") => FileKind::Terraform,
        "js" | "mjs" | "cjs" => FileKind::Code(Lang::JavaScript),
        "ts" | "mts" | "cts" if !lower.ends_with(".d.ts") => FileKind::Code(Lang::TypeScript),
        "py" => FileKind::Code(Lang::Python),
        "yaml" | "yml" | "json" | "template" => sniff(head),
        _ => FileKind::Other,
    }
}

fn by_name(name: &str) -> Option<FileKind> {
    use LockfileKind as L;
    let lock = |k| Some(FileKind::Lockfile(k));
    match name {
        "serverless.yml" | "serverless.yaml" | "serverless.json" => {
            Some(FileKind::ServerlessFramework)
        }
        "function.json" => Some(FileKind::AzureFunctionJson),
        "package-lock.json" | "npm-shrinkwrap.json" => lock(L::NpmLock),
        "package.json" => lock(L::NpmManifest),
        "yarn.lock" => lock(L::Yarn),
        "pnpm-lock.yaml" => lock(L::Pnpm),
        "Pipfile.lock" => lock(L::Pipfile),
        "poetry.lock" => lock(L::Poetry),
        "uv.lock" => lock(L::Uv),
        "go.sum" => lock(L::GoSum),
        "Cargo.lock" => lock(L::Cargo),
        "gradle.lockfile" => lock(L::Gradle),
        "pom.xml" => lock(L::Maven),
        _ if name.starts_with("requirements") && name.ends_with(".txt") => lock(L::PipRequirements),
        _ => None,
    }
}

/// Looks for CloudFormation markers in the head of a YAML/JSON file.
fn sniff(head: &[u8]) -> FileKind {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let sam = transform_names_sam(head);
    if sam
        || key_positions(head, b"AWSTemplateFormatVersion")
            .next()
            .is_some()
    {
        return FileKind::CloudFormation { sam };
    }
    if let Some(after) = key_positions(head, b"Resources").next() {
        let rest = &head[after..];
        if key_positions(rest, b"Type").any(|v| value_starts_with(rest, v, b"AWS::")) {
            return FileKind::CloudFormation { sam: false };
        }
    }
    FileKind::Other
}

/// Offsets just after `name:` wherever `name` is written as a mapping key: optionally quoted,
/// preceded on its line only by indentation, `{`, `,` or `- ` (block-sequence items), and
/// followed by `:`.
fn key_positions<'h>(head: &'h [u8], name: &'h [u8]) -> impl Iterator<Item = usize> + 'h {
    memmem::find_iter(head, name).filter_map(move |at| {
        let mut before = at;
        let quote = match before.checked_sub(1).map(|i| head[i]) {
            Some(q @ (b'"' | b'\'')) => {
                before -= 1;
                Some(q)
            }
            _ => None,
        };
        let mut i = before;
        while i > 0 && matches!(head[i - 1], b' ' | b'\t') {
            i -= 1;
        }
        let line_start_ok = i == 0 || matches!(head[i - 1], b'\n' | b'\r' | b'{' | b',');
        let dash_ok = i > 0 && head[i - 1] == b'-' && i < before;
        if !(line_start_ok || dash_ok) {
            return None;
        }
        let mut j = at + name.len();
        if let Some(q) = quote {
            if head.get(j) != Some(&q) {
                return None;
            }
            j += 1;
        }
        while matches!(head.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        (head.get(j) == Some(&b':')).then_some(j + 1)
    })
}

/// True when the value after a key (starting at `at`) begins with `prefix`, possibly quoted.
fn value_starts_with(head: &[u8], at: usize, prefix: &[u8]) -> bool {
    let mut j = at;
    while matches!(head.get(j), Some(b' ' | b'\t')) {
        j += 1;
    }
    if matches!(head.get(j), Some(b'"' | b'\'')) {
        j += 1;
    }
    head.get(j..).is_some_and(|v| v.starts_with(prefix))
}

/// True when a `Transform` key's value names the SAM transform: a scalar on the key's line, a
/// flow list (`[...]`), or a block list on the following more-indented `- ` lines.
fn transform_names_sam(head: &[u8]) -> bool {
    key_positions(head, b"Transform").any(|after| {
        let rest = &head[after..];
        let mut j = 0;
        while matches!(rest.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        let value: &[u8] = match rest.get(j) {
            Some(b'[') => {
                let end = memchr::memchr(b']', &rest[j..]).map_or(rest.len(), |e| j + e);
                &rest[j..end]
            }
            Some(b'\n' | b'\r') | Some(b'#') | None => block_list(rest),
            Some(_) => {
                let end = memchr::memchr2(b'\n', b'\r', &rest[j..]).map_or(rest.len(), |e| j + e);
                &rest[j..end]
            }
        };
        memmem::find(value, SAM_TRANSFORM.as_bytes()).is_some()
    })
}

/// The block-sequence lines (`  - item`) that follow a key's line, as one slice.
fn block_list(rest: &[u8]) -> &[u8] {
    let mut pos = memchr::memchr(b'\n', rest).map_or(rest.len(), |e| e + 1);
    let start = pos;
    while pos < rest.len() {
        let line_end = memchr::memchr(b'\n', &rest[pos..]).map_or(rest.len(), |e| pos + e);
        let line = &rest[pos..line_end];
        let trimmed: &[u8] = {
            let k = line
                .iter()
                .take_while(|&&c| c == b' ' || c == b'\t')
                .count();
            &line[k..]
        };
        let blank_or_comment = trimmed.is_empty() || trimmed == b"\r" || trimmed[0] == b'#';
        if !(trimmed.starts_with(b"- ") || trimmed == b"-" || blank_or_comment) {
            break;
        }
        pos = (line_end + 1).min(rest.len());
    }
    &rest[start.min(pos)..pos]
}
