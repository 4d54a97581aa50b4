//! Lowering a jurisdiction's ownership doctrine (`[jurisdiction.ownership]`) and its validity
//! periods (`[[jurisdiction.ownership.period]]`), which must follow one another without gap or
//! overlap from the beginning of time to today.

use std::ops::Range;

use toml::Spanned;

use super::context::Cx;
use crate::diagnostic::Code;
use crate::model::doctrine::DoctrinePeriod;
use crate::model::ruleset::*;
use crate::model::values::{RawNumber, parse_decimal};
use crate::rules::raw::*;

/// The doctrine `o` states (its periods aside); `span` locates its citations.
pub(crate) fn lower_doctrine(
    cx: &mut Cx,
    rs: &RuleSet,
    o: &RawDoctrine,
    span: Range<usize>,
) -> OwnershipDoctrine {
    let threshold = o.threshold.as_ref().and_then(|t| threshold(cx, t));
    let control_bases = cx.terms(
        rs.vocabulary.control_bases.as_slice(),
        &o.control_bases,
        "control basis",
    );
    OwnershipDoctrine {
        threshold,
        comparison: match o.comparison {
            RawComparison::AtLeast => Comparison::AtLeast,
            RawComparison::MoreThan => Comparison::MoreThan,
        },
        aggregation: match o.aggregation {
            RawAggregation::All => Aggregation::All,
            RawAggregation::JointArrangementOnly => Aggregation::JointArrangementOnly,
        },
        control: match o.control {
            RawControlEffect::Flag => ControlEffect::Flag,
            RawControlEffect::Blocks => ControlEffect::Blocks,
        },
        control_bases,
        citations: o
            .citation
            .as_ref()
            .map(|c| cx.citations(c, span))
            .unwrap_or_default(),
        note: o.note.clone(),
    }
}

fn threshold(cx: &mut Cx, t: &Spanned<RawNumber>) -> Option<rust_decimal::Decimal> {
    match parse_decimal(&t.get_ref().0) {
        Ok(d) if d <= rust_decimal::Decimal::ZERO || d > rust_decimal::Decimal::ONE_HUNDRED => {
            cx.error(
                Code::InvalidValue,
                t.span(),
                format!("ownership threshold {d} must lie above 0 and at most 100"),
            );
            None
        }
        Ok(d) => Some(d),
        Err(m) => {
            cx.error(Code::InvalidValue, t.span(), m);
            None
        }
    }
}

/// The doctrine's periods, in date order. A period's fields (its citation and note included)
/// replace those of the doctrine; the fields it leaves out are the doctrine's. `id_span`
/// locates the errors of a period that has no date to point at.
pub(crate) fn lower_doctrine_periods(
    cx: &mut Cx,
    rs: &RuleSet,
    o: &RawDoctrine,
    span: Range<usize>,
    id_span: Range<usize>,
) -> Vec<DoctrinePeriod> {
    let mut periods: Vec<(DoctrinePeriod, Range<usize>)> = Vec::new();
    for p in &o.period {
        let (valid_from, valid_until) = cx.window(&p.valid_from, &p.valid_until);
        let at = p
            .valid_from
            .as_ref()
            .or(p.valid_until.as_ref())
            .map_or(id_span.clone(), Spanned::span);
        let merged = RawDoctrine {
            threshold: p.threshold.clone().or_else(|| o.threshold.clone()),
            comparison: p.comparison.unwrap_or(o.comparison),
            aggregation: p.aggregation.unwrap_or(o.aggregation),
            control: p.control.unwrap_or(o.control),
            control_bases: p
                .control_bases
                .clone()
                .unwrap_or_else(|| o.control_bases.clone()),
            citation: p.citation.clone().or_else(|| o.citation.clone()),
            note: p.note.clone().or_else(|| o.note.clone()),
            period: Vec::new(),
        };
        let doctrine = lower_doctrine(cx, rs, &merged, span.clone());
        let period = DoctrinePeriod {
            valid_from,
            valid_until,
            doctrine,
        };
        periods.push((period, at));
    }
    periods.sort_by_key(|(p, _)| p.valid_from);
    check_tiling(cx, &periods);
    periods.into_iter().map(|(p, _)| p).collect()
}

/// Periods must run one after another from the beginning to today: the first without
/// `valid_from`, each next starting on the day the previous one ends, the last without
/// `valid_until`.
fn check_tiling(cx: &mut Cx, periods: &[(DoctrinePeriod, Range<usize>)]) {
    let (Some((first, first_at)), Some((last, last_at))) = (periods.first(), periods.last()) else {
        return;
    };
    if let Some(f) = first.valid_from {
        cx.error_help(
            Code::ImpossibleDate,
            first_at.clone(),
            format!("the first doctrine period starts on {f}: no doctrine applies before it"),
            Some("drop `valid_from` from the earliest period (it runs from the beginning)".into()),
        );
    }
    for pair in periods.windows(2) {
        let [(prev, _), (next, at)] = pair else {
            continue;
        };
        let start = next.valid_from;
        match (prev.valid_until, start) {
            (Some(u), Some(s)) if u == s => {}
            (Some(u), Some(s)) if u < s => cx.error_help(
                Code::ImpossibleDate,
                at.clone(),
                format!("doctrine periods leave a gap: none applies from {u} until {s}"),
                Some(format!(
                    "start this period on {u}, or end the previous one on {s}"
                )),
            ),
            (until, _) => cx.error_help(
                Code::ImpossibleDate,
                at.clone(),
                format!(
                    "doctrine periods overlap: this one starts {}, before the previous one ends{}",
                    start.map_or("at the beginning".to_string(), |s| format!("on {s}")),
                    until.map_or(String::new(), |u| format!(" on {u}")),
                ),
                Some(
                    "make each period start on the day (`valid_until`) the previous one ends"
                        .into(),
                ),
            ),
        }
    }
    if let Some(u) = last.valid_until {
        cx.error_help(
            Code::ImpossibleDate,
            last_at.clone(),
            format!("the last doctrine period ends on {u}: no doctrine applies from then on"),
            Some("drop `valid_until` from the latest period (it is still in force)".into()),
        );
    }
}

/// The doctrine to use where no date is known: the last period's, or the doctrine itself.
pub(crate) fn current(base: OwnershipDoctrine, periods: &[DoctrinePeriod]) -> OwnershipDoctrine {
    periods.last().map_or(base, |p| p.doctrine.clone())
}
