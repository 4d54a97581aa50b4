//! DEAD_RULE: a rule that can never fire, with the smallest set of its conditions that cannot
//! hold together.
//!
//! The rule alone is a group; if no point of its space fires it, its parts (each condition, the
//! `unless`, the actor, the validity window) are removed one at a time while the rest still
//! cannot hold (deletion-based minimal core). The counterexample is the nearest miss: a
//! transaction meeting every part but one of the core, where the rule still does not fire.
//! A program nobody is designated under does not make a rule dead: designations are free.

use std::sync::Arc;

use super::{expectation, slug};
use crate::check::space::Space;
use crate::check::verify::Observe;
use crate::check::{Finding, Lint, LintCx};
use crate::diagnostic::{Code, Severity};
use crate::model::ruleset::{Conditions, Rule, RuleSet};
use crate::model::world::World;
use crate::model::{JurisdictionIdx, RuleIdx};

pub struct DeadRule;

/// A removable part of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    When(Field),
    Unless,
    Actor,
    Window,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Types,
    GoodsAny,
    GoodsOnly,
    Currencies,
    AtLeast,
    Below,
    DateFrom,
    DateBefore,
    PersonalUse,
    CrossBorder,
    TransfersValue,
    Any,
    Party(usize),
    NoParty(usize),
}

fn parts(r: &Rule) -> Vec<Part> {
    let c = &r.when;
    let mut v = Vec::new();
    let mut add = |present: bool, f: Field| {
        if present {
            v.push(Part::When(f));
        }
    };
    add(c.transaction_types.is_some(), Field::Types);
    add(c.goods_any.is_some(), Field::GoodsAny);
    add(c.goods_only.is_some(), Field::GoodsOnly);
    add(c.currencies.is_some(), Field::Currencies);
    add(c.amount_at_least.is_some(), Field::AtLeast);
    add(c.amount_below.is_some(), Field::Below);
    add(c.date_from.is_some(), Field::DateFrom);
    add(c.date_before.is_some(), Field::DateBefore);
    add(c.personal_use.is_some(), Field::PersonalUse);
    add(c.cross_border.is_some(), Field::CrossBorder);
    add(c.transfers_value.is_some(), Field::TransfersValue);
    add(!c.any.is_empty(), Field::Any);
    for i in 0..c.parties.len() {
        v.push(Part::When(Field::Party(i)));
    }
    for i in 0..c.no_party.len() {
        v.push(Part::When(Field::NoParty(i)));
    }
    if r.unless.is_some() {
        v.push(Part::Unless);
    }
    if r.actor.is_some() {
        v.push(Part::Actor);
    }
    if r.valid_from.is_some() || r.valid_until.is_some() {
        v.push(Part::Window);
    }
    v
}

fn describe(r: &Rule, p: Part) -> String {
    match p {
        Part::When(f) => format!(
            "`when.{}`",
            match f {
                Field::Types => "transaction_type".to_string(),
                Field::GoodsAny => "goods_any".to_string(),
                Field::GoodsOnly => "goods_only".to_string(),
                Field::Currencies => "currency".to_string(),
                Field::AtLeast => "amount_at_least".to_string(),
                Field::Below => "amount_below".to_string(),
                Field::DateFrom => "date_from".to_string(),
                Field::DateBefore => "date_before".to_string(),
                Field::PersonalUse => "personal_use".to_string(),
                Field::CrossBorder => "cross_border".to_string(),
                Field::TransfersValue => "transfers_value".to_string(),
                Field::Any => "any".to_string(),
                Field::Party(_) if r.when.parties.len() == 1 => "party".to_string(),
                Field::Party(i) => format!("party[{}]", i + 1),
                Field::NoParty(_) if r.when.no_party.len() == 1 => "no_party".to_string(),
                Field::NoParty(i) => format!("no_party[{}]", i + 1),
            }
        ),
        Part::Unless => "`unless`".into(),
        Part::Actor => "`actor`".into(),
        Part::Window => "the validity window (`valid_from`, `valid_until`)".into(),
    }
}

/// The rule without the parts in `drop`.
fn without(r: &Rule, drop: &[Part]) -> Rule {
    let mut r = r.clone();
    let c: &mut Conditions = &mut r.when;
    // Remove clauses from the back so indices stay valid.
    let mut parties: Vec<usize> = Vec::new();
    let mut no_parties: Vec<usize> = Vec::new();
    for p in drop {
        match p {
            Part::When(f) => match f {
                Field::Types => c.transaction_types = None,
                Field::GoodsAny => c.goods_any = None,
                Field::GoodsOnly => c.goods_only = None,
                Field::Currencies => c.currencies = None,
                Field::AtLeast => c.amount_at_least = None,
                Field::Below => c.amount_below = None,
                Field::DateFrom => c.date_from = None,
                Field::DateBefore => c.date_before = None,
                Field::PersonalUse => c.personal_use = None,
                Field::CrossBorder => c.cross_border = None,
                Field::TransfersValue => c.transfers_value = None,
                Field::Any => c.any.clear(),
                Field::Party(i) => parties.push(*i),
                Field::NoParty(i) => no_parties.push(*i),
            },
            Part::Unless => r.unless = None,
            Part::Actor => r.actor = None,
            Part::Window => {
                r.valid_from = None;
                r.valid_until = None;
            }
        }
    }
    parties.sort_unstable();
    no_parties.sort_unstable();
    for i in parties.into_iter().rev() {
        if i < r.when.parties.len() {
            r.when.parties.remove(i);
        }
    }
    for i in no_parties.into_iter().rev() {
        if i < r.when.no_party.len() {
            r.when.no_party.remove(i);
        }
    }
    r
}

