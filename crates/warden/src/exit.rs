//! Process exit codes shared by every subcommand (DESIGN.md, "Exit codes").

/// Nothing at or above the failure threshold.
pub const CLEAN: u8 = 0;
/// Findings at or above the failure threshold.
pub const FINDINGS: u8 = 1;
/// The tool itself failed: bad arguments, unreadable configuration.
pub const TOOL_ERROR: u8 = 2;
