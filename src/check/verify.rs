//! Confirming a counterexample with the real evaluator: the emitted text is loaded as a
//! scenario, its expectations are checked, and the finding's observations are looked for in
//! the decision. A finding is only ever shown with a scenario that reproduces it.

use std::path::Path;

use crate::eval::decision::ReasonKind;
use crate::expectations::run;
use crate::model::pack::Pack;
use crate::model::{JurisdictionIdx, RuleIdx};
use crate::source::SourceFile;

/// What must be visible in the decision, beyond the scenario's own expectations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observe {
    /// The rule appears among no reasons at all (not even as defeated).
    Absent(RuleIdx),
    /// The prohibition fired and was defeated, the exception among those that defeated it.
    DefeatedBy(RuleIdx, RuleIdx),
}

/// Load `text` as a scenario with `pack` and check it; the failures, if any.
pub fn verify(
    pack: &Pack,
    j: JurisdictionIdx,
    text: &str,
    observe: &[Observe],
) -> Result<(), Vec<String>> {
    let file = SourceFile::new("<counterexample>", text.to_string());
    let s = match crate::scenario::load(file, Path::new("counterexample.toml"), pack) {
        Ok(s) => s,
        Err(d) => return Err(d.iter().map(|x| x.to_string()).collect()),
    };
    let mut fails: Vec<String> = run::check(&s)
        .into_iter()
        .flat_map(|r| r.failures)
        .collect();
    let (_, decisions) = run::decisions(&s, &crate::eval::EvalOptions::default());
    let name = |r: RuleIdx| pack.rules.rules[r].id.as_str();
    for o in observe {
        let seen = decisions.iter().any(|d| {
            d.outcome(j).is_some_and(|out| match o {
                Observe::Absent(r) => !out.reasons.iter().any(|x| x.rule == *r),
                Observe::DefeatedBy(p, e) => out.reasons.iter().any(|x| {
                    x.kind == ReasonKind::Defeated && x.rule == *p && x.related.contains(e)
                }),
            })
        });
        if !seen {
            fails.push(match o {
                Observe::Absent(r) => format!("`{}` appears among the reasons", name(*r)),
                Observe::DefeatedBy(p, e) => {
                    format!("`{}` is not shown defeated by `{}`", name(*p), name(*e))
                }
            });
        }
    }
    if fails.is_empty() { Ok(()) } else { Err(fails) }
}
