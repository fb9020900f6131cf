//! Integration tests of every output format on one synthetic report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixture;
mod formats;
mod github;
mod hostile;
mod json_contract;
mod junit_xml;
mod pretty;
mod sarif_schema;
mod secrets;

use warden_model::Report;
use warden_render::{Format, RenderOptions, render_to_string};
use warden_source::SourceMap;

/// Renders the fixture report (or `report`) in `format`.
pub fn render(format: Format) -> String {
    render_with(
        format,
        &fixture::report(),
        &fixture::sources(),
        &fixture::options(),
    )
}

pub fn render_with(
    format: Format,
    report: &Report,
    sources: &SourceMap,
    options: &RenderOptions,
) -> String {
    render_to_string(format, report, sources, &fixture::rules(), options).unwrap()
}

pub fn render_empty(format: Format) -> String {
    render_with(
        format,
        &Report::default(),
        &SourceMap::new(),
        &fixture::options(),
    )
}
