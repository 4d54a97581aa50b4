//! `advisory_keeps_disposition`: no advisory changes a disposition. An advisory is carried on
//! a decision as a caution (OFAC FAQ 398's "exercise caution"); the disposition is the law's.
//! Lowering refuses an advisory with a disposition or consequences, but rule sets built in code
//! bypass it, and an exception that names an advisory states a defeat the engine never applies
//! (`Selector::selects` never picks an advisory): this invariant states the property itself,
//! for every advisory of the jurisdiction.

use super::in_jurisdiction;
use super::invariants::violation;
use crate::check::{LintCx, NoCounterexample};
use crate::model::ruleset::Invariant;

pub fn check(cx: &mut LintCx, inv: &Invariant) {
    let rs = cx.rs;
    for (r, rule) in rs.rules.iter_enumerated() {
        if !rule.advisory || !in_jurisdiction(rs, r, inv.jurisdiction) {
            continue;
        }
        let named_by = rs
            .rules
            .iter()
            .find(|x| x.defeats.rules.as_ref().is_some_and(|v| v.contains(&r)));
        let problem = if let Some(d) = rule.disposition {
            Some(format!("sets disposition `{d}`"))
        } else if !rule.obligations.is_empty() || !rule.exposures.is_empty() {
            Some("attaches obligations or exposures".to_string())
        } else {
            named_by.map(|x| {
                format!(
                    "is named by the `defeats` of `{}`: an advisory is no prohibition to defeat",
                    x.id
                )
            })
        };
        let Some(problem) = problem else { continue };
        let mut f = violation(
            inv,
            rule.loc.clone(),
            vec![r],
            format!("advisory `{}` {problem}", rule.id),
        );
        // The property is about the rule's definition, not a transaction.
        f.no_counterexample = Some(NoCounterexample::StaticDefinition);
        cx.push(f);
    }
}
