//! Scenario expectations: lowering them from the file (comparing them with decisions is
//! [`crate::expectations::compare`]).

use super::raw::{RawExpectation, RawTransaction};
use super::{Expectation, ExpectedExposure, ExpectedObligation};
use crate::diagnostic::Code;
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
            advisories: Vec::new(),
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
    let advisories = rules(cx, &e.advisories);
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
    let exposures = lower_exposures(cx, rs, world, e)?;
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
        advisories,
        obligations,
        no_obligations,
        exposures,
        no_exposures,
        issues: e.issues.clone(),
        loc: cx.loc(span),
    })
}

/// The exposures an expectation requires; `None` when an actor named is unknown.
fn lower_exposures(
    cx: &mut Cx,
    rs: &RuleSet,
    world: &World,
    e: &RawExpectation,
) -> Option<Vec<ExpectedExposure>> {
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
                barred: x.barred,
            });
        }
    }
    Some(exposures)
}
