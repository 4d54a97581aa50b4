//! CONFLICT: two rules that fire on the same facts with incompatible effects and no declared
//! precedence between them.
//!
//! In this engine prohibitions never conflict with each other (the disposition lattice takes
//! the strongest, and every duty attaches), and an exception never conflicts with a
//! prohibition (defeat is the declared precedence), nor an override with the exceptions it
//! names. What is left is an override O and an exception E2 it does not name: O says that
//! prohibition P stands although exception E1 (which it names) applies; E2, of the same kind as
//! E1, says P yields; both apply to P on the same facts. The evaluator lets E2 defeat P, so O's
//! protection is silently lost, and nothing in the packs says that is intended. The fix is a
//! declaration: name E2 in O's `overrides`, or narrow E2 so it does not apply there.
//!
//! A license is not in conflict with an override of an exemption (a license is a later,
//! deliberate authorization under the program itself), hence "of the same kind".

use super::{exceptions, expectation, rules_of, selects_rule, slug};
use crate::check::verify::Observe;
use crate::check::{Finding, Lint, LintCx};
use crate::diagnostic::{Code, Severity};
use crate::model::RuleIdx;
use crate::model::ruleset::RuleKind;

pub struct Conflict;

impl Lint for Conflict {
    fn name(&self) -> &'static str {
        "conflict"
    }

    fn check(&self, cx: &mut LintCx) {
        let rs = cx.rs;
        let mut reported: Vec<(RuleIdx, RuleIdx)> = Vec::new();
        for (o, ov) in rules_of(rs, RuleKind::Override) {
            let j = ov.jurisdiction;
            for &e1 in &ov.overrides {
                let Some(kind) = rs.rules.get(e1).map(|x| x.kind) else {
                    continue;
                };
                let protected: Vec<RuleIdx> = rules_of(rs, RuleKind::Prohibition)
                    .map(|(p, _)| p)
                    .filter(|&p| selects_rule(rs, o, p) && selects_rule(rs, e1, p))
                    .collect();
                for (e2, ex2) in exceptions(rs) {
                    if e2 == e1
                        || ex2.kind != kind
                        || ov.overrides.contains(&e2)
                        || ex2.jurisdiction != j
                        || reported.contains(&(o, e2))
                    {
                        continue;
                    }
                    for &p in &protected {
                        if !selects_rule(rs, e2, p) {
                            continue;
                        }
                        let mut group = cx.closure(p);
                        group.extend([o, e1, e2]);
                        let space = cx.space(j, &group, &[]);
                        let Some(point) = space.find(|x| {
                            x.fired(p)
                                && x.fired(e1)
                                && x.protectors(p, e1).contains(&o)
                                && x.defeaters(p).contains(&e2)
                        }) else {
                            continue;
                        };
                        reported.push((o, e2));
                        let (pid, e1id, oid) = (cx.rule_id(p), cx.rule_id(e1), cx.rule_id(o));
                        let mut finding = Finding {
                            code: Code::Conflict,
                            severity: Severity::Error,
                            rules: vec![e2, o, e1, p],
                            loc: ex2.loc.clone(),
                            message: format!(
                                "{} `{}` defeats `{pid}` on facts where override `{oid}` protects it from `{e1id}`, and nothing says which prevails",
                                ex2.kind.as_str(),
                                ex2.id
                            ),
                            help: Some(format!(
                                "if `{}` must also yield, add it to `overrides` of `{oid}` (at {}); otherwise narrow its `when` or `defeats` so it does not apply where `{e1id}` is overridden",
                                ex2.id, ov.loc
                            )),
                            counterexample: None,
                            no_counterexample: None,
                        };
                        let explanation = format!(
                            "`{pid}` applies; `{oid}` stops `{e1id}` from lifting it, but `{}` lifts it anyway, so the transaction is permitted.",
                            ex2.id
                        );
                        match cx.counterexample(
                            &point,
                            &slug(Code::Conflict, &ex2.id),
                            &format!("`{}` bypasses `{oid}`", ex2.id),
                            &explanation,
                            expectation(rs, &[e2, o], &[p], &[]),
                            &[Observe::DefeatedBy(p, e2)],
                        ) {
                            Ok(c) => finding.counterexample = Some(c),
                            Err(err) => finding.no_counterexample = Some(err),
                        }
                        cx.push(finding);
                        break;
                    }
                }
            }
        }
    }
}
