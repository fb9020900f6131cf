//! Why a document could not be parsed: every error carries the byte span it is about.

use super::Format;
use thiserror::Error;
use warden_source::Span;

/// A document that could not be turned into a tree. [`DocumentError::span`] locates it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DocumentError {
    /// The text is not valid YAML or JSON.
    #[error("{format} syntax error: {message}")]
    Syntax {
        format: Format,
        message: String,
        span: Span,
    },
    /// Mappings and sequences nest deeper than [`super::Limits::max_depth`].
    #[error("nesting deeper than {limit} levels")]
    TooDeep { limit: usize, span: Span },
    /// One scalar is larger than [`super::Limits::max_scalar_bytes`].
    #[error("scalar of {len} bytes exceeds the limit of {limit} bytes")]
    ScalarTooLarge {
        len: usize,
        limit: usize,
        span: Span,
    },
    /// The tree would hold more than [`super::Limits::max_nodes`] nodes.
    #[error("document has more than {limit} nodes")]
    TooManyNodes { limit: usize, span: Span },
    /// Expanding aliases would create more nodes than allowed (an alias-expansion bomb).
    #[error("alias expansion exceeds the budget of {limit} nodes (alias bomb?)")]
    AliasBomb { limit: usize, span: Span },
    /// The tree's text (scalars, keys, document paths) exceeds [`super::Limits::max_text_bytes`],
    /// or the input is larger than 4 GiB.
    #[error("document text exceeds the budget of {limit} bytes")]
    TooLarge { limit: usize, span: Span },
    /// An alias refers to the node it is part of (`&a [*a]`).
    #[error("alias refers to an anchor whose node is not complete yet (recursive alias)")]
    RecursiveAlias { span: Span },
    /// A mapping or sequence used as a mapping key (`? [a, b]: c`), which CloudFormation rejects.
    #[error("a mapping or sequence used as a mapping key is not supported")]
    ComplexKey { span: Span },
}

impl DocumentError {
    /// The byte span the error is about.
    pub fn span(&self) -> Span {
        match self {
            Self::Syntax { span, .. }
            | Self::TooDeep { span, .. }
            | Self::ScalarTooLarge { span, .. }
            | Self::TooManyNodes { span, .. }
            | Self::AliasBomb { span, .. }
            | Self::TooLarge { span, .. }
            | Self::RecursiveAlias { span }
            | Self::ComplexKey { span } => *span,
        }
    }
}
