//! No input makes the loaders panic, and every failure is located. Inputs are mutations of real
//! files (deleted, duplicated, swapped lines; replaced characters), which reach much deeper than
//! random bytes, plus raw arbitrary text.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::PathBuf;

use interdict::diagnostic::{Code, Diagnostics};
use interdict::render::diagnostic::DiagnosticText as _;
use interdict::source::SourceFile;
use proptest::prelude::*;

const SEED: &str = include_str!("../scenarios/us/seed-cartels-2025.toml");
const SDGT: &str = include_str!("../../rules/us/sdgt.toml");

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
    Replace(usize, usize, char),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        (
            any::<usize>(),
            any::<usize>(),
            prop::sample::select(vec![
                '"', '=', '[', ']', '{', '}', '-', '.', '0', '9', 'x', ' ', '\n', 'é', '#', ','
            ])
        )
            .prop_map(|(l, c, ch)| Mutation::Replace(l, c, ch)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(text: &str, muts: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for m in muts {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match *m {
            Mutation::Delete(i) => {
                lines.remove(i % n);
            }
            Mutation::Duplicate(i) => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Mutation::Swap(a, b) => lines.swap(a % n, b % n),
            Mutation::Replace(l, c, ch) => {
                let line: Vec<char> = lines[l % n].chars().collect();
                if !line.is_empty() {
                    let mut line = line;
                    let i = c % line.len();
                    line[i] = ch;
                    lines[l % n] = line.into_iter().collect();
                }
            }
            Mutation::Truncate(i) => lines.truncate(i % n),
        }
    }
    lines.join("\n")
}

/// Every error must point into the file (a line), except those about the file as a whole.
fn assert_located(d: &Diagnostics, file: &str) {
    assert!(d.has_errors());
    for x in d.iter().filter(|x| x.is_error()) {
        assert!(!x.message.is_empty());
        if x.file == file && !matches!(x.code, Code::Io | Code::NotFound) {
            assert!(x.line >= 1, "unlocated error: {}", x.render());
        }
    }
}

fn rules() -> interdict::model::pack::Pack {
    crate::common::pack()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_scenarios_never_panic(muts in prop::collection::vec(mutation(), 1..6)) {
        let text = apply(SEED, &muts);
        let rs = rules();
        if let Err(d) = interdict::scenario::load(SourceFile::new("m.toml", text), &PathBuf::from("m.toml"), &rs) {
            assert_located(&d, "m.toml");
        }
    }

    #[test]
    fn mutated_rule_files_never_panic(muts in prop::collection::vec(mutation(), 1..6)) {
        let text = apply(SDGT, &muts);
        let mut files: Vec<SourceFile> = interdict::rules::embedded_files()
            .into_iter()
            .filter(|f| !f.name().ends_with("us/sdgt.toml"))
            .collect();
        files.push(SourceFile::new("m.toml", text));
        if let Err(d) = interdict::scenario::pack::load(files) {
            assert_located(&d, "m.toml");
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let rs = rules();
        if let Err(d) = interdict::scenario::load(SourceFile::new("a.toml", text.clone()), &PathBuf::from("a.toml"), &rs) {
            assert_located(&d, "a.toml");
        }
        let mut files = interdict::rules::embedded_files();
        files.push(SourceFile::new("a.toml", text));
        if let Err(d) = interdict::scenario::pack::load(files) {
            assert_located(&d, "a.toml");
        }
    }
}

#[test]
fn the_engine_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<interdict::eval::Engine>();
    assert_send_sync::<interdict::eval::decision::Decision>();
    assert_send_sync::<interdict::model::ruleset::RuleSet>();
}

#[test]
fn one_engine_serves_many_threads_with_identical_decisions() {
    let rs = rules();
    let s = interdict::scenario::load_path(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/scenarios/us/seed-cartels-2025.toml"),
        &rs,
    )
    .unwrap();
    let engine = interdict::eval::Engine::new(s.rules.clone(), s.world.clone());
    let opts = interdict::eval::EvalOptions::default();
    let expected: Vec<_> = s
        .transactions
        .iter()
        .map(|t| engine.evaluate(t, &opts))
        .collect();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..50 {
                    let got: Vec<_> = s
                        .transactions
                        .iter()
                        .map(|t| engine.evaluate(t, &opts))
                        .collect();
                    assert_eq!(got, expected);
                }
            });
        }
    });
}
