//! The status dimension of a party: designations, blocked status with its grounds, and the
//! ownership and control flags, as a jurisdiction's doctrine can make them.
//!
//! A party predicate reads a status only through: the classes of programs it is designated
//! under, whether it is blocked, the classes of programs grounding the block, and three flags
//! of a party that is not blocked (undetermined ownership, a blocked minority owner, control by
//! a blocked person). Every combination of those that some world produces is enumerated here,
//! each with a recipe (helper owners, controllers, shares) that produces it; combinations no
//! world can produce are left out, for reasons stated next to each test below:
//!
//! - designated under a blocking program of the jurisdiction: blocked, with those programs
//!   among the grounds, and any blocking programs more that an owner or controller adds
//!   (where ownership or control can block);
//! - otherwise blocked only through ownership (entities, when a 100% holding reaches the
//!   threshold) or control (when the doctrine says control blocks and a basis counts), with
//!   any non-empty set of blocking programs as grounds (those of the owner or controller);
//! - otherwise not blocked, with the flags the doctrine allows: undetermined needs a threshold
//!   an unknown share could reach; a minority holding needs an entity; control as a mere flag
//!   needs a control basis that does not block.

use rust_decimal::Decimal;

use super::classes::{Class, partition, subsets};
use crate::model::ruleset::{ControlEffect, PartyPredicate, RuleSet};
use crate::model::{Bits, JurisdictionIdx, ProgramIdx};
use crate::ownership::status::PartyState;

/// How a party that is blocked without being designated under a blocking program got so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockedBy {
    /// A 100% holding of an owner designated under the grounds.
    Ownership,
    /// Control, on a basis that counts, by a party designated under the grounds.
    Control,
}

/// How an undetermined status is produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undetermined {
    /// An unknown share held by a designated owner.
    Direct,
    /// An unknown share held by an entity that itself has an unknown designated owner.
    Chain,
    /// Control (on a blocking basis) by an entity of undetermined ownership.
    Control,
}

/// What to put in the world so that a party has a given status.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatusRecipe {
    /// Programs the party itself is designated under.
    pub designated: Vec<ProgramIdx>,
    /// Blocked through ownership or control by a party designated under `grounds`.
    pub blocked_by: Option<(BlockedBy, Vec<ProgramIdx>)>,
    /// The party's status is left undetermined, and how.
    pub undetermined: Option<Undetermined>,
    /// A designated owner holding a share below the threshold.
    pub minority: bool,
    /// Controlled by a designated person on a basis that does not block.
    pub controlled: bool,
}

impl StatusRecipe {
    /// How many helper parties and designations the recipe needs (to prefer simple ones).
    pub fn helpers(&self) -> u32 {
        let mut n = self.designated.len() as u32;
        if self.blocked_by.is_some() {
            n += 3;
        }
        n += match self.undetermined {
            None => 0,
            Some(Undetermined::Direct) => 2,
            Some(_) => 4,
        };
        n + 2 * u32::from(self.minority) + 2 * u32::from(self.controlled)
    }
}

/// One realizable status.
#[derive(Debug, Clone)]
pub struct StatusWitness {
    /// Whether the recipe needs the party to be an entity (organization or bank).
    pub entity: bool,
    /// The status the recipe gives the party (what the evaluator computes for it).
    pub state: PartyState,
    /// What to put in the world to give the party that status.
    pub recipe: StatusRecipe,
}

/// What the doctrine of a jurisdiction allows.
pub(crate) struct Doctrine {
    /// A 100% holding reaches the threshold (so ownership can block, and unknown shares can
    /// leave a status undetermined).
    pub full_holding_blocks: bool,
    /// Control blocks on some basis that exists.
    pub control_blocks: bool,
    /// Control can be a mere flag (on a basis that exists and does not block).
    pub control_flags: bool,
    /// The threshold, to place a minority holding below it.
    pub threshold: Option<Decimal>,
}

