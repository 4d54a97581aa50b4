//! Business-day calendars and due-date arithmetic.
//!
//! Counting convention (documented in docs/rule-language.md): a duty due "within N business
//! days" of an event falls on the N-th business day after the event date. The event day itself
//! is never counted, whatever day it is. A business day is a day that is neither a weekend day
//! of the calendar nor one of its listed holidays (the pack lists observed dates).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, Weekday};
use serde::Serialize;

use crate::model::ruleset::Citation;
use crate::model::values::Date;
use crate::source::Loc;

/// A jurisdiction's business days: its weekend and its holidays, over the years the holiday
/// list is complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Its id (`us.federal`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Weekend days, indexed Monday = 0 .. Sunday = 6.
    pub weekend: [bool; 7],
    /// Each holiday's (observed) date and name.
    pub holidays: BTreeMap<Date, String>,
    /// The years for which the holiday list is complete.
    pub covers_from: Date,
    /// The last day the holiday list is complete (inclusive).
    pub covers_until: Date,
    /// Where the holidays are set in law.
    pub citation: Option<Citation>,
    /// Where the calendar is written.
    pub loc: Loc,
}

/// A day skipped while counting, with why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SkippedDay {
    /// The day.
    pub date: Date,
    /// A weekday's name (`saturday`) or a holiday's.
    pub why: String,
}

/// A computed due date and the non-business days the count stepped over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BusinessDayCount {
    /// The day the count ends on.
    pub due: Date,
    /// The days stepped over, in order.
    pub skipped: Vec<SkippedDay>,
}

/// A count of business days that left the years a calendar covers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "calendar `{calendar}` lists holidays only from {from} to {until}; cannot count business days to {needed}"
)]
pub struct OutOfRange {
    /// The calendar's id.
    pub calendar: String,
    /// The first day it covers.
    pub from: Date,
    /// The last day it covers.
    pub until: Date,
    /// The day the count reached.
    pub needed: Date,
}

impl Calendar {
    /// Whether `d` falls on one of the calendar's weekend days.
    pub fn is_weekend(&self, d: Date) -> bool {
        self.weekend
            .get(d.weekday().num_days_from_monday() as usize)
            .copied()
            .unwrap_or(false)
    }

    /// The name of the holiday on `d`, if it is one.
    pub fn holiday(&self, d: Date) -> Option<&str> {
        self.holidays.get(&d).map(String::as_str)
    }

    /// Neither a weekend day nor a holiday.
    pub fn is_business_day(&self, d: Date) -> bool {
        !self.is_weekend(d) && self.holiday(d).is_none()
    }

    /// The `n`-th business day after `event`.
    pub fn add_business_days(&self, event: Date, n: u32) -> Result<BusinessDayCount, OutOfRange> {
        let mut d = event;
        let mut counted = 0;
        let mut skipped = Vec::new();
        while counted < n {
            d += Duration::days(1);
            if d < self.covers_from || d > self.covers_until {
                return Err(OutOfRange {
                    calendar: self.id.clone(),
                    from: self.covers_from,
                    until: self.covers_until,
                    needed: d,
                });
            }
            if let Some(name) = self.holiday(d) {
                skipped.push(SkippedDay {
                    date: d,
                    why: name.to_string(),
                });
            } else if self.is_weekend(d) {
                skipped.push(SkippedDay {
                    date: d,
                    why: weekday_name(d.weekday()).to_string(),
                });
            } else {
                counted += 1;
            }
        }
        Ok(BusinessDayCount { due: d, skipped })
    }
}

/// A recurring holiday as the law states it, from which each year's date is generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayRule {
    /// The holiday's name.
    pub name: String,
    /// Where it falls in a year.
    pub when: HolidayDate,
    /// Where it moves when it falls on a weekend day.
    pub observed: Observed,
    /// The first and last days the rule is law (a holiday created or abolished by statute).
    pub from: Option<Date>,
    /// The last day (see `from`).
    pub until: Option<Date>,
}

