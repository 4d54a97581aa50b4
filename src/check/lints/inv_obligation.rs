//! `disposition_requires_obligation`: every prohibition that can set one of the dispositions
//! (undefeated) must attach one of the obligations itself, e.g. every `block` yields a
//! blocking report. A rule that does not list it is a violation when some transaction lets it
//! stand while no other rule attaches the obligation (the decision then carries no report).
//!
//! An obligation tied to dispositions (`for_dispositions`) counts only where it is owed: under
//! the rule's own disposition for the rule itself, under the disposition the group decides at
//! the point for the other carriers.
//!
//! Group: the rule and every rule carrying one of the obligations, with their closures.

use super::invariants::violation;
use super::{expectation, in_jurisdiction, rules_of, slug};
use crate::check::LintCx;
use crate::diagnostic::Code;
use crate::model::ruleset::{Invariant, Rule, RuleKind, RuleSet};
use crate::model::{Disposition, JurisdictionIdx, ObligationIdx, RuleIdx};

pub fn check(
    cx: &mut LintCx,
    inv: &Invariant,
    dispositions: &[Disposition],
    obligations: &[ObligationIdx],
) {
    let rs = cx.rs;
    let names: Vec<String> = obligations
        .iter()
        .filter_map(|o| rs.obligations.get(*o))
        .map(|o| format!("`{}`", o.id))
        .collect();
    let owed = |o: &ObligationIdx, d: Disposition| owed_under(rs, obligations, o, d);
    for (r, rule) in rules_of(rs, RuleKind::Prohibition) {
        let Some(d) = rule.disposition.filter(|d| dispositions.contains(d)) else {
            continue;
        };
        if !in_jurisdiction(rs, r, inv.jurisdiction) || rule.obligations.iter().any(|o| owed(o, d))
        {
            continue;
        }
        let carriers = carriers(rs, rule.jurisdiction, obligations);
        let mut group = vec![r];
        group.extend(carriers.iter().copied());
        let rules = cx.closures(&group);
        let space = cx.space(rule.jurisdiction, &rules, &[]);
        // The disposition the group decides at a point: the strongest of its standing rules
        // (rules outside the group can only raise it).
        let decided = |x: &crate::check::space::Point| {
            group
                .iter()
                .filter(|&&g| x.stands(g))
                .filter_map(|g| rs.rules.get(*g).and_then(|g| g.disposition))
                .fold(d, Disposition::max)
        };
        let Some(point) = space.find(|x| {
            x.stands(r)
                && !carriers.iter().any(|&c| {
                    x.stands(c)
                        && rs
                            .rules
                            .get(c)
                            .is_some_and(|c| c.obligations.iter().any(|o| owed(o, decided(x))))
                })
        }) else {
            continue;
        };
        let message = message(rs, rule, d, obligations, &names);
        let mut f = violation(inv, rule.loc.clone(), vec![r], message);
        f.help = f.help.map(|h| {
            format!(
                "add {} to its `obligations`; {h}",
                names.first().cloned().unwrap_or_default()
            )
        });
        let explanation = format!(
            "`{}` decides `{}` here, and no rule attaches {}.",
            rule.id,
            d.as_str(),
            names.join(" or ")
        );
        match cx.counterexample(
            &point,
            &slug(Code::InvariantViolated, &format!("{}-{}", inv.id, rule.id)),
            &format!("`{}` without {}", rule.id, names.join(" or ")),
            &explanation,
            expectation(rs, &[r], &[], obligations),
            &[],
        ) {
            Ok(c) => f.counterexample = Some(c),
            Err(err) => f.no_counterexample = Some(err),
        }
        cx.push(f);
    }
}

/// Whether `o` is one of the obligations, owed under the decided disposition `d` (its
/// `for_dispositions`).
fn owed_under(
    rs: &RuleSet,
    obligations: &[ObligationIdx],
    o: &ObligationIdx,
    d: Disposition,
) -> bool {
    obligations.contains(o)
        && rs.obligations.get(*o).is_some_and(|def| {
            def.for_dispositions
                .as_ref()
                .is_none_or(|ds| ds.contains(&d))
        })
}

/// The prohibitions of jurisdiction `j` that attach one of the obligations.
fn carriers(rs: &RuleSet, j: JurisdictionIdx, obligations: &[ObligationIdx]) -> Vec<RuleIdx> {
    rules_of(rs, RuleKind::Prohibition)
        .filter(|(_, c)| {
            c.jurisdiction == j && c.obligations.iter().any(|o| obligations.contains(o))
        })
        .map(|(c, _)| c)
        .collect()
}

/// What the violation says: the rule, its disposition `d`, the obligations it lacks, and those
/// of them it attaches that are owed only under other dispositions.
fn message(
    rs: &RuleSet,
    rule: &Rule,
    d: Disposition,
    obligations: &[ObligationIdx],
    names: &[String],
) -> String {
    let disposition = d.as_str();
    // Obligations of the list it attaches, not owed under its disposition.
    let tied: Vec<String> = rule
        .obligations
        .iter()
        .filter(|o| obligations.contains(o))
        .filter_map(|o| rs.obligations.get(*o))
        .map(|o| {
            let ds: Vec<&str> = o
                .for_dispositions
                .iter()
                .flatten()
                .map(|d| d.as_str())
                .collect();
            format!("`{}` is owed only for {}", o.id, ds.join(", "))
        })
        .collect();
    if tied.is_empty() {
        format!(
            "`{}` sets `{disposition}` but attaches none of {}",
            rule.id,
            names.join(", ")
        )
    } else {
        format!(
            "`{}` sets `{disposition}` but attaches none of {} that is owed for it ({})",
            rule.id,
            names.join(", "),
            tied.join("; ")
        )
    }
}
