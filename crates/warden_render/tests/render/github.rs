//! GitHub workflow commands: one line per finding and per error, escaped.

use crate::{render, render_empty};
use warden_render::Format;

#[test]
fn one_escaped_command_per_finding_and_error() {
    let out = render(Format::Github);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 9);
    assert!(lines.iter().all(|l| l.starts_with("::")));
    let url = lines.iter().find(|l| l.contains("AUTH002")).unwrap();
    assert_eq!(
        *url,
        "::error file=template.yaml,line=14,col=9,endLine=14,endColumn=23,title=AUTH002 function-url-without-auth::function URL of `OrderFn` accepts requests from anyone: 50%25 of \"routes\" <open> & unsigned%0Asecond line%0A%0Ahelp: set `AuthType: AWS_IAM`, or put the function behind an API with an authorizer"
    );
    let kinds: Vec<&str> = lines
        .iter()
        .map(|l| l[2..].split(' ').next().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "notice", "notice", "error", "error", "error", "warning", "error", "warning", "warning"
        ]
    );
    assert!(lines[7].starts_with("::warning file=broken.yaml,"));
}

#[test]
fn empty_report_writes_nothing() {
    assert_eq!(render_empty(Format::Github), "");
}
