//! The result of loading a format whose app spans several files (a Terraform module directory, an
//! Azure Functions project), as opposed to one template per file.

use std::sync::Arc;
use warden_model::{App, ScanError};
use warden_source::SourceFile;

/// Apps, the sources they were read from (for excerpts and suppression comments) and errors.
#[derive(Debug, Default)]
pub struct GroupLoad {
    pub apps: Vec<App>,
    pub sources: Vec<Arc<SourceFile>>,
    pub errors: Vec<ScanError>,
}

impl GroupLoad {
    pub fn extend(&mut self, other: GroupLoad) {
        self.apps.extend(other.apps);
        self.sources.extend(other.sources);
        self.errors.extend(other.errors);
    }
}
