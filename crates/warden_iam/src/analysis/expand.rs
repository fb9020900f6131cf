//! Expanding action patterns against the catalog once per statement, into a bit set over catalog
//! action indexes (service-first: a pattern with a literal service only scans that service).

use super::index::index;
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
        self.bits.iter().enumerate().flat_map(|(wi, &w)| Bits {
            word: w,
            base: wi * 64,
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

    /// Adds every index of a range (whole words at a time).
    pub fn insert_range(&mut self, r: std::ops::Range<usize>) {
        let mut i = r.start;
        while i < r.end {
            if i % 64 == 0 && i + 64 <= r.end {
                if let Some(w) = self.bits.get_mut(i / 64) {
                    *w = u64::MAX;
                }
                i += 64;
            } else {
                self.insert(i);
                i += 1;
            }
        }
    }

    /// Keeps only the indexes also in `other`.
    pub fn intersect_with(&mut self, other: &ActionSet) {
        for (w, o) in self.bits.iter_mut().zip(other.bits.iter()) {
            *w &= *o;
        }
    }

    /// Removes the indexes in `other`.
    pub fn subtract(&mut self, other: &ActionSet) {
        for (w, o) in self.bits.iter_mut().zip(other.bits.iter()) {
            *w &= !*o;
        }
    }

    /// Every action of the catalog.
    pub fn full(catalog: &Catalog) -> ActionSet {
        let mut set = ActionSet::empty(catalog);
        set.insert_range(0..catalog.actions.len());
        set
    }

    /// Expands an `Action`/`NotAction` element.
    pub fn of_element(catalog: &Catalog, el: &ActionElement) -> ActionSet {
        let mut set = ActionSet::empty(catalog);
        let pats = el.patterns();
        let embedded = std::ptr::eq(catalog, crate::catalog::catalog());
        let mut relevant: Vec<&ActionPattern> = Vec::with_capacity(pats.len());
        for (si, svc) in catalog.services.iter().enumerate() {
            let owned;
            let prefix: &str = match index().prefixes.get(si) {
                Some(p) if embedded => p,
                _ => {
                    owned = svc.prefix.to_ascii_lowercase();
                    &owned
                }
            };
            relevant.clear();
            relevant.extend(pats.iter().filter(|p| p.service.matches(prefix)));
            if relevant.is_empty() {
                if el.is_not() {
                    set.insert_range(svc.actions.clone());
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

/// The set bits of one word, lowest first.
struct Bits {
    word: u64,
    base: usize,
}

impl Iterator for Bits {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.word == 0 {
            return None;
        }
        let b = self.word.trailing_zeros() as usize;
        self.word &= self.word - 1;
        Some(self.base + b)
    }
}
