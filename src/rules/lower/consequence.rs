//! Lowering duties and their consequences: obligations (with due-date schedules) and penalties
//! (with amounts per period and limitation periods).

use toml::Spanned;

use super::context::{Cx, join_citations};
use crate::diagnostic::Code;
use crate::model::ruleset::*;
use crate::model::values::parse_decimal;
use crate::rules::raw::*;
use crate::toml_input::Record;

fn lower_due(cx: &mut Cx, raw: &Spanned<RawDue>) -> Option<Due> {
    let d = raw.get_ref();
    let mut found: Vec<Due> = Vec::new();
    if let Some(n) = d.business_days {
        found.push(Due::BusinessDays(n));
    }
    if let Some(n) = d.calendar_days {
        found.push(Due::CalendarDays(n));
    }
    if let Some(a) = &d.annual {
        let md = month_day(cx, a)?;
        let as_of = match &d.as_of {
            Some(x) => Some(month_day(cx, x)?),
            None => None,
        };
        found.push(Due::Annual {
            month: md.0,
            day: md.1,
            as_of,
        });
    } else if let Some(x) = &d.as_of {
        cx.error(
            Code::InvalidValue,
            x.span(),
            "`as_of` only goes with `annual`",
        );
    }
    if let Some(n) = d.retain_years {
        found.push(Due::RetainYears(n));
    }
    if let Some(p) = &d.prompt {
        found.push(Due::Prompt(p.clone()));
    }
    if d.continuing == Some(true) {
        found.push(Due::Continuing);
    }
    match found.len() {
        1 => found.pop(),
        0 => {
            cx.error_help(Code::MissingKey, raw.span(), "`due` says nothing about when", Some("give one of business_days, calendar_days, annual, retain_years, prompt, continuing".into()));
            None
        }
        _ => {
            cx.error(
                Code::InvalidValue,
                raw.span(),
                "`due` gives more than one deadline; give exactly one",
            );
            None
        }
    }
}

fn month_day(cx: &mut Cx, raw: &Spanned<String>) -> Option<(u32, u32)> {
    let s = raw.get_ref();
    let parsed = s
        .split_once('-')
        .and_then(|(m, d)| Some((m.parse::<u32>().ok()?, d.parse::<u32>().ok()?)));
    match parsed {
        Some((m, d)) if crate::model::values::Date::from_ymd_opt(2024, m, d).is_some() => {
            Some((m, d))
        }
        _ => {
            cx.error_help(
                Code::InvalidValue,
                raw.span(),
                format!("`{s}` is not a month and day"),
                Some("write it as MM-DD, e.g. \"09-30\"".into()),
            );
            None
        }
    }
}

pub(crate) fn lower_obligation(
    cx: &mut Cx,
    rs: &RuleSet,
    r: &Record<RawObligation>,
) -> Option<ObligationDef> {
    let o = &r.value;
    let j = cx.resolve(&rs.index.jurisdictions, &o.jurisdiction, "jurisdiction");
    let mut due = Vec::new();
    if let Some(d) = &o.due {
        due.push(Dated {
            from: None,
            value: lower_due(cx, d)?,
            citation: None,
        });
    }
    for p in &o.period {
        let from = cx.opt_date(&p.from);
        let value = lower_due(cx, &p.due)?;
        let citation = p
            .citation
            .as_ref()
            .map(|c| cx.citations(c, r.span.clone()))
            .and_then(join_citations);
        due.push(Dated {
            from,
            value,
            citation,
        });
    }
    if due.is_empty() {
        cx.error_help(
            Code::MissingKey,
            o.id.span(),
            format!("obligation `{}` has no `due`", o.id.get_ref()),
            Some("add `due = { business_days = 10 }` or `[[obligation.period]]` entries".into()),
        );
    }
    check_periods(cx, due.iter().map(|d| d.from), o.id.span());
    if o.for_dispositions.as_ref().is_some_and(Vec::is_empty) {
        cx.error_help(
            Code::InvalidValue,
            o.id.span(),
            format!(
                "obligation `{}` has an empty `for_dispositions`: it would never be owed",
                o.id.get_ref()
            ),
            Some("list the dispositions it is owed under, or drop the key".into()),
        );
    }
    let citation = cx.citation(
        &o.citation,
        o.id.span(),
        &format!("obligation `{}`", o.id.get_ref()),
    );
    Some(ObligationDef {
        id: o.id.get_ref().clone(),
        title: o.title.clone(),
        jurisdiction: j?,
        recipient: o.recipient.clone(),
        due,
        for_dispositions: o.for_dispositions.clone(),
        owed_when_licensed: o.owed_when_licensed,
        citation: citation?,
        note: o.note.clone(),
        loc: cx.loc(o.id.span()),
    })
}

