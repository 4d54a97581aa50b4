//! Scenario expectations: lowering them, and comparing them with decisions.

use super::raw::{RawExpectation, RawTransaction};
use super::{Expectation, ExpectedExposure, ExpectedObligation};
use crate::diagnostic::Code;
use crate::eval::decision::{ConsequenceKind, Decision, Outcome, ReasonKind};
use crate::model::RuleIdx;
use crate::model::ruleset::RuleSet;
use crate::model::world::World;
use crate::rules::lower::context::Cx;

pub fn lower_expectations(
    cx: &mut Cx,
    rs: &RuleSet,
    world: &World,
    t: &RawTransaction,
    index: usize,
    out: &mut Vec<Expectation>,
) {
    for (j, e) in &t.expect {
        let Some(jur) = cx.resolve(&rs.index.jurisdictions, j, "jurisdiction") else {
            continue;
        };
        if let Some(x) = lower_one(cx, rs, world, e, index, j.span()) {
            out.push(Expectation {
                jurisdiction: Some(jur),
                ..x
            });
        }
    }
    if let Some(d) = &t.expect_overall {
        out.push(Expectation {
            transaction: index,
            jurisdiction: None,
            disposition: Some(*d.get_ref()),
            reasons: Vec::new(),
            not_reasons: Vec::new(),
            obligations: Vec::new(),
            no_obligations: Vec::new(),
            exposures: Vec::new(),
            no_exposures: Vec::new(),
            issues: Vec::new(),
            loc: cx.loc(d.span()),
        });
    }
}

fn lower_one(
    cx: &mut Cx,
    rs: &RuleSet,
    world: &World,
    e: &RawExpectation,
    index: usize,
    span: std::ops::Range<usize>,
) -> Option<Expectation> {
    let rules = |cx: &mut Cx, v: &[toml::Spanned<String>]| -> Vec<RuleIdx> {
        v.iter()
            .filter_map(|r| cx.resolve(&rs.index.rules, r, "rule"))
            .collect()
    };
    let reasons = rules(cx, &e.reasons);
    let not_reasons = rules(cx, &e.not_reasons);
    let mut obligations = Vec::new();
    for o in &e.obligations {
        let id = cx.resolve(&rs.index.obligations, &o.id, "obligation");
        let actor = match &o.actor {
            Some(a) => Some(cx.resolve(&world.index, a, "party")?),
            None => None,
        };
        let due = cx.opt_date(&o.due);
        if let Some(id) = id {
            obligations.push(ExpectedObligation { id, actor, due });
        }
    }
    let no_obligations = e
        .no_obligations
        .iter()
        .filter_map(|o| cx.resolve(&rs.index.obligations, o, "obligation"))
        .collect();
    let mut exposures = Vec::new();
    for x in &e.exposures {
        let id = cx.resolve(&rs.index.penalties, &x.id, "penalty");
        let actor = match &x.actor {
            Some(a) => Some(cx.resolve(&world.index, a, "party")?),
            None => None,
        };
        let amount = x.amount.as_ref().and_then(|a| cx.money(a));
        if x.amount.is_some() && amount.is_none() {
            continue;
        }
        let enforceable_until = cx.opt_date(&x.enforceable_until);
        if let Some(id) = id {
            exposures.push(ExpectedExposure {
                id,
                actor,
                amount,
                enforceable_until,
            });
        }
    }
    let no_exposures = e
        .no_exposures
        .iter()
        .filter_map(|o| cx.resolve(&rs.index.penalties, o, "penalty"))
        .collect();
    if e == &RawExpectation::default() {
        cx.error(
            Code::InvalidValue,
            span.clone(),
            "this expectation asserts nothing",
        );
    }
    Some(Expectation {
        transaction: index,
        jurisdiction: None,
        disposition: e.disposition.as_ref().map(|d| *d.get_ref()),
        reasons,
        not_reasons,
        obligations,
        no_obligations,
        exposures,
        no_exposures,
        issues: e.issues.clone(),
        loc: cx.loc(span),
    })
}

/// Kinds of reasons that count as "among the reasons" (a defeated rule does not).
fn counts(kind: ReasonKind) -> bool {
    kind != ReasonKind::Defeated
}

