//! Resource limits that keep hostile documents bounded in time and memory.

/// Bounds applied while a document is parsed; each one exceeded is a [`super::DocumentError`].
///
/// The defaults accept every real CloudFormation template (the service itself caps templates at
/// 1 MB) with a wide margin, and keep the memory of one parse, beyond the input itself, under
/// roughly 100 MB whatever the input (measured: 63 MB peak for a document that exhausts the text
/// budget, 44 MB for a 124,000-entry mapping).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of mappings and sequences in the resulting tree (short-form tags count the
    /// level they add).
    pub max_depth: usize,
    /// Largest single scalar (string, number, key), in bytes of its decoded text.
    pub max_scalar_bytes: usize,
    /// Most nodes in the resulting tree, alias copies included.
    pub max_nodes: usize,
    /// Most nodes created by expanding aliases (`*anchor`), over the whole document.
    pub max_alias_nodes: usize,
    /// Budget of text held by the tree: scalar and key text plus document paths, in bytes.
    pub max_text_bytes: usize,
}

impl Limits {
    pub const DEFAULT_MAX_DEPTH: usize = 200;
    pub const DEFAULT_MAX_SCALAR_BYTES: usize = 1 << 20;
    pub const DEFAULT_MAX_NODES: usize = 250_000;
    pub const DEFAULT_MAX_ALIAS_NODES: usize = 100_000;
    pub const DEFAULT_MAX_TEXT_BYTES: usize = 64 << 20;
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: Self::DEFAULT_MAX_DEPTH,
            max_scalar_bytes: Self::DEFAULT_MAX_SCALAR_BYTES,
            max_nodes: Self::DEFAULT_MAX_NODES,
            max_alias_nodes: Self::DEFAULT_MAX_ALIAS_NODES,
            max_text_bytes: Self::DEFAULT_MAX_TEXT_BYTES,
        }
    }
}
