//! The packs' holiday calendars are generated from the legal rules they declare. For the
//! years whose observed dates were published and listed by hand before (2020-2030), the
//! rules must generate exactly those dates and names, and every calendar must answer beyond
//! 2030.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::collections::BTreeMap;

use interdict::model::values::Date;

#[derive(serde::Deserialize)]
struct Published {
    calendar: Vec<PublishedCalendar>,
}

#[derive(serde::Deserialize)]
struct PublishedCalendar {
    id: String,
    holidays: Vec<PublishedDay>,
}

#[derive(serde::Deserialize)]
struct PublishedDay {
    date: toml::value::Datetime,
    name: String,
}

#[test]
fn generated_holidays_match_the_published_lists() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/published-holidays-2020-2030.toml"
    ))
    .unwrap();
    let published: Published = toml::from_str(&text).unwrap();
    let (pack, _) = interdict::scenario::pack::load_embedded().unwrap();
    let rs = &*pack.rules;
    let last = Date::from_ymd_opt(2030, 12, 31).unwrap();
    for p in &published.calendar {
        let cal = rs.calendars.iter().find(|c| c.id == p.id).unwrap();
        let want: BTreeMap<Date, String> = p
            .holidays
            .iter()
            .map(|h| (h.date.to_string().parse().unwrap(), h.name.clone()))
            .collect();
        let got: BTreeMap<Date, String> = cal
            .holidays
            .range(..=last)
            .map(|(d, n)| (*d, n.clone()))
            .collect();
        let missing: Vec<_> = want.iter().filter(|(d, _)| !got.contains_key(d)).collect();
        let extra: Vec<_> = got.iter().filter(|(d, _)| !want.contains_key(d)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: missing {missing:?}, extra {extra:?}",
            p.id
        );
        assert_eq!(got, want, "{}: names differ", p.id);
        assert!(cal.covers_until >= Date::from_ymd_opt(2060, 12, 31).unwrap());
    }
}

#[test]
fn due_dates_after_2030_are_counted() {
    let (pack, _) = interdict::scenario::pack::load_embedded().unwrap();
    let rs = &*pack.rules;
    let us = rs.calendars.iter().find(|c| c.id == "us.federal").unwrap();
    // Thursday 2041-11-21: Thanksgiving 2041-11-28 is skipped.
    let d = us
        .add_business_days(Date::from_ymd_opt(2041, 11, 21).unwrap(), 10)
        .unwrap();
    assert_eq!(d.due, Date::from_ymd_opt(2041, 12, 6).unwrap());
    assert!(d.skipped.iter().any(|s| s.why == "Thanksgiving Day"));
    // Past what the calendar covers: an explained error, not a date.
    let e = us
        .add_business_days(Date::from_ymd_opt(2099, 12, 30).unwrap(), 10)
        .unwrap_err();
    assert!(e.to_string().contains("cannot count business days"), "{e}");
}
