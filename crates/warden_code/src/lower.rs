//! Lowering by language: a parsed file into the program form of [`crate::ir`].

use crate::ir::Module;
use crate::parse::ParsedFile;
use tree_sitter::Node;
use warden_source::Span;

/// Lowers a parsed file.
pub fn lower(parsed: &ParsedFile) -> Module {
    let root = parsed.tree.root_node();
    if parsed.lang.is_js() {
        crate::lower_js::lower(root, &parsed.source)
    } else {
        crate::lower_py::lower(root, &parsed.source)
    }
}

/// The byte span of a syntax node.
pub(crate) fn span(n: Node<'_>) -> Span {
    let r = n.byte_range();
    Span::new(
        u32::try_from(r.start).unwrap_or(u32::MAX),
        u32::try_from(r.end).unwrap_or(u32::MAX),
    )
}

/// A node's named children without comments.
pub(crate) fn named_children(n: Node<'_>) -> Vec<Node<'_>> {
    let mut c = n.walk();
    n.named_children(&mut c)
        .filter(|c| c.kind() != "comment")
        .collect()
}
