//! The scenario examples in docs/lists.md load and meet their expectations.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test and benchmark helpers fail loudly"
)]

use std::path::PathBuf;
use std::sync::Arc;

use interdict::expectations::run;
use interdict::render::diagnostic::DiagnosticText as _;
use interdict::scenario;
use interdict::source::SourceFile;

#[test]
fn the_examples_in_docs_lists_md_run() {
    // The examples name the SDN snapshot in the lists folder.
    if interdict::lists::dir::for_test(
        interdict::lists::dir::SDN_SNAPSHOT,
        "the_examples_in_docs_lists_md_run",
    )
    .is_none()
    {
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/lists.md")).unwrap();
    let rules = Arc::new(interdict::scenario::pack::load_embedded().unwrap().0);
    let mut examples = 0;
    for (i, part) in doc.split("<!-- scenario-example -->").skip(1).enumerate() {
        let body = part
            .split_once("```toml\n")
            .and_then(|(_, rest)| rest.split_once("\n```"))
            .map(|(b, _)| b)
            .unwrap();
        // As if the example were a file in docs/, so its list path resolves the same way.
        let path = root.join(format!("docs/example-{i}.toml"));
        let s = scenario::load(
            SourceFile::new(path.display().to_string(), body),
            &path,
            &rules,
        )
        .unwrap_or_else(|d| {
            panic!(
                "example {i}: {:?}",
                d.iter().map(|x| x.render()).collect::<Vec<_>>()
            )
        });
        let results = run::check(&s);
        assert!(!results.is_empty(), "example {i} asserts nothing");
        for r in results {
            assert!(
                r.failures.is_empty(),
                "example {i} `{}`: {:?}",
                r.transaction,
                r.failures
            );
        }
        examples += 1;
    }
    assert_eq!(examples, 2);
}
