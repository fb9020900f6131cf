//! The code excerpt under a finding for humans: the offending lines (at most six), carets under a
//! single-line span, long lines windowed around the span, secrets masked, text terminal-safe.

use crate::context::FindingView;
use crate::sanitize::display_char;
use std::ops::Range;
use unicode_width::UnicodeWidthChar;

/// Rows of a multi-line excerpt beyond this are elided (the first and last rows stay).
const MAX_ROWS: usize = 6;
/// Kept before and after the elision of a long excerpt.
const HEAD_ROWS: usize = 3;
const TAIL_ROWS: usize = 2;
/// Display columns of one excerpt line; longer lines are windowed around the span.
const MAX_WIDTH: usize = 100;
/// Columns of context kept before the span when a long line is windowed.
const LEAD: usize = 24;

/// One row of an excerpt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A source line: its number, its display text, and the carets `(column, width)` (0-based
    /// display columns) under the span when the span sits on this one line.
    Line {
        number: u32,
        text: String,
        carets: Option<(usize, usize)>,
    },
    /// Rows left out of a long span.
    Elided(usize),
}

/// The excerpt of a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub rows: Vec<Row>,
    /// The span covers several lines: every row is part of it (no carets).
    pub multiline: bool,
}

impl Excerpt {
    /// The excerpt of `view`, or `None` when its file's text is unknown.
    pub fn of(view: &FindingView<'_>) -> Option<Self> {
        let loc = &view.location;
        let source = loc.source?;
        let text: &str = &source.text;
        let index = source.index();
        let first = index.line_range(text, loc.start.line)?;
        let last = index.line_range(text, loc.end.line)?;
        let start = (loc.span.start as usize).max(first.start).min(first.end);
        let end = (loc.span.end as usize).min(last.end).max(start);
        let shown = view.shown_text().unwrap_or_default();
        // The shown lines with the finding's span replaced by `shown` and every other secret of
        // the file that appears in them replaced by its mask.
        let mut window = String::new();
        let mut pos = first.start;
        let mut hl = 0..0;
        let others = view
            .file_secrets
            .iter()
            .filter(|(s, e, _)| *s >= first.start && *e <= last.end && (*e <= start || *s >= end));
        let mut edits: Vec<(usize, usize, &str, bool)> = others
            .map(|(s, e, m)| (*s, *e, m.as_str(), false))
            .collect();
        edits.push((start, end, shown.as_str(), true));
        edits.sort_by_key(|e| e.0);
        for (s, e, replacement, own) in edits {
            if s < pos {
                continue;
            }
            window.push_str(text.get(pos..s)?);
            if own {
                hl = window.len()..window.len() + replacement.len();
            }
            window.push_str(replacement);
            pos = e;
        }
        window.push_str(text.get(pos..last.end)?);

        let mut lines = Vec::new();
        let mut offset = 0;
        for line in window.split('\n') {
            let range = offset..offset + line.len();
            offset = range.end + 1;
            let line = line.strip_suffix('\r').unwrap_or(line);
            lines.push((line, range));
        }
        let multiline = lines.len() > 1;
        let mut rows: Vec<Row> = lines
            .iter()
            .zip(loc.start.line..)
            .map(|((line, range), number)| {
                let local = (!multiline).then(|| {
                    let s = hl.start.clamp(range.start, range.end) - range.start;
                    let e = hl.end.clamp(range.start, range.end) - range.start;
                    s.min(line.len())..e.min(line.len())
                });
                let (text, carets) = display_line(line, local);
                Row::Line {
                    number,
                    text,
                    carets,
                }
            })
            .collect();
        if rows.len() > MAX_ROWS {
            let elided = rows.len() - HEAD_ROWS - TAIL_ROWS;
            let tail = rows.split_off(rows.len() - TAIL_ROWS);
            rows.truncate(HEAD_ROWS);
            rows.push(Row::Elided(elided));
            rows.extend(tail);
        }
        Some(Self { rows, multiline })
    }
}

