//! `interdict eval`: decisions with explanations.

use std::path::PathBuf;

use clap::Args;

use super::{CliError, CliResult};
use super::{ErrorFormat, ReportFormat as Format, RuleSource, emit, load_pack, print_diagnostics};
use interdict::eval::EvalOptions;
use interdict::eval::decision::Decision;
use interdict::model::ruleset::RuleSet;
use interdict::report::{self, DecisionReport};
use interdict::scenario::Scenario;

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Scenario files to evaluate
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    #[command(flatten)]
    pub source: RuleSource,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Evaluate as the law and the lists stood on this date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = super::parse_as_of)]
    pub as_of: Option<interdict::model::values::Date>,
    /// The day the evaluation is made (YYYY-MM-DD or `today`): exposures whose limitation
    /// period ended before it are shown as barred
    #[arg(long, value_name = "DATE", value_parser = super::parse_as_of)]
    pub evaluated_on: Option<interdict::model::values::Date>,
    /// Only these jurisdictions (repeatable), e.g. --jurisdiction us
    #[arg(long = "jurisdiction", value_name = "J")]
    pub jurisdictions: Vec<String>,
    /// Include the full trace: every rule considered, its conditions and the facts read
    #[arg(long)]
    pub trace: bool,
    /// Format of diagnostics on stderr
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
    /// Record every decision in this audit log (an SQLite file, or a postgres:// URL); the
    /// output is printed once the log has committed them
    #[arg(long, value_name = "TARGET")]
    pub audit: Option<String>,
}

pub fn run(a: EvalArgs) -> CliResult {
    let pack = load_pack(&a.source, a.error_format)?;
    let rules = &pack.rules;
    let jurisdictions = super::jurisdictions(rules, &a.jurisdictions)?;
    let mut code: CliResult = Ok(());
    let mut text = String::new();
    // One text report for the whole run: a note is printed once, then referred to.
    let mut text_report = interdict::render::report::TextReport::default();
    let mut json = Vec::new();
    let audit = a.audit.as_deref().map(super::log::open_log).transpose()?;
    let mut receipts = Vec::new();
    for path in &a.scenarios {
        let s = match interdict::scenario::load_path(path, &pack) {
            Ok(s) => s,
            Err(d) => {
                print_diagnostics(&d, a.error_format);
                eprintln!("error: {} has {} error(s)", path.display(), d.error_count());
                code = super::combine(code, super::exit_for(&d));
                continue;
            }
        };
        for w in &s.warnings {
            super::print_diagnostic(&mut std::io::stderr(), w, a.error_format);
        }
        let opts = EvalOptions {
            trace: a.trace,
            as_of: a.as_of.or(s.as_of),
            evaluated_on: a.evaluated_on.or(s.evaluated_on),
            jurisdictions: jurisdictions.clone(),
        };
        let (engine, decisions) = interdict::expectations::run::decisions(&s, &opts);
        if let Err(e) = report_issues(&a, rules, &s, &decisions) {
            code = super::combine(code, e);
        }
        let reports: Vec<DecisionReport> = s
            .transactions
            .iter()
            .zip(&decisions)
            .map(|(t, d)| report::build(&engine, t, d))
            .collect();
        if let Some(log) = &audit {
            receipts.extend(record(log, path, &pack.digest, &reports)?);
        }
        match a.format {
            Format::Text => {
                text.push_str(&format!("Scenario: {} ({})\n", s.name, path.display()));
                if let Some(d) = &s.description {
                    text.push_str(&format!("{d}\n"));
                }
                text.push('\n');
                for r in &reports {
                    text_report.decision(r, &mut text);
                }
            }
            Format::Json | Format::Html => json.push(report::ScenarioReport {
                scenario: s.name.clone(),
                path: path.display().to_string(),
                decisions: reports,
            }),
        }
    }
    // Printed only once every decision is committed: what was shown was recorded.
    if let Some(log) = audit {
        committed(log, receipts)?;
    }
    match print(a.format, &text, json) {
        Ok(()) => code,
        Err(e) => super::combine(code, e),
    }
}

/// Write the run's output in its format.
fn print(format: Format, text: &str, json: Vec<report::ScenarioReport>) -> CliResult {
    match format {
        Format::Text => emit(&interdict::render::layout::lay_out(
            text,
            super::text_layout(),
        )),
        Format::Html => super::emit_html(interdict::render::html::eval(&json))?,
        Format::Json => emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&report::EvalDocument {
                schema: report::SCHEMA,
                scenarios: json,
            })
            .unwrap_or_default()
        )),
    }
    Ok(())
}

/// Print the evaluation issues of a scenario's decisions. An issue that leaves a disposition
/// open (a threshold in a currency without a rate) is an input error: the run fails. One that
/// leaves only a consequence's detail unknown (an exposure amount, a due date) is a warning:
/// the decision is complete and shows the issue, and the other decisions of the run stand.
fn report_issues(a: &EvalArgs, rules: &RuleSet, s: &Scenario, decisions: &[Decision]) -> CliResult {
    let mut code: CliResult = Ok(());
    for (t, d) in s.transactions.iter().zip(decisions) {
        for o in &d.outcomes {
            for issue in &o.issues {
                let j = rules
                    .jurisdictions
                    .get(o.jurisdiction)
                    .map(|j| j.id.as_str())
                    .unwrap_or("?");
                let message = format!(
                    "transaction `{}` in `{j}`: {}",
                    t.id,
                    interdict::render::report::with_advice(issue.code(), &issue.message())
                );
                let diag = if issue.leaves_disposition_open() {
                    code = super::combine(code, CliError::InvalidInput);
                    interdict::diagnostic::Diagnostic::error(issue.code(), &t.loc, message)
                } else {
                    interdict::diagnostic::Diagnostic::warning(issue.code(), &t.loc, message)
                };
                super::print_diagnostic(&mut std::io::stderr(), &diag, a.error_format);
            }
        }
    }
    code
}

/// Wait for every record's commit, then close the log.
/// Each decision's id is said on stderr, once committed (`log show ID`).
fn committed(log: interdict::audit::AuditLog, receipts: Vec<Recorded>) -> Result<(), CliError> {
    let fail = |e: interdict::audit::AuditError| {
        eprintln!("error: {e}");
        CliError::Operational
    };
    for (tx, id, r) in receipts {
        r.wait().map_err(fail)?;
        eprintln!("audit: transaction `{tx}` recorded as {id}");
    }
    log.close().map_err(fail)
}

/// A decision submitted to the audit log: its transaction, its decision id, its receipt.
type Recorded = (String, String, interdict::audit::Receipt);

/// Submit one audit record per decision: the scenario file as read, the decision's report.
fn record(
    log: &interdict::audit::AuditLog,
    path: &std::path::Path,
    pack_digest: &str,
    reports: &[DecisionReport],
) -> Result<Vec<Recorded>, CliError> {
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("error: {e}");
        CliError::Operational
    };
    let input = std::fs::read_to_string(path).map_err(|e| fail(&e))?;
    let lists = super::log::file_lists(path);
    let mut receipts = Vec::new();
    for r in reports {
        let result = serde_json::to_string(r).map_err(|e| fail(&e))?;
        let mut rec = interdict::audit::DecisionRecord::new(
            interdict::audit::Origin::Eval,
            input.clone(),
            result,
            pack_digest,
        );
        rec.list_snapshots.clone_from(&lists);
        let id = rec.decision_id.clone();
        let receipt = log.submit(rec).map_err(|e| fail(&e))?;
        receipts.push((r.transaction.clone(), id, receipt));
    }
    Ok(receipts)
}
