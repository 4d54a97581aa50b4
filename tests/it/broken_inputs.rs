//! The broken-input corpus: every file under tests/broken/ declares, in `# expect:` comments,
//! the located errors it must produce (code, line:column, message, optional help after `|`).
//! Rule files are loaded on top of the embedded packs; scenario files with the embedded packs.
//! Every expected diagnostic must appear, no unexpected error may appear, and the binary must
//! exit with the invalid-input code without panicking.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use interdict::diagnostic::{Diagnostic, Diagnostics};
use interdict::render::diagnostic::DiagnosticText as _;
use interdict::source::SourceFile;

#[derive(Debug)]
struct Expected {
    code: String,
    line: u32,
    column: Option<u32>,
    message: String,
    help: Option<String>,
}

fn expectations(text: &str) -> Vec<Expected> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(|rest| {
            let (head, help) = match rest.split_once(" | ") {
                Some((h, x)) => (h, Some(x.trim().to_string())),
                None => (rest, None),
            };
            let mut parts = head.splitn(3, ' ');
            let code = parts.next().unwrap().to_string();
            let pos = parts.next().unwrap();
            let message = parts.next().unwrap_or("").trim().to_string();
            let (line, column) = pos.split_once(':').unwrap();
            Expected {
                code,
                line: line.parse().unwrap(),
                column: column.parse().ok(),
                message,
                help,
            }
        })
        .collect()
}

fn files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

fn check(path: &Path, diags: &Diagnostics, problems: &mut Vec<String>) {
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let want = expectations(&text);
    assert!(
        !want.is_empty(),
        "{} declares no `# expect:` lines",
        path.display()
    );
    let name = path.display().to_string();
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    for w in &want {
        let found = errors.iter().any(|d| {
            d.code.as_str() == w.code
                && d.file == name
                && d.places()
                    .any(|(line, col)| line == w.line && w.column.is_none_or(|c| c == col))
                && d.message.contains(&w.message)
                && w.help
                    .as_ref()
                    .is_none_or(|h| d.help.as_deref().is_some_and(|dh| dh.contains(h.as_str())))
        });
        if !found {
            problems.push(format!(
                "{name}: expected {w:?}\n  got: {:#?}",
                errors.iter().map(|d| d.render()).collect::<Vec<_>>()
            ));
        }
    }
    for d in &errors {
        let expected = want
            .iter()
            .any(|w| d.code.as_str() == w.code && d.places().any(|(l, _)| l == w.line));
        if !expected {
            problems.push(format!("{name}: unexpected error {}", d.render()));
        }
    }
}

#[test]
fn broken_rule_files_give_located_errors() {
    let mut problems = Vec::new();
    let list = files("tests/broken/rules");
    assert!(list.len() >= 15, "the corpus has {} rule files", list.len());
    for path in list {
        let mut all = interdict::rules::embedded_files();
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        all.push(SourceFile::new(path.display().to_string(), text));
        match interdict::scenario::pack::load(all) {
            Ok(_) => problems.push(format!("{} loaded without errors", path.display())),
            Err(d) => check(&path, &d, &mut problems),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn broken_scenarios_give_located_errors() {
    let (pack, _) = interdict::scenario::pack::load_embedded().unwrap();
    let rs = pack;
    let mut problems = Vec::new();
    let list = files("tests/broken/scenarios");
    assert!(
        list.len() >= 15,
        "the corpus has {} scenario files",
        list.len()
    );
    for path in list {
        match interdict::scenario::load_path(&path, &rs) {
            Ok(_) => problems.push(format!("{} loaded without errors", path.display())),
            Err(d) => check(&path, &d, &mut problems),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn the_binary_reports_and_does_not_panic_on_any_broken_file() {
    let bin = env!("CARGO_BIN_EXE_interdict");
    for path in files("tests/broken/rules") {
        let dir = tempdir_with(&path);
        let out = Command::new(bin)
            .args(["check", "--add-rules"])
            .arg(&dir)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{}: {stderr}", path.display());
        assert!(stderr.contains("error["), "{}: {stderr}", path.display());
        assert!(!stderr.contains("panicked"), "{}: {stderr}", path.display());
        std::fs::remove_dir_all(&dir).unwrap();
    }
    for path in files("tests/broken/scenarios") {
        let out = Command::new(bin).arg("eval").arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{}: {stderr}", path.display());
        assert!(stderr.contains("error["), "{}: {stderr}", path.display());
        assert!(!stderr.contains("panicked"), "{}: {stderr}", path.display());
    }
}

/// A fresh directory holding only `file` (for `--add-rules`).
fn tempdir_with(file: &Path) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "interdict-broken-{}-{}",
        std::process::id(),
        file.file_stem().unwrap().to_string_lossy()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(file, dir.join(file.file_name().unwrap())).unwrap();
    dir
}
