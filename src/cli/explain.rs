//! `interdict explain`: why a party is (not) blocked; why a transaction got its disposition.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{CliError, CliResult};
use super::{ErrorFormat, ReportFormat as Format, RuleSource, emit, load_pack, print_diagnostics};
use interdict::eval::{Engine, EvalOptions};
use interdict::ownership::witness::explain;
use interdict::report::PartyExplanation;

#[derive(Subcommand, Debug)]
pub enum ExplainCommand {
    /// Why a party is blocked, not blocked, or undetermined, per jurisdiction
    #[command(
        after_help = "Example:\n  interdict explain party entity-b --scenario tests/scenarios/ownership/faq401-example3.toml --as-of 2025-01-01"
    )]
    Party(PartyArgs),
    /// Why a transaction got its disposition (the decision with its full trace)
    Transaction(TransactionArgs),
}

#[derive(Args, Debug)]
pub struct PartyArgs {
    /// The party id
    pub party: String,
    /// The scenario file that defines the world
    #[arg(long, value_name = "FILE")]
    pub scenario: PathBuf,
    /// The date (default: the scenario's as_of, else today)
    #[arg(long, value_name = "DATE", value_parser = super::parse_as_of)]
    pub as_of: Option<interdict::model::values::Date>,
    /// Only these jurisdictions (repeatable)
    #[arg(long = "jurisdiction", value_name = "J")]
    pub jurisdictions: Vec<String>,
    #[command(flatten)]
    pub source: RuleSource,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
}

#[derive(Args, Debug)]
pub struct TransactionArgs {
    /// The transaction id
    pub transaction: String,
    #[arg(long, value_name = "FILE")]
    pub scenario: PathBuf,
    #[arg(long, value_name = "DATE", value_parser = super::parse_as_of)]
    pub as_of: Option<interdict::model::values::Date>,
    #[arg(long = "jurisdiction", value_name = "J")]
    pub jurisdictions: Vec<String>,
    #[command(flatten)]
    pub source: RuleSource,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
}

/// Today's date from the system clock (UTC).
pub fn today() -> interdict::model::values::Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    epoch + chrono::Duration::days(days as i64)
}

pub fn run(c: ExplainCommand) -> CliResult {
    match c {
        ExplainCommand::Party(a) => party(a),
        ExplainCommand::Transaction(a) => transaction(a),
    }
}

/// Why the party `p` (asked for as `asked`) is (not) blocked on `date`, per jurisdiction (only
/// `only` when given), as `explain party` reports it (and the service's `/v1/parties/{id}/status`).
pub(crate) fn explanations(
    rules: &interdict::model::ruleset::RuleSet,
    world: &interdict::model::world::World,
    only: Option<&[interdict::model::JurisdictionIdx]>,
    date: interdict::model::values::Date,
    (p, asked): (interdict::model::PartyIdx, &str),
) -> Vec<PartyExplanation> {
    let mut out = Vec::new();
    for (ji, j) in rules.jurisdictions.iter_enumerated() {
        if only.is_some_and(|v| !v.contains(&ji)) {
            continue;
        }
        let w = explain(rules, world, ji, date, p);
        out.push(PartyExplanation {
            party: asked.to_string(),
            jurisdiction: j.id.clone(),
            date,
            status: w.status(),
            text: interdict::report::witness::text(&w),
            witness: w,
        });
    }
    out
}

fn party(a: PartyArgs) -> CliResult {
    let pack = load_pack(&a.source, a.error_format)?;
    let rules = &pack.rules;
    let js = super::jurisdictions(rules, &a.jurisdictions)?;
    let s = match interdict::scenario::load_path(&a.scenario, &pack) {
        Ok(s) => s,
        Err(d) => {
            print_diagnostics(&d, a.error_format);
            return Err(super::exit_for(&d));
        }
    };
    let Some(p) = s.world.party_by_id(&a.party) else {
        let help = interdict::diagnostic::did_you_mean(
            &a.party,
            s.world.parties.iter().map(|p| p.id.as_str()),
        )
        .unwrap_or_else(|| "see the scenario's [[party]] entries".into());
        eprintln!(
            "error: no party `{}` in {}: {help}",
            a.party,
            a.scenario.display()
        );
        return Err(CliError::Usage);
    };
    let date = a.as_of.or(s.as_of).unwrap_or_else(today);
    let out = explanations(&s.rules, &s.world, js.as_deref(), date, (p, &a.party));
    match a.format {
        Format::Text => {
            let mut t = format!("Party {} as of {date}\n", a.party);
            let mut sources = interdict::report::witness::Sources::default();
            for e in &out {
                // The proof as a tree: the party's own step on the status line, each owner's
                // or controller's proof indented below the step that names it.
                let lines = interdict::report::witness::tree(&e.witness);
                for (i, l) in lines.iter().enumerate() {
                    if i == 0 {
                        let status = e.status.to_uppercase();
                        t.push_str(&format!("  [{}] {status}: {}\n", e.jurisdiction, l.text));
                    } else {
                        t.push_str(&format!("       {}\n", l.indented()));
                    }
                }
                if let Some(d) = &e.witness.doctrine {
                    t.push_str(&format!("       {}\n", sources.doctrine_line(d)));
                }
            }
            t.push_str(&sources.text());
            emit(&interdict::render::layout::lay_out(
                &t,
                super::text_layout(),
            ));
        }
        Format::Json => emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&out).unwrap_or_default()
        )),
        Format::Html => return super::emit_html(interdict::render::html::party(&out)),
    }
    Ok(())
}

fn transaction(a: TransactionArgs) -> CliResult {
    let pack = load_pack(&a.source, a.error_format)?;
    let rules = &pack.rules;
    let js = super::jurisdictions(rules, &a.jurisdictions)?;
    let s = match interdict::scenario::load_path(&a.scenario, &pack) {
        Ok(s) => s,
        Err(d) => {
            print_diagnostics(&d, a.error_format);
            return Err(super::exit_for(&d));
        }
    };
    let Some(tx) = s.transactions.iter().find(|t| t.id == a.transaction) else {
        let help = interdict::diagnostic::did_you_mean(
            &a.transaction,
            s.transactions.iter().map(|t| t.id.as_str()),
        )
        .unwrap_or_else(|| "see the scenario's [[transaction]] entries".into());
        eprintln!(
            "error: no transaction `{}` in {}: {help}",
            a.transaction,
            a.scenario.display()
        );
        return Err(CliError::Usage);
    };
    let engine = Engine::new(s.rules.clone(), s.world.clone());
    let opts = EvalOptions {
        trace: true,
        as_of: a.as_of.or(s.as_of),
        evaluated_on: s.evaluated_on,
        jurisdictions: js,
    };
    let d = engine.evaluate(tx, &opts);
    let r = interdict::report::build(&engine, tx, &d);
    match a.format {
        Format::Text => {
            let mut t = String::new();
            interdict::render::report::render(&r, &mut t);
            emit(&interdict::render::layout::lay_out(
                &t,
                super::text_layout(),
            ));
        }
        Format::Json => emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&r).unwrap_or_default()
        )),
        Format::Html => return super::emit_html(interdict::render::html::decision(&r)),
    }
    Ok(())
}
