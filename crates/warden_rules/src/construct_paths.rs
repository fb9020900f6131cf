//! Names CDK constructs in findings: a finding about a resource of a CDK-synthesized template says
//! which construct (`aws:cdk:path`) it comes from, since the logical id (`OrderFn3A1B2C3D`) is a
//! generated name the developer never wrote.

use warden_model::{App, Finding, Format};

/// Appends ` (CDK construct `Stack/Fn/Resource`)` to the message of every finding located in a CDK
/// app whose resource has a construct path.
pub fn annotate(findings: &mut [Finding], apps: &[App]) {
    for app in apps.iter().filter(|a| a.format == Format::Cdk) {
        for f in findings.iter_mut() {
            if *f.origin.file != *app.file {
                continue;
            }
            let Some(path) = f
                .resource
                .as_deref()
                .and_then(|r| app.construct_paths.get(r))
            else {
                continue;
            };
            let note = format!(" (CDK construct `{path}`)");
            if !f.message.ends_with(&note) {
                f.message.push_str(&note);
            }
        }
    }
}
