//! Reading OSV advisory data: the schema subset ([`model`]), the files of a source (directories
//! of JSON or YAML records, osv.dev `all.zip` exports; [`read`]) and YAML-to-JSON conversion
//! ([`yaml`]).

pub mod model;
pub mod read;
mod yaml;

pub use model::OsvRecord;
