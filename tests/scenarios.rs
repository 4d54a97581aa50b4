//! Runs every scenario under tests/scenarios/ against the embedded rule packs, through the same
//! code as `interdict test`, and reports every failing expectation before failing.

use std::path::PathBuf;
use std::sync::Arc;

use interdict::scenario::run::{ScenarioResult, collect_files, run_file};

#[test]
fn scenario_corpus_passes() {
    let (rules, _) = interdict::rules::load_embedded().expect("embedded packs load");
    let rules = Arc::new(rules);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let files = collect_files(&[root]);
    assert!(!files.is_empty(), "no scenarios found");
    let mut problems = Vec::new();
    let mut checked = 0;
    for f in &files {
        match run_file(f, &rules) {
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