fn check_periods(
    cx: &mut Cx,
    froms: impl Iterator<Item = Option<crate::model::values::Date>>,
    span: std::ops::Range<usize>,
) {
    let mut seen = std::collections::BTreeSet::new();
    for f in froms {
        if !seen.insert(f) {
            let when = f.map_or("the start".to_string(), |d| d.to_string());
            cx.error(
                Code::DuplicateId,
                span.clone(),
                format!("two periods start at {when}"),
            );
        }
    }
}

pub(crate) fn lower_penalty(
    cx: &mut Cx,
    rs: &RuleSet,
    r: &Record<RawPenalty>,
) -> Option<PenaltyDef> {
    let p = &r.value;
    let j = cx.resolve(&rs.index.jurisdictions, &p.jurisdiction, "jurisdiction");
    let periods = penalty_periods(cx, r);
    check_periods(cx, periods.iter().map(|d| d.from), p.id.span());
    let limitation = limitation_periods(cx, r);
    check_periods(cx, limitation.iter().map(|d| d.from), p.id.span());
    let citation = cx.citation(
        &p.citation,
        p.id.span(),
        &format!("penalty `{}`", p.id.get_ref()),
    );
    Some(PenaltyDef {
        id: p.id.get_ref().clone(),
        title: p.title.clone(),
        kind: match p.kind {
            RawPenaltyKind::Civil => PenaltyKind::Civil,
            RawPenaltyKind::Criminal => PenaltyKind::Criminal,
            RawPenaltyKind::Secondary => PenaltyKind::Secondary,
            RawPenaltyKind::Liability => PenaltyKind::Liability,
            RawPenaltyKind::Visa => PenaltyKind::Visa,
            RawPenaltyKind::Other => PenaltyKind::Other,
        },
        jurisdiction: j?,
        dated_by: match p.dated_by {
            Some(RawDatedBy::Assessment) => DatedBy::Assessment,
            _ => DatedBy::Violation,
        },
        applies_to: p.applies_to.iter().map(|k| k.bit()).collect(),
        periods,
        limitation,
        citation: citation?,
        note: p.note.clone(),
        loc: cx.loc(p.id.span()),
    })
}

/// The terms of a penalty, period by period (a multiple must not be negative).
fn penalty_periods(cx: &mut Cx, r: &Record<RawPenalty>) -> Vec<Dated<PenaltyTerms>> {
    let mut periods = Vec::new();
    for per in &r.value.period {
        let from = cx.opt_date(&per.from);
        let cap = per.cap.as_ref().and_then(|c| cx.money(c));
        let multiple = match &per.multiple {
            Some(m) => match parse_decimal(&m.get_ref().0) {
                Ok(d) if d.is_sign_negative() => {
                    cx.error(
                        Code::NegativeAmount,
                        m.span(),
                        "a penalty multiple must not be negative",
                    );
                    None
                }
                Ok(d) => Some(d),
                Err(msg) => {
                    cx.error(Code::InvalidValue, m.span(), msg);
                    None
                }
            },
            None => None,
        };
        let citation = per
            .citation
            .as_ref()
            .map(|c| cx.citations(c, r.span.clone()))
            .and_then(join_citations);
        periods.push(Dated {
            from,
            value: PenaltyTerms {
                cap,
                multiple,
                prison_years: per.prison_years,
                life_if_death: per.life_if_death.unwrap_or(false),
                note: per.note.clone(),
            },
            citation,
        });
    }
    periods
}

/// The limitation periods of a penalty (never of 0 years).
fn limitation_periods(cx: &mut Cx, r: &Record<RawPenalty>) -> Vec<Dated<Limitation>> {
    let p = &r.value;
    let mut limitation = Vec::new();
    for l in &p.limitation {
        let from = cx.opt_date(&l.from);
        if l.years == 0 {
            cx.error(
                Code::InvalidValue,
                p.id.span(),
                "a limitation period of 0 years bars every action; give the number of years",
            );
        }
        let citation = l
            .citation
            .as_ref()
            .map(|c| cx.citations(c, r.span.clone()))
            .and_then(join_citations);
        limitation.push(Dated {
            from,
            value: Limitation {
                years: l.years,
                note: l.note.clone(),
            },
            citation,
        });
    }
    limitation
}
