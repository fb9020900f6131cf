//! A finding's place resolved against the source map: clamped span, 1-based start and end.

use warden_source::{Origin, Position, SourceFile, SourceMap, Span};

/// Where something is, with lines and columns (1-based; columns count Unicode scalar values).
///
/// A file missing from the source map is at line 1, column 1, with no text.
#[derive(Debug, Clone)]
pub struct Location<'a> {
    /// The path relative to the scanned root, as the finding gave it.
    pub file: &'a str,
    /// The file's text, when the source map has it.
    pub source: Option<&'a SourceFile>,
    /// The span clamped to the text, on character boundaries, without trailing line breaks.
    pub span: Span,
    pub start: Position,
    /// The position just after the last character of the span.
    pub end: Position,
}

const FIRST: Position = Position { line: 1, column: 1 };

impl<'a> Location<'a> {
    /// Resolves `origin` against `sources`.
    pub fn resolve(origin: &'a Origin, sources: &'a SourceMap) -> Self {
        let file: &'a str = &origin.file;
        let Some(source) = sources.get(file).map(|f| &**f) else {
            return Self {
                file,
                source: None,
                span: origin.span,
                start: FIRST,
                end: FIRST,
            };
        };
        let span = clamp(&source.text, origin.span);
        Self {
            file,
            source: Some(source),
            span,
            start: source.position(span.start),
            end: source.position(span.end),
        }
    }

    /// The text under the span, when the file is known.
    pub fn text(&self) -> Option<&'a str> {
        let text: &'a str = &self.source?.text;
        text.get(self.span.start as usize..self.span.end as usize)
    }
}

/// Clamps `span` into `text`, moves both ends onto character boundaries and drops trailing line
/// breaks (a YAML node's span often swallows the newline after it).
fn clamp(text: &str, span: Span) -> Span {
    let len = text.len();
    let mut start = (span.start as usize).min(len);
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (span.end as usize).clamp(start, len);
    while end < len && !text.is_char_boundary(end) {
        end += 1;
    }
    let bytes = text.as_bytes();
    while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
        end -= 1;
    }
    // Offsets came from u32 and only moved within `text`, whose length bounds them.
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Span::new(to_u32(start), to_u32(end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn map(text: &str) -> SourceMap {
        let mut map = SourceMap::new();
        map.insert(Arc::new(SourceFile::new("t.yaml", text)));
        map
    }

    fn origin(file: &str, start: u32, end: u32) -> Origin {
        Origin::new(file.into(), Span::new(start, end), "/x")
    }

    #[test]
    fn resolves_positions_and_trims_the_trailing_newline() {
        let sources = map("a: 1\nb:\n  c: 2\nd: 3\n");
        let o = origin("t.yaml", 5, 15);
        let loc = Location::resolve(&o, &sources);
        assert_eq!(loc.text(), Some("b:\n  c: 2"));
        assert_eq!((loc.start.line, loc.start.column), (2, 1));
        assert_eq!((loc.end.line, loc.end.column), (3, 7));
    }

    #[test]
    fn clamps_out_of_range_and_mid_character_spans() {
        let sources = map("k: é\n");
        let o = origin("t.yaml", 4, 400);
        let loc = Location::resolve(&o, &sources);
        assert_eq!(loc.text(), Some("é"));
        let o = origin("t.yaml", 5, 5);
        let loc = Location::resolve(&o, &sources);
        assert_eq!(loc.text(), Some(""));
        assert_eq!(loc.start.column, 5);
    }

    #[test]
    fn missing_files_are_at_line_one_column_one() {
        let sources = map("x");
        let o = origin("gone.yaml", 40, 90);
        let loc = Location::resolve(&o, &sources);
        assert_eq!((loc.start, loc.end), (FIRST, FIRST));
        assert_eq!(loc.text(), None);
    }
}