/// Where a holiday falls in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayDate {
    /// A fixed day (`month`, `day`).
    Fixed {
        /// The month, 1 to 12.
        month: u32,
        /// The day of the month.
        day: u32,
    },
    /// The `nth` `weekday` of `month` counted from day `from_day` (1 for the month's first);
    /// `nth = -1` is the last of the month.
    NthWeekday {
        /// The month, 1 to 12.
        month: u32,
        /// The day counting starts from.
        from_day: u32,
        /// The weekday counted.
        weekday: Weekday,
        /// Which one: 1 for the first, -1 for the last.
        nth: i32,
    },
    /// Days after (or, negative, before) Western Easter Sunday.
    Easter {
        /// Days after Easter Sunday (negative: before).
        offset: i32,
    },
}

/// What happens when a holiday falls on a weekend day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observed {
    /// Nothing: the weekend day is the holiday.
    No,
    /// Saturday moves to the Friday before, Sunday to the Monday after (5 U.S.C. 6103(b)).
    NearestWeekday,
    /// The next weekday that is not already a holiday (a substitute day).
    NextWeekday,
}

impl HolidayDate {
    /// The date in `year`, if the year has one (29 February).
    pub fn in_year(self, year: i32) -> Option<Date> {
        match self {
            HolidayDate::Fixed { month, day } => Date::from_ymd_opt(year, month, day),
            HolidayDate::NthWeekday {
                month,
                from_day,
                weekday,
                nth,
            } => {
                if nth < 0 {
                    let next = if month == 12 {
                        Date::from_ymd_opt(year + 1, 1, 1)
                    } else {
                        Date::from_ymd_opt(year, month + 1, 1)
                    }?;
                    let mut d = next.pred_opt()?;
                    while d.weekday() != weekday {
                        d = d.pred_opt()?;
                    }
                    let back = i64::from(-nth - 1) * 7;
                    let d = d - Duration::days(back);
                    (d.month() == month).then_some(d)
                } else {
                    let mut d = Date::from_ymd_opt(year, month, from_day)?;
                    while d.weekday() != weekday {
                        d = d.succ_opt()?;
                    }
                    let d = d + Duration::days(i64::from(nth - 1) * 7);
                    (d.month() == month).then_some(d)
                }
            }
            HolidayDate::Easter { offset } => {
                easter_sunday(year).map(|e| e + Duration::days(i64::from(offset)))
            }
        }
    }
}

/// Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> Option<Date> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The holidays of `year` under `rules`: first every holiday that falls on a business day,
/// then, in the order the rules are written, the observed days of those on a weekend (a
/// substitute day never lands on another holiday). Observed days are named
/// "`name` (`label`)".
pub fn generate(
    rules: &[HolidayRule],
    weekend: &[bool; 7],
    year: i32,
    label: &str,
) -> BTreeMap<Date, String> {
    let is_weekend = |d: Date| {
        weekend
            .get(d.weekday().num_days_from_monday() as usize)
            .copied()
            .unwrap_or(false)
    };
    let in_force =
        |r: &HolidayRule, d: Date| r.from.is_none_or(|f| d >= f) && r.until.is_none_or(|u| d <= u);
    let dated: Vec<(&HolidayRule, Date)> = rules
        .iter()
        .filter_map(|r| r.when.in_year(year).map(|d| (r, d)))
        .filter(|(r, d)| in_force(r, *d))
        .collect();
    let mut out = BTreeMap::new();
    for (r, d) in &dated {
        if !is_weekend(*d) {
            out.insert(*d, r.name.clone());
        }
    }
    for (r, d) in dated.iter().filter(|(_, d)| is_weekend(*d)) {
        let observed = match r.observed {
            Observed::No => None,
            Observed::NearestWeekday => match d.weekday() {
                Weekday::Sat => d.pred_opt(),
                Weekday::Sun => d.succ_opt(),
                _ => None,
            },
            Observed::NextWeekday => {
                let mut x = d.succ_opt();
                // A week holds at least one weekday unless every day is a weekend day.
                for _ in 0..14 {
                    match x {
                        Some(c) if is_weekend(c) || out.contains_key(&c) => x = c.succ_opt(),
                        _ => break,
                    }
                }
                x.filter(|c| !is_weekend(*c) && !out.contains_key(c))
            }
        };
        if let Some(o) = observed {
            out.entry(o)
                .or_insert_with(|| format!("{} ({label})", r.name));
        }
    }
    out
}

