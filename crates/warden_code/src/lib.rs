//! Handler code analysis: tree-sitter parsing of JavaScript, TypeScript and Python, resolution of a
//! function's handler from the model to a file and a function, and taint analysis from the event
//! fields a trigger makes attacker-controlled to dangerous sinks (shell, eval, deserialisers, SQL,
//! file paths, outbound URLs, XML parsers), plus sensitive logging, unverified JWTs and error
//! details returned to clients.

pub mod analyze;
pub mod engine;
pub mod error;
pub mod handler;
pub mod ir;
pub mod loader;
pub mod lower;
pub mod lower_js;
pub mod lower_py;
pub mod parse;
pub mod report;
pub mod sdk;
pub mod sinks;
pub mod sources;
pub mod value;

pub use analyze::analyze;
pub use report::{CodeReport, CodeScanError, FunctionReport, Issue, IssueKind};
pub use sources::Exposure;
