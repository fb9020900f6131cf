//! Cloud-neutral rules over Terraform for Google Cloud: the public-endpoint rule (AUTH001) on
//! Cloud Functions whose invoker role is granted to everyone, with its severity by ingress.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use warden_model::Severity;
use warden_rules::{Selection, run_app};

#[test]
fn gcp_public_invoker_by_ingress() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cloud/gcp-public-invoker");
    let project =
        warden_input::project::load(&dir, &warden_input::project::LoadOptions::default()).unwrap();
    assert!(project.errors.is_empty(), "{:?}", project.errors);
    let selection = Selection {
        select: vec!["AUTH001".into()],
        ..Selection::default()
    };
    let mut got: Vec<(String, Severity)> = project
        .apps
        .iter()
        .flat_map(|app| run_app(app, &selection, &project.sources))
        .map(|f| (f.resource.unwrap(), f.severity))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (
                "google_cloudfunctions2_function.internal".to_string(),
                Severity::Medium
            ),
            (
                "google_cloudfunctions2_function.open".to_string(),
                Severity::High
            ),
        ]
    );
}
