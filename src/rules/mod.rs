//! Rule packs: reading `rules/**/*.toml` (embedded or from directories) into a [`RuleSet`]
//! (the law; `scenario::pack` loads it with the reference world into a `Pack`).
//!
//! The language is documented in docs/rule-language.md.

pub mod lower;
pub mod raw;
pub(crate) mod world_records;

use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::ruleset::RuleSet;
use crate::source::{Loc, SourceFile};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// The rule packs compiled into the binary.
pub fn embedded_files() -> Vec<SourceFile> {
    embedded::FILES
        .iter()
        .map(|(name, text)| SourceFile::new(format!("<embedded>/{name}"), *text))
        .collect()
}

/// Every `*.toml` file under `dir`, recursively, in path order.
pub(crate) fn read_dir(dir: &Path, diags: &mut Diagnostics) -> Vec<SourceFile> {
    let mut paths = Vec::new();
    if !dir.is_dir() {
        let code = if dir.exists() {
            Code::InvalidValue
        } else {
            Code::NotFound
        };
        diags.push(Diagnostic::error(
            code,
            &Loc::file(dir.display().to_string()),
            "not a directory of rule packs",
        ));
        return Vec::new();
    }
    collect(dir, &mut paths, diags);
    paths.sort();
    let mut files = Vec::new();
    for p in paths {
        match crate::source::read_source(&p, "the rule pack") {
            Ok(file) => files.push(file),
            Err(d) => diags.push(d),
        }
    }
    files
}

/// The `*.toml` files under `dir`, each real file once however many links lead to it. A
/// link to a directory is followed unless that directory is already being walked (a loop):
/// the loop is reported and not entered, so the walk always ends.
fn collect(dir: &Path, out: &mut Vec<PathBuf>, diags: &mut Diagnostics) {
    let mut walk = Walk::default();
    if let Ok(real) = dir.canonicalize() {
        walk.ancestors.push(real);
    }
    walk.dir(dir, out, diags);
}

#[derive(Default)]
struct Walk {
    /// Canonical paths of the directories from the root down to the one being read.
    ancestors: Vec<PathBuf>,
    /// Canonical paths of the files taken so far.
    files: std::collections::HashSet<PathBuf>,
}

impl Walk {
    fn dir(&mut self, dir: &Path, out: &mut Vec<PathBuf>, diags: &mut Diagnostics) {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(
                    Code::Io,
                    &Loc::file(dir.display().to_string()),
                    format!("cannot read directory: {e}"),
                ));
                return;
            }
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let is_dir = path.is_dir();
            if !is_dir && path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let Ok(real) = path.canonicalize() else {
                diags.push(Diagnostic::warning(
                    Code::Io,
                    &Loc::file(path.display().to_string()),
                    "a link that leads nowhere: skipped",
                ));
                continue;
            };
            if is_dir {
                if self.ancestors.contains(&real) {
                    diags.push(Diagnostic::warning(
                        Code::InvalidValue,
                        &Loc::file(path.display().to_string()),
                        format!("a link that loops back to {}: not followed", real.display()),
                    ));
                    continue;
                }
                self.ancestors.push(real);
                self.dir(&path, out, diags);
                self.ancestors.pop();
            } else if self.files.insert(real) {
                out.push(path);
            }
        }
    }
}

/// Read and lower rule-pack files: the records of each file that parsed (their world records
/// become the reference world, lowered beside the rule set by `scenario::pack`) and the rule
/// set, `None` when errors stopped lowering. Every problem goes to `diags`, and the caller
/// must refuse the rule set when `diags` has errors.
pub(crate) fn read_and_lower(
    files: Vec<SourceFile>,
    diags: &mut Diagnostics,
) -> (Vec<lower::FileRecords>, Option<RuleSet>) {
    let mut records = Vec::new();
    for f in files {
        if let Some(r) = lower::read_file(f, diags) {
            records.push(r);
        }
    }
    let rs = lower::lower(&records, diags);
    (records, rs)
}

/// The files of packs from directories; with `extend`, after the embedded packs.
pub(crate) fn read_dirs(
    dirs: &[PathBuf],
    extend: bool,
    diags: &mut Diagnostics,
) -> Vec<SourceFile> {
    let mut files = if extend { embedded_files() } else { Vec::new() };
    for d in dirs {
        files.extend(read_dir(d, diags));
    }
    files
}