/// The holidays from `from` to `until` under `rules` (an observed day can cross a year end:
/// New Year's Day on a Saturday is observed on 31 December).
pub fn generate_between(
    rules: &[HolidayRule],
    weekend: &[bool; 7],
    from: Date,
    until: Date,
    label: &str,
) -> BTreeMap<Date, String> {
    let mut out = BTreeMap::new();
    for year in from.year() - 1..=until.year() + 1 {
        for (d, n) in generate(rules, weekend, year, label) {
            if d >= from && d <= until {
                out.entry(d).or_insert(n);
            }
        }
    }
    out
}

/// A weekday's name as calendars write it (`monday`).
pub fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

/// A weekday by its name (`monday`), Monday = 0.
pub fn parse_weekday(s: &str) -> Option<usize> {
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .iter()
    .position(|w| *w == s)
}

/// The last date the engine reads or writes: inputs are `YYYY-MM-DD`, so outputs are too.
pub fn last_date() -> Date {
    Date::from_ymd_opt(9999, 12, 31).unwrap_or(Date::MAX)
}

/// `date` plus `years`, with 29 February moving to 28 February in common years; `None` past
/// [`last_date`].
pub fn add_years(date: Date, years: u32) -> Option<Date> {
    let y = date.year().checked_add(i32::try_from(years).ok()?)?;
    date.with_year(y)
        .or_else(|| Date::from_ymd_opt(y, date.month(), 28))
        .filter(|d| *d <= last_date())
}

/// `date` plus `days`; `None` past [`last_date`].
pub fn add_days(date: Date, days: u32) -> Option<Date> {
    date.checked_add_signed(Duration::days(i64::from(days)))
        .filter(|d| *d <= last_date())
}

