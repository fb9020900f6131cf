//! YAML: `yaml-rust2`'s event parser driven by hand into the tree [`Builder`].
//!
//! The parser is pulled event by event (its own `load` recurses once per nesting level, which a
//! hostile document could use to overflow the stack; pulling lets the builder's depth limit stop
//! it first). Events carry only a start marker, so this module finds where each scalar ends and
//! where each tag is written by reading the source around the marker.

use super::builder::{Builder, Res, Scalar, Wrap};
use super::error::DocumentError;
use super::limits::Limits;
use super::offsets::{LineMap, to_u32};
use super::tags::{self, TagKind};
use super::yaml_spans::{alias_end, scalar_end};
use super::{Document, Format};
use std::sync::Arc;
use warden_source::Span;
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{ScanError, TScalarStyle};

/// Parses the first YAML document of `body` (a BOM already stripped; offsets shifted by `base`).
///
/// A panic inside the third-party scanner (none is known; the fuzz tests look for them) becomes
/// a syntax error for this file instead of taking the whole scan down.
pub(super) fn parse(
    file: Arc<str>,
    body: &str,
    base: u32,
    limits: &Limits,
) -> Result<Document, DocumentError> {
    let run = std::panic::AssertUnwindSafe(|| parse_events(file, body, base, limits));
    std::panic::catch_unwind(run).unwrap_or_else(|_| {
        Err(DocumentError::Syntax {
            format: Format::Yaml,
            message: "the YAML parser failed on this input".to_string(),
            span: Span::new(base, base),
        })
    })
}

fn parse_events(
    file: Arc<str>,
    body: &str,
    base: u32,
    limits: &Limits,
) -> Result<Document, DocumentError> {
    let mut lines = LineMap::new(body, base);
    let mut parser = Parser::new_from_str(body);
    let mut builder = Builder::new(file, limits);
    let mut reader = Reader {
        body,
        base,
        prev_end: base,
        flow: Vec::new(),
    };
    let mut documents = 0usize;
    loop {
        let (event, mark) = parser
            .next_token()
            .map_err(|e| scan_error(&mut lines, &e, limits))?;
        let at = lines.offset(mark.line(), mark.col());
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    builder.warn(
                        Span::new(at, at),
                        "the file holds more than one YAML document; only the first is read",
                    );
                    break;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let scalar = reader.scalar(&mut builder, value, style, anchor, tag.as_ref(), at);
                builder.scalar(scalar)?;
            }
            Event::SequenceStart(anchor, tag) => {
                reader.start(&mut builder, false, anchor, tag.as_ref(), at)?;
            }
            Event::MappingStart(anchor, tag) => {
                reader.start(&mut builder, true, anchor, tag.as_ref(), at)?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let close = if reader.flow.pop().unwrap_or(false) {
                    let end = (at + 1).min(base + to_u32(body.len()));
                    reader.prev_end = reader.prev_end.max(end);
                    Some(end)
                } else {
                    None
                };
                builder.end_collection(close)?;
            }
            Event::Alias(id) => {
                let end = base + to_u32(alias_end(body, (at - base) as usize));
                builder.alias(id, Span::new(at, end))?;
                reader.prev_end = reader.prev_end.max(end);
            }
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
        }
    }
    let (root, warnings) = builder.finish(base);
    Ok(Document {
        root,
        warnings,
        format: Format::Yaml,
    })
}

fn scan_error(lines: &mut LineMap<'_>, e: &ScanError, limits: &Limits) -> DocumentError {
    let at = lines.offset(e.marker().line(), e.marker().col());
    if e.info() == "recursion limit exceeded" {
        // The scanner's own cap on flow nesting (255 levels), met while it looks ahead.
        return DocumentError::TooDeep {
            limit: limits.max_depth,
            span: Span::new(at, at),
        };
    }
    DocumentError::Syntax {
        format: Format::Yaml,
        message: e.info().to_string(),
        span: Span::new(at, at),
    }
}

/// Source-reading state shared by the events of one document.
struct Reader<'s> {
    body: &'s str,
    base: u32,
    /// End of the last thing read (scalar, alias, bracket, block-sequence dash): tags of the next
    /// node are written between here and the node.
    prev_end: u32,
    /// For each open collection: does it close with a bracket?
    flow: Vec<bool>,
}

