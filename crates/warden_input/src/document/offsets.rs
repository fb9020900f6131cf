//! Conversion of the YAML scanner's (line, column) markers into byte offsets.
//!
//! `yaml-rust2` markers carry a character index, a 1-based line and a 0-based column in characters.
//! The character index is not reliable (block-scalar content advances it by bytes), but lines and
//! columns are: a line ends at `\n`, `\r\n` or a lone `\r`, exactly as the scanner counts them.
//! [`LineMap`] turns a marker into a byte offset of the original text; a cursor makes the mostly
//! increasing sequence of lookups linear in the length of the text.

use memchr::memchr;

/// Byte offsets of line starts, plus a cursor for fast monotone lookups.
pub(super) struct LineMap<'a> {
    text: &'a str,
    /// Byte offset added to every result (a stripped byte-order mark).
    base: u32,
    starts: Vec<u32>,
    /// Last lookup: line index, column, byte offset inside `text`.
    cursor: (usize, usize, usize),
}

impl<'a> LineMap<'a> {
    /// Indexes `text`; results are shifted by `base` bytes. `text` must be shorter than 4 GiB.
    pub(super) fn new(text: &'a str, base: u32) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0u32];
        if memchr(b'\r', bytes).is_none() {
            starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| to_u32(i + 1)));
        } else {
            let mut i = 0;
            while i < bytes.len() {
                match bytes[i] {
                    b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                        starts.push(to_u32(i + 2));
                        i += 2;
                        continue;
                    }
                    b'\r' | b'\n' => starts.push(to_u32(i + 1)),
                    _ => {}
                }
                i += 1;
            }
        }
        Self {
            text,
            base,
            starts,
            cursor: (0, 0, 0),
        }
    }

    /// The byte offset (including `base`) of 1-based `line`, 0-based character `col`, clamped to
    /// the end of that line (and to the end of the text for lines past the end).
    pub(super) fn offset(&mut self, line: usize, col: usize) -> u32 {
        let idx = line.saturating_sub(1);
        let Some(&start) = self.starts.get(idx) else {
            return self.base + to_u32(self.text.len());
        };
        let start = start as usize;
        let line_end = self.line_end(idx);
        let (mut byte, mut c) = if self.cursor.0 == idx && self.cursor.1 <= col {
            (self.cursor.2, self.cursor.1)
        } else {
            (start, 0)
        };
        let line_text = self.text.get(byte..line_end).unwrap_or("");
        if line_text.is_ascii() || col == c {
            byte = (byte + (col - c)).min(line_end);
            c = col;
        } else {
            for ch in line_text.chars() {
                if c == col {
                    break;
                }
                byte += ch.len_utf8();
                c += 1;
            }
        }
        self.cursor = (idx, c, byte);
        self.base + to_u32(byte)
    }

    /// End of line `idx` (before its terminator).
    fn line_end(&self, idx: usize) -> usize {
        let next = self
            .starts
            .get(idx + 1)
            .map_or(self.text.len(), |&s| s as usize);
        let bytes = self.text.as_bytes();
        let mut end = next;
        if end > 0 && idx + 1 < self.starts.len() {
            // Drop the terminator: `\n`, `\r\n` or `\r`.
            if bytes.get(end - 1) == Some(&b'\n') {
                end -= 1;
            }
            if end > 0 && bytes.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
        }
        end.max(self.starts[idx] as usize)
    }
}

/// Converts a length or offset known to fit (inputs are limited to 4 GiB) into `u32`.
pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_lines_every_terminator() {
        let text = "é: x\r\nb\rcc: 😀y\nlast";
        let mut map = LineMap::new(text, 0);
        assert_eq!(map.offset(1, 0), 0);
        assert_eq!(map.offset(1, 3), text.find('x').unwrap() as u32);
        assert_eq!(map.offset(2, 0), text.find('b').unwrap() as u32);
        assert_eq!(map.offset(3, 5), text.find('y').unwrap() as u32);
        // Going backwards on the same line resets the cursor.
        assert_eq!(map.offset(3, 0), text.find("cc").unwrap() as u32);
        assert_eq!(map.offset(4, 2), text.find("st").unwrap() as u32);
        // Past the end of a line or of the text clamps.
        assert_eq!(map.offset(2, 99), text.find('b').unwrap() as u32 + 1);
        assert_eq!(map.offset(99, 0), text.len() as u32);
    }

    #[test]
    fn base_shifts_results() {
        let mut map = LineMap::new("ab", 3);
        assert_eq!(map.offset(1, 1), 4);
    }
}
