//! Handler resolution: from a function in the model to the code file and exported function that
//! run it. SAM/CloudFormation `Handler` + `CodeUri` (relative to the template's directory),
//! Serverless `handler` (relative to `serverless.yml`), Azure `scriptFile`/`entryPoint` and GCP
//! `entry_point` + source directory. Python `pkg.mod.fn` is `pkg/mod.py`; Node `dir/file.fn` is
//! `dir/file.js|.mjs|.cjs|.ts`. Files are only read inside the scanned root.

use crate::error::CodeError;
use crate::loader::Loader;
use crate::parse::Lang;
use std::path::{Path, PathBuf};
use warden_model::{App, Format, Function, FunctionKind, Node};

/// A resolved handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handler {
    pub lang: Lang,
    /// Canonical absolute path of the file.
    pub path: PathBuf,
    /// The exported function's name (`default` for a default export).
    pub export: String,
    /// For a function registered inline (`app.http('name', { handler: async (req) => … })`):
    /// the registered name, to find the registration when `export` is not a top-level name.
    pub registered_as: Option<String>,
}

const NODE_EXTS: &[&str] = &["js", "mjs", "cjs", "ts"];

/// Why a function has no code to read (container images, code in S3, inline code): not an error.
fn no_local_code(f: &Function) -> Option<&'static str> {
    if f.properties.get("InlineCode").is_some() {
        return Some("inline code");
    }
    let code = f.code_uri.as_ref()?;
    if code.get("ZipFile").is_some() {
        return Some("inline code");
    }
    if code.get("S3Bucket").is_some()
        || code.get("Bucket").is_some()
        || code.get("ImageUri").is_some()
    {
        return Some("code in S3 or an image");
    }
    match code.as_str() {
        Some(s) if s.contains("://") || s.ends_with(".zip") || s.ends_with(".jar") => {
            Some("a packaged artifact")
        }
        _ => None,
    }
}

