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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub id: String,
    pub name: String,
    /// Weekend days, indexed Monday = 0 .. Sunday = 6.
    pub weekend: [bool; 7],
    pub holidays: BTreeMap<Date, String>,
    /// The years for which the holiday list is complete.
    pub covers_from: Date,
    pub covers_until: Date,
    pub citation: Option<Citation>,
    pub loc: Loc,
}

/// A day skipped while counting, with why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SkippedDay {
    pub date: Date,
    pub why: String,
}

/// A computed due date and the non-business days the count stepped over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BusinessDayCount {
    pub due: Date,
    pub skipped: Vec<SkippedDay>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "calendar `{calendar}` lists holidays only from {from} to {until}; cannot count business days to {needed}"
)]
pub struct OutOfRange {
    pub calendar: String,
    pub from: Date,
    pub until: Date,
    pub needed: Date,
}

impl Calendar {
    pub fn is_weekend(&self, d: Date) -> bool {
        self.weekend
            .get(d.weekday().num_days_from_monday() as usize)
            .copied()
            .unwrap_or(false)
    }

    pub fn holiday(&self, d: Date) -> Option<&str> {
        self.holidays.get(&d).map(String::as_str)
    }

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

/// `date` plus `years`, with 29 February moving to 28 February in common years.
pub fn add_years(date: Date, years: u32) -> Date {
    let y = date.year() + years as i32;
    date.with_year(y)
        .or_else(|| Date::from_ymd_opt(y, date.month(), 28))
        .unwrap_or(date)
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
    fn annual_reports_cover_the_next_snapshot() {
        assert_eq!(
            next_annual(d("2025-03-01"), 9, 30, Some((6, 30))),
            Some(d("2025-09-30"))
        );
        assert_eq!(
            next_annual(d("2025-07-10"), 9, 30, Some((6, 30))),
            Some(d("2026-09-30"))
        );
        assert_eq!(add_years(d("2024-02-29"), 5), d("2029-02-28"));
    }
}
