//! What the caller decides about rendering: tool version, colour, source root.

/// Options shared by every format. The CLI fills them; renderers never look at the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// The version reported as `tool.version` (JSON) and `tool.driver.version` (SARIF).
    pub tool_version: String,
    /// Emit ANSI colours (`pretty` only). The CLI decides from `--color`, `NO_COLOR` and the tty.
    pub color: bool,
    /// Absolute path of the scanned root, reported as SARIF `originalUriBaseIds.%SRCROOT%` when
    /// given. Paths in every format stay relative to it.
    pub source_root: Option<String>,
}

impl RenderOptions {
    /// Options for `tool_version`, no colour, no source root.
    pub fn new(tool_version: impl Into<String>) -> Self {
        Self {
            tool_version: tool_version.into(),
            color: false,
            source_root: None,
        }
    }

    /// The same options with colour switched on or off.
    pub fn with_color(mut self, color: bool) -> Self {
        self.color = color;
        self
    }

    /// The same options with the scanned root's absolute path.
    pub fn with_source_root(mut self, root: impl Into<String>) -> Self {
        self.source_root = Some(root.into());
        self
    }
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self::new(env!("CARGO_PKG_VERSION"))
    }
}