/// A line as shown: terminal-safe, windowed to [`MAX_WIDTH`] columns, and the carets under the
/// byte range `hl` in display columns (at least one caret).
fn display_line(line: &str, hl: Option<Range<usize>>) -> (String, Option<(usize, usize)>) {
    // Each character's display text and width, with its byte offset in `line`.
    let cells: Vec<(usize, String, usize)> = line
        .char_indices()
        .map(|(at, c)| {
            let mut shown = String::new();
            display_char(c, &mut shown);
            let width = shown.chars().map(|c| c.width().unwrap_or(0)).sum();
            (at, shown, width)
        })
        .collect();
    let total: usize = cells.iter().map(|c| c.2).sum();
    let hl_cells = hl.as_ref().map(|hl| {
        let first = cells
            .iter()
            .position(|c| c.0 >= hl.start)
            .unwrap_or(cells.len());
        let last = cells
            .iter()
            .position(|c| c.0 >= hl.end)
            .unwrap_or(cells.len());
        first..last
    });

    let (from, to) = if total <= MAX_WIDTH {
        (0, cells.len())
    } else {
        window(&cells, hl_cells.as_ref().map_or(0, |r| r.start))
    };
    let mut text = String::new();
    let mut col = 0;
    if from > 0 {
        text.push('…');
        col += 1;
    }
    let mut carets: Option<(usize, usize)> = None;
    for (i, (_, shown, width)) in cells.iter().enumerate().take(to).skip(from) {
        if let Some(r) = &hl_cells
            && r.contains(&i)
        {
            let c = carets.get_or_insert((col, 0));
            c.1 += width;
        }
        text.push_str(shown);
        col += width;
    }
    if to < cells.len() {
        text.push('…');
    }
    let carets = hl_cells.map(|r| match carets {
        Some((c, w)) => (c, w.max(1)),
        // An empty span, or one past the window: one caret where it starts.
        None => {
            let before: usize = cells
                .iter()
                .take(r.start.min(to))
                .skip(from)
                .map(|c| c.2)
                .sum();
            (before + usize::from(from > 0), 1)
        }
    });
    (text, carets)
}

/// The cells `[from, to)` to show of a long line so that `focus` is visible with some lead.
fn window(cells: &[(usize, String, usize)], focus: usize) -> (usize, usize) {
    let mut from = focus;
    let mut lead = 0;
    while from > 0 && lead + cells[from - 1].2 <= LEAD {
        from -= 1;
        lead += cells[from].2;
    }
    let budget = MAX_WIDTH - 2;
    let mut to = from;
    let mut used = 0;
    while to < cells.len() && used + cells[to].2 <= budget {
        used += cells[to].2;
        to += 1;
    }
    // Near the end of the line: spend what is left of the budget on more context before.
    while to == cells.len() && from > 0 && used + cells[from - 1].2 <= budget {
        from -= 1;
        used += cells[from].2;
    }
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carets_count_display_columns() {
        let (text, carets) = display_line("名前: 値値", Some(8..14));
        assert_eq!(text, "名前: 値値");
        assert_eq!(carets, Some((6, 4)));
    }

    #[test]
    fn empty_spans_get_one_caret() {
        assert_eq!(display_line("abc", Some(1..1)).1, Some((1, 1)));
        assert_eq!(display_line("", Some(0..0)).1, Some((0, 1)));
    }

    #[test]
    fn long_lines_are_windowed_around_the_span() {
        let line = format!("{}TARGET{}", "x".repeat(500), "y".repeat(500));
        let (text, carets) = display_line(&line, Some(500..506));
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert!(text.chars().count() <= MAX_WIDTH);
        let (col, width) = carets.unwrap();
        assert_eq!(width, 6);
        assert_eq!(text.chars().skip(col).take(6).collect::<String>(), "TARGET");
    }

    #[test]
    fn spans_near_the_end_of_a_long_line_keep_a_full_window() {
        let line = format!("{}TARGET", "x".repeat(500));
        let (text, carets) = display_line(&line, Some(500..506));
        assert!(text.starts_with('…') && text.ends_with("TARGET"));
        assert_eq!(text.chars().count(), MAX_WIDTH - 1);
        assert_eq!(carets, Some((MAX_WIDTH - 7, 6)));
    }

    #[test]
    fn tabs_and_escapes_are_made_safe() {
        let (text, carets) = display_line("\tk: \u{1b}[2Jv", Some(4..5));
        assert_eq!(text, "    k: \u{FFFD}[2Jv");
        assert_eq!(carets, Some((7, 1)));
    }
}