fn str_of(n: Option<&Node>) -> Option<&str> {
    n.and_then(Node::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn runtime_lang(f: &Function) -> Option<Lang> {
    let rt = str_of(f.runtime.as_ref())?.to_ascii_lowercase();
    if rt.starts_with("python") {
        Some(Lang::Python)
    } else if rt.starts_with("nodejs") || rt.starts_with("node") {
        Some(Lang::JavaScript)
    } else {
        None
    }
}

/// Resolves the handler of `f` in `app` under `root`. `Ok(None)` when the function has no local
/// code to read (no handler, an image, code in S3, inline code, an unsupported runtime).
pub fn resolve(root: &Path, app: &App, f: &Function) -> Result<Option<Handler>, CodeError> {
    let loader = Loader::new(root)?;
    resolve_with(&loader, app, f)
}

/// [`resolve`] with an existing loader (its root confines every path).
pub fn resolve_with(
    loader: &Loader,
    app: &App,
    f: &Function,
) -> Result<Option<Handler>, CodeError> {
    if no_local_code(f).is_some() {
        return Ok(None);
    }
    if let Some(rt) = str_of(f.runtime.as_ref())
        && runtime_lang(f).is_none()
        && !rt.contains("unknown")
    {
        // Java, .NET, Go, Ruby, custom runtimes: not read (yet).
        let lower = rt.to_ascii_lowercase();
        if ["java", "dotnet", "go", "ruby", "provided"]
            .iter()
            .any(|p| lower.starts_with(p))
        {
            return Ok(None);
        }
    }
    let app_dir = loader
        .root()
        .join(&app.file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| loader.root().to_path_buf());
    let code_dir = match (f.kind, app.format) {
        (_, Format::ServerlessFramework) => app_dir.clone(),
        (FunctionKind::SamFunction | FunctionKind::LambdaFunction, _) => {
            match str_of(f.code_uri.as_ref()) {
                Some(c) => app_dir.join(c),
                None if f.code_uri.is_none() => app_dir.clone(),
                None => return Ok(None),
            }
        }
        (FunctionKind::AzureFunction | FunctionKind::GcpFunction, _) => {
            match str_of(f.code_uri.as_ref()) {
                Some(c) => app_dir.join(c),
                None if f.code_uri.is_none() => app_dir.clone(),
                // A GCS archive object or a repository: no local code to read.
                None => return Ok(None),
            }
        }
    };
    // `CodeUri: src/app.js`, Terraform `source_file = "./src/app.py"`: the file's directory.
    let code_dir = if f.kind.is_lambda() && loader.is_file(&code_dir) {
        code_dir.parent().map(Path::to_path_buf).unwrap_or(code_dir)
    } else {
        code_dir
    };
    match f.kind {
        FunctionKind::SamFunction | FunctionKind::LambdaFunction => {
            let Some(handler) = str_of(f.handler.as_ref()) else {
                return Ok(None);
            };
            resolve_lambda(loader, &code_dir, handler, runtime_lang(f)).map(Some)
        }
        FunctionKind::AzureFunction | FunctionKind::GcpFunction => {
            resolve_platform(loader, f, &code_dir).map(Some)
        }
    }
}

/// Lambda handler strings: `dir/file.fn` (Node) or `pkg.module.fn` / `dir/module.fn` (Python).
fn resolve_lambda(
    loader: &Loader,
    code_dir: &Path,
    handler: &str,
    lang: Option<Lang>,
) -> Result<Handler, CodeError> {
    let (dir_part, file_part) = match handler.rfind('/') {
        Some(i) => (&handler[..i], &handler[i + 1..]),
        None => ("", handler),
    };
    let mut tried = Vec::new();
    // Node: the module is up to the first dot of the last path segment.
    if lang != Some(Lang::Python)
        && let Some((module, export)) = file_part.split_once('.')
    {
        for ext in NODE_EXTS {
            let candidate = code_dir.join(dir_part).join(format!("{module}.{ext}"));
            tried.push(candidate.clone());
            if loader.is_file(&candidate) {
                return found(loader, candidate, export);
            }
        }
    }
    // Python: the function is after the last dot; the module's dots are directories.
    if lang != Some(Lang::JavaScript)
        && let Some((module, export)) = file_part.rsplit_once('.')
    {
        let rel: PathBuf = module.split('.').collect();
        let candidate = PathBuf::from(format!(
            "{}.py",
            code_dir.join(dir_part).join(rel).display()
        ));
        tried.push(candidate.clone());
        if loader.is_file(&candidate) {
            return found(loader, candidate, export);
        }
    }
    if !file_part.contains('.') {
        return Err(CodeError::BadHandler(handler.to_string()));
    }
    Err(CodeError::NotFound(
        handler.to_string(),
        describe(loader, &tried),
    ))
}

/// Azure (`scriptFile` + `entryPoint`, the declaring file of a v2/v4 programming-model function)
/// and GCP (`entry_point` + source directory).
fn resolve_platform(loader: &Loader, f: &Function, code: &Path) -> Result<Handler, CodeError> {
    let lang = runtime_lang(f);
    let entry = str_of(f.handler.as_ref());
    // Functions declared in code (Python decorators, Node `app.http(...)`) come from that file.
    let declared = loader.root().join(&*f.origin.file);
    if Lang::from_path(&declared).is_some() && loader.is_file(&declared) {
        let mut h = found(loader, declared, entry.unwrap_or(&f.id))?;
        if entry.is_none() {
            h.registered_as = Some(f.id.clone());
        }
        return Ok(h);
    }
    if code.extension().is_some() && loader.is_file(code) {
        let export = entry.unwrap_or(match Lang::from_path(code) {
            Some(Lang::Python) => "main",
            _ => "default",
        });
        return found(loader, code.to_path_buf(), export);
    }
    let mut tried = Vec::new();
    let names: &[&str] = match lang {
        Some(Lang::Python) => &["main.py", "__init__.py", "function_app.py"],
        Some(_) => &[
            "index.js",
            "index.mjs",
            "index.ts",
            "src/index.js",
            "dist/index.js",
        ],
        None => &[
            "main.py",
            "__init__.py",
            "function_app.py",
            "index.js",
            "index.ts",
        ],
    };
    for name in names {
        let candidate = code.join(name);
        tried.push(candidate.clone());
        if loader.is_file(&candidate) {
            let export = entry.unwrap_or(if name.ends_with(".py") {
                "main"
            } else {
                "default"
            });
            return found(loader, candidate, export);
        }
    }
    Err(CodeError::NotFound(
        entry.unwrap_or(&f.id).to_string(),
        describe(loader, &tried),
    ))
}

fn found(loader: &Loader, path: PathBuf, export: &str) -> Result<Handler, CodeError> {
    let path = loader.confine(&path)?;
    let lang =
        Lang::from_path(&path).ok_or_else(|| CodeError::Unsupported(path.display().to_string()))?;
    Ok(Handler {
        lang,
        path,
        export: export.to_string(),
        registered_as: None,
    })
}

fn describe(loader: &Loader, tried: &[PathBuf]) -> String {
    tried
        .iter()
        .map(|p| {
            p.strip_prefix(loader.root())
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect::<Vec<_>>()
        .join(", ")
}
