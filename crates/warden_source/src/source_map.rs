//! The texts of every scanned file, for turning spans into lines and excerpts at render time.

use crate::{LineIndex, Position, Span};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// One file's text and its lazily built line index.
#[derive(Debug)]
pub struct SourceFile {
    pub path: Arc<str>,
    pub text: Arc<str>,
    index: OnceLock<LineIndex>,
}

impl SourceFile {
    pub fn new(path: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
            index: OnceLock::new(),
        }
    }

    pub fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }

    pub fn position(&self, offset: u32) -> Position {
        self.index().position(&self.text, offset)
    }

    /// Start and end positions of a span.
    pub fn range(&self, span: Span) -> (Position, Position) {
        (self.position(span.start), self.position(span.end))
    }

    /// The text of 1-based `line`, without its terminator.
    pub fn line(&self, line: u32) -> Option<&str> {
        let range = self.index().line_range(&self.text, line)?;
        self.text.get(range)
    }
}

/// Every file text kept for rendering, by relative path.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: BTreeMap<Arc<str>, Arc<SourceFile>>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, file: Arc<SourceFile>) {
        self.files.insert(file.path.clone(), file);
    }

    pub fn get(&self, path: &str) -> Option<&Arc<SourceFile>> {
        self.files.get(path)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}
