//! No file in the library or the binary holds more than about 600 lines of production code
//! (issue 12: one concern per module). Lines of `#[cfg(test)]` items do not count; comments
//! and blank lines do.

use std::path::Path;

use crate::common::rust_source::{production_lines, rust_files};

/// Production lines a file may hold.
const MAX_LINES: usize = 600;

/// Files allowed to be longer, each with the reason. The list only shrinks: a file listed here
/// that is no longer long fails the test until it is deleted from it.
const LONG_FILES: &[(&str, &str)] = &[];

#[test]
fn files_are_short_or_listed_with_a_reason() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut long = Vec::new();
    let mut listed = vec![false; LONG_FILES.len()];
    for file in rust_files(&src) {
        let text = std::fs::read_to_string(&file).unwrap();
        let rel = file.strip_prefix(&src).unwrap().display().to_string();
        let lines = production_lines(&text);
        if lines <= MAX_LINES {
            continue;
        }
        match LONG_FILES.iter().position(|(f, _)| *f == rel) {
            Some(k) => listed[k] = true,
            None => long.push(format!("src/{rel} has {lines} lines of production code")),
        }
    }
    let done: Vec<String> = LONG_FILES
        .iter()
        .zip(&listed)
        .filter(|(_, seen)| !**seen)
        .map(|((f, _), _)| format!("src/{f}"))
        .collect();
    assert!(
        done.is_empty(),
        "these files are no longer over {MAX_LINES} lines (or are gone): delete them from LONG_FILES:\n  {}",
        done.join("\n  ")
    );
    assert!(
        long.is_empty(),
        "{} files are over {MAX_LINES} lines of production code; split them into modules by concern (or list one in LONG_FILES with the reason):\n  {}",
        long.len(),
        long.join("\n  ")
    );
}

#[test]
fn test_items_do_not_count() {
    let text = "fn a() {}\n\n#[cfg(test)]\nmod tests {\n    fn b() { \"}\" }\n}\nfn c() {}\n";
    assert_eq!(production_lines(text), 3);
    assert_eq!(production_lines("fn a() {}\n// b\n"), 2);
}
