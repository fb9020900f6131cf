//! The effective actions of a principal, keyed by catalog index and kept in the order of their
//! documented names; a name is built only when asked for.
//!
//! Grant lists are interned: every action granted by the same statements (with the same breadth)
//! shares one list, so a `NotAction` statement granting twenty thousand actions adds a handful of
//! lists, not twenty thousand.

use super::expand::ActionSet;
use super::index::index;
use super::limits::ConditionEffect;
use crate::catalog::{AccessLevel, ActionInfo, catalog};

/// One statement granting an action.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Grant {
    /// Policy index.
    pub policy_index: usize,
    /// Statement index.
    pub statement_index: usize,
    /// True when the grant covers every resource of the action's type.
    pub unconstrained: bool,
    /// How the statement's conditions bear on it.
    pub condition: ConditionEffect,
    /// Limiting condition keys.
    pub limited_by: Vec<String>,
}

/// An action the principal may perform (a view into [`EffectiveActions`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct EffectiveAction<'a> {
    /// Access level.
    pub level: AccessLevel,
    /// Whether the action supports resource-level permissions.
    pub resource_level: bool,
    /// Statements granting it, in policy and statement order.
    pub grants: &'a [Grant],
}

impl<'a> EffectiveAction<'a> {
    /// The broadest grant: unconstrained first, then the least limiting condition.
    pub fn best(&self) -> Option<&'a Grant> {
        self.grants.iter().min_by_key(|g| {
            (
                !g.unconstrained,
                g.condition == ConditionEffect::Limiting,
                g.policy_index,
                g.statement_index,
            )
        })
    }

    /// True when some grant covers every resource of the action's type.
    pub fn unconstrained(&self) -> bool {
        self.grants.iter().any(|g| g.unconstrained)
    }
}

/// Effective allowed actions, sorted by documented name (`service:Name`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EffectiveActions {
    /// (catalog action index, grant list id), sorted by the action's rank in name order.
    entries: Vec<(u32, u32)>,
    /// Interned grant lists.
    lists: Vec<Vec<Grant>>,
}

impl EffectiveActions {
    /// Number of actions.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the principal may perform no action.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn view(&self, action_index: u32, list: u32) -> EffectiveAction<'_> {
        let (level, resource_level) = index()
            .levels
            .get(action_index as usize)
            .copied()
            .unwrap_or((AccessLevel::Read, false));
        EffectiveAction {
            level,
            resource_level,
            grants: self.lists.get(list as usize).map_or(&[], Vec::as_slice),
        }
    }

    /// The details of a catalog action index, if it is allowed.
    pub fn get_index(&self, action_index: usize) -> Option<EffectiveAction<'_>> {
        let ranks = &index().rank;
        let rank = ranks.get(action_index)?;
        let pos = self
            .entries
            .binary_search_by_key(rank, |(i, _)| ranks[*i as usize])
            .ok()?;
        let (i, l) = self.entries[pos];
        Some(self.view(i, l))
    }

    /// The details of an action by name (any case), if it is allowed.
    pub fn get(&self, name: &str) -> Option<EffectiveAction<'_>> {
        self.get_index(catalog().action(name)?.index)
    }

    /// True when the action (by name, any case) is allowed.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The actions in name order, with their catalog view (its `Display` is `service:Name`).
    pub fn iter(&self) -> impl Iterator<Item = (ActionInfo<'static>, EffectiveAction<'_>)> + '_ {
        let cat = catalog();
        self.entries.iter().map(move |&(i, l)| {
            (
                ActionInfo {
                    catalog: cat,
                    index: i as usize,
                },
                self.view(i, l),
            )
        })
    }

    /// Documented names in order.
    pub fn names(&self) -> impl Iterator<Item = String> + '_ {
        self.iter().map(|(a, _)| a.full_name())
    }
}

/// Accumulates grants statement by statement.
pub(super) struct GrantTable {
    /// Grant list id of each catalog action (0: the empty list, not granted).
    slot: Vec<u32>,
    lists: Vec<Vec<Grant>>,
}

impl GrantTable {
    /// An empty table over the embedded catalog.
    pub fn new() -> GrantTable {
        GrantTable {
            slot: vec![0; catalog().actions.len()],
            lists: vec![Vec::new()],
        }
    }

    /// Adds `grant` (its `unconstrained` set per action by `unconstrained`) to every action of
    /// `set`, after the grants of earlier statements.
    pub fn add(
        &mut self,
        set: &ActionSet,
        grant: &Grant,
        mut unconstrained: impl FnMut(usize) -> bool,
    ) {
        // Transitions from each existing list, for a constrained and an unconstrained grant.
        let mut next: Vec<[u32; 2]> = vec![[0, 0]; self.lists.len()];
        for i in set.iter() {
            let Some(&cur) = self.slot.get(i) else {
                continue;
            };
            let u = unconstrained(i);
            let Some(t) = next.get_mut(cur as usize).map(|t| &mut t[usize::from(u)]) else {
                continue;
            };
            if *t == 0 {
                let mut list = self.lists[cur as usize].clone();
                list.push(Grant {
                    unconstrained: u,
                    ..grant.clone()
                });
                let Ok(id) = u32::try_from(self.lists.len()) else {
                    continue;
                };
                self.lists.push(list);
                *t = id;
            }
            self.slot[i] = *t;
        }
    }

    /// The granted actions in name order.
    pub fn finish(self) -> EffectiveActions {
        let entries = index()
            .order
            .iter()
            .filter_map(|&i| match self.slot.get(i as usize) {
                Some(&l) if l != 0 => Some((i, l)),
                _ => None,
            })
            .collect();
        EffectiveActions {
            entries,
            lists: self.lists,
        }
    }
}
