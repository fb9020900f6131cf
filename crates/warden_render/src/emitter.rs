//! The one trait every output format implements.

use crate::context::Context;
use std::io;

/// Writes a prepared [`Context`] (sorted, located, secret-masked findings) in one format.
pub trait Emitter: Sync {
    /// Writes the whole document for `ctx` to `out`.
    fn emit(&self, ctx: &Context<'_>, out: &mut dyn io::Write) -> io::Result<()>;
}
