//! Every loader (rule packs from text and from directories, scenarios from text and from
//! files, `[[invariant]]` tables included) on arbitrary bytes and on arbitrary TOML documents
//! built from the formats' own keys: never a panic, and every failure is a located diagnostic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::{Path, PathBuf};

use crate::common::cases;
use interdict::diagnostic::{Code, Diagnostics};
use interdict::render::diagnostic::DiagnosticText as _;
use interdict::source::SourceFile;
use proptest::prelude::*;
use toml::Value;

/// Every error names the file; errors inside the text point at a line (only a file that
/// cannot be read or is not UTF-8 is located at the file as a whole).
fn located(d: &Diagnostics, file: &str) -> Result<(), String> {
    if !d.has_errors() {
        return Err("a failure without an error".into());
    }
    for x in d.iter().filter(|x| x.is_error()) {
        if x.message.is_empty() {
            return Err(format!("an empty message: {x:?}"));
        }
        let whole_file = matches!(x.code, Code::Io | Code::NotFound) || x.message.contains("UTF-8");
        if x.file.ends_with(file) && x.line == 0 && !whole_file {
            return Err(format!("unlocated: {}", x.render()));
        }
    }
    Ok(())
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "robustness-{name}-{:?}",
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const TOP: &[&str] = &[
    "rule",
    "program",
    "jurisdiction",
    "calendar",
    "person_test",
    "nexus",
    "obligation",
    "penalty",
    "invariant",
    "transaction_type",
    "goods",
    "party",
    "designation",
    "ownership",
    "control",
    "joint_arrangement",
    "scenario",
    "transaction",
    "license",
    "exchange_rate",
    "lists",
    "bogus",
];

const FIELDS: &[&str] = &[
    "id",
    "title",
    "kind",
    "program",
    "jurisdiction",
    "when",
    "unless",
    "actor",
    "disposition",
    "defeats",
    "overrides",
    "obligations",
    "exposures",
    "citation",
    "note",
    "valid_from",
    "valid_until",
    "roles",
    "designated",
    "blocked",
    "blocked_under",
    "tests",
    "transaction_type",
    "goods_any",
    "goods_only",
    "party",
    "no_party",
    "amount_at_least",
    "amount_below",
    "name",
    "currency",
    "calendar",
    "ownership",
    "threshold",
    "comparison",
    "aggregation",
    "control",
    "date",
    "type",
    "amount",
    "originator",
    "beneficiary",
    "intermediaries",
    "share",
    "owner",
    "owned",
    "listed",
    "delisted",
    "due",
    "business_days",
    "period",
    "protects",
    "exceptions",
    "dispositions",
    "contains_any",
    "excludes",
    "rationale",
    "authorities",
    "blocking",
    "basis",
    "expect",
    "us",
    "reasons",
    "any",
    "weekend",
    "covers_from",
    "covers_until",
    "holidays",
    "rate",
    "from",
    "to",
    "members",
    "entity",
    "controller",
    "controlled",
    "as_of",
    "zzz",
];

const STRINGS: &[&str] = &[
    "us",
    "us.sdgt",
    "us.fto",
    "us.sdgt.block",
    "us.ieepa.exempt.donations",
    "us.report.blocking",
    "us.person",
    "donation",
    "wire",
    "medicine",
    "block",
    "review",
    "exemption",
    "override",
    "never_defeated",
    "citation",
    "2025-02-20",
    "2025-02-30",
    "50",
    "30-60",
    "unknown",
    "USD",
    "100 USD",
    "US",
    "MX",
    "originator",
    "beneficiary",
    "organization",
    "",
    " ",
    "x",
    "é",
    "sinaloa-cartel",
    "at_least",
    ">=",
    "all",
    "flag",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(STRINGS.to_vec()).prop_map(|s| Value::String(s.to_string())),
        (-5i64..200).prop_map(Value::Integer),
        (-1.0f64..150.0).prop_map(Value::Float),
        any::<bool>().prop_map(Value::Boolean),
        (2019u16..2031, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| {
            Value::Datetime(toml::value::Datetime {
                date: Some(toml::value::Date {
                    year: y,
                    month: m,
                    day: d,
                }),
                time: None,
                offset: None,
            })
        }),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(FIELDS.to_vec()), inner), 0..5).prop_map(
                |kv| Value::Table(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            ),
        ]
    })
}

/// A record: a table of known fields with arbitrary values.
fn record() -> impl Strategy<Value = Value> {
    prop::collection::vec((prop::sample::select(FIELDS.to_vec()), value()), 0..8)
        .prop_map(|kv| Value::Table(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
}

/// A document: known top-level keys holding arrays of records (or other values).
fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(TOP.to_vec()),
            prop_oneof![
                4 => prop::collection::vec(record(), 1..4).prop_map(Value::Array),
                1 => record(),
                1 => value(),
            ],
        ),
        0..5,
    )
    .prop_map(|kv| {
        let t: toml::Table = kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        toml::to_string(&t).unwrap_or_default()
    })
}

fn check_text(text: String) -> Result<(), String> {
    let rs = crate::common::pack();
    if let Err(d) = interdict::scenario::load(
        SourceFile::new("doc.toml", text.clone()),
        Path::new("doc.toml"),
        &rs,
    ) {
        located(&d, "doc.toml")?;
    }
    let mut files = interdict::rules::embedded_files();
    files.push(SourceFile::new("doc.toml", text));
    if let Err(d) = interdict::scenario::pack::load(files) {
        located(&d, "doc.toml")?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

    /// TOML documents made of the formats' own keys, with values of every type.
    #[test]
    fn arbitrary_toml_never_panics_and_is_located(doc in document()) {
        let r = check_text(doc.clone());
        prop_assert!(r.is_ok(), "{}\n---\n{doc}", r.unwrap_err());
    }

    /// Arbitrary bytes through the file loaders (rule directories and scenario files).
    #[test]
    fn arbitrary_bytes_never_panic_and_are_located(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let dir = scratch("bytes");
        let path = dir.join("input.toml");
        std::fs::write(&path, &bytes).unwrap();
        let rs = crate::common::pack();
        if let Err(d) = interdict::scenario::load_path(&path, &rs) {
            let r = located(&d, "input.toml");
            prop_assert!(r.is_ok(), "{}", r.unwrap_err());
        }
        match interdict::scenario::pack::load_dirs(std::slice::from_ref(&dir), true) {
            Ok(_) => {}
            Err(d) => {
                let r = located(&d, "input.toml");
                prop_assert!(r.is_ok(), "{}", r.unwrap_err());
            }
        }
    }

    /// Arbitrary text (valid UTF-8, mostly not TOML).
    #[test]
    fn arbitrary_text_never_panics_and_is_located(text in "\\PC{0,300}") {
        let r = check_text(text);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }
}

/// The generated documents reach past the TOML parser into the records (a generator that
/// only ever produced syntax errors would test nothing).
#[test]
fn documents_reach_the_records() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut codes = std::collections::BTreeSet::new();
    for _ in 0..200 {
        let doc = document().new_tree(&mut runner).unwrap().current();
        let mut files = interdict::rules::embedded_files();
        files.push(SourceFile::new("doc.toml", doc));
        if let Err(d) = interdict::scenario::pack::load(files) {
            codes.extend(d.iter().map(|x| x.code.as_str()));
        }
    }
    for c in [
        "UNKNOWN_KEY",
        "MISSING_KEY",
        "INVALID_TYPE",
        "INVALID_VALUE",
    ] {
        assert!(codes.contains(c), "no {c} among {codes:?}");
    }
}
