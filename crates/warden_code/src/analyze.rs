//! The project pass: resolves every function's handler, runs the taint engine on it (functions
//! in parallel, files parsed once), and gathers issues, errors and the texts of the files read.

use crate::engine::Engine;
use crate::error::CodeError;
use crate::handler::resolve_with;
use crate::loader::Loader;
use crate::report::{CodeReport, CodeScanError, FunctionReport};
use crate::sources::{Exposure, event_sources};
use crate::value::{SrcObj, Val};
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;
use warden_model::{App, Function};

/// Analyses the handlers of every function of `apps` (paths relative to `root`).
pub fn analyze(root: &Path, apps: &[App]) -> CodeReport {
    let loader = match Loader::new(root) {
        Ok(l) => l,
        Err(e) => {
            return CodeReport {
                errors: vec![CodeScanError {
                    file: String::new(),
                    message: e.to_string(),
                }],
                ..CodeReport::default()
            };
        }
    };
    let tasks: Vec<(&App, &Function)> = apps
        .iter()
        .flat_map(|a| a.functions.iter().map(move |f| (a, f)))
        .collect();
    let results: Vec<Result<Option<FunctionReport>, CodeScanError>> = tasks
        .par_iter()
        .map(|(app, f)| analyze_function(&loader, app, f))
        .collect();
    let mut report = CodeReport::default();
    for r in results {
        match r {
            Ok(Some(f)) => report.functions.push(f),
            Ok(None) => {}
            Err(e) => report.errors.push(e),
        }
    }
    report.errors.sort();
    report.errors.dedup();
    report.sources = loader.loaded().iter().map(|f| f.source.clone()).collect();
    report
}

fn error(loader: &Loader, app: &App, f: &Function, e: &CodeError) -> CodeScanError {
    let file = match e {
        CodeError::TooLarge(p, _) | CodeError::Read(p, _) | CodeError::OutsideRoot(p) => p
            .strip_prefix(loader.root())
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/"),
        _ => app.file.clone(),
    };
    CodeScanError {
        file,
        message: format!("handler of `{}`: {e}", f.id),
    }
}

/// Analyses one function. `Ok(None)` when it has no readable local code.
pub fn analyze_function(
    loader: &Loader,
    app: &App,
    f: &Function,
) -> Result<Option<FunctionReport>, CodeScanError> {
    let handler = match resolve_with(loader, app, f) {
        Ok(Some(h)) => h,
        Ok(None) | Err(CodeError::NotFound(..) | CodeError::BadHandler(_)) => return Ok(None),
        Err(e) => return Err(error(loader, app, f, &e)),
    };
    let file = loader
        .load(&handler.path)
        .map_err(|e| error(loader, app, f, &e))?;
    let (spec, exposure) = event_sources(app, f);
    let mut engine = Engine::new(loader);
    engine.http = matches!(exposure, Exposure::Public | Exposure::Authenticated);
    let module = engine.add_module(file.clone());
    let event = Val {
        src: Some(SrcObj {
            spec: Arc::new(spec),
            path: Vec::new(),
            root: Arc::from("event"),
            framework: false,
        }),
        ..Val::default()
    };
    if !engine.run_entry(
        module,
        &handler.export,
        event,
        handler.registered_as.as_deref(),
    ) {
        return Err(CodeScanError {
            file: file.rel.to_string(),
            message: format!(
                "handler of `{}`: no function `{}` in `{}`",
                f.id, handler.export, file.rel
            ),
        });
    }
    Ok(Some(FunctionReport {
        app: app.file.clone(),
        function: f.id.clone(),
        file: file.rel.to_string(),
        handler: handler.export.clone(),
        exposure,
        issues: engine.into_issues(),
    }))
}

/// Analyses the function `export` of the file `rel` under `root` as a handler whose event has the
/// attacker-controlled fields of `spec` (what the project pass does once the handler is resolved).
pub fn analyze_file(
    root: &Path,
    rel: &str,
    export: &str,
    spec: crate::value::TaintSpec,
) -> Result<Vec<crate::report::Issue>, CodeError> {
    let loader = Loader::new(root)?;
    let file = loader.load(&loader.root().join(rel))?;
    let mut engine = Engine::new(&loader);
    let module = engine.add_module(file);
    let event = Val {
        src: Some(SrcObj {
            spec: Arc::new(spec),
            path: Vec::new(),
            root: Arc::from("event"),
            framework: false,
        }),
        ..Val::default()
    };
    if !engine.run_handler(module, export, event) {
        return Err(CodeError::NotFound(export.to_string(), rel.to_string()));
    }
    Ok(engine.into_issues())
}
