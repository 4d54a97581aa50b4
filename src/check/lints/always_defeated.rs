//! ALWAYS_DEFEATED: a prohibition that can fire, but wherever it fires an exemption or license
//! defeats it, so it never decides anything.
//!
//! Group: the prohibition, every exception that selects it, and every override that protects
//! it from one of those (its closure). A warning, not an error: a program whose prohibitions
//! are all suspended by a general license is a legitimate, if unusual, state of the law.

use super::{expectation, rules_of, slug};
use crate::check::verify::Observe;
use crate::check::{Finding, Lint, LintCx};
use crate::diagnostic::{Code, Severity};
use crate::model::ruleset::RuleKind;

pub struct AlwaysDefeated;

impl Lint for AlwaysDefeated {
    fn name(&self) -> &'static str {
        "always_defeated"
    }

    fn check(&self, cx: &mut LintCx) {
        let rs = cx.rs;
        for (p, rule) in rules_of(rs, RuleKind::Prohibition) {
            let group = cx.closure(p);
            if group.len() == 1 {
                continue;
            }
            let space = cx.space(rule.jurisdiction, &group, &[]);
            if space.find(|x| x.stands(p)).is_some() {
                continue;
            }
            let Some(point) = space.find(|x| x.fired(p)) else {
                continue; // never fires at all: DEAD_RULE reports it
            };
            let defeaters = point.defeaters(p);
            let names: Vec<String> = defeaters
                .iter()
                .map(|e| format!("`{}`", cx.rule_id(*e)))
                .collect();
            let mut finding = Finding {
                code: Code::AlwaysDefeated,
                severity: Severity::Warning,
                rules: std::iter::once(p).chain(defeaters.iter().copied()).collect(),
                loc: rule.loc.clone(),
                message: format!(
                    "prohibition `{}` is defeated wherever it fires (for example by {})",
                    rule.id,
                    names.join(", ")
                ),
                help: Some(
                    "narrow the exceptions' `defeats` or `when`, add an override, or remove the prohibition".into(),
                ),
                counterexample: None,
                no_counterexample: None,
            };
            let explanation = format!(
                "`{}` fires here and is defeated by {}; no transaction lets it stand.",
                rule.id,
                names.join(", ")
            );
            let first: Vec<_> = defeaters.first().copied().into_iter().collect();
            let observe: Vec<Observe> = first.iter().map(|e| Observe::DefeatedBy(p, *e)).collect();
            match cx.counterexample(
                &point,
                &slug(Code::AlwaysDefeated, &rule.id),
                &format!("`{}` is always defeated", rule.id),
                &explanation,
                expectation(rs, &first, &[p], &[]),
                &observe,
            ) {
                Ok(c) => finding.counterexample = Some(c),
                Err(e) => finding.no_counterexample = Some(e),
            }
            cx.push(finding);
        }
    }
}
