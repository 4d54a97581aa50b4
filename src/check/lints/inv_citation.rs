//! `citation`: every rule cites a source. Lowering already refuses a rule without a citation
//! (MISSING_CITATION); this invariant adds what a pack asks of the text: one of `contains_any`
//! (e.g. a code or register reference) and none of `excludes` (e.g. "TODO").
//! The counterexample shows the rule deciding a transaction with the citation it has.

use super::invariants::violation;
use super::{expectation, in_jurisdiction, slug};
use crate::check::LintCx;
use crate::diagnostic::Code;

use crate::model::ruleset::RuleKind;

pub fn check(
    cx: &mut LintCx,
    inv: &crate::model::ruleset::Invariant,
    contains_any: &[String],
    excludes: &[String],
) {
    let rs = cx.rs;
    for (r, rule) in rs.rules.iter_enumerated() {
        if !in_jurisdiction(rs, r, inv.jurisdiction) || rule.requires_claim {
            continue;
        }
        let text = rule.citation.text.trim();
        let problem = if text.is_empty() {
            Some("cites no source".to_string())
        } else if !contains_any.is_empty()
            && !contains_any.iter().any(|c| text.contains(c.as_str()))
        {
            Some(format!(
                "cites `{text}`, which names none of: {}",
                contains_any.join(", ")
            ))
        } else {
            excludes
                .iter()
                .find(|x| text.contains(x.as_str()))
                .map(|x| format!("cites `{text}`, which contains `{x}`"))
        };
        let Some(problem) = problem else { continue };
        let mut f = violation(
            inv,
            rule.loc.clone(),
            vec![r],
            format!("rule `{}` {problem}", rule.id),
        );
        if rule.kind == RuleKind::Prohibition {
            let space = cx.space(rule.jurisdiction, &cx.closure(r), &[]);
            if let Some(point) = space.find(|x| x.stands(r)) {
                let explanation = format!(
                    "`{}` decides this transaction; its reason cites `{text}`.",
                    rule.id
                );
                match cx.counterexample(
                    &point,
                    &slug(Code::InvariantViolated, &format!("{}-{}", inv.id, rule.id)),
                    &format!("`{}` cites `{text}`", rule.id),
                    &explanation,
                    expectation(rs, &[r], &[], &[]),
                    &[],
                ) {
                    Ok(c) => f.counterexample = Some(c),
                    Err(err) => f.no_counterexample = Some(err),
                }
            }
        }
        if f.counterexample.is_none() && f.no_counterexample.is_none() {
            f.no_counterexample = Some(crate::check::NoCounterexample::StaticCitation);
        }
        cx.push(f);
    }
}
