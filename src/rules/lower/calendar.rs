//! Lowering business-day calendars: weekend days, recurring holidays generated from their
//! legal rules for every covered year, and dated one-off holidays and moves.

use std::collections::BTreeMap;

use chrono::Weekday;
use toml::Spanned;

use super::context::{Cx, join_citations};
use crate::diagnostic::Code;
use crate::model::calendar::{
    Calendar, HolidayDate, HolidayRule, Observed, generate_between, parse_weekday,
};
use crate::model::values::Date;
use crate::rules::raw::{RawCalendar, RawHoliday, RawHolidayRule};
use crate::toml_input::Record;

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

pub(crate) fn lower_calendar(cx: &mut Cx, r: &Record<RawCalendar>) -> Option<Calendar> {
    let c = &r.value;
    let mut weekend = [false; 7];
    for w in &c.weekend {
        match weekday(cx, w) {
            Some(i) => weekend[i] = true,
            None => return None,
        }
    }
    let from = cx.date(&c.covers_from);
    let until = cx.date(&c.covers_until);
    if let (Some(f), Some(u)) = (from, until)
        && u < f
    {
        cx.error(
            Code::ImpossibleDate,
            c.covers_until.span(),
            format!("`covers_until` {u} is before `covers_from` {f}"),
        );
    }
    let rules: Vec<HolidayRule> = c
        .holiday_rules
        .iter()
        .filter_map(|h| holiday_rule(cx, h))
        .collect();
    let (from, until) = (from?, until?);
    let label = c.observed_label.as_deref().unwrap_or("observed");
    let mut holidays = generate_between(&rules, &weekend, from, until, label);
    one_offs(cx, &c.holidays, (from, until), &mut holidays);
    let citation = c
        .citation
        .as_ref()
        .map(|x| cx.citations(x, r.span.clone()))
        .and_then(join_citations);
    Some(Calendar {
        id: c.id.get_ref().clone(),
        name: c.name.clone(),
        weekend,
        holidays,
        covers_from: from,
        covers_until: until,
        citation,
        loc: cx.loc(c.id.span()),
    })
}

fn weekday(cx: &mut Cx, w: &Spanned<String>) -> Option<usize> {
    let i = parse_weekday(&w.get_ref().to_lowercase());
    if i.is_none() {
        cx.error_help(
            Code::InvalidValue,
            w.span(),
            format!("`{}` is not a weekday", w.get_ref()),
            Some("write the day in full, e.g. `saturday`".into()),
        );
    }
    i
}

/// Dated holidays: each within the covered years, none twice; `instead_of` removes the
/// recurring holiday it moves.
fn one_offs(
    cx: &mut Cx,
    list: &[RawHoliday],
    (from, until): (Date, Date),
    holidays: &mut BTreeMap<Date, String>,
) {
    for h in list {
        if let Some(moved) = &h.instead_of
            && let Some(m) = cx.date(moved)
            && holidays.remove(&m).is_none()
        {
            cx.error(
                Code::InvalidValue,
                moved.span(),
                format!("`instead_of` {m} is not a holiday the calendar's rules generate"),
            );
        }
        let Some(d) = cx.date(&h.date) else { continue };
        if d < from || d > until {
            cx.error(
                Code::ImpossibleDate,
                h.date.span(),
                format!(
                    "holiday {d} lies outside the years the calendar covers ({from} to {until})"
                ),
            );
        }
        if let Some(other) = holidays.insert(d, h.name.clone()) {
            cx.error_help(
                Code::DuplicateId,
                h.date.span(),
                format!("holiday {d} is listed twice"),
                Some(format!(
                    "it is already `{other}`; to move a recurring holiday, give `instead_of`"
                )),
            );
        }
    }
}

fn holiday_rule(cx: &mut Cx, h: &RawHolidayRule) -> Option<HolidayRule> {
    let name_span = h.name.span();
    let observed = match h.observed.as_ref().map(|o| o.get_ref().as_str()) {
        None | Some("no") => Observed::No,
        Some("nearest-weekday") => Observed::NearestWeekday,
        Some("next-weekday") => Observed::NextWeekday,
        Some(other) => {
            let span = h.observed.as_ref().map_or(name_span.clone(), Spanned::span);
            cx.error_help(
                Code::InvalidValue,
                span,
                format!("unknown value `{other}` for `observed`"),
                Some("allowed values: no, nearest-weekday, next-weekday".into()),
            );
            return None;
        }
    };
    let when = holiday_date(cx, h)?;
    let (from, until) = cx.window(&h.from, &h.until);
    Some(HolidayRule {
        name: h.name.get_ref().clone(),
        when,
        observed,
        from,
        until,
    })
}

fn holiday_date(cx: &mut Cx, h: &RawHolidayRule) -> Option<HolidayDate> {
    let span = h.name.span();
    let bad = |cx: &mut Cx, span, msg: &str| {
        cx.error_help(
            Code::InvalidValue,
            span,
            msg.to_string(),
            Some("give `month` and `day`, or `month`, `weekday` and `nth` (and `day` to count from it), or `easter`".into()),
        );
        None
    };
    match (&h.month, &h.day, &h.weekday, &h.nth, &h.easter) {
        (None, None, None, None, Some(e)) => {
            if e.get_ref().abs() > 200 {
                return bad(cx, e.span(), "`easter` is more than 200 days from Easter");
            }
            Some(HolidayDate::Easter {
                offset: *e.get_ref(),
            })
        }
        (Some(m), Some(d), None, None, None) => {
            if Date::from_ymd_opt(2000, *m.get_ref(), *d.get_ref()).is_none() {
                return bad(
                    cx,
                    d.span(),
                    &format!("month {} has no day {}", m.get_ref(), d.get_ref()),
                );
            }
            Some(HolidayDate::Fixed {
                month: *m.get_ref(),
                day: *d.get_ref(),
            })
        }
        (Some(m), from_day, Some(w), Some(n), None) => {
            let start = from_day.as_ref().map_or(1, |d| *d.get_ref());
            if Date::from_ymd_opt(2001, *m.get_ref(), start).is_none() {
                return bad(
                    cx,
                    m.span(),
                    &format!("month {} has no day {start}", m.get_ref()),
                );
            }
            if !matches!(*n.get_ref(), 1..=5 | -1) || (from_day.is_some() && *n.get_ref() < 0) {
                return bad(
                    cx,
                    n.span(),
                    "`nth` is 1 to 5, or -1 for the last of the month (without `day`)",
                );
            }
            let day = weekday(cx, w)?;
            Some(HolidayDate::NthWeekday {
                month: *m.get_ref(),
                from_day: start,
                weekday: WEEKDAYS.get(day).copied()?,
                nth: *n.get_ref(),
            })
        }
        _ => bad(
            cx,
            span,
            "a holiday rule needs exactly one way to find its date",
        ),
    }
}
