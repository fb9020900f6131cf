//! Files, spans, line index and origins shared by every Warden crate.
//!
//! Every value Warden reads keeps an [`Origin`]: the file (relative to the scanned root), the byte
//! [`Span`] and the document path (a JSON-pointer-like path such as
//! `/Resources/OrderFn/Properties/Policies/0`). A [`SourceMap`] turns spans into lines and columns
//! when findings are rendered.

mod line_index;
mod origin;
mod source_map;

pub use line_index::{LineIndex, Position};
pub use origin::{Located, Origin, Span};
pub use source_map::{SourceFile, SourceMap};
