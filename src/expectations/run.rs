//! Running a scenario's expectations: shared by `interdict test` and the cargo test suite.

use std::path::Path;

use super::compare;
use crate::diagnostic::Diagnostics;
use crate::eval::decision::Decision;
use crate::eval::{Engine, EvalOptions};
use crate::model::pack::Pack;
use crate::scenario::{self, Scenario};

/// The outcome of one expectation.
#[derive(Debug, Clone)]
pub struct ExpectationResult {
    /// The transaction's id.
    pub transaction: String,
    /// The jurisdiction id, or `overall`.
    pub jurisdiction: String,
    /// Where the expectation is written (`file:line:column`).
    pub location: String,
    /// What the decision did not meet, one line each (empty: the expectation holds).
    pub failures: Vec<String>,
}

/// The outcome of a scenario file.
#[derive(Debug)]
pub enum ScenarioResult {
    /// The file could not be loaded.
    Invalid(Diagnostics),
    /// It loaded; each expectation's result (empty: the scenario asserts nothing).
    Ran {
        /// The scenario's name.
        name: String,
        /// One per expectation.
        results: Vec<ExpectationResult>,
    },
}

impl ScenarioResult {
    /// Whether it loaded and every expectation holds.
    pub fn passed(&self) -> bool {
        matches!(self, ScenarioResult::Ran { results, .. } if results.iter().all(|r| r.failures.is_empty()))
    }
}

/// Evaluate every transaction of a loaded scenario.
pub fn decisions(s: &Scenario, opts: &EvalOptions) -> (Engine, Vec<Decision>) {
    let engine = Engine::new(s.rules.clone(), s.world.clone());
    let d = s
        .transactions
        .iter()
        .map(|t| engine.evaluate(t, opts))
        .collect();
    (engine, d)
}

/// Check every expectation of a loaded scenario.
pub fn check(s: &Scenario) -> Vec<ExpectationResult> {
    let opts = EvalOptions {
        as_of: s.as_of,
        evaluated_on: s.evaluated_on,
        ..EvalOptions::default()
    };
    let (_, ds) = decisions(s, &opts);
    s.expectations
        .iter()
        .filter_map(|x| {
            let d = ds.get(x.transaction)?;
            let tx = s.transactions.get(x.transaction)?;
            Some(ExpectationResult {
                transaction: tx.id.clone(),
                jurisdiction: x
                    .jurisdiction
                    .and_then(|j| s.rules.jurisdictions.get(j))
                    .map(|j| j.id.clone())
                    .unwrap_or_else(|| "overall".into()),
                location: x.loc.to_string(),
                failures: compare::check(&s.rules, &s.world, x, d),
            })
        })
        .collect()
}

/// Load a scenario file and check it.
pub fn run_file(path: &Path, pack: &Pack) -> ScenarioResult {
    match scenario::load_path(path, pack) {
        Ok(s) => ScenarioResult::Ran {
            name: s.name.clone(),
            results: check(&s),
        },
        Err(d) => ScenarioResult::Invalid(d),
    }
}

/// Every `*.toml` file under the given paths (files are taken as they are), sorted.
pub fn collect_files(paths: &[std::path::PathBuf]) -> Vec<std::path::PathBuf> {
    fn walk(p: &Path, out: &mut Vec<std::path::PathBuf>) {
        if p.is_dir() {
            if let Ok(entries) = std::fs::read_dir(p) {
                for e in entries.flatten() {
                    walk(&e.path(), out);
                }
            }
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p.to_path_buf());
        }
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_file() {
            out.push(p.clone());
        } else {
            walk(p, &mut out);
        }
    }
    out.sort();
    out
}