/// The next `month`/`day` on or after `date` whose covering `as_of` day is on or after `date`:
/// property blocked on 2025-07-10 is first in the report as of 2026-06-30, due 2026-09-30.
pub fn next_annual(date: Date, month: u32, day: u32, as_of: Option<(u32, u32)>) -> Option<Date> {
    let (am, ad) = as_of.unwrap_or((month, day));
    let mut year = date.year();
    loop {
        let snapshot = Date::from_ymd_opt(year, am, ad)?;
        let due = Date::from_ymd_opt(year, month, day)?;
        if snapshot >= date && due >= date {
            return Some(due);
        }
        year += 1;
        if year > date.year() + 2 {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn us_2025() -> Calendar {
        let mut holidays = BTreeMap::new();
        for (day, name) in [
            ("2025-01-01", "New Year's Day"),
            ("2025-01-20", "Martin Luther King Jr. Day"),
            ("2025-02-17", "Washington's Birthday"),
            ("2025-05-26", "Memorial Day"),
            ("2025-07-04", "Independence Day"),
            ("2025-12-25", "Christmas Day"),
        ] {
            holidays.insert(d(day), name.to_string());
        }
        Calendar {
            id: "t".into(),
            name: "t".into(),
            weekend: [false, false, false, false, false, true, true],
            holidays,
            covers_from: d("2025-01-01"),
            covers_until: d("2025-12-31"),
            citation: None,
            loc: Loc::default(),
        }
    }

    #[test]
    fn ten_business_days_skip_weekends_and_holidays() {
        let c = us_2025();
        // Thursday 2025-02-20 + 10 business days: Feb 21, 24, 25, 26, 27, 28, Mar 3, 4, 5, 6.
        assert_eq!(
            c.add_business_days(d("2025-02-20"), 10).unwrap().due,
            d("2025-03-06")
        );
        // Across Washington's Birthday: Tue Feb 11 -> Feb 12,13,14,(17 hol),18,19,20,21,24,25,26.
        let r = c.add_business_days(d("2025-02-11"), 10).unwrap();
        assert_eq!(r.due, d("2025-02-26"));
        assert!(
            r.skipped
                .iter()
                .any(|s| s.date == d("2025-02-17") && s.why == "Washington's Birthday")
        );
        // An event on a Saturday still counts from the next business day.
        assert_eq!(
            c.add_business_days(d("2025-05-24"), 1).unwrap().due,
            d("2025-05-27")
        );
    }

    #[test]
    fn counting_past_the_calendar_is_an_error() {
        let c = us_2025();
        let e = c.add_business_days(d("2025-12-24"), 10).unwrap_err();
        assert_eq!(e.needed, d("2026-01-01"));
    }

    #[test]
    fn easter_and_nth_weekdays_are_computed() {
        assert_eq!(easter_sunday(2024), Some(d("2024-03-31")));
        assert_eq!(easter_sunday(2025), Some(d("2025-04-20")));
        assert_eq!(easter_sunday(2038), Some(d("2038-04-25")));
        let last_may = HolidayDate::NthWeekday {
            month: 5,
            from_day: 1,
            weekday: Weekday::Mon,
            nth: -1,
        };
        assert_eq!(last_may.in_year(2025), Some(d("2025-05-26")));
        let third_jan = HolidayDate::NthWeekday {
            month: 1,
            from_day: 1,
            weekday: Weekday::Mon,
            nth: 3,
        };
        assert_eq!(third_jan.in_year(2025), Some(d("2025-01-20")));
        // The Monday before 25 May: the first Monday on or after 18 May.
        let victoria = HolidayDate::NthWeekday {
            month: 5,
            from_day: 18,
            weekday: Weekday::Mon,
            nth: 1,
        };
        assert_eq!(victoria.in_year(2025), Some(d("2025-05-19")));
        assert_eq!(victoria.in_year(2026), Some(d("2026-05-18")));
    }

    #[test]
    fn substitute_days_never_land_on_another_holiday() {
        let rule = |name: &str, day| HolidayRule {
            name: name.into(),
            when: HolidayDate::Fixed { month: 12, day },
            observed: Observed::NextWeekday,
            from: None,
            until: None,
        };
        let rules = [rule("Christmas Day", 25), rule("Boxing Day", 26)];
        let weekend = [false, false, false, false, false, true, true];
        // 2021: Saturday and Sunday; 2022: Sunday and Monday.
        let h = generate(&rules, &weekend, 2021, "substitute day");
        assert_eq!(
            h.get(&d("2021-12-27")).map(String::as_str),
            Some("Christmas Day (substitute day)")
        );
        assert_eq!(
            h.get(&d("2021-12-28")).map(String::as_str),
            Some("Boxing Day (substitute day)")
        );
        let h = generate(&rules, &weekend, 2022, "substitute day");
        assert_eq!(
            h.get(&d("2022-12-26")).map(String::as_str),
            Some("Boxing Day")
        );
        assert_eq!(
            h.get(&d("2022-12-27")).map(String::as_str),
            Some("Christmas Day (substitute day)")
        );
    }

    #[test]
    fn annual_reports_cover_the_next_snapshot() {
        assert_eq!(
            next_annual(d("2025-03-01"), 9, 30, Some((6, 30))),
            Some(d("2025-09-30"))
        );
        assert_eq!(
            next_annual(d("2025-07-10"), 9, 30, Some((6, 30))),
            Some(d("2026-09-30"))
        );
        assert_eq!(add_years(d("2024-02-29"), 5), Some(d("2029-02-28")));
        assert_eq!(add_years(d("9990-01-01"), 20), None);
        assert_eq!(add_days(d("9999-12-30"), 2), None);
    }
}
