//! Manifest and lockfile discovery: classifies the files of a tree by name, decides which ones to
//! audit (a lockfile wins over the manifest it locks; a manifest without a lockfile is audited
//! for its exact pins and reported as unpinned), and hands each to its format's parser. Every
//! package keeps the 1-based line where it appears.

mod dist_info;
mod gomod;
pub mod json;
pub(crate) mod lines;
mod maven;
mod npm_lock;
mod npm_spec;
mod package_json;
mod pipfile_lock;
mod pnpm;
mod pyproject;
mod requirements;
mod toml_lock;
mod yarn;

use crate::ecosystem::Ecosystem;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// The formats Warden reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ManifestFormat {
    /// `package-lock.json` (v1, v2, v3).
    PackageLock,
    /// `npm-shrinkwrap.json`.
    NpmShrinkwrap,
    /// `yarn.lock` (v1 and Berry).
    YarnLock,
    /// `pnpm-lock.yaml`.
    PnpmLock,
    /// `package.json` of a project without a lockfile.
    PackageJson,
    /// `node_modules/<name>/package.json` vendored into a deployment package.
    NodeModulesPackage,
    /// `requirements*.txt`.
    Requirements,
    /// `Pipfile.lock`.
    PipfileLock,
    /// `poetry.lock`.
    PoetryLock,
    /// `uv.lock`.
    UvLock,
    /// `pyproject.toml` of a project without a lockfile.
    Pyproject,
    /// `*.dist-info/METADATA` vendored into a deployment package or layer.
    DistInfo,
    /// `go.mod`.
    GoMod,
    /// `go.sum` without a `go.mod` beside it.
    GoSum,
    /// `Cargo.lock`.
    CargoLock,
    /// `pom.xml`.
    PomXml,
    /// `gradle.lockfile`.
    GradleLockfile,
}

impl ManifestFormat {
    /// The ecosystem of the packages in such a file.
    pub fn ecosystem(self) -> Ecosystem {
        use ManifestFormat::*;
        match self {
            PackageLock | NpmShrinkwrap | YarnLock | PnpmLock | PackageJson
            | NodeModulesPackage => Ecosystem::Npm,
            Requirements | PipfileLock | PoetryLock | UvLock | Pyproject | DistInfo => {
                Ecosystem::PyPI
            }
            GoMod | GoSum => Ecosystem::Go,
            CargoLock => Ecosystem::CratesIo,
            PomXml | GradleLockfile => Ecosystem::Maven,
        }
    }

    /// Classifies a path (relative, `/`-separated or native) by its name and place.
    pub fn classify(path: &Path) -> Option<ManifestFormat> {
        let name = path.file_name()?.to_str()?;
        let parent = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .unwrap_or("");
        let in_node_modules = path.components().any(|c| c.as_os_str() == "node_modules");
        Some(match name {
            "package.json" if in_node_modules => {
                // Only a package's own manifest: node_modules/<name>/ or node_modules/@scope/<name>/.
                let comps: Vec<&str> = path.iter().filter_map(|c| c.to_str()).collect();
                let n = comps.len();
                let direct_child =
                    n >= 3 && comps[n - 3] == "node_modules" && !parent.starts_with('@');
                let scoped_child =
                    n >= 4 && comps[n - 4] == "node_modules" && comps[n - 3].starts_with('@');
                if direct_child || scoped_child {
                    ManifestFormat::NodeModulesPackage
                } else {
                    return None;
                }
            }
            _ if in_node_modules => return None,
            "package-lock.json" => ManifestFormat::PackageLock,
            "npm-shrinkwrap.json" => ManifestFormat::NpmShrinkwrap,
            "yarn.lock" => ManifestFormat::YarnLock,
            "pnpm-lock.yaml" => ManifestFormat::PnpmLock,
            "package.json" => ManifestFormat::PackageJson,
            "Pipfile.lock" => ManifestFormat::PipfileLock,
            "poetry.lock" => ManifestFormat::PoetryLock,
            "uv.lock" => ManifestFormat::UvLock,
            "pyproject.toml" => ManifestFormat::Pyproject,
            "METADATA" if parent.ends_with(".dist-info") => ManifestFormat::DistInfo,
            "go.mod" => ManifestFormat::GoMod,
            "go.sum" => ManifestFormat::GoSum,
            "Cargo.lock" => ManifestFormat::CargoLock,
            "pom.xml" => ManifestFormat::PomXml,
            "gradle.lockfile" => ManifestFormat::GradleLockfile,
            n if n.starts_with("requirements") && n.ends_with(".txt") => {
                ManifestFormat::Requirements
            }
            _ => return None,
        })
    }

    fn is_npm_lock(self) -> bool {
        matches!(
            self,
            Self::PackageLock | Self::NpmShrinkwrap | Self::YarnLock | Self::PnpmLock
        )
    }
    fn is_python_lock(self) -> bool {
        matches!(
            self,
            Self::Requirements | Self::PipfileLock | Self::PoetryLock | Self::UvLock
        )
    }
}

