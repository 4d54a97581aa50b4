//! `interdict test`: scenario expectations as a test suite.

use std::path::PathBuf;

use clap::Args;

use super::{CliError, CliResult};
use super::{ErrorFormat, RuleSource, emit, load_pack, print_diagnostics};
use interdict::expectations::run::{ScenarioResult, collect_files, run_file};

#[derive(Args, Debug)]
pub struct TestArgs {
    /// Scenario files or directories (default: tests/scenarios/)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub source: RuleSource,
    /// Format of diagnostics on stderr
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
}

pub fn run(a: TestArgs) -> CliResult {
    let pack = load_pack(&a.source, a.error_format)?;
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from("tests/scenarios")]
    } else {
        a.paths.clone()
    };
    for p in &paths {
        if !p.exists() {
            eprintln!("error: {} does not exist", p.display());
            return Err(CliError::Operational);
        }
    }
    let files = collect_files(&paths);
    let (mut passed, mut failed, mut invalid, mut empty, mut checks) = (0, 0, 0, 0, 0);
    let mut invalid_code = CliError::InvalidInput;
    let mut out = String::new();
    for f in &files {
        match run_file(f, &pack) {
            ScenarioResult::Invalid(d) => {
                invalid += 1;
                invalid_code = invalid_code.min(super::exit_for(&d));
                print_diagnostics(&d, a.error_format);
                out.push_str(&format!(
                    "INVALID {} ({} error(s); see stderr)\n",
                    f.display(),
                    d.error_count()
                ));
            }
            ScenarioResult::Ran { name, results } if results.is_empty() => {
                empty += 1;
                out.push_str(&format!(
                    "skip    {} ({name}): no expectations\n",
                    f.display()
                ));
            }
            ScenarioResult::Ran { name, results } => {
                checks += results.len();
                let bad: Vec<_> = results.iter().filter(|r| !r.failures.is_empty()).collect();
                if bad.is_empty() {
                    passed += 1;
                    out.push_str(&format!(
                        "ok      {} ({name}): {} expectation(s)\n",
                        f.display(),
                        results.len()
                    ));
                } else {
                    failed += 1;
                    out.push_str(&format!("FAIL    {} ({name})\n", f.display()));
                    for r in bad {
                        out.push_str(&format!(
                            "  transaction `{}` in `{}` (expected at {}):\n",
                            r.transaction, r.jurisdiction, r.location
                        ));
                        for x in &r.failures {
                            out.push_str(&format!("    - {x}\n"));
                        }
                    }
                }
            }
        }
    }
    out.push_str(&format!(
        "\n{} scenario file(s): {passed} passed, {failed} failed, {invalid} invalid, {empty} without expectations; {checks} expectation(s) checked\n",
        files.len()
    ));
    emit(&out);
    if invalid > 0 {
        Err(invalid_code)
    } else if failed > 0 {
        Err(CliError::ExpectationsFailed)
    } else {
        Ok(())
    }
}