impl Reader<'_> {
    fn rel(&self, at: u32) -> usize {
        ((at - self.base) as usize).min(self.body.len())
    }

    /// Where `tag` is written before byte `to` (zero-width at `to` when it cannot be found).
    fn locate_tag(&self, tag: &Tag, to: u32) -> Span {
        let here = Span::new(to, to);
        let Some(written) = tags::written(&tag.handle, &tag.suffix) else {
            return here;
        };
        let (lo, hi) = (self.rel(self.prev_end), self.rel(to));
        match self.body.get(lo..hi).and_then(|s| s.rfind(&written)) {
            Some(i) => {
                let start = self.base + to_u32(lo + i);
                Span::new(start, start + to_u32(written.len()))
            }
            None => here,
        }
    }

    /// Where an empty value reported at `mark` (the next token) was due: after the indicator
    /// (`:`, `-`, `?`) that follows the last thing read, or right after that thing.
    fn empty_at(&self, mark: u32) -> u32 {
        let (lo, hi) = (self.rel(self.prev_end), self.rel(mark));
        let b = self.body.as_bytes();
        let mut i = lo;
        while i < hi && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        let at = if i < hi && matches!(b[i], b':' | b'-' | b'?') {
            i + 1
        } else {
            lo
        };
        self.base + to_u32(at)
    }

    /// Reads a tag: its kind and span, warning about unknown ones.
    fn tag(
        &self,
        builder: &mut Builder<'_>,
        tag: Option<&Tag>,
        at: u32,
    ) -> Option<(TagKind, Span)> {
        let tag = tag?;
        let kind = tags::classify(&tag.handle, &tag.suffix);
        let span = self.locate_tag(tag, at);
        if kind == TagKind::Unknown {
            builder.warn(
                span,
                format!(
                    "unknown tag `{}`: the value is kept as if untagged",
                    tags::display(&tag.handle, &tag.suffix)
                ),
            );
        }
        Some((kind, span))
    }

    fn scalar(
        &mut self,
        builder: &mut Builder<'_>,
        text: String,
        style: TScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        at: u32,
    ) -> Scalar {
        let tag = self.tag(builder, tag, at);
        let block = matches!(style, TScalarStyle::Literal | TScalarStyle::Folded);
        let empty = text.is_empty() && (block || style == TScalarStyle::Plain);
        let rel = self.rel(at);
        let span = if empty {
            // The marker of an empty scalar is the next token's: place it where the value was due.
            let p = match tag {
                Some((_, s)) => s.end.max(self.prev_end),
                None => self.empty_at(at),
            };
            Span::new(p, p)
        } else {
            let end = scalar_end(self.body, rel, style, &text);
            Span::new(at, self.base + to_u32(end))
        };
        self.prev_end = self.prev_end.max(span.end);
        let verbatim_at = if text.contains('\n') {
            None
        } else {
            match style {
                TScalarStyle::Plain => self
                    .body
                    .get(rel..)
                    .is_some_and(|s| s.starts_with(text.as_str()))
                    .then_some(at),
                TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => self
                    .body
                    .get(rel + 1..)
                    .is_some_and(|s| s.starts_with(text.as_str()))
                    .then_some(at + 1),
                _ => None,
            }
        };
        let untagged = if style == TScalarStyle::Plain {
            Res::Implicit
        } else {
            Res::Str
        };
        let (res, wrap) = match tag {
            None => (untagged, None),
            Some((kind, span)) => match kind {
                TagKind::Intrinsic(name) => (Res::Str, Some(Wrap { name, span })),
                TagKind::Str => (Res::Str, None),
                TagKind::Num => (Res::Num, None),
                TagKind::Bool => (Res::Bool, None),
                TagKind::Null => (Res::Null, None),
                TagKind::Collection | TagKind::Unknown => (untagged, None),
            },
        };
        Scalar {
            text,
            res,
            span,
            verbatim_at,
            wrap,
            anchor,
        }
    }

    fn start(
        &mut self,
        builder: &mut Builder<'_>,
        map: bool,
        anchor: usize,
        tag: Option<&Tag>,
        at: u32,
    ) -> Result<(), DocumentError> {
        let rel = self.rel(at);
        let first = self.body.as_bytes().get(rel).copied();
        let flow = first == Some(if map { b'{' } else { b'[' });
        let wrap = match self.tag(builder, tag, at) {
            Some((TagKind::Intrinsic(name), span)) => Some(Wrap { name, span }),
            Some((TagKind::Str | TagKind::Num | TagKind::Bool | TagKind::Null, span)) => {
                builder.warn(span, "a scalar type tag on a collection is ignored");
                None
            }
            _ => None,
        };
        // A block mapping's marker is its first `:`, after its first key: only brackets and
        // block-sequence dashes start where they are reported. The reading position moves past a
        // bracket, and up to a dash (the first item's indicator, see `empty_at`).
        let starts_at_mark = flow || (!map && first == Some(b'-'));
        if starts_at_mark {
            self.prev_end = self.prev_end.max(at + u32::from(flow));
        }
        self.flow.push(flow);
        builder.start_collection(map, at, starts_at_mark, flow, wrap, anchor)
    }
}