/// Compare one expectation with its decision; each failure is one readable line.
pub fn check(rs: &RuleSet, world: &World, x: &Expectation, d: &Decision) -> Vec<String> {
    let mut fails = Vec::new();
    let Some(j) = x.jurisdiction else {
        if let Some(want) = x.disposition
            && want != d.overall
        {
            fails.push(format!(
                "overall disposition: expected {want}, got {}",
                d.overall
            ));
        }
        return fails;
    };
    let Some(o) = d.outcome(j) else {
        fails.push("the jurisdiction was not evaluated".into());
        return fails;
    };
    let rule = |r: RuleIdx| rs.rules.get(r.idx()).map(|x| x.id.as_str()).unwrap_or("?");
    let party = |p: crate::model::PartyIdx| {
        world
            .parties
            .get(p.idx())
            .map(|x| x.id.as_str())
            .unwrap_or("?")
    };
    if let Some(want) = x.disposition
        && want != o.disposition
    {
        fails.push(format!(
            "disposition: expected {want}, got {}",
            o.disposition
        ));
    }
    let actual: Vec<&str> = o
        .reasons
        .iter()
        .filter(|r| counts(r.kind))
        .map(|r| rule(r.rule))
        .collect();
    for &r in &x.reasons {
        if !o.reasons.iter().any(|a| a.rule == r && counts(a.kind)) {
            let defeated = o
                .reasons
                .iter()
                .any(|a| a.rule == r && a.kind == ReasonKind::Defeated);
            let note = if defeated {
                " (it fired but was defeated)"
            } else {
                ""
            };
            fails.push(format!(
                "missing reason `{}`{note}; reasons were: [{}]",
                rule(r),
                actual.join(", ")
            ));
        }
    }
    for &r in &x.not_reasons {
        if o.reasons.iter().any(|a| a.rule == r && counts(a.kind)) {
            fails.push(format!("unexpected reason `{}`", rule(r)));
        }
    }
    for want in &x.obligations {
        let found = o.consequences.iter().any(|c| match &c.kind {
            ConsequenceKind::Obligation { id, due } => {
                *id == want.id
                    && want.actor.is_none_or(|a| a == c.actor)
                    && want.due.is_none_or(|w| due.date() == Some(w))
            }
            _ => false,
        });
        if !found {
            let name = rs
                .obligations
                .get(want.id.idx())
                .map(|x| x.id.as_str())
                .unwrap_or("?");
            let mut what = format!("missing obligation `{name}`");
            if let Some(a) = want.actor {
                what.push_str(&format!(" for `{}`", party(a)));
            }
            if let Some(due) = want.due {
                what.push_str(&format!(" due {due}"));
            }
            fails.push(format!(
                "{what}; obligations were: [{}]",
                obligations_text(rs, world, o)
            ));
        }
    }
    for &no in &x.no_obligations {
        if o.consequences
            .iter()
            .any(|c| matches!(&c.kind, ConsequenceKind::Obligation { id, .. } if *id == no))
        {
            let name = rs
                .obligations
                .get(no.idx())
                .map(|x| x.id.as_str())
                .unwrap_or("?");
            fails.push(format!("unexpected obligation `{name}`"));
        }
    }
    for want in &x.exposures {
        let found = o.consequences.iter().any(|c| match &c.kind {
            ConsequenceKind::Exposure {
                id,
                max_amount,
                enforceable_until,
                ..
            } => {
                *id == want.id
                    && want.actor.is_none_or(|a| a == c.actor)
                    && want.amount.is_none_or(|w| *max_amount == Some(w))
                    && want
                        .enforceable_until
                        .is_none_or(|w| *enforceable_until == Some(w))
            }
            _ => false,
        });
        if !found {
            let name = rs
                .penalties
                .get(want.id.idx())
                .map(|x| x.id.as_str())
                .unwrap_or("?");
            let mut what = format!("missing exposure `{name}`");
            if let Some(a) = want.actor {
                what.push_str(&format!(" for `{}`", party(a)));
            }
            if let Some(m) = want.amount {
                what.push_str(&format!(" of {m}"));
            }
            if let Some(d) = want.enforceable_until {
                what.push_str(&format!(" enforceable until {d}"));
            }
            fails.push(format!(
                "{what}; exposures were: [{}]",
                exposures_text(rs, world, o)
            ));
        }
    }
    for &no in &x.no_exposures {
        if o.consequences
            .iter()
            .any(|c| matches!(&c.kind, ConsequenceKind::Exposure { id, .. } if *id == no))
        {
            let name = rs
                .penalties
                .get(no.idx())
                .map(|x| x.id.as_str())
                .unwrap_or("?");
            fails.push(format!("unexpected exposure `{name}`"));
        }
    }
    for want in &x.issues {
        if !o.issues.iter().any(|i| i.message().contains(want.as_str())) {
            let actual: Vec<String> = o.issues.iter().map(|i| i.message()).collect();
            fails.push(format!(
                "missing issue `{want}`; issues were: [{}]",
                actual.join("; ")
            ));
        }
    }
    fails
}

fn obligations_text(rs: &RuleSet, world: &World, o: &Outcome) -> String {
    o.consequences
        .iter()
        .filter_map(|c| match &c.kind {
            ConsequenceKind::Obligation { id, due } => {
                let name = rs
                    .obligations
                    .get(id.idx())
                    .map(|x| x.id.as_str())
                    .unwrap_or("?");
                let who = world
                    .parties
                    .get(c.actor.idx())
                    .map(|p| p.id.as_str())
                    .unwrap_or("?");
                let when = due.date().map(|d| format!(" due {d}")).unwrap_or_default();
                Some(format!("{name} for {who}{when}"))
            }
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn exposures_text(rs: &RuleSet, world: &World, o: &Outcome) -> String {
    o.consequences
        .iter()
        .filter_map(|c| match &c.kind {
            ConsequenceKind::Exposure {
                id,
                max_amount,
                enforceable_until,
                ..
            } => {
                let name = rs
                    .penalties
                    .get(id.idx())
                    .map(|x| x.id.as_str())
                    .unwrap_or("?");
                let who = world
                    .parties
                    .get(c.actor.idx())
                    .map(|p| p.id.as_str())
                    .unwrap_or("?");
                let amount = max_amount.map(|m| format!(" of {m}")).unwrap_or_default();
                let until = enforceable_until
                    .map(|d| format!(" enforceable until {d}"))
                    .unwrap_or_default();
                Some(format!("{name} for {who}{amount}{until}"))
            }
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(", ")
}