/// One resolved package in a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    /// Name as written (PyPI names are normalised only for lookup).
    pub name: String,
    /// Installed (pinned) version, as written.
    pub version: String,
    /// 1-based line of the entry.
    pub line: u32,
    /// Declared by the project itself rather than pulled in by another package.
    pub direct: bool,
    /// The file holding the line when it is not the manifest itself (a `-r` include).
    pub file: Option<PathBuf>,
}

impl Package {
    pub(crate) fn new(
        name: impl Into<String>,
        version: impl Into<String>,
        line: u32,
        direct: bool,
    ) -> Self {
        Package {
            name: name.into(),
            version: version.into(),
            line,
            direct,
            file: None,
        }
    }
}

/// A dependency declared without an exact version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnpinnedDep {
    /// Package name.
    pub name: String,
    /// The specifier as written (`^4.0.0`, `>=2`, empty for none).
    pub spec: String,
    /// 1-based line.
    pub line: u32,
    /// The file holding the line when it is not the manifest itself.
    pub file: Option<PathBuf>,
}

/// What a parser returns.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub packages: Vec<Package>,
    pub unpinned: Vec<UnpinnedDep>,
    pub errors: Vec<String>,
}

#[cfg(test)]
impl Parsed {
    /// (name, version, line, direct) of every package, for table-driven parser tests.
    pub(crate) fn rows(&self) -> Vec<(&str, &str, u32, bool)> {
        self.packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line, p.direct))
            .collect()
    }
}

/// One audited manifest or lockfile.
#[derive(Debug, Clone, Serialize)]
pub struct ManifestFile {
    /// Path relative to the scanned root.
    pub path: PathBuf,
    /// Its format.
    pub format: ManifestFormat,
    /// Its ecosystem.
    pub ecosystem: Ecosystem,
    /// Resolved packages.
    pub packages: Vec<Package>,
    /// Dependencies without an exact version.
    pub unpinned: Vec<UnpinnedDep>,
    /// A project manifest (package.json, pyproject.toml) with dependencies and no lockfile:
    /// its builds are not reproducible.
    pub no_lockfile: bool,
    /// Parse errors (the file, or part of it, could not be read).
    pub errors: Vec<String>,
}

impl ManifestFile {
    /// The directory of the manifest (relative), used to attribute it to functions.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }
}

