//! Business-day due dates on the embedded U.S. federal calendar. The expected dates were
//! counted by hand from a printed calendar: weekends and the observed federal holidays of
//! 5 U.S.C. 6103 are skipped, and the event day itself is never counted.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use interdict::model::calendar::{add_years, next_annual};
use interdict::model::values::Date;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn due(event: &str, n: u32) -> Date {
    let (pack, _) = interdict::scenario::pack::load_embedded().unwrap();
    let rs = &*pack.rules;
    let cal = rs
        .calendars
        .iter()
        .find(|c| c.id == "us.federal")
        .expect("the U.S. calendar");
    cal.add_business_days(d(event), n).unwrap().due
}

#[test]
fn ten_business_days_across_weekends() {
    // Mon 2025-02-24: Feb 25-28 (4), Mar 3-7 (9), Mar 10 (10).
    assert_eq!(due("2025-02-24", 10), d("2025-03-10"));
}

#[test]
fn ten_business_days_across_christmas_and_new_year() {
    // Fri 2024-12-20: Dec 23, 24, (25), 26, 27, 30, 31, (Jan 1), Jan 2, 3, 6, 7.
    assert_eq!(due("2024-12-20", 10), d("2025-01-07"));
}

#[test]
fn ten_business_days_across_memorial_day_juneteenth_and_thanksgiving() {
    assert_eq!(due("2025-05-16", 10), d("2025-06-02"));
    assert_eq!(due("2025-06-13", 10), d("2025-06-30"));
    assert_eq!(due("2025-11-21", 10), d("2025-12-08"));
}

#[test]
fn observed_holidays_move_off_weekends() {
    // 4 July 2026 is a Saturday: observed Friday 3 July.
    assert_eq!(due("2026-06-26", 10), d("2026-07-13"));
    // 25 Dec 2027 and 1 Jan 2028 are Saturdays: observed Fridays 24 and 31 Dec 2027.
    assert_eq!(due("2027-12-20", 10), d("2028-01-05"));
}

#[test]
fn an_event_on_a_weekend_counts_from_the_next_business_day() {
    // Sat 2025-03-01: Mar 3 is business day 1.
    assert_eq!(due("2025-03-01", 1), d("2025-03-03"));
    assert_eq!(due("2025-03-01", 10), d("2025-03-14"));
}

#[test]
fn counting_beyond_the_calendar_is_refused() {
    let (pack, _) = interdict::scenario::pack::load_embedded().unwrap();
    let rs = &*pack.rules;
    let cal = rs.calendars.iter().find(|c| c.id == "us.federal").unwrap();
    assert!(cal.add_business_days(d("2099-12-24"), 10).is_err());
}

#[test]
fn annual_reports_and_retention() {
    assert_eq!(
        next_annual(d("2025-02-24"), 9, 30, Some((6, 30))),
        Some(d("2025-09-30"))
    );
    assert_eq!(
        next_annual(d("2025-07-01"), 9, 30, Some((6, 30))),
        Some(d("2026-09-30"))
    );
    assert_eq!(add_years(d("2025-03-12"), 10), Some(d("2035-03-12")));
}
