//! Lowering by language: a parsed file into the program form of [`crate::ir`].

use crate::ir::Module;
use crate::parse::ParsedFile;

/// Lowers a parsed file.
pub fn lower(parsed: &ParsedFile) -> Module {
    let root = parsed.tree.root_node();
    if parsed.lang.is_js() {
        crate::lower_js::lower(root, &parsed.source)
    } else {
        crate::lower_py::lower(root, &parsed.source)
    }
}
