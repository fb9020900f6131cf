//! Where a value came from: file, byte span and document path.

use std::sync::Arc;

/// A half-open byte range `[start, end)` in a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Self {
        Self {
            start,
            end: end.max(start),
        }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// The origin of a value: file relative to the scanned root, byte span, document path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    pub file: Arc<str>,
    pub span: Span,
    /// A JSON-pointer-like path inside the document, e.g. `/Resources/Fn/Properties/Role`.
    pub path: Arc<str>,
}

impl Origin {
    pub fn new(file: Arc<str>, span: Span, path: impl Into<Arc<str>>) -> Self {
        Self {
            file,
            span,
            path: path.into(),
        }
    }

    /// An origin for a value synthesised from another (e.g. a SAM-generated role): same place.
    pub fn derived(&self, suffix: &str) -> Self {
        Self {
            file: self.file.clone(),
            span: self.span,
            path: format!("{}{suffix}", self.path).into(),
        }
    }
}

/// A value with its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Located<T> {
    pub fn new(value: T, origin: Origin) -> Self {
        Self { value, origin }
    }
}
