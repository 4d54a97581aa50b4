//! INEFFECTIVE_OVERRIDE: an override that never stops anything.
//!
//! An override stops exception E (one it names) from defeating prohibition P (one its selector
//! picks, that E also selects). It is effective if some point fires the override, E and P
//! together. An override that is never effective protects nothing: usually it names the wrong
//! exception or protects the wrong program (a Kingpin override of an IEEPA exemption).

use super::{expectation, rules_of, selects_rule, slug};
use crate::check::verify::Observe;
use crate::check::{Finding, Lint, LintCx};
use crate::diagnostic::{Code, Severity};
use crate::model::RuleIdx;
use crate::model::ruleset::RuleKind;

pub struct IneffectiveOverride;

impl Lint for IneffectiveOverride {
    fn name(&self) -> &'static str {
        "ineffective_override"
    }

    fn check(&self, cx: &mut LintCx) {
        let rs = cx.rs;
        for (o, ov) in rules_of(rs, RuleKind::Override) {
            let j = ov.jurisdiction;
            let alone = cx.space(j, &[o], &[]);
            let Some(fires) = alone.find(|x| x.fired(o)) else {
                continue; // never fires: DEAD_RULE reports it
            };
            let prohibitions: Vec<RuleIdx> = rules_of(rs, RuleKind::Prohibition)
                .map(|(p, _)| p)
                .filter(|&p| selects_rule(rs, o, p))
                .collect();
            let mut pairs = 0;
            let mut effective = false;
            'search: for &e in &ov.overrides {
                for &p in &prohibitions {
                    if !selects_rule(rs, e, p) {
                        continue;
                    }
                    pairs += 1;
                    let space = cx.space(j, &[o, e, p], &[]);
                    if space
                        .find(|x| x.fired(o) && x.fired(e) && x.fired(p))
                        .is_some()
                    {
                        effective = true;
                        break 'search;
                    }
                }
            }
            if effective {
                continue;
            }
            let named: Vec<String> = ov
                .overrides
                .iter()
                .map(|e| format!("`{}`", cx.rule_id(*e)))
                .collect();
            let why = if pairs == 0 {
                format!(
                    "no prohibition it protects is one that {} selects",
                    named.join(", ")
                )
            } else {
                format!(
                    "{} never applies together with a prohibition it protects",
                    named.join(", ")
                )
            };
            let mut finding = Finding {
                code: Code::IneffectiveOverride,
                severity: Severity::Warning,
                rules: std::iter::once(o).chain(ov.overrides.iter().copied()).collect(),
                loc: ov.loc.clone(),
                message: format!("override `{}` never stops anything: {why}", ov.id),
                help: Some(
                    "check the exceptions it names in `overrides` and the prohibitions its `defeats` (by default its program) protects".into(),
                ),
                counterexample: None,
                no_counterexample: None,
            };
            let explanation = format!("`{}` applies here but stops nothing: {why}.", ov.id);
            match cx.counterexample(
                &fires,
                &slug(Code::IneffectiveOverride, &ov.id),
                &format!("`{}` stops nothing", ov.id),
                &explanation,
                expectation(rs, &[], &[o], &[]),
                &[Observe::Absent(o)],
            ) {
                Ok(c) => finding.counterexample = Some(c),
                Err(err) => finding.no_counterexample = Some(err),
            }
            cx.push(finding);
        }
    }
}
