//! Which rules can interact, worked out once per deep check, so that each question is asked of
//! the rules that can change its answer and of no others.
//!
//! Two relations decide it:
//!
//! - **Defeat.** Whether a prohibition stands depends only on its closure: the exceptions that
//!   select it and the overrides that protect it from one of them (`lints::closure`). The
//!   closure of every prohibition is computed here once, instead of by a scan of the whole rule
//!   set each time a question names it.
//! - **Facts.** A rule fires only where its required party clauses hold (`when.party` outside
//!   any `any` alternative, and a prohibition's actor). A clause that reads `designated` or
//!   `blocked_under` needs a party designated, or blocked, under one of the programs it names.
//!   Under an assumption that parties are designated and blocked under one program `x` only
//!   (the `blocking_program_reports` invariant asks exactly that), a rule that requires a
//!   program other than `x` cannot fire, so the question need not look at it. Independent
//!   programs then cost one group each instead of one group per other program.
//!
//! Both are exact: the closure is the same list the lints computed before, and a rule is left
//! out of a question only when its firing provably contradicts the question's assumption.

use super::lints::closure;
use crate::model::ruleset::{PartyPredicate, RuleKind, RuleSet};
use crate::model::{Bits, RuleIdx};

/// The interactions of a rule set (see the module documentation).
pub struct Interactions {
    /// Per rule: its closure if it is a prohibition (empty otherwise).
    closures: Vec<Vec<RuleIdx>>,
    /// Per rule: the program sets of its required party clauses; each set must meet the
    /// programs some party is designated (or blocked) under for the rule to fire.
    needs: Vec<Vec<Bits>>,
    /// No pruning and no precomputation: every question scans the whole rule set, as the
    /// analysis did before (kept for the scaling benchmark's baseline).
    naive: bool,
}

impl Interactions {
    pub fn new(rs: &RuleSet) -> Interactions {
        let closures = rs
            .rules
            .iter_enumerated()
            .map(|(i, r)| {
                if r.kind == RuleKind::Prohibition {
                    closure(rs, i)
                } else {
                    Vec::new()
                }
            })
            .collect();
        let needs = rs
            .rules
            .iter()
            .map(|r| {
                let actor = r.actor.as_ref().filter(|_| r.kind == RuleKind::Prohibition);
                r.when
                    .parties
                    .iter()
                    .chain(actor)
                    .flat_map(|c| required_programs(&c.pred))
                    .collect()
            })
            .collect();
        Interactions {
            closures,
            needs,
            naive: false,
        }
    }

    /// The analysis as it was before interactions were indexed: closures are recomputed for
    /// every question and no rule is ever left out.
    pub fn naive() -> Interactions {
        Interactions {
            closures: Vec::new(),
            needs: Vec::new(),
            naive: true,
        }
    }

    /// Prohibition `p` with every rule that decides whether it stands.
    pub fn closure(&self, rs: &RuleSet, p: RuleIdx) -> Vec<RuleIdx> {
        match self.closures.get(p.idx()) {
            Some(c) if !self.naive && !c.is_empty() => c.clone(),
            _ => closure(rs, p),
        }
    }

    /// The union of closures, without repeats, in order.
    pub fn closures(&self, rs: &RuleSet, ps: &[RuleIdx]) -> Vec<RuleIdx> {
        let mut out: Vec<RuleIdx> = Vec::new();
        for &p in ps {
            for r in self.closure(rs, p) {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
        out
    }

    /// Can rule `r` fire on facts where parties are designated, and blocked, under program `x`
    /// only? `false` only when one of its required clauses needs another program.
    pub fn may_fire_under_only(&self, r: RuleIdx, x: usize) -> bool {
        if self.naive {
            return true;
        }
        self.needs
            .get(r.idx())
            .is_none_or(|sets| sets.iter().all(|s| s.contains(x)))
    }
}

/// The program sets a predicate needs a party to be designated or blocked under.
fn required_programs(p: &PartyPredicate) -> impl Iterator<Item = Bits> {
    [p.designated, p.blocked_under].into_iter().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_predicate_needs_the_programs_it_names() {
        let p = PartyPredicate {
            designated: Some(Bits::single(1)),
            blocked_under: Some(Bits::single(2)),
            ..PartyPredicate::default()
        };
        let sets: Vec<Bits> = required_programs(&p).collect();
        assert_eq!(sets, vec![Bits::single(1), Bits::single(2)]);
        assert_eq!(required_programs(&PartyPredicate::default()).count(), 0);
    }
}
