//! Diagnostics stay proportional to the distinct problems of a file, never to its size: a
//! 10 MB single-line file, a file with CR-only line ends, a record written 2,000 times and a
//! file with thousands of distinct problems all give bounded, located output.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::PathBuf;
use std::process::Command;

fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("interdict-bounded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn eval(path: &PathBuf) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .arg("eval")
        .arg(path)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_ten_megabyte_single_line_gives_bounded_output() {
    let line = "x=1 ".repeat(10 << 18);
    assert!(line.len() >= 10 << 20);
    let path = temp("one-line.toml", line.as_bytes());
    let (code, stderr) = eval(&path);
    assert_eq!(code, Some(3), "{}", &stderr[..stderr.len().min(2000)]);
    assert!(
        stderr.len() < 200_000,
        "{} bytes of diagnostics",
        stderr.len()
    );
    assert!(
        stderr.contains("one-line.toml:1:"),
        "{}",
        &stderr[..stderr.len().min(2000)]
    );
    // No snippet line is longer than the window plus its gutter and ellipses.
    assert!(
        stderr.lines().all(|l| l.chars().count() < 400),
        "a long line"
    );
    std::fs::remove_file(path).unwrap();
}

#[test]
fn cr_only_line_ends_are_lines() {
    let text = "[[party]]\rid = \"acme\"\rkind = \"organization\"\rbogus = 1\r";
    let path = temp("cr-only.toml", text.as_bytes());
    let (code, stderr) = eval(&path);
    assert_eq!(code, Some(3));
    assert!(
        stderr.contains("cr-only.toml:4:1: error[UNKNOWN_KEY]: unknown key `bogus`"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error[").count(), 1, "{stderr}");
}

#[test]
fn a_holding_written_2000_times_is_one_diagnostic_with_a_count() {
    let mut text = String::from(
        "[[party]]\nid = \"a\"\nkind = \"organization\"\n\n[[party]]\nid = \"b\"\nkind = \"organization\"\n",
    );
    for _ in 0..2000 {
        text.push_str("\n[[ownership]]\nowner = \"a\"\nowned = \"b\"\nshare = \"1\"\n");
    }
    let path = temp("dup-holdings.toml", text.as_bytes());
    let (code, stderr) = eval(&path);
    assert_eq!(code, Some(3));
    assert_eq!(
        stderr.matches("error[DUPLICATE_ID]").count(),
        1,
        "{}",
        &stderr[..stderr.len().min(3000)]
    );
    assert!(stderr.contains("found 1998 more times"), "{stderr}");
    assert!(stderr.contains("first recorded at"), "{stderr}");
    assert!(stderr.len() < 20_000);
}

#[test]
fn distinct_problems_beyond_the_cap_are_counted() {
    let mut text = String::new();
    for i in 0..1000 {
        text.push_str(&format!(
            "[[party]]\nid = \"p{i}\"\nkind = \"organization\"\nbogus{i} = 1\n\n"
        ));
    }
    let path = temp("many.toml", text.as_bytes());
    let (code, stderr) = eval(&path);
    assert_eq!(code, Some(3));
    assert_eq!(stderr.matches("error[UNKNOWN_KEY]").count(), 200);
    assert!(
        stderr.contains("800 more problems in this file not shown (the first 200 are)"),
        "{}",
        &stderr[stderr.len().saturating_sub(2000)..]
    );
    assert!(
        stderr.contains("has 1000 error(s)"),
        "{}",
        &stderr[stderr.len().saturating_sub(500)..]
    );
}

#[test]
fn a_bad_byte_is_located_by_line_and_column() {
    let mut bytes = b"[[party]]\nid = \"acme\"\nname = \"caf".to_vec();
    bytes.extend([0xE9, b'"', b'\n']);
    let path = temp("latin1.toml", &bytes);
    let (code, stderr) = eval(&path);
    assert_eq!(code, Some(3));
    assert!(
        stderr.contains(
            "latin1.toml:3:12: error[INVALID_VALUE]: the file is not UTF-8 text (byte 0xE9"
        ),
        "{stderr}"
    );
}

#[test]
fn deep_dotted_keys_are_located() {
    let key = vec!["a"; 100].join(".");
    let path = temp("deep.toml", format!("\n\n{key} = 1\n").as_bytes());
    let (code, stderr) = eval(&path);
    assert_eq!(code, Some(3));
    assert!(
        stderr.contains(
            "deep.toml:3:1: error[TOML_SYNTAX]: keys, tables or arrays nested more than 80 deep"
        ),
        "{stderr}"
    );
}
