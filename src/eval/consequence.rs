//! Turning fired rules into dated obligations and computed exposures: the obligations and
//! exposures phases of an evaluation, and what they compute.

use rust_decimal::Decimal;

use super::Evaluation;
use super::disposition::Judgement;
use crate::eval::decision::{Consequence, ConsequenceKind, DueDate, Issue};
use crate::model::calendar::{add_days, add_years, next_annual};
use crate::model::ruleset::{DatedBy, Due, ObligationDef, PenaltyDef, RuleSet, in_force_on};
use crate::model::values::Currency;
use crate::model::values::{Date, Money};
use crate::model::world::{ConvertError, Transaction, World};
use crate::model::{JurisdictionIdx, ObligationIdx, PartyIdx, PenaltyIdx, RuleIdx};

impl Evaluation<'_> {
    /// The obligations of the undefeated prohibitions, and those owed when licensed of the
    /// prohibitions a license defeated, owed by their actors and merged per actor and duty;
    /// one tied to dispositions (`for_dispositions`) only under the decided one.
    pub(super) fn obligations(
        &self,
        judged: &Judgement,
        out: &mut Vec<Consequence>,
        issues: &mut Vec<Issue>,
    ) {
        let rs = self.cx.rs;
        let live = judged.live.iter().map(|f| (f, false));
        let licensed = judged.licensed.iter().map(|f| (f, true));
        for (&(r, actor), by_license) in live.chain(licensed) {
            // A prohibition without an actor attaches no consequences.
            let Some(actor) = actor else { continue };
            let rule = &rs.rules[r];
            for &o in &rule.obligations {
                let def = &rs.obligations[o];
                if (by_license && !def.owed_when_licensed)
                    || def
                        .for_dispositions
                        .as_ref()
                        .is_some_and(|ds| !ds.contains(&judged.decided))
                {
                    continue;
                }
                let (j, tx, as_of) = (self.cx.j, self.cx.tx, self.at.as_of);
                let kind = obligation_due(rs, j, o, def, tx, as_of, issues);
                add_consequence(out, actor, kind, r);
            }
        }
    }

    /// The penalty exposures of the undefeated prohibitions (`live`), for actors of the kinds
    /// each applies to, merged per actor and penalty.
    pub(super) fn exposures(
        &self,
        live: &[(RuleIdx, Option<PartyIdx>)],
        out: &mut Vec<Consequence>,
        issues: &mut Vec<Issue>,
    ) {
        let (rs, world) = (self.cx.rs, self.cx.world);
        for &(r, actor) in live {
            let Some(actor) = actor else { continue };
            let rule = &rs.rules[r];
            let actor_kind = world.parties[actor].kind;
            for &p in &rule.exposures {
                let def = &rs.penalties[p];
                if !def.applies_to.is_empty() && !def.applies_to.contains(actor_kind.bit()) {
                    continue;
                }
                let kind = exposure(world, p, def, self.cx.tx, self.at.as_of, issues);
                add_consequence(out, actor, kind, r);
            }
        }
    }
}

/// Adds `kind` owed by `actor` because of `rule`, or cites `rule` on the same duty already
/// owed by `actor`.
fn add_consequence(
    list: &mut Vec<Consequence>,
    actor: PartyIdx,
    kind: ConsequenceKind,
    rule: RuleIdx,
) {
    if let Some(c) = list
        .iter_mut()
        .find(|c| c.actor == actor && same_duty(&c.kind, &kind))
    {
        if !c.rules.contains(&rule) {
            c.rules.push(rule);
            c.rules.sort();
        }
    } else {
        list.push(Consequence {
            actor,
            kind,
            rules: vec![rule],
        });
    }
}

fn same_duty(a: &ConsequenceKind, b: &ConsequenceKind) -> bool {
    match (a, b) {
        (ConsequenceKind::Obligation { id: x, .. }, ConsequenceKind::Obligation { id: y, .. }) => {
            x == y
        }
        (ConsequenceKind::Exposure { id: x, .. }, ConsequenceKind::Exposure { id: y, .. }) => {
            x == y
        }
        _ => false,
    }
}

