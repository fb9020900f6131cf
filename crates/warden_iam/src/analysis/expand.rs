//! Expanding action patterns against the catalog once per statement, into a bit set over catalog
//! action indexes (service-first: a pattern with a literal service only scans that service).

use crate::catalog::Catalog;
use crate::policy::{ActionElement, ActionPattern};

/// A set of catalog actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionSet {
    bits: Vec<u64>,
}

impl ActionSet {
    /// An empty set sized for `catalog`.
    pub fn empty(catalog: &Catalog) -> ActionSet {
        ActionSet {
            bits: vec![0; catalog.actions.len().div_ceil(64)],
        }
    }

    /// Adds an action index.
    pub fn insert(&mut self, i: usize) {
        if let Some(w) = self.bits.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    /// True when the index is in the set.
    pub fn contains(&self, i: usize) -> bool {
        self.bits
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Iterates over indexes.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits.iter().enumerate().flat_map(|(wi, &w)| {
            (0..64)
                .filter(move |b| w & (1 << b) != 0)
                .map(move |b| wi * 64 + b)
        })
    }

    /// Number of actions.
    pub fn len(&self) -> usize {
        self.bits.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.bits.iter().all(|w| *w == 0)
    }

    /// Expands an `Action`/`NotAction` element.
    pub fn of_element(catalog: &Catalog, el: &ActionElement) -> ActionSet {
        let mut set = ActionSet::empty(catalog);
        let pats = el.patterns();
        for svc in &catalog.services {
            let prefix = svc.prefix.to_ascii_lowercase();
            let relevant: Vec<&ActionPattern> =
                pats.iter().filter(|p| p.service.matches(&prefix)).collect();
            if relevant.is_empty() {
                if el.is_not() {
                    svc.actions.clone().for_each(|i| set.insert(i));
                }
                continue;
            }
            for i in svc.actions.clone() {
                let hit = relevant.iter().any(|p| p.matches(&catalog.actions[i].key));
                if hit != el.is_not() {
                    set.insert(i);
                }
            }
        }
        set
    }
}
