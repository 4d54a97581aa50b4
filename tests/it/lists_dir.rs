//! The lists folder: no list in the repository or the binary, `lists:` paths in scenarios,
//! `INTERDICT_LISTS_DIR`, and clear messages when no list is there.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use interdict::lists::dir;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn interdict() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_interdict"));
    c.current_dir(root());
    c
}

#[test]
fn no_list_is_vendored() {
    assert!(
        !root().join("data/ofac").exists(),
        "data/ofac must be removed"
    );
    let lookup = std::fs::read_to_string(root().join("src/cli/lookup.rs")).unwrap();
    assert!(!lookup.contains("include_bytes!"), "no list is embedded");
}

#[test]
fn lookup_without_a_list_says_that_none_has_been_given() {
    let o = interdict().args(["lookup", "CJNG"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no list has been given"), "{err}");
    assert!(
        err.contains("interdict lookup --list SDN.CSV NAME"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn lists_paths_resolve_in_the_lists_folder_and_others_beside_the_scenario() {
    let base = Path::new("/some/scenarios");
    assert_eq!(dir::resolve(base, "sdn.csv"), base.join("sdn.csv"));
    assert_eq!(
        dir::resolve(base, "lists:us_ofac/sdn_2024-05-03.csv"),
        dir::lists_dir().join("us_ofac/sdn_2024-05-03.csv")
    );
    assert_eq!(dir::missing_folder_help("sdn.csv"), None);
}

/// A scenario naming a `lists:` file, evaluated with `INTERDICT_LISTS_DIR` set (in a child
/// process, so that this test binary's environment stays as it is).
fn eval_with_lists_dir(lists_dir: &Path) -> std::process::Output {
    interdict()
        .env(dir::LISTS_DIR_ENV, lists_dir)
        .args(["eval", "tests/scenarios/lists/hizballah.toml"])
        .output()
        .unwrap()
}

#[test]
fn a_missing_lists_folder_is_a_located_error_naming_the_variable() {
    let o = eval_with_lists_dir(Path::new("/nonexistent/interdict-lists"));
    // A file that cannot be read is exit 1, whoever names it (the one exit-code rule).
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("hizballah.toml:"), "{err}");
    assert!(
        err.contains("the lists folder /nonexistent/interdict-lists does not exist")
            && err.contains("INTERDICT_LISTS_DIR"),
        "{err}"
    );
}

#[test]
fn interdict_lists_dir_names_the_folder() {
    let Some(sdn) = dir::for_test(dir::SDN_SNAPSHOT, "interdict_lists_dir_names_the_folder") else {
        return;
    };
    // A copy of the folder's SDN file elsewhere is found through the variable.
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lists-dir-copy");
    std::fs::create_dir_all(tmp.join("us_ofac")).unwrap();
    std::fs::copy(&sdn, tmp.join(dir::SDN_SNAPSHOT)).unwrap();
    let o = eval_with_lists_dir(&tmp);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("block"), "{out}");
}