/// A copy of the rule set where rule `r` is replaced.
fn with_rule(rs: &RuleSet, r: RuleIdx, rule: Rule) -> RuleSet {
    let mut copy = rs.clone();
    if let Some(slot) = copy.rules.get_mut(r) {
        *slot = rule;
    }
    copy
}

fn fires(rs: &RuleSet, reference: &World, j: JurisdictionIdx, r: RuleIdx) -> bool {
    Space::new(rs, reference, j, &[r], &[])
        .find(|p| p.fired(r))
        .is_some()
}

impl Lint for DeadRule {
    fn name(&self) -> &'static str {
        "dead_rule"
    }

    fn check(&self, cx: &mut LintCx) {
        let rs = cx.rs;
        for (r, rule) in rs.rules.iter_enumerated() {
            let j = rule.jurisdiction;
            if cx.space(j, &[r], &[]).find(|p| p.fired(r)).is_some() {
                continue;
            }
            let (core, dropped) = minimal_core(cx, rule, r);
            let names: Vec<String> = core.iter().map(|p| describe(rule, *p)).collect();
            let reason = match names.len() {
                0 => "it has no condition that could hold".to_string(),
                1 => format!("{} can never hold", names.join("")),
                _ => format!("{} cannot hold together", names.join(" and ")),
            };
            let mut finding = Finding {
                code: Code::DeadRule,
                severity: Severity::Error,
                rules: vec![r],
                loc: rule.loc.clone(),
                message: format!("{} `{}` can never fire: {reason}", rule.kind.as_str(), rule.id),
                help: Some(
                    "remove the rule, or correct the conditions named; a rule that never fires never protects anyone".into(),
                ),
                counterexample: None,
                no_counterexample: None,
            };
            let near = nearest_miss(cx, rule, r, &core, &dropped);
            let found = near.as_ref().and_then(|(p, variant, all)| {
                let vspace = Space::new(variant, &cx.pack.reference, j, &[r], &[]);
                let point = vspace.find(|x| x.fired(r))?;
                let miss = describe(rule, *p);
                let meets = if *all {
                    "every condition except".to_string()
                } else {
                    "the rest of those conditions, but not".to_string()
                };
                let explanation = format!(
                    "`{}` can never fire: {reason}. This transaction meets {meets} {miss}, and the rule does not fire.",
                    rule.id
                );
                Some(cx.counterexample(
                    &point,
                    &slug(Code::DeadRule, &rule.id),
                    &format!("`{}` never fires", rule.id),
                    &explanation,
                    expectation(rs, &[], &[r], &[]),
                    &[Observe::Absent(r)],
                ))
            });
            match found {
                Some(Ok(c)) => finding.counterexample = Some(c),
                Some(Err(e)) => finding.no_counterexample = Some(e),
                None => {
                    finding.no_counterexample =
                        Some(crate::check::NoCounterexample::NoNearTransaction)
                }
            }
            cx.push(finding);
        }
    }
}

/// Minimal core: drop parts while the rest still cannot fire. The parts kept (the core) and
/// the parts dropped.
fn minimal_core(cx: &LintCx, rule: &Rule, r: RuleIdx) -> (Vec<Part>, Vec<Part>) {
    let all = parts(rule);
    let mut dropped: Vec<Part> = Vec::new();
    for p in &all {
        let mut trial = dropped.clone();
        trial.push(*p);
        let variant = with_rule(cx.rs, r, without(rule, &trial));
        if !fires(&variant, &cx.pack.reference, rule.jurisdiction, r) {
            dropped = trial;
        }
    }
    let core: Vec<Part> = all
        .iter()
        .copied()
        .filter(|p| !dropped.contains(p))
        .collect();
    (core, dropped)
}

/// The nearest miss: every condition but one part of the core holds, if possible (`true`);
/// otherwise the rest of the core holds (`false`). The part missed and the rule set in which
/// the rule lacks it.
fn nearest_miss(
    cx: &LintCx,
    rule: &Rule,
    r: RuleIdx,
    core: &[Part],
    dropped: &[Part],
) -> Option<(Part, Arc<RuleSet>, bool)> {
    for p in core {
        let variant = with_rule(cx.rs, r, without(rule, &[*p]));
        if fires(&variant, &cx.pack.reference, rule.jurisdiction, r) {
            return Some((*p, Arc::new(variant), true));
        }
    }
    let p = core.first()?;
    let mut keep = dropped.to_vec();
    keep.push(*p);
    Some((
        *p,
        Arc::new(with_rule(cx.rs, r, without(rule, &keep))),
        false,
    ))
}
