//! Runs every scenario under tests/scenarios/ against the embedded rule packs, through the same
//! code as `interdict test`, and reports every failing expectation before failing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::PathBuf;

use interdict::expectations::run::{ScenarioResult, collect_files, run_file};
use interdict::render::diagnostic::DiagnosticText as _;

#[test]
fn scenario_corpus_passes() {
    let (pack, _) = interdict::scenario::pack::load_embedded().expect("embedded packs load");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let files = collect_files(&[root]);
    assert!(!files.is_empty(), "no scenarios found");
    let mut problems = Vec::new();
    let mut checked = 0;
    let lists_dir = interdict::lists::dir::lists_dir();
    for f in &files {
        // Scenarios naming a real list (`lists:...`) need the lists folder.
        if !lists_dir.is_dir() && std::fs::read_to_string(f).is_ok_and(|t| t.contains("\"lists:")) {
            eprintln!(
                "SKIPPED {}: the lists folder {} is absent (set INTERDICT_LISTS_DIR)",
                f.display(),
                lists_dir.display()
            );
            continue;
        }
        match run_file(f, &pack) {
            ScenarioResult::Invalid(d) => {
                let msgs: Vec<String> = d.iter().map(|x| x.render()).collect();
                problems.push(format!(
                    "{} does not load:\n{}",
                    f.display(),
                    msgs.join("\n")
                ));
            }
            ScenarioResult::Ran { results, .. } => {
                assert!(
                    !results.is_empty(),
                    "{} has no expectations; every corpus scenario must assert something",
                    f.display()
                );
                for r in results {
                    checked += 1;
                    if !r.failures.is_empty() {
                        problems.push(format!(
                            "{} transaction `{}` in `{}`:\n  {}",
                            f.display(),
                            r.transaction,
                            r.jurisdiction,
                            r.failures.join("\n  ")
                        ));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n\n")
    );
    eprintln!("{} scenario files, {checked} expectations", files.len());
}
