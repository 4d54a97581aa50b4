//! Whole-world checks: cycles of branches, duplicate holdings, holdings above 100%.
//!
//! Each is linear (or O(k log k) per entity with k holdings): a chain of a million branches,
//! or an entity with a hundred thousand dated owners, is checked in one pass, never a walk
//! per party or a comparison per pair.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::PartyIdx;
use crate::model::ruleset::RuleSet;
use crate::model::values::Date;
use crate::model::world::{OwnershipEdge, World};
use crate::source::Loc;

/// Checks of a whole world, after its records are lowered: `branch_of` links in a cycle, one
/// owner's holdings in one entity recorded twice at overlapping times, holdings in an entity
/// summing above 100%.
pub fn check_world(_rs: &RuleSet, world: &World, diags: &mut Diagnostics) {
    branch_cycles(world, diags);
    duplicate_holdings(world, diags);
    let mut by_owned: HashMap<PartyIdx, Vec<&OwnershipEdge>> = HashMap::new();
    for e in &world.ownership {
        by_owned.entry(e.owned).or_default().push(e);
    }
    let mut owned_keys: Vec<_> = by_owned.keys().copied().collect();
    owned_keys.sort();
    for owned in owned_keys {
        let edges = &by_owned[&owned];
        over_100(world, owned, edges, diags);
    }
}

/// Every party whose `branch_of` links lead into a cycle, in party order. Each party is
/// walked once: a walk stops at a party already settled and takes its answer.
fn branch_cycles(world: &World, diags: &mut Diagnostics) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done(bool),
    }
    let n = world.parties.len();
    let mut mark = vec![Mark::New; n];
    let mut path = Vec::new();
    for start in 0..n {
        let mut cur = Some(start);
        let cyclic = loop {
            let Some(i) = cur else { break false };
            match mark.get(i).copied() {
                None => break false,
                Some(Mark::OnPath) => break true,
                Some(Mark::Done(c)) => break c,
                Some(Mark::New) => {
                    mark[i] = Mark::OnPath;
                    path.push(i);
                    cur = world
                        .parties
                        .as_slice()
                        .get(i)
                        .and_then(|p| p.branch_of)
                        .map(|h| h.idx());
                }
            }
        };
        for i in path.drain(..) {
            mark[i] = Mark::Done(cyclic);
        }
    }
    for (p, m) in world.parties.iter().zip(&mark) {
        if *m == Mark::Done(true) {
            diags.push(Diagnostic::error(
                Code::InvalidValue,
                &p.loc,
                format!("party `{}` is in a cycle of `branch_of` links", p.id),
            ));
        }
    }
}

/// Duplicate edges for the same owner and entity at overlapping times are rejected: one
/// holding must be written once (with a range if uncertain), never split across records.
/// Holdings of one owner in one entity at overlapping times, found in one sweep per pair
/// (`overlap::overlapping`): each is a located error pointing at the first record.
fn duplicate_holdings(world: &World, diags: &mut Diagnostics) {
    let found = super::overlap::overlapping(
        world
            .ownership
            .iter()
            .filter(|e| starts_before_end(e.from, e.until))
            .map(|e| super::overlap::Span {
                key: (e.owner, e.owned),
                from: e.from,
                until: e.until,
                loc: &e.loc,
            })
            .collect(),
    );
    let by_loc: HashMap<*const Loc, &OwnershipEdge> = world
        .ownership
        .iter()
        .map(|e| (&e.loc as *const Loc, e))
        .collect();
    for (first, again) in found {
        let Some(b) = by_loc.get(&(again as *const Loc)) else {
            continue;
        };
        diags.push(
            Diagnostic::error(
                Code::DuplicateId,
                again,
                format!(
                    "`{}` already holds a share of `{}` at this time",
                    world.party(b.owner).id,
                    world.party(b.owned).id
                ),
            )
            .with_help(format!(
                "first recorded at {first}; write one holding (use a range such as \"30-60\" if unsure) or give the records non-overlapping dates"
            )),
        );
    }
}

/// A record in force for some time (a start before its end, or an open end).
fn starts_before_end(from: Option<Date>, until: Option<Date>) -> bool {
    match (from, until) {
        (Some(f), Some(u)) => f < u,
        _ => true,
    }
}

/// The sum of the lower bounds at the start and at every date a holding starts, reported at
/// the first such instant (in record order) where it exceeds 100%. The sums at every instant
/// come from one sweep over the sorted starts and ends.
fn over_100(world: &World, owned: PartyIdx, edges: &[&OwnershipEdge], diags: &mut Diagnostics) {
    let lo = |e: &OwnershipEdge| e.share.bounds().0;
    let at_start: Decimal = edges
        .iter()
        .filter(|e| e.from.is_none())
        .map(|e| lo(e))
        .sum();
    // Records never in force (an end before their start) count at no date.
    let live = edges.iter().filter(|e| starts_before_end(e.from, e.until));
    let mut starts: Vec<(Option<Date>, Decimal)> = live.clone().map(|e| (e.from, lo(e))).collect();
    let mut ends: Vec<(Date, Decimal)> = live.filter_map(|e| Some((e.until?, lo(e)))).collect();
    starts.sort_by_key(|a| a.0);
    ends.sort_by_key(|a| a.0);
    let (mut s, mut e, mut sum) = (0, 0, Decimal::ZERO);
    let mut sums: HashMap<Date, Decimal> = HashMap::new();
    for d in starts.iter().filter_map(|x| x.0) {
        if sums.contains_key(&d) {
            continue;
        }
        // In force on d: started on or before d, not ended on or before d.
        while let Some(x) = starts.get(s).filter(|x| x.0.is_none_or(|f| f <= d)) {
            sum += x.1;
            s += 1;
        }
        while let Some(x) = ends.get(e).filter(|x| x.0 <= d) {
            sum -= x.1;
            e += 1;
        }
        sums.insert(d, sum);
    }
    let instants = std::iter::once(None).chain(edges.iter().filter_map(|e| e.from).map(Some));
    for at in instants {
        let total = match at {
            None => at_start,
            Some(d) => sums.get(&d).copied().unwrap_or_default(),
        };
        if total <= Decimal::ONE_HUNDRED {
            continue;
        }
        let holders: Vec<&&OwnershipEdge> = edges
            .iter()
            .filter(|e| match at {
                None => e.from.is_none(),
                Some(d) => e.in_force(d),
            })
            .collect();
        if let Some(last) = holders.last() {
            let when = at.map_or(String::new(), |d| format!(" on {d}"));
            diags.push(
                Diagnostic::error(
                    Code::OwnershipOver100,
                    &last.loc,
                    format!(
                        "holdings in `{}` sum to {}%{when}, above 100%",
                        world.party(owned).id,
                        total.normalize()
                    ),
                )
                .with_help(format!(
                    "holders: {}",
                    holders
                        .iter()
                        .map(|e| format!("{} {}", world.party(e.owner).id, e.share))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
        break;
    }
}
