//! SHADOWED_EXCEPTION and ALWAYS_OVERRIDDEN: exemptions and licenses that never defeat
//! anything.
//!
//! For an exception E and each prohibition P its selector picks, the group is P's closure plus
//! E. E *meets* P if some point fires both; E is *effective* against P if at such a point no
//! firing override protects P from E. An exception that meets no prohibition is shadowed (an
//! error: its selector or its conditions are wrong). One that meets prohibitions but is
//! overridden at every meeting is reported as a warning: the law may well say so (every
//! program of the pack suspends it), and the author should know it currently applies nowhere.

use super::{exceptions, expectation, rules_of, selects_rule, slug};
use crate::check::space::Point;
use crate::check::verify::Observe;
use crate::check::{Finding, Lint, LintCx};
use crate::diagnostic::{Code, Severity};
use crate::model::RuleIdx;
use crate::model::ruleset::{Rule, RuleKind};

pub struct ShadowedException;

impl Lint for ShadowedException {
    fn name(&self) -> &'static str {
        "shadowed_exception"
    }

    fn check(&self, cx: &mut LintCx) {
        let rs = cx.rs;
        for (e, ex) in exceptions(rs) {
            if ex.requires_claim {
                continue;
            }
            let j = ex.jurisdiction;
            let alone = cx.space(j, &[e], &[]);
            let Some(fires) = alone.find(|x| x.fired(e)) else {
                continue; // never fires: DEAD_RULE reports it
            };
            let selected: Vec<RuleIdx> = rules_of(rs, RuleKind::Prohibition)
                .map(|(p, _)| p)
                .filter(|&p| selects_rule(rs, e, p))
                .collect();
            let mut met: Option<(RuleIdx, Vec<RuleIdx>)> = None;
            let mut effective = false;
            for &p in &selected {
                let mut group = cx.closure(p);
                group.push(e);
                let space = cx.space(j, &group, &[]);
                if space
                    .find(|x| x.fired(e) && x.fired(p) && x.protectors(p, e).is_empty())
                    .is_some()
                {
                    effective = true;
                    break;
                }
                if met.is_none() {
                    let meeting = space
                        .find(|x| x.fired(e) && x.stands(p))
                        .or_else(|| space.find(|x| x.fired(e) && x.fired(p)));
                    if let Some(point) = meeting {
                        let by = point.protectors(p, e);
                        let cex = self.overridden_cex(cx, &point, e, p, &by);
                        met = Some((p, by));
                        if let Some(f) = cex {
                            cx.push(f);
                        }
                    }
                }
            }
            if effective {
                // An ALWAYS_OVERRIDDEN finding pushed for an earlier prohibition is withdrawn.
                cx.findings
                    .retain(|f| !(f.code == Code::AlwaysOverridden && f.rules.first() == Some(&e)));
                continue;
            }
            if met.is_some() {
                continue; // reported as ALWAYS_OVERRIDDEN
            }
            self.shadowed(cx, (e, ex), &selected, &fires);
        }
    }
}

impl ShadowedException {
    /// The SHADOWED_EXCEPTION finding for exception `e`, shown firing where no prohibition it
    /// selects (`selected`) fires with it.
    fn shadowed(
        &self,
        cx: &mut LintCx,
        (e, ex): (RuleIdx, &Rule),
        selected: &[RuleIdx],
        fires: &Point,
    ) {
        let why = if selected.is_empty() {
            "its `defeats` selects no prohibition of its jurisdiction".to_string()
        } else {
            let names: Vec<String> = selected
                .iter()
                .map(|p| format!("`{}`", cx.rule_id(*p)))
                .collect();
            format!(
                "none of the prohibitions it selects ({}) can fire on the same facts",
                names.join(", ")
            )
        };
        let mut finding = Finding {
            code: Code::ShadowedException,
            severity: Severity::Error,
            rules: vec![e],
            loc: ex.loc.clone(),
            message: format!("{} `{}` can never defeat anything: {why}", ex.kind.as_str(), ex.id),
            help: Some(
                "check its `defeats` selector (rules, programs, basis, dispositions) and its `when` against the prohibitions it is meant to lift".into(),
            ),
            counterexample: None,
            no_counterexample: None,
        };
        let explanation = format!(
            "`{}` applies to this transaction, but no prohibition it selects fires with it: {why}.",
            ex.id
        );
        match cx.counterexample(
            fires,
            &slug(Code::ShadowedException, &ex.id),
            &format!("`{}` meets no prohibition", ex.id),
            &explanation,
            expectation(cx.rs, &[], &[e], &[]),
            &[Observe::Absent(e)],
        ) {
            Ok(c) => finding.counterexample = Some(c),
            Err(err) => finding.no_counterexample = Some(err),
        }
        cx.push(finding);
    }

    /// The ALWAYS_OVERRIDDEN finding for exception `e`, shown meeting `p` and overridden.
    fn overridden_cex(
        &self,
        cx: &LintCx,
        point: &Point,
        e: RuleIdx,
        p: RuleIdx,
        by: &[RuleIdx],
    ) -> Option<Finding> {
        let rs = cx.rs;
        let ex = rs.rules.get(e)?;
        let names: Vec<String> = by.iter().map(|o| format!("`{}`", cx.rule_id(*o))).collect();
        let mut finding = Finding {
            code: Code::AlwaysOverridden,
            severity: Severity::Warning,
            rules: std::iter::once(e).chain(by.iter().copied()).collect(),
            loc: ex.loc.clone(),
            message: format!(
                "{} `{}` is overridden wherever it meets a prohibition (for example `{}`, by {})",
                ex.kind.as_str(),
                ex.id,
                cx.rule_id(p),
                names.join(", ")
            ),
            help: Some(
                "every program whose prohibitions it selects overrides it, so it currently lifts nothing; this is expected if the law suspends it for all of them".into(),
            ),
            counterexample: None,
            no_counterexample: None,
        };
        let stands = point.stands(p);
        let reasons: Vec<RuleIdx> = if stands {
            std::iter::once(p).chain(by.iter().copied()).collect()
        } else {
            by.to_vec()
        };
        let explanation = format!(
            "`{}` and `{}` both apply here; {} stops the exception, so it defeats nothing.",
            ex.id,
            cx.rule_id(p),
            names.join(", ")
        );
        match cx.counterexample(
            point,
            &slug(Code::AlwaysOverridden, &ex.id),
            &format!("`{}` is overridden", ex.id),
            &explanation,
            expectation(rs, &reasons, &[e], &[]),
            &[Observe::Absent(e)],
        ) {
            Ok(c) => finding.counterexample = Some(c),
            Err(err) => finding.no_counterexample = Some(err),
        }
        Some(finding)
    }
}
