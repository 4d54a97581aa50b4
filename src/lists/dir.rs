//! Where list files are read from: one configurable folder.
//!
//! Published list files are never part of the repository. Tests, benchmarks and scenarios that
//! name a real list read it from the lists folder: `INTERDICT_LISTS_DIR` if set, otherwise
//! `../shared/data/lists` (relative to the working directory, which is the crate root for
//! `cargo test` and `cargo bench`). A scenario names a file in that folder as
//! `ofac = "lists:us_ofac/sdn_2024-05-03.csv"`.

use std::path::{Path, PathBuf};

/// The environment variable that names the lists folder.
pub const LISTS_DIR_ENV: &str = "INTERDICT_LISTS_DIR";
/// The lists folder when `INTERDICT_LISTS_DIR` is not set.
pub(crate) const DEFAULT_LISTS_DIR: &str = "../shared/data/lists";
/// The prefix of a scenario list path that is relative to the lists folder.
pub(crate) const LISTS_PREFIX: &str = "lists:";
/// The OFAC SDN snapshot of 3 May 2024 in the lists folder (the tests' and benchmarks' SDN).
pub const SDN_SNAPSHOT: &str = "us_ofac/sdn_2024-05-03.csv";

/// The lists folder (`INTERDICT_LISTS_DIR`, or `../shared/data/lists`).
pub fn lists_dir() -> PathBuf {
    match std::env::var_os(LISTS_DIR_ENV) {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => PathBuf::from(DEFAULT_LISTS_DIR),
    }
}

/// A list path as a scenario writes it: `lists:REL` is `REL` in the lists folder; any other
/// path is relative to `base` (the scenario's folder).
pub fn resolve(base: &Path, written: &str) -> PathBuf {
    match written.strip_prefix(LISTS_PREFIX) {
        Some(rel) => lists_dir().join(rel),
        None => base.join(written),
    }
}

/// Why a `lists:` path cannot be read, when the lists folder itself is missing.
pub fn missing_folder_help(written: &str) -> Option<String> {
    written.strip_prefix(LISTS_PREFIX)?;
    let dir = lists_dir();
    (!dir.is_dir()).then(|| {
        format!(
            "the lists folder {} does not exist; set {LISTS_DIR_ENV} to the folder of list files",
            dir.display()
        )
    })
}

/// A file of the lists folder for a test or a benchmark, or `None` after printing why the
/// caller skips: only when the whole folder is absent. A missing file in a present folder is
/// returned as is, so that reading it fails loudly.
pub fn for_test(rel: &str, who: &str) -> Option<PathBuf> {
    let dir = lists_dir();
    if dir.is_dir() {
        Some(dir.join(rel))
    } else {
        eprintln!(
            "SKIPPED {who}: the lists folder {} is absent (set {LISTS_DIR_ENV} to the folder holding {rel})",
            dir.display()
        );
        None
    }
}
