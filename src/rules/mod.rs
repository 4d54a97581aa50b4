//! Rule packs: reading `rules/**/*.toml` (embedded or from directories) into a [`RuleSet`].
//!
//! The language is documented in docs/rule-language.md.

pub mod lower;
pub mod raw;

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
pub fn read_dir(dir: &Path, diags: &mut Diagnostics) -> Vec<SourceFile> {
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

/// Load rule packs from files. Warnings come back with the rule set; any error fails the load
/// and every problem of every file is returned.
pub fn load(files: Vec<SourceFile>) -> Result<(RuleSet, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut records = Vec::new();
    for f in files {
        if let Some(r) = lower::read_file(f, &mut diags) {
            records.push(r);
        }
    }
    let rs = lower::lower(&records, &mut diags);
    for r in &records {
        diags.attach_source(&r.file);
    }
    diags.sort();
    match rs {
        Some(rs) if !diags.has_errors() => Ok((rs, diags)),
        _ => Err(diags),
    }
}

/// The embedded packs.
pub fn load_embedded() -> Result<(RuleSet, Diagnostics), Diagnostics> {
    load(embedded_files())
}

/// Packs from directories; with `extend`, on top of the embedded packs.
pub fn load_dirs(dirs: &[PathBuf], extend: bool) -> Result<(RuleSet, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut files = if extend { embedded_files() } else { Vec::new() };
    for d in dirs {
        files.extend(read_dir(d, &mut diags));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    // The walk's warnings (links that loop) come back with the packs' own.
    match load(files) {
        Ok((rs, warnings)) => {
            diags.extend(warnings);
            Ok((rs, diags))
        }
        Err(errors) => {
            diags.extend(errors);
            Err(diags)
        }
    }
}
