//! Byte offset to 1-based line and column conversion.

use serde::Serialize;

/// A 1-based line and column. Columns count Unicode scalar values, as editors do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// Start offsets of every line of a text, for O(log n) offset lookups.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            memchr_newlines(text.as_bytes()).map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        Self { line_starts }
    }

    /// Number of lines (a trailing newline does not start a new line of content, but is counted).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The position of byte `offset` in `text` (clamped to the text; mid-character offsets round down).
    pub fn position(&self, text: &str, offset: u32) -> Position {
        let offset = offset.min(u32::try_from(text.len()).unwrap_or(u32::MAX));
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts[line] as usize;
        let mut end = offset as usize;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text.get(start..end).map_or(0, |s| s.chars().count());
        Position {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }

    /// The byte range of 1-based `line` without its line terminator.
    pub fn line_range(&self, text: &str, line: u32) -> Option<std::ops::Range<usize>> {
        let idx = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *self.line_starts.get(idx)? as usize;
        let mut end = self
            .line_starts
            .get(idx + 1)
            .map_or(text.len(), |&e| e as usize);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        Some(start..end)
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(i, &b)| (b == b'\n').then_some(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "a: 1\nbé: x\n\nlast";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(idx.position(text, 5), Position { line: 2, column: 1 });
        // 'x' sits after "bé: " which is 5 bytes but 4 characters.
        let x = text.find('x').unwrap() as u32;
        assert_eq!(idx.position(text, x), Position { line: 2, column: 5 });
        assert_eq!(idx.position(text, 12), Position { line: 3, column: 1 });
        assert_eq!(idx.position(text, 9999), Position { line: 4, column: 5 });
    }

    #[test]
    fn line_ranges_strip_terminators() {
        let text = "one\r\ntwo\nthree";
        let idx = LineIndex::new(text);
        assert_eq!(&text[idx.line_range(text, 1).unwrap()], "one");
        assert_eq!(&text[idx.line_range(text, 2).unwrap()], "two");
        assert_eq!(&text[idx.line_range(text, 3).unwrap()], "three");
        assert!(idx.line_range(text, 4).is_none());
        assert!(idx.line_range(text, 0).is_none());
    }
}
