//! Ownership doctrines with validity periods: the packs' EU and Canadian doctrines change on
//! their dates, statuses split on those dates, and gapped or overlapping periods are located
//! errors (docs/ownership.md, "Doctrines that change over time").

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use interdict::diagnostic::{Code, Diagnostic};
use interdict::model::ruleset::Comparison;
use interdict::model::values::Date;
use interdict::model::world::World;
use interdict::ownership::status::StatusCache;
use interdict::source::SourceFile;

fn date(s: &str) -> Date {
    interdict::model::values::parse_date(s).unwrap()
}

#[test]
fn eu_and_canada_change_doctrine_on_their_dates() {
    let (pack, _) = interdict::scenario::pack::load_embedded().unwrap();
    let rs = &*pack.rules;
    let eu = &rs.jurisdictions[rs.jurisdiction_by_id("eu").unwrap()];
    assert_eq!(
        eu.doctrine_on(date("2024-07-02")).comparison,
        Comparison::MoreThan
    );
    assert_eq!(
        eu.doctrine_on(date("2024-07-03")).comparison,
        Comparison::AtLeast
    );
    assert_eq!(
        eu.doctrine.comparison,
        Comparison::AtLeast,
        "today's doctrine"
    );
    let before = eu.doctrine_period_on(date("2020-01-01")).unwrap();
    assert_eq!(before.describe(), "before 2024-07-03");
    assert!(before.doctrine.citations[0].text.contains("para. 62"));
    let ca = &rs.jurisdictions[rs.jurisdiction_by_id("ca").unwrap()];
    assert_eq!(
        ca.doctrine_on(date("2023-06-21")).comparison,
        Comparison::MoreThan
    );
    assert_eq!(
        ca.doctrine_on(date("2023-06-22")).comparison,
        Comparison::AtLeast
    );
    // A doctrine without periods applies on every date.
    let us = &rs.jurisdictions[rs.jurisdiction_by_id("us").unwrap()];
    assert!(us.doctrine_periods.is_empty());
    assert_eq!(us.doctrine_on(date("1990-01-01")), &us.doctrine);
}

#[test]
fn doctrine_change_dates_are_epoch_boundaries() {
    let (pack, _) = interdict::scenario::pack::load_embedded().unwrap();
    let rs = &*pack.rules;
    let cache = StatusCache::new(rs, &World::default());
    assert!(cache.change_dates().contains(&date("2024-07-03")));
    assert!(cache.change_dates().contains(&date("2023-06-22")));
    assert_ne!(
        cache.epoch(date("2024-07-02")),
        cache.epoch(date("2024-07-03"))
    );
}

const HEAD: &str = r#"[jurisdiction]
id = "zz"
name = "Periodic Republic"
currency = "EUR"
calendar = "eu.target2"

[jurisdiction.ownership]
threshold = 50
comparison = ">="
aggregation = "all"
control = "blocks"
citation = "Periodic Act, s. 1"
"#;

fn errors(periods: &str) -> Vec<Diagnostic> {
    let mut files = interdict::rules::embedded_files();
    files.push(SourceFile::new("zz.toml", format!("{HEAD}{periods}")));
    match interdict::scenario::pack::load(files) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().cloned().collect(),
    }
}

fn one(periods: &str) -> Diagnostic {
    let e = errors(periods);
    assert_eq!(e.len(), 1, "{e:#?}");
    let d = e.into_iter().next().unwrap();
    assert_eq!(d.code, Code::ImpossibleDate, "{d:#?}");
    assert_eq!(d.file, "zz.toml");
    d
}

#[test]
fn tiled_periods_load() {
    let e = errors(
        "[[jurisdiction.ownership.period]]\nvalid_until = 2020-01-01\ncomparison = \">\"\n\
         [[jurisdiction.ownership.period]]\nvalid_from = 2020-01-01\nvalid_until = 2022-01-01\n\
         [[jurisdiction.ownership.period]]\nvalid_from = 2022-01-01\n",
    );
    assert!(e.is_empty(), "{e:#?}");
}

#[test]
fn a_gap_between_periods_is_located() {
    let d = one(
        "[[jurisdiction.ownership.period]]\nvalid_until = 2020-01-01\n\
         [[jurisdiction.ownership.period]]\nvalid_from = 2020-02-01\n",
    );
    assert!(d.message.contains("gap"), "{}", d.message);
    assert_eq!(d.line, 16, "the second period's valid_from");
}

#[test]
fn overlapping_periods_are_located() {
    let d = one(
        "[[jurisdiction.ownership.period]]\nvalid_until = 2020-03-01\n\
         [[jurisdiction.ownership.period]]\nvalid_from = 2020-02-01\n",
    );
    assert!(d.message.contains("overlap"), "{}", d.message);
    assert_eq!(d.line, 16);
    let d = one("[[jurisdiction.ownership.period]]\ncomparison = \">\"\n\
         [[jurisdiction.ownership.period]]\n");
    assert!(d.message.contains("overlap"), "{}", d.message);
}

#[test]
fn periods_must_cover_every_date() {
    let d = one("[[jurisdiction.ownership.period]]\nvalid_from = 2020-01-01\n");
    assert!(
        d.message.contains("no doctrine applies before"),
        "{}",
        d.message
    );
    assert_eq!(d.line, 14);
    let d = one("[[jurisdiction.ownership.period]]\nvalid_until = 2020-01-01\n");
    assert!(
        d.message.contains("no doctrine applies from then on"),
        "{}",
        d.message
    );
}
