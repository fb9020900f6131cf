//! Byte offsets to 1-based lines and columns (columns count Unicode scalar values).

/// Number of characters in `bytes` (UTF-8 lead bytes; invalid bytes count as one each).
pub(crate) fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// Line and column of `offset`, given the start of its line and that line's number.
pub(crate) fn column(text: &[u8], line_start: usize, offset: usize) -> u32 {
    let n = char_count(&text[line_start..offset.min(text.len())]);
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

/// End line and exclusive end column of a span `[start, end)` that begins on `line`
/// (starting at `line_start`).
pub(crate) fn end_position(
    text: &[u8],
    line: u32,
    line_start: usize,
    start: usize,
    end: usize,
) -> (u32, u32) {
    let span = &text[start..end];
    let breaks = memchr::memchr_iter(b'\n', span).count();
    if breaks == 0 {
        return (line, column(text, line_start, end));
    }
    let last_start = memchr::memrchr(b'\n', span).map_or(line_start, |i| start + i + 1);
    let end_line = line.saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX));
    (end_line, column(text, last_start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns() {
        let t = "aé=XYZ\nabc".as_bytes();
        assert_eq!(column(t, 0, 4), 4);
        assert_eq!(end_position(t, 1, 0, 4, 7), (1, 7));
        assert_eq!(end_position(t, 1, 0, 4, 10), (2, 3));
    }
}
