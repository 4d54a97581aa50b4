//! `blocking_program_reports`: every blocking program has a reporting duty. For each program
//! whose designations block, the space is restricted to transactions where some party is
//! designated under that program and no party is designated or blocked under any other; the
//! invariant holds if on some such transaction a rule attaching one of the obligations stands.
//! Otherwise nobody designated only under the program ever triggers a report.

use super::invariants::violation;
use super::{expectation, rules_of, slug};
use crate::check::LintCx;
use crate::check::space::{Assumption, Point, Space};
use crate::diagnostic::Code;
use crate::model::ruleset::{Invariant, PartyPredicate, RuleKind, RuleSet};
use crate::model::{Bits, JurisdictionIdx, ObligationIdx, RuleIdx};

pub fn check(cx: &mut LintCx, inv: &Invariant, obligations: &[ObligationIdx]) {
    let rs = cx.rs;
    let names: Vec<String> = obligations
        .iter()
        .filter_map(|o| rs.obligations.get(*o))
        .map(|o| format!("`{}`", o.id))
        .collect();
    for (x, program) in rs.programs.iter().enumerate() {
        let j = program.jurisdiction;
        if !program.blocking || inv.jurisdiction.is_some_and(|ij| ij != j) {
            continue;
        }
        let carriers: Vec<RuleIdx> = rules_of(rs, RuleKind::Prohibition)
            .filter(|(_, c)| {
                c.jurisdiction == j && c.obligations.iter().any(|o| obligations.contains(o))
            })
            .map(|(c, _)| c)
            .collect();
        let own: Vec<RuleIdx> = rules_of(rs, RuleKind::Prohibition)
            .filter(|(_, c)| c.program.is_some_and(|p| p.idx() == x))
            .map(|(c, _)| c)
            .collect();
        let assume = designated_only_under(rs, j, x);
        if reports(cx, j, x, &carriers, &assume) {
            continue;
        }
        let group = cx.closures(&own);
        let space = cx.space(j, &group, &assume);
        let mut f = violation(
            inv,
            program.loc.clone(),
            own.clone(),
            format!(
                "blocking program `{}` has no rule that attaches {}",
                program.id,
                names.join(" or ")
            ),
        );
        f.help = f.help.map(|h| {
            format!(
                "give its blocking rule `obligations = [{}]`; {h}",
                names.first().cloned().unwrap_or_default()
            )
        });
        let point = strongest_point(&space, rs, &own);
        match point {
            Some(point) => {
                let standing: Vec<RuleIdx> =
                    own.iter().copied().filter(|&r| point.stands(r)).collect();
                let explanation = format!(
                    "A party designated only under `{}` takes part, and no rule attaches {}.",
                    program.id,
                    names.join(" or ")
                );
                match cx.counterexample(
                    &point,
                    &slug(
                        Code::InvariantViolated,
                        &format!("{}-{}", inv.id, program.id),
                    ),
                    &format!("`{}` without a reporting duty", program.id),
                    &explanation,
                    expectation(rs, &standing, &[], obligations),
                    &[],
                ) {
                    Ok(c) => f.counterexample = Some(c),
                    Err(err) => f.no_counterexample = Some(err),
                }
            }
            None => f.no_counterexample = Some(crate::check::NoCounterexample::NoPartyDesignated),
        }
        cx.push(f);
    }
}

/// The space restricted to transactions where some party is designated under program `x` and
/// no party is designated or blocked under any other.
fn designated_only_under(rs: &RuleSet, j: JurisdictionIdx, x: usize) -> Vec<Assumption> {
    let all: Bits = (0..rs.programs.len()).collect();
    let others = Bits(all.0 & !Bits::single(x).0);
    let blocking_others = Bits(rs.blocking_programs(j).0 & !Bits::single(x).0);
    let mut assume = vec![Assumption {
        roles: Bits::EMPTY,
        pred: PartyPredicate {
            designated: Some(Bits::single(x)),
            ..PartyPredicate::default()
        },
        holds: true,
    }];
    if !others.is_empty() {
        assume.push(Assumption {
            roles: Bits::EMPTY,
            pred: PartyPredicate {
                designated: Some(others),
                ..PartyPredicate::default()
            },
            holds: false,
        });
    }
    if !blocking_others.is_empty() {
        assume.push(Assumption {
            roles: Bits::EMPTY,
            pred: PartyPredicate {
                blocked_under: Some(blocking_others),
                ..PartyPredicate::default()
            },
            holds: false,
        });
    }
    assume
}

/// Whether a rule attaching one of the obligations (a carrier) stands on some transaction of
/// the restricted space.
fn reports(
    cx: &mut LintCx,
    j: JurisdictionIdx,
    x: usize,
    carriers: &[RuleIdx],
    assume: &[Assumption],
) -> bool {
    // Some carrier stands somewhere iff one does in its own closure (nothing else decides
    // whether it stands), so each carrier is asked alone: small groups, same answer. A
    // carrier that needs a party designated or blocked under another program cannot fire
    // under the assumption, so it is not asked at all: independent programs cost one group
    // each, not one per carrier of every other program.
    let candidates: Vec<RuleIdx> = carriers
        .iter()
        .copied()
        .filter(|&c| cx.ix.may_fire_under_only(c, x))
        .collect();
    for c in candidates {
        let group = cx.closure(c);
        let space = cx.space(j, &group, assume);
        if space.find(|p| p.stands(c)).is_some() {
            return true;
        }
    }
    false
}

/// The program at its strongest: a point where one of its own prohibitions (`own`) with the
/// highest disposition stands, else any point.
fn strongest_point<'s, 'a>(
    space: &'s Space<'a>,
    rs: &RuleSet,
    own: &[RuleIdx],
) -> Option<Point<'s, 'a>> {
    let strongest = |p: &Point| {
        own.iter()
            .filter(|&&r| p.stands(r))
            .filter_map(|&r| rs.rules.get(r).and_then(|x| x.disposition))
            .max()
    };
    let best = own
        .iter()
        .filter_map(|&r| rs.rules.get(r).and_then(|x| x.disposition))
        .max();
    space
        .find(|p| best.is_some() && strongest(p) == best)
        .or_else(|| space.find(|_| true))
}
