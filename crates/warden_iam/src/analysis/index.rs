//! Lookup tables over the embedded catalog, built once for every analysis: actions in the order of
//! their documented names, lower-cased service prefixes, a dense numbering of resource types, and
//! the catalog indexes of the actions named in the analysis lists (credentials, exfiltration).
//!
//! They let the analysis key everything by catalog index and build an action's name only when a
//! finding shows it.

use super::expand::ActionSet;
use crate::catalog::{AccessLevel, Catalog, catalog};
use std::cmp::Ordering;
use std::sync::OnceLock;

/// Tables over one catalog.
#[derive(Debug)]
pub(crate) struct CatalogIndex {
    /// Action indexes sorted by `service:Name` (byte order of the documented name).
    pub order: Vec<u32>,
    /// Position of each action index in `order`.
    pub rank: Vec<u32>,
    /// Lower-cased prefix of each service.
    pub prefixes: Vec<String>,
    /// First dense resource-type number of each service (its types follow contiguously).
    pub type_base: Vec<usize>,
    /// Number of resource types in the catalog.
    pub type_count: usize,
    /// Dense resource-type numbers of every action, flattened: those of action `i` are
    /// `action_types[types_start[i]..types_start[i + 1]]` (compact and read in index order, so
    /// the analysis does not chase each action's own list).
    pub action_types: Vec<u32>,
    /// Offsets into `action_types`, one more than there are actions.
    pub types_start: Vec<u32>,
    /// Access level and resource-level support of every action, by index.
    pub levels: Vec<(AccessLevel, bool)>,
    /// The literal service field of each resource type's ARN format (dense numbering).
    pub type_services: Vec<Option<String>>,
}

impl CatalogIndex {
    fn build(cat: &Catalog) -> CatalogIndex {
        let name_cmp = |a: &u32, b: &u32| -> Ordering {
            let (a, b) = (&cat.actions[*a as usize], &cat.actions[*b as usize]);
            let pa = cat.services[a.service].prefix.as_bytes();
            let pb = cat.services[b.service].prefix.as_bytes();
            pa.iter()
                .chain(b":")
                .chain(a.name.as_bytes())
                .cmp(pb.iter().chain(b":").chain(b.name.as_bytes()))
        };
        let mut order: Vec<u32> = (0..cat.actions.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        order.sort_by(name_cmp);
        let mut rank = vec![0u32; cat.actions.len()];
        for (pos, &i) in order.iter().enumerate() {
            if let (Some(slot), Ok(pos)) = (rank.get_mut(i as usize), u32::try_from(pos)) {
                *slot = pos;
            }
        }
        let mut type_base = Vec::with_capacity(cat.services.len());
        let mut type_count = 0;
        for s in &cat.services {
            type_base.push(type_count);
            type_count += s.resource_types.len();
        }
        let mut action_types = Vec::new();
        let mut types_start = Vec::with_capacity(cat.actions.len() + 1);
        for a in &cat.actions {
            types_start.push(u32::try_from(action_types.len()).unwrap_or(u32::MAX));
            let s = &cat.services[a.service];
            for &(rt, _) in &a.resources {
                let rt = usize::from(rt);
                if rt < s.resource_types.len() {
                    action_types.push(u32::try_from(type_base[a.service] + rt).unwrap_or(u32::MAX));
                }
            }
        }
        types_start.push(u32::try_from(action_types.len()).unwrap_or(u32::MAX));
        CatalogIndex {
            order,
            rank,
            prefixes: cat
                .services
                .iter()
                .map(|s| s.prefix.to_ascii_lowercase())
                .collect(),
            type_base,
            type_count,
            action_types,
            types_start,
            levels: cat
                .actions
                .iter()
                .map(|a| (a.level, a.has_resource_types()))
                .collect(),
            type_services: cat
                .services
                .iter()
                .flat_map(|s| s.resource_types.iter())
                .map(|r| super::limits::format_service(&r.arn_format).map(str::to_owned))
                .collect(),
        }
    }

    /// Dense resource-type numbers of action `i`.
    pub fn types_of(&self, i: usize) -> &[u32] {
        match (self.types_start.get(i), self.types_start.get(i + 1)) {
            (Some(&a), Some(&b)) => self.action_types.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The ARN format of a dense resource-type number.
    pub fn format_of<'c>(&self, cat: &'c Catalog, t: usize) -> &'c str {
        let svc = self
            .type_base
            .partition_point(|&b| b <= t)
            .saturating_sub(1);
        cat.services
            .get(svc)
            .and_then(|s| s.resource_types.get(t - self.type_base[svc]))
            .map_or("", |r| r.arn_format.as_str())
    }

    /// The set of catalog actions named in `names` (unknown names are skipped).
    pub fn set_of(cat: &Catalog, names: &[&str]) -> ActionSet {
        let mut set = ActionSet::empty(cat);
        for n in names {
            if let Some(a) = cat.action(n) {
                set.insert(a.index);
            }
        }
        set
    }
}

/// The tables of the embedded catalog.
pub(crate) fn index() -> &'static CatalogIndex {
    static INDEX: OnceLock<CatalogIndex> = OnceLock::new();
    INDEX.get_or_init(|| CatalogIndex::build(catalog()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_the_order_of_documented_names() {
        let cat = catalog();
        let ix = index();
        assert_eq!(ix.order.len(), cat.actions.len());
        let names: Vec<String> = ix
            .order
            .iter()
            .map(|&i| {
                crate::catalog::ActionInfo {
                    catalog: cat,
                    index: i as usize,
                }
                .full_name()
            })
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        // `s3-object-lambda:…` sorts before `s3:…` (`-` < `:`), unlike the prefixes themselves.
        let s3 = cat.action("s3:GetObject").unwrap().index;
        let ol = cat.action("s3-object-lambda:GetObject").unwrap().index;
        assert!(ix.rank[ol] < ix.rank[s3]);
        for (pos, &i) in ix.order.iter().enumerate() {
            assert_eq!(ix.rank[i as usize] as usize, pos);
        }
    }
}
