#![allow(clippy::unwrap_used)]
use std::path::Path;
use std::sync::Arc;
use warden_input::cfn::{self, context::ParamOverrides};
use warden_input::document::{self, Limits};
use warden_rules::{Selection, all_rules, run_rules};

#[test]
fn mine() {
    let mut problems = Vec::new();
    for rule in all_rules() {
        let code = rule.meta().code;
        if code.starts_with("DEP") || code.starts_with("IAM") { continue; }
        for kind in ["fires", "passes"] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{code}/{kind}.yaml"));
            let text = std::fs::read_to_string(&path).unwrap();
            let file: Arc<str> = Arc::from(format!("{kind}.yaml"));
            let doc = document::parse(file.clone(), &text, &Limits::default()).unwrap();
            let app = cfn::lower(file, &doc.root, &ParamOverrides::new()).unwrap();
            let selection = Selection { select: vec![code.to_string()], ..Selection::default() };
            let f = run_rules(&app, &selection);
            for x in &f { println!("{code} {kind}: {} {} {}", x.severity, x.resource.as_deref().unwrap_or("-"), x.message); }
            let ok = if kind == "fires" { f.iter().any(|x| x.severity >= rule.meta().severity.min(warden_model::Severity::Medium)) } else { f.is_empty() };
            if !ok { problems.push(format!("{code} {kind}")); }
        }
    }
    assert!(problems.is_empty(), "{problems:?}");
}
