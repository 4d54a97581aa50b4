//! Comparing a scenario's expectations with the decisions: each failure is one readable line.

use crate::eval::decision::{ConsequenceKind, Decision, Outcome, ReasonKind};
use crate::model::RuleIdx;
use crate::model::ruleset::RuleSet;
use crate::model::world::World;
use crate::scenario::Expectation;

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
    if let Some(want) = x.disposition
        && want != o.disposition
    {
        fails.push(format!(
            "disposition: expected {want}, got {}",
            o.disposition
        ));
    }
    check_reasons(rs, x, o, &mut fails);
    check_obligations(rs, world, x, o, &mut fails);
    check_exposures(rs, world, x, o, d, &mut fails);
    check_issues(x, o, &mut fails);
    fails
}

fn rule_id(rs: &RuleSet, r: RuleIdx) -> &str {
    rs.rules[r].id.as_str()
}

fn party_id(world: &World, p: crate::model::PartyIdx) -> &str {
    world.parties[p].id.as_str()
}

/// The reasons expected among the outcome's reasons (a defeated rule is not), and those
/// expected not to be.
fn check_reasons(rs: &RuleSet, x: &Expectation, o: &Outcome, fails: &mut Vec<String>) {
    let rule = |r: RuleIdx| rule_id(rs, r);
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
    for &r in &x.advisories {
        if !o
            .reasons
            .iter()
            .any(|a| a.rule == r && a.kind == ReasonKind::Advisory)
        {
            fails.push(format!(
                "missing advisory `{}`; reasons were: [{}]",
                rule(r),
                actual.join(", ")
            ));
        }
    }
}

/// The obligations expected (for an actor, due on a date) and those expected absent.
fn check_obligations(
    rs: &RuleSet,
    world: &World,
    x: &Expectation,
    o: &Outcome,
    fails: &mut Vec<String>,
) {
    let party = |p: crate::model::PartyIdx| party_id(world, p);
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
            let name = rs.obligations[want.id].id.as_str();
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
            let name = rs.obligations[no].id.as_str();
            fails.push(format!("unexpected obligation `{name}`"));
        }
    }
}

/// The exposures expected (for an actor, of an amount, enforceable until a date) and those
/// expected absent.
fn check_exposures(
    rs: &RuleSet,
    world: &World,
    x: &Expectation,
    o: &Outcome,
    d: &Decision,
    fails: &mut Vec<String>,
) {
    let party = |p: crate::model::PartyIdx| party_id(world, p);
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
                    && want
                        .barred
                        .is_none_or(|b| d.barred(*enforceable_until) == b)
            }
            _ => false,
        });
        if !found {
            let name = rs.penalties[want.id].id.as_str();
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
            match want.barred {
                Some(true) => what.push_str(" (barred)"),
                Some(false) => what.push_str(" (not barred)"),
                None => {}
            }
            fails.push(format!(
                "{what}; exposures were: [{}]",
                exposures_text(rs, world, o, d)
            ));
        }
    }
    for &no in &x.no_exposures {
        if o.consequences
            .iter()
            .any(|c| matches!(&c.kind, ConsequenceKind::Exposure { id, .. } if *id == no))
        {
            let name = rs.penalties[no].id.as_str();
            fails.push(format!("unexpected exposure `{name}`"));
        }
    }
}

/// Each issue expected is one whose message contains the text given.
fn check_issues(x: &Expectation, o: &Outcome, fails: &mut Vec<String>) {
    for want in &x.issues {
        if !o.issues.iter().any(|i| i.message().contains(want.as_str())) {
            let actual: Vec<String> = o.issues.iter().map(|i| i.message()).collect();
            fails.push(format!(
                "missing issue `{want}`; issues were: [{}]",
                actual.join("; ")
            ));
        }
    }
}

fn obligations_text(rs: &RuleSet, world: &World, o: &Outcome) -> String {
    o.consequences
        .iter()
        .filter_map(|c| match &c.kind {
            ConsequenceKind::Obligation { id, due } => {
                let name = rs.obligations[*id].id.as_str();
                let who = world.parties[c.actor].id.as_str();
                let when = due.date().map(|d| format!(" due {d}")).unwrap_or_default();
                Some(format!("{name} for {who}{when}"))
            }
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn exposures_text(rs: &RuleSet, world: &World, o: &Outcome, d: &Decision) -> String {
    o.consequences
        .iter()
        .filter_map(|c| match &c.kind {
            ConsequenceKind::Exposure {
                id,
                max_amount,
                enforceable_until,
                ..
            } => {
                let name = rs.penalties[*id].id.as_str();
                let who = world.parties[c.actor].id.as_str();
                let amount = max_amount.map(|m| format!(" of {m}")).unwrap_or_default();
                let until = enforceable_until
                    .map(|u| format!(" enforceable until {u}"))
                    .unwrap_or_default();
                let barred = if d.barred(*enforceable_until) {
                    " (barred)"
                } else {
                    ""
                };
                Some(format!("{name} for {who}{amount}{until}{barred}"))
            }
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(", ")
}
