//! What the analysis reports: per analysed function, its handler, exposure and issues; per file
//! that could not be analysed, an error. Rules in `warden_rules` turn issues into findings.

use crate::sources::Exposure;
use std::sync::Arc;
use warden_model::Related;
use warden_source::{Origin, SourceFile};

/// What an issue is about. Injection kinds need a tainted path from a source to the sink.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IssueKind {
    CommandInjection,
    CodeInjection,
    UnsafeDeserialization,
    SqlInjection,
    NoSqlInjection,
    PathTraversal,
    Ssrf,
    Xxe,
    /// `eval`-like call on a value that is neither constant nor shown to be attacker-controlled.
    DynamicCodeEvaluation,
    SensitiveLogging,
    JwtWithoutVerification,
    ErrorDetailsToClient,
}

impl IssueKind {
    /// True for kinds found by following a tainted flow.
    pub fn is_injection(self) -> bool {
        !matches!(
            self,
            IssueKind::DynamicCodeEvaluation
                | IssueKind::SensitiveLogging
                | IssueKind::JwtWithoutVerification
                | IssueKind::ErrorDetailsToClient
        )
    }
}

/// One issue in handler code.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub kind: IssueKind,
    /// The sink call (or the offending expression).
    pub origin: Origin,
    pub message: String,
    /// Source → steps → sink, for injection kinds.
    pub flow: Vec<Related>,
}

/// The analysis of one function's handler.
#[derive(Debug, Clone)]
pub struct FunctionReport {
    /// The app's template (relative path).
    pub app: String,
    pub function: String,
    /// The handler file (relative to the root) and exported name.
    pub file: String,
    pub handler: String,
    pub exposure: Exposure,
    pub issues: Vec<Issue>,
}

/// A handler that could not be analysed (never stops the scan).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CodeScanError {
    pub file: String,
    pub message: String,
}

/// The code analysis of a whole project.
#[derive(Debug, Default)]
pub struct CodeReport {
    pub functions: Vec<FunctionReport>,
    pub errors: Vec<CodeScanError>,
    /// The text of every analysed code file, for excerpts and line numbers.
    pub sources: Vec<Arc<SourceFile>>,
}

impl CodeReport {
    /// Every issue with the function report it belongs to.
    pub fn issues(&self) -> impl Iterator<Item = (&FunctionReport, &Issue)> {
        self.functions
            .iter()
            .flat_map(|f| f.issues.iter().map(move |i| (f, i)))
    }
}
