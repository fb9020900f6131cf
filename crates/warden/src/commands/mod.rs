//! One module per subcommand; each exposes `XArgs` (clap) and `run(XArgs) -> anyhow::Result<u8>`
//! returning an exit code from `crate::exit`.

pub mod audit;
pub mod db;
pub mod explain;
pub mod gateway;
pub mod iam;
pub mod rule;
pub mod rules;
pub mod scan;
pub mod secrets;
