//! Invariants about defeat: `never_defeated` (no exemption or license ever defeats the
//! protected prohibitions, e.g. material support to an FTO) and
//! `overridden_exception_never_applies` (an exception a program overrides never defeats a
//! prohibition of that program, whatever the override's own scope and conditions).
//!
//! Group: the prohibition's closure (every exception selecting it and every override that
//! protects it from one), so "defeats" is decided exactly as the evaluator decides it.

use super::invariants::violation;
use super::{exceptions, expectation, in_jurisdiction, rules_of, selects_rule, slug};
use crate::check::LintCx;
use crate::check::verify::Observe;
use crate::diagnostic::Code;
use crate::model::ruleset::{Invariant, RuleKind, Selector};
use crate::model::{Bits, RuleIdx};

pub fn never_defeated(cx: &mut LintCx, inv: &Invariant, protects: &Selector) {
    let rs = cx.rs;
    for (p, pr) in rules_of(rs, RuleKind::Prohibition) {
        if !in_jurisdiction(rs, p, inv.jurisdiction) || !protects.selects(p, pr, rs) {
            continue;
        }
        let by: Vec<RuleIdx> = exceptions(rs)
            .map(|(e, _)| e)
            .filter(|&e| selects_rule(rs, e, p))
            .collect();
        if by.is_empty() {
            continue;
        }
        let group = cx.closure(p);
        let space = cx.space(pr.jurisdiction, &group, &[]);
        for e in by {
            let Some(point) = space.find(|x| x.defeaters(p).contains(&e)) else {
                continue;
            };
            let (eid, kind) = rs.rules.get(e).map_or(("?".to_string(), "exception"), |x| {
                (x.id.clone(), x.kind.as_str())
            });
            let mut f = violation(
                inv,
                cx.rule_loc(e),
                vec![e, p],
                format!(
                    "{kind} `{eid}` defeats `{}`, which no exemption or license may defeat",
                    pr.id
                ),
            );
            let explanation = format!(
                "`{}` fires here and `{eid}` defeats it, which invariant `{}` forbids.",
                pr.id, inv.id
            );
            match cx.counterexample(
                &point,
                &slug(Code::InvariantViolated, &format!("{}-{eid}", inv.id)),
                &format!("`{eid}` defeats `{}`", pr.id),
                &explanation,
                expectation(rs, &[e], &[p], &[]),
                &[Observe::DefeatedBy(p, e)],
            ) {
                Ok(c) => f.counterexample = Some(c),
                Err(err) => f.no_counterexample = Some(err),
            }
            cx.push(f);
        }
    }
}

pub fn overridden_never_applies(cx: &mut LintCx, inv: &Invariant, only: &[RuleIdx]) {
    let rs = cx.rs;
    let mut reported: Vec<(RuleIdx, RuleIdx)> = Vec::new();
    for (o, ov) in rules_of(rs, RuleKind::Override) {
        if !in_jurisdiction(rs, o, inv.jurisdiction) {
            continue;
        }
        // The programs that override: the override's own and those its selector names.
        let mut programs: Bits = ov.defeats.programs.unwrap_or_default();
        if let Some(pg) = ov.program {
            programs.insert(pg.idx());
        }
        for &e in &ov.overrides {
            if !only.is_empty() && !only.contains(&e) {
                continue;
            }
            for (p, pr) in rules_of(rs, RuleKind::Prohibition) {
                if reported.contains(&(o, e))
                    || !pr.program.is_some_and(|x| programs.contains(x.idx()))
                    || !selects_rule(rs, e, p)
                {
                    continue;
                }
                let group = cx.closure(p);
                let space = cx.space(pr.jurisdiction, &group, &[]);
                let Some(point) = space.find(|x| x.defeaters(p).contains(&e)) else {
                    continue;
                };
                reported.push((o, e));
                let eid = cx.rule_id(e).to_string();
                let program = pr
                    .program
                    .and_then(|x| rs.programs.get(x))
                    .map_or("?", |x| x.id.as_str());
                let mut f = violation(
                    inv,
                    ov.loc.clone(),
                    vec![o, e, p],
                    format!(
                        "`{eid}` still defeats `{}` of program `{program}`, which overrides it through `{}`",
                        pr.id, ov.id
                    ),
                );
                let explanation = format!(
                    "Program `{program}` overrides `{eid}` (`{}`), yet here `{eid}` defeats `{}`: the override does not cover these facts.",
                    ov.id, pr.id
                );
                match cx.counterexample(
                    &point,
                    &slug(Code::InvariantViolated, &format!("{}-{}", inv.id, ov.id)),
                    &format!("`{eid}` applies under `{program}`"),
                    &explanation,
                    expectation(rs, &[e], &[p], &[]),
                    &[Observe::DefeatedBy(p, e)],
                ) {
                    Ok(c) => f.counterexample = Some(c),
                    Err(err) => f.no_counterexample = Some(err),
                }
                cx.push(f);
            }
        }
    }
}
