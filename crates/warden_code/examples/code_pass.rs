//! Runs the code pass alone on a project and prints what it read and how long it took:
//! `cargo run --release -p warden_code --example code_pass -- /path/to/serverless-patterns`.

use std::time::Instant;

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: code_pass PATH");
        std::process::exit(2);
    };
    let root = std::path::Path::new(&root);
    let started = Instant::now();
    let project =
        match warden_input::project::load(root, &warden_input::project::LoadOptions::default()) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("cannot load {}: {e}", root.display());
                std::process::exit(2);
            }
        };
    let loaded = started.elapsed();
    let started = Instant::now();
    let report = warden_code::analyze(root, &project.apps);
    let analysed = started.elapsed();
    let functions: usize = project.apps.iter().map(|a| a.functions.len()).sum();
    let bytes: usize = report.sources.iter().map(|s| s.text.len()).sum();
    println!(
        "load {:.3}s; code pass {:.3}s: {} of {} functions analysed, {} files ({} KB) parsed, {} issues, {} errors",
        loaded.as_secs_f64(),
        analysed.as_secs_f64(),
        report.functions.len(),
        functions,
        report.sources.len(),
        bytes / 1024,
        report.issues().count(),
        report.errors.len(),
    );
    // `--why`: the functions whose handler file was not found, and why.
    if std::env::args().any(|a| a == "--why")
        && let Ok(loader) = warden_code::loader::Loader::new(root)
    {
        for app in &project.apps {
            for f in &app.functions {
                if let Err(e) = warden_code::handler::resolve_with(&loader, app, f) {
                    println!("{} {}: {e}", app.file, f.id);
                }
            }
        }
    }
}