impl Doctrine {
    pub fn of(rs: &RuleSet, j: JurisdictionIdx) -> Doctrine {
        let jur = &rs.jurisdictions[j];
        let d = &jur.doctrine;
        let bases = rs.vocabulary.control_bases.len();
        let counts = |b: usize| d.control_bases.is_empty() || d.control_bases.contains(b);
        let counting = (0..bases).any(counts);
        let not_counting = (0..bases).any(|b| !counts(b));
        Doctrine {
            full_holding_blocks: d.reaches(Decimal::ONE_HUNDRED),
            control_blocks: d.control == ControlEffect::Blocks && counting,
            control_flags: match d.control {
                ControlEffect::Flag => bases > 0,
                ControlEffect::Blocks => not_counting,
            },
            threshold: d.threshold,
        }
    }

    /// A share below the threshold (a minority holding that never blocks by itself).
    pub fn minority_share(&self) -> Decimal {
        match self.threshold {
            Some(t) => t / Decimal::TWO,
            None => Decimal::TEN,
        }
    }

    /// A control basis that blocks (`true`) or only flags (`false`), from the vocabulary.
    pub fn basis(rs: &RuleSet, j: JurisdictionIdx, blocking: bool) -> Option<usize> {
        let d = &rs.jurisdictions[j].doctrine;
        let counts = |b: usize| d.control_bases.is_empty() || d.control_bases.contains(b);
        (0..rs.vocabulary.control_bases.len()).find(|&b| match d.control {
            ControlEffect::Blocks => counts(b) == blocking,
            ControlEffect::Flag => !blocking,
        })
    }
}

/// Above this many program classes the designation subsets are sampled.
pub(crate) const PROGRAM_CLASS_LIMIT: usize = 10;

/// Every realizable status for the predicates `preds` in jurisdiction `j`.
pub fn statuses(
    rs: &RuleSet,
    j: JurisdictionIdx,
    preds: &[&PartyPredicate],
) -> (Vec<StatusWitness>, bool) {
    let blocking = rs.blocking_programs(j);
    let mut sets: Vec<Vec<usize>> = Vec::new();
    for p in preds {
        for b in [p.designated, p.blocked_under].into_iter().flatten() {
            sets.push(b.iter().collect());
        }
    }
    sets.push(blocking.iter().collect());
    let all: Vec<usize> = (0..rs.programs.len()).collect();
    let classes: Vec<Class<usize>> = partition(&all, &sets);
    let mut sampled = false;
    let n = if classes.len() > PROGRAM_CLASS_LIMIT {
        sampled = true;
        PROGRAM_CLASS_LIMIT
    } else {
        classes.len()
    };
    let reps: Vec<usize> = classes.iter().filter_map(|c| c.rep()).collect();
    let blocking_reps: Vec<usize> = reps
        .iter()
        .copied()
        .filter(|r| blocking.contains(*r))
        .collect();
    let doctrine = Doctrine::of(rs, j);
    let mut out = Vec::new();
    for s in subsets(n) {
        let designated: Vec<usize> = s.iter().filter_map(|&i| reps.get(i)).copied().collect();
        let dbits: Bits = designated.iter().copied().collect();
        let base = StatusRecipe {
            designated: dbits.members().collect(),
            ..StatusRecipe::default()
        };
        let dblock = dbits.intersection(blocking);
        for entity in [false, true] {
            let via = if entity && doctrine.full_holding_blocks {
                Some(BlockedBy::Ownership)
            } else if doctrine.control_blocks {
                Some(BlockedBy::Control)
            } else {
                None
            };
            let party = Designated {
                entity,
                designated: dbits,
                base: &base,
                via,
                blocking_reps: &blocking_reps,
            };
            if !dblock.is_empty() {
                party.blocked_by_its_designations(dblock, &mut out);
                continue;
            }
            party.not_blocked(&doctrine, &mut out);
            party.blocked_through_others(&mut out);
        }
    }
    (out, sampled)
}

/// One kind of party (entity or not) with one set of designations, and how it can be blocked.
struct Designated<'a> {
    entity: bool,
    designated: Bits,
    base: &'a StatusRecipe,
    /// How an owner or controller can block it under the doctrine, if at all.
    via: Option<BlockedBy>,
    blocking_reps: &'a [usize],
}

