//! `disposition_requires_obligation`: every prohibition that can set one of the dispositions
//! (undefeated) must attach one of the obligations itself, e.g. every `block` yields a
//! blocking report. A rule that does not list it is a violation when some transaction lets it
//! stand while no other rule attaches the obligation (the decision then carries no report).
//!
//! Group: the rule and every rule carrying one of the obligations, with their closures.

use super::invariants::violation;
use super::{closures, expectation, in_jurisdiction, rules_of, slug};
use crate::check::LintCx;
use crate::diagnostic::Code;
use crate::model::ruleset::{Invariant, RuleKind};
use crate::model::{Disposition, ObligationIdx, RuleIdx};

pub fn check(
    cx: &mut LintCx,
    inv: &Invariant,
    dispositions: &[Disposition],
    obligations: &[ObligationIdx],
) {
    let rs = cx.rs;
    let names: Vec<String> = obligations
        .iter()
        .filter_map(|o| rs.obligations.get(o.idx()))
        .map(|o| format!("`{}`", o.id))
        .collect();
    for (r, rule) in rules_of(rs, RuleKind::Prohibition) {
        if !in_jurisdiction(rs, r, inv.jurisdiction)
            || !rule.disposition.is_some_and(|d| dispositions.contains(&d))
            || rule.obligations.iter().any(|o| obligations.contains(o))
        {
            continue;
        }
        let carriers: Vec<RuleIdx> = rules_of(rs, RuleKind::Prohibition)
            .filter(|(_, c)| {
                c.jurisdiction == rule.jurisdiction
                    && c.obligations.iter().any(|o| obligations.contains(o))
            })
            .map(|(c, _)| c)
            .collect();
        let mut group = vec![r];
        group.extend(carriers.iter().copied());
        let space = cx.space(rule.jurisdiction, &closures(rs, &group), &[]);
        let Some(point) = space.find(|x| x.stands(r) && !carriers.iter().any(|&c| x.stands(c)))
        else {
            continue;
        };
        let disposition = rule.disposition.map_or("?", |d| d.as_str());
        let mut f = violation(
            inv,
            rule.loc.clone(),
            vec![r],
            format!(
                "`{}` sets `{disposition}` but attaches none of {}",
                rule.id,
                names.join(", ")
            ),
        );
        f.help = f.help.map(|h| {
            format!(
                "add {} to its `obligations`; {h}",
                names.first().cloned().unwrap_or_default()
            )
        });
        let explanation = format!(
            "`{}` decides `{disposition}` here, and no rule attaches {}.",
            rule.id,
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
