//! The normalised serverless application model that every Warden input lowers into.
//!
//! Parsers produce [`Node`] trees (values with origins); format lowerings turn them into an [`App`]
//! whose values are three-valued where the source is ([`Val::Unknown`] carries a reason). Rules and
//! renderers see only this model and [`Finding`]s, never a parser.

pub mod app;
pub mod finding;
pub mod value;

pub use app::*;
pub use finding::*;
pub use value::{Key, Node, Unknown, Val};