impl Designated<'_> {
    /// The blocking programs of one subset of `blocking_reps`.
    fn grounds(&self, subset: &[usize]) -> Vec<usize> {
        subset
            .iter()
            .filter_map(|&i| self.blocking_reps.get(i))
            .copied()
            .collect()
    }

    /// Blocked by its own designations (`dblock`); an owner or controller can add grounds.
    fn blocked_by_its_designations(&self, dblock: Bits, out: &mut Vec<StatusWitness>) {
        for g in subsets(self.blocking_reps.len()) {
            if !g.is_empty() && self.via.is_none() {
                continue;
            }
            let extra = self.grounds(&g);
            let grounds = extra
                .iter()
                .fold(dblock, |acc, &p| acc.union(Bits::single(p)));
            out.push(StatusWitness {
                entity: self.entity,
                state: PartyState {
                    designated: self.designated,
                    blocked: true,
                    grounds,
                    ..PartyState::default()
                },
                recipe: StatusRecipe {
                    blocked_by: self
                        .via
                        .filter(|_| !extra.is_empty())
                        .map(|v| (v, program_indices(&extra))),
                    ..self.base.clone()
                },
            });
        }
    }

    /// Not blocked, with every combination of flags the doctrine allows.
    fn not_blocked(&self, doctrine: &Doctrine, out: &mut Vec<StatusWitness>) {
        // Flags need someone blocked to start from.
        let anyone_blocks = !self.blocking_reps.is_empty();
        let entity = self.entity;
        for (u, m, c) in flag_combinations() {
            if (u || m || c) && !anyone_blocks {
                continue;
            }
            let Some(undetermined) = undetermined_recipe(doctrine, entity, u, m) else {
                continue;
            };
            if m && !entity || c && !doctrine.control_flags {
                continue;
            }
            out.push(StatusWitness {
                entity,
                state: PartyState {
                    designated: self.designated,
                    blocked: false,
                    grounds: Bits::EMPTY,
                    undetermined: u,
                    minority_blocked: m,
                    controlled_by_blocked: c,
                },
                recipe: StatusRecipe {
                    undetermined,
                    minority: m && undetermined != Some(Undetermined::Direct),
                    controlled: c,
                    ..self.base.clone()
                },
            });
        }
    }

    /// Blocked through ownership or control, on any non-empty set of grounds.
    fn blocked_through_others(&self, out: &mut Vec<StatusWitness>) {
        let Some(via) = self.via else {
            return;
        };
        for g in subsets(self.blocking_reps.len()).into_iter().skip(1) {
            let grounds = self.grounds(&g);
            out.push(StatusWitness {
                entity: self.entity,
                state: PartyState {
                    designated: self.designated,
                    blocked: true,
                    grounds: grounds.iter().copied().collect(),
                    ..PartyState::default()
                },
                recipe: StatusRecipe {
                    blocked_by: Some((via, program_indices(&grounds))),
                    ..self.base.clone()
                },
            });
        }
    }
}

fn flag_combinations() -> impl Iterator<Item = (bool, bool, bool)> {
    (0u8..8).map(|i| (i & 1 != 0, i & 2 != 0, i & 4 != 0))
}

/// How to make a party undetermined (`u`) with or without a blocked minority owner (`m`);
/// `None` when impossible, `Some(None)` when nothing is needed.
fn undetermined_recipe(
    d: &Doctrine,
    entity: bool,
    u: bool,
    m: bool,
) -> Option<Option<Undetermined>> {
    if !u {
        return Some(None);
    }
    // The engine raises no minority flag on an undetermined party: the undetermined review
    // already covers its blocked holdings.
    if m {
        return None;
    }
    if entity && d.full_holding_blocks {
        return Some(Some(Undetermined::Direct));
    }
    // Not an entity: only control by an entity of undetermined ownership, where control
    // blocks; such a party has no owners, so no minority flag.
    if !entity && !m && d.control_blocks && d.full_holding_blocks {
        return Some(Some(Undetermined::Control));
    }
    None
}

/// Program positions (members of a [`Bits`] set, so below its capacity) as program indices,
/// in their order.
fn program_indices(positions: &[usize]) -> Vec<ProgramIdx> {
    positions
        .iter()
        .flat_map(|&p| Bits::single(p).members())
        .collect()
}