/// Joins a relative path onto a relative directory lexically; `None` if it leaves the root.
pub(crate) fn rel_join(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut out: Vec<std::ffi::OsString> = Vec::new();
    let joined = dir.join(rel);
    for c in joined.components() {
        match c {
            Component::Normal(p) => out.push(p.to_os_string()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out.iter().collect())
}

fn ancestors_and_self(dir: &Path) -> impl Iterator<Item = &Path> {
    dir.ancestors()
}

/// The project directory of a vendored `node_modules` package: the path before the first
/// `node_modules` component.
fn node_modules_project(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        if c.as_os_str() == "node_modules" {
            break;
        }
        out.push(c);
    }
    out
}

/// Reads and parses the manifests among `paths` (relative to `root`), sorted by path.
/// Files that are not manifests are ignored; unreadable or malformed ones carry `errors`.
pub fn discover_manifests(root: &Path, paths: &[PathBuf]) -> Vec<ManifestFile> {
    discover_manifests_where(root, paths, |_| true)
}

/// Like [`discover_manifests`], but reads only the manifests whose format `wanted` accepts (the
/// others still count when deciding whether a `package.json` has a lockfile beside it). Without
/// advisory data, only the formats that can be unpinned need reading.
pub fn discover_manifests_where(
    root: &Path,
    paths: &[PathBuf],
    wanted: impl Fn(ManifestFormat) -> bool,
) -> Vec<ManifestFile> {
    let classified: Vec<(PathBuf, ManifestFormat)> = paths
        .iter()
        .filter_map(|p| ManifestFormat::classify(p).map(|f| (p.clone(), f)))
        .collect();
    let mut dirs_with: HashMap<&'static str, HashSet<PathBuf>> = HashMap::new();
    for (p, f) in &classified {
        let dir = p.parent().unwrap_or(Path::new("")).to_path_buf();
        let kind = if f.is_npm_lock() {
            "npm-lock"
        } else if f.is_python_lock() {
            "py-lock"
        } else if *f == ManifestFormat::GoMod {
            "go-mod"
        } else {
            continue;
        };
        dirs_with.entry(kind).or_default().insert(dir);
    }
    let has = |kind: &str, dir: &Path| dirs_with.get(kind).is_some_and(|s| s.contains(dir));
    let npm_locked = |dir: &Path| ancestors_and_self(dir).any(|d| has("npm-lock", d));
    let selected: Vec<(PathBuf, ManifestFormat)> = classified
        .into_iter()
        .filter(|(p, f)| {
            let dir = p.parent().unwrap_or(Path::new(""));
            let keep = match f {
                ManifestFormat::PackageJson => !npm_locked(dir),
                ManifestFormat::NodeModulesPackage => !has("npm-lock", &node_modules_project(p)),
                ManifestFormat::Pyproject => !has("py-lock", dir),
                ManifestFormat::GoSum => !has("go-mod", dir),
                _ => true,
            };
            keep && wanted(*f)
        })
        .collect();
    let mut out: Vec<ManifestFile> = selected
        .par_iter()
        .map(|(p, f)| load(root, p, *f))
        .collect();
    out.retain(|m| {
        !(m.format == ManifestFormat::PackageJson
            && m.packages.is_empty()
            && m.unpinned.is_empty()
            && m.errors.is_empty()
            && !m.no_lockfile)
    });
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn read_sibling(root: &Path, dir: &Path, name: &str) -> Option<String> {
    std::fs::read_to_string(root.join(dir).join(name)).ok()
}

fn load(root: &Path, path: &Path, format: ManifestFormat) -> ManifestFile {
    let mut m = ManifestFile {
        path: path.to_path_buf(),
        format,
        ecosystem: format.ecosystem(),
        packages: Vec::new(),
        unpinned: Vec::new(),
        no_lockfile: false,
        errors: Vec::new(),
    };
    let text = match std::fs::read(root.join(path)) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            m.errors.push(format!("cannot read: {e}"));
            return m;
        }
    };
    let dir = path.parent().unwrap_or(Path::new(""));
    let npm_declared =
        || read_sibling(root, dir, "package.json").and_then(|t| package_json::declared_names(&t));
    let py_declared =
        || read_sibling(root, dir, "pyproject.toml").and_then(|t| pyproject::declared_names(&t));
    use ManifestFormat::*;
    let result = match format {
        PackageLock | NpmShrinkwrap => npm_lock::parse(&text, npm_declared().as_ref()),
        YarnLock => yarn::parse(&text, npm_declared().as_ref()),
        PnpmLock => pnpm::parse(&text),
        PackageJson => {
            m.no_lockfile = package_json::has_dependencies(&text);
            package_json::parse_project(&text)
        }
        NodeModulesPackage => {
            let project = node_modules_project(path);
            let top = path.iter().filter(|c| *c == "node_modules").count() == 1;
            let declared = read_sibling(root, &project, "package.json")
                .and_then(|t| package_json::declared_names(&t));
            package_json::parse_vendored(&text, &|n| {
                top && declared.as_ref().is_some_and(|d| d.contains(n))
            })
        }
        Requirements => Ok(requirements::parse(root, path, &text)),
        PipfileLock => pipfile_lock::parse(
            &text,
            read_sibling(root, dir, "Pipfile")
                .and_then(|t| pipfile_lock::pipfile_names(&t))
                .as_ref(),
        ),
        PoetryLock => toml_lock::parse(toml_lock::Kind::Poetry, &text, py_declared().as_ref()),
        UvLock => toml_lock::parse(toml_lock::Kind::Uv, &text, py_declared().as_ref()),
        Pyproject => pyproject::parse(&text)
            .inspect(|p| m.no_lockfile = !p.packages.is_empty() || !p.unpinned.is_empty()),
        DistInfo => dist_info::parse(&text),
        GoMod => gomod::parse_mod(&text),
        GoSum => gomod::parse_sum(&text),
        CargoLock => toml_lock::parse(toml_lock::Kind::Cargo, &text, None),
        PomXml => maven::parse_pom(&text),
        GradleLockfile => maven::parse_gradle_lock(&text),
    };
    match result {
        Ok(p) => {
            m.packages = p.packages;
            m.unpinned = p.unpinned;
            m.errors.extend(p.errors);
        }
        Err(e) => m.errors.push(e),
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        let c = |p: &str| ManifestFormat::classify(Path::new(p));
        assert_eq!(c("fn/package-lock.json"), Some(ManifestFormat::PackageLock));
        assert_eq!(
            c("fn/node_modules/lodash/package.json"),
            Some(ManifestFormat::NodeModulesPackage)
        );
        assert_eq!(
            c("fn/node_modules/@scope/x/package.json"),
            Some(ManifestFormat::NodeModulesPackage)
        );
        assert_eq!(
            c("fn/node_modules/a/node_modules/b/package.json"),
            Some(ManifestFormat::NodeModulesPackage)
        );
        assert_eq!(c("fn/node_modules/lodash/lib/package.json"), None);
        assert_eq!(c("fn/node_modules/x/package-lock.json"), None);
        assert_eq!(
            c("layer/python/PyYAML-5.3.dist-info/METADATA"),
            Some(ManifestFormat::DistInfo)
        );
        assert_eq!(
            c("requirements-dev.txt"),
            Some(ManifestFormat::Requirements)
        );
        assert_eq!(c("README.md"), None);
    }

    #[test]
    fn rel_join_stays_inside() {
        assert_eq!(
            rel_join(Path::new("a/b"), "../c.txt"),
            Some(PathBuf::from("a/c.txt"))
        );
        assert_eq!(rel_join(Path::new("a"), "../../x"), None);
        assert_eq!(rel_join(Path::new("a"), "/etc/passwd"), None);
    }
}
