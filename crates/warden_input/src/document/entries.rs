//! Mapping entries in document order, with duplicate keys detected (last value wins).

use super::Warning;
use std::collections::HashMap;
use warden_model::{Key, Node};

/// Maps with more entries than this index their keys for duplicate detection.
pub(super) const INDEX_AFTER: usize = 16;

/// Adds an entry; a duplicate key replaces the earlier entry in place, with a warning.
pub(super) fn insert(
    entries: &mut Vec<(Key, Node)>,
    index: &mut Option<HashMap<String, usize>>,
    key: Key,
    node: Node,
    warnings: &mut Vec<Warning>,
) {
    let existing = match index {
        Some(ix) => ix.get(&key.name).copied(),
        None => entries.iter().position(|(k, _)| k.name == key.name),
    };
    if let Some(i) = existing {
        warnings.push(Warning {
            span: key.origin.span,
            message: format!("duplicate key `{}`: the last value is used", key.name),
        });
        entries[i] = (key, node);
        return;
    }
    if let Some(ix) = index {
        ix.insert(key.name.clone(), entries.len());
    }
    entries.push((key, node));
    if index.is_none() && entries.len() > INDEX_AFTER {
        *index = Some(
            entries
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.name.clone(), i))
                .collect(),
        );
    }
}
