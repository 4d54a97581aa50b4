//! The examples in docs/rule-language.md and docs/scenario-format.md are real: rule examples
//! load on top of the embedded packs, scenario examples load and their expectations pass.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::{Path, PathBuf};

use interdict::expectations::run;
use interdict::render::diagnostic::DiagnosticText as _;
use interdict::source::SourceFile;

/// (info string, first line number, text) of every fenced block.
fn blocks(doc: &str) -> Vec<(String, usize, String)> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(doc)).unwrap();
    let mut out = Vec::new();
    let mut current: Option<(String, usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim().to_string(), i + 2, String::new())),
            (Some(_), Some(_)) => out.push(current.take().unwrap()),
            (Some((_, _, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

#[test]
fn rule_language_examples_load() {
    let found = blocks("docs/rule-language.md");
    let toml: Vec<_> = found
        .iter()
        .filter(|(info, _, _)| info.starts_with("toml"))
        .collect();
    assert!(toml.len() >= 6, "expected the reference to carry examples");
    let mut files = interdict::rules::embedded_files();
    for (info, line, body) in &toml {
        assert_eq!(
            info, "toml rules",
            "block at docs/rule-language.md:{line} must be marked `toml rules`"
        );
        files.push(SourceFile::new(
            format!("docs/rule-language.md:{line}"),
            body.clone(),
        ));
    }
    match interdict::scenario::pack::load(files) {
        Ok((pack, _)) => {
            let rs = &pack.rules;
            assert!(rs.jurisdiction_by_id("xx").is_some());
            assert!(rs.rule_by_id("xx.terror.override.humanitarian").is_some());
        }
        Err(d) => panic!(
            "{}",
            d.iter().map(|x| x.render()).collect::<Vec<_>>().join("\n")
        ),
    }
}

#[test]
fn scenario_format_examples_run_and_pass() {
    let (pack, _) = interdict::scenario::pack::load_embedded().unwrap();
    let rs = pack;
    let found = blocks("docs/scenario-format.md");
    let toml: Vec<_> = found
        .iter()
        .filter(|(info, _, _)| info.starts_with("toml"))
        .collect();
    assert!(toml.len() >= 3);
    for (info, line, body) in toml {
        assert_eq!(
            info, "toml scenario",
            "block at docs/scenario-format.md:{line} must be marked `toml scenario`"
        );
        let name = format!("docs/scenario-format.md:{line}");
        let s = interdict::scenario::load(
            SourceFile::new(name.clone(), body.clone()),
            &PathBuf::from(&name),
            &rs,
        )
        .unwrap_or_else(|d| {
            panic!(
                "{}",
                d.iter().map(|x| x.render()).collect::<Vec<_>>().join("\n")
            )
        });
        assert!(s.has_expectations(), "{name} asserts nothing");
        for r in run::check(&s) {
            assert!(
                r.failures.is_empty(),
                "{name} `{}`: {:?}",
                r.transaction,
                r.failures
            );
        }
    }
}

/// The rule-language examples, invariants included, also pass the deep check (no error-level
/// finding), and every counterexample the check builds for them is confirmed.
#[test]
fn rule_language_examples_pass_the_deep_check() {
    let mut files = interdict::rules::embedded_files();
    for (info, line, body) in blocks("docs/rule-language.md") {
        if info == "toml rules" {
            files.push(SourceFile::new(
                format!("docs/rule-language.md:{line}"),
                body,
            ));
        }
    }
    let pack = interdict::scenario::pack::load(files).unwrap().0;
    assert!(pack.rules.invariants.len() >= 3);
    let report = interdict::check::deep(&pack, &interdict::check::DeepOptions::default());
    for f in &report.findings {
        assert!(!f.diagnostic().is_error(), "{}", f.diagnostic().render());
        if let Some(c) = &f.counterexample {
            assert!(c.confirmed.is_ok(), "{:?}", c.confirmed);
        }
    }
}