/// When an obligation triggered by `tx` falls due. The schedule period is the one in force on
/// `as_of` (a duty is read as it stands when it is performed).
pub fn obligation_due(
    rs: &RuleSet,
    j: JurisdictionIdx,
    id: ObligationIdx,
    def: &ObligationDef,
    tx: &Transaction,
    as_of: Date,
    issues: &mut Vec<Issue>,
) -> ConsequenceKind {
    let Some(period) = in_force_on(&def.due, as_of).or_else(|| def.due.first()) else {
        return ConsequenceKind::Obligation {
            id,
            due: DueDate::Unknown,
        };
    };
    let event = tx.date;
    let due = match &period.value {
        Due::BusinessDays(n) => {
            let cal = &rs.calendars[rs.jurisdictions[j].calendar];
            match cal.add_business_days(event, *n) {
                Ok(count) => DueDate::On {
                    date: count.due,
                    skipped: count.skipped,
                },
                Err(e) => {
                    let issue = Issue::CalendarOutOfRange {
                        calendar: e.calendar,
                        needed: e.needed,
                    };
                    if !issues.contains(&issue) {
                        issues.push(issue);
                    }
                    DueDate::Unknown
                }
            }
        }
        Due::CalendarDays(n) => match add_days(event, *n) {
            Some(date) => DueDate::On {
                date,
                skipped: Vec::new(),
            },
            None => beyond_range(&def.id, issues),
        },
        Due::Annual {
            month,
            day,
            as_of: snapshot,
        } => match next_annual(event, *month, *day, *snapshot) {
            Some(d) => DueDate::On {
                date: d,
                skipped: Vec::new(),
            },
            None => DueDate::Unknown,
        },
        Due::RetainYears(n) => match add_years(event, *n) {
            Some(d) => DueDate::RetainUntil(d),
            None => beyond_range(&def.id, issues),
        },
        Due::Prompt(text) => DueDate::Prompt(text.clone()),
        Due::Continuing => DueDate::Continuing,
    };
    ConsequenceKind::Obligation { id, due }
}

/// A due date past the last date the engine writes: unknown, and said so.
fn beyond_range(obligation: &str, issues: &mut Vec<Issue>) -> DueDate {
    let issue = Issue::DateBeyondRange {
        needed_for: format!("obligation `{obligation}`"),
    };
    if !issues.contains(&issue) {
        issues.push(issue);
    }
    DueDate::Unknown
}

/// The maximum penalty for `tx` under `def`: the greater of the period's cap and its multiple
/// of the transaction value, in the cap's currency.
pub fn exposure(
    world: &World,
    id: PenaltyIdx,
    def: &PenaltyDef,
    tx: &Transaction,
    as_of: Date,
    issues: &mut Vec<Issue>,
) -> ConsequenceKind {
    // Replayed as of an earlier date, a schedule period that starts later was not yet law.
    let date = match def.dated_by {
        DatedBy::Violation => tx.date.min(as_of),
        DatedBy::Assessment => as_of,
    };
    // Limitation runs from the violation, whatever date selects the amounts.
    let enforceable_until =
        in_force_on(&def.limitation, tx.date).and_then(|l| add_years(tx.date, l.value.years));
    let Some(period) = in_force_on(&def.periods, date) else {
        return ConsequenceKind::Exposure {
            id,
            max_amount: None,
            prison_years: None,
            life_if_death: false,
            period_from: None,
            enforceable_until,
        };
    };
    let t = &period.value;
    let currency = t.cap.map(|c| c.currency).or(tx.amount.map(|m| m.currency));
    let value = match (tx.amount, currency) {
        (Some(m), Some(cur)) if t.multiple.is_some() => match world.convert(m, cur) {
            Ok(v) => Some(v.amount),
            Err(e) => {
                let issue = conversion_issue(m, cur, e, format!("penalty `{}`", def.id));
                if !issues.contains(&issue) {
                    issues.push(issue);
                }
                None
            }
        },
        _ => None,
    };
    let multiple_amount = match (t.multiple, value) {
        (Some(k), Some(v)) => match k.checked_mul(v) {
            Some(x) => Some(x),
            None => {
                let issue = Issue::AmountOverflow {
                    what: format!("{} times {v}", k.normalize()),
                    needed_for: format!("penalty `{}`", def.id),
                };
                if !issues.contains(&issue) {
                    issues.push(issue);
                }
                None
            }
        },
        _ => None,
    };
    // A value that could not be converted or multiplied leaves the maximum unknown: the cap
    // alone would understate it, and why is already an issue of the decision.
    let unconvertible = t.multiple.is_some()
        && tx.amount.is_some()
        && (value.is_none() || multiple_amount.is_none());
    let max_amount = match (t.cap, multiple_amount, currency) {
        _ if unconvertible => None,
        (Some(cap), Some(m), _) => Some(Money::new(cap.amount.max(m), cap.currency)),
        (Some(cap), None, _) => Some(cap),
        (None, Some(m), Some(cur)) => Some(Money::new(m.max(Decimal::ZERO), cur)),
        _ => None,
    };
    ConsequenceKind::Exposure {
        id,
        max_amount,
        prison_years: t.prison_years,
        life_if_death: t.life_if_death,
        period_from: period.from,
        enforceable_until,
    }
}

/// The issue for an amount that could not be converted: a missing rate, or a result too large.
pub fn conversion_issue(m: Money, to: Currency, e: ConvertError, needed_for: String) -> Issue {
    match e {
        ConvertError::NoRate => Issue::MissingExchangeRate {
            from: m.currency,
            to,
            needed_for,
        },
        ConvertError::Overflow => Issue::AmountOverflow {
            what: format!("{m} converted to {to}"),
            needed_for,
        },
    }
}
