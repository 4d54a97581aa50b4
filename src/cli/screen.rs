//! `interdict screen NAME`: a name (with identifiers and a year of birth when known) against
//! every list in the store at once, or against list files named on the command line; each hit
//! with its list, regime, snapshot, score, evidence and outcome (`lists::screen`).

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::lists::{StoreArgs, config, fail, json_out, open_existing};
use super::{CliError, CliResult, Format, emit};
use interdict::lists::index::DEFAULT_THRESHOLD;
use interdict::lists::screen::evidence::{Evidence, GivenIdentifier};
use interdict::lists::screen::{Outcome, Query, Screen, ScreenHit, Source, sources};

#[derive(Args, Debug)]
pub struct ScreenArgs {
    /// The name, in any script and word order
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
    /// An identifier known of the party, TYPE:VALUE (passport:AB123, bic:BANKMXMM, imo:9123456);
    /// repeatable. An equal one confirms a hit, a different one of the same type excludes it
    #[arg(long = "id", value_name = "TYPE:VALUE")]
    pub identifiers: Vec<String>,
    /// The year of birth of a person (a date is cut to its year)
    #[arg(long, value_name = "YEAR")]
    pub born: Option<String>,
    /// Screen against the lists as they were on this day (each list's latest snapshot
    /// published on or before it)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// A list file to screen against instead of the store, as LIST=FILE (us-ofac-sdn=SDN.CSV);
    /// repeatable
    #[arg(long = "file", value_name = "LIST=FILE")]
    pub files: Vec<String>,
    /// Lowest name score kept, above 0 and at most 1
    #[arg(long, value_name = "SCORE", default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// At most this many hits
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Show hits discarded because only a weak alias matched
    #[arg(long)]
    pub show_discarded: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Serialize)]
struct ScreenReport<'a> {
    schema: &'static str,
    query: Option<&'a str>,
    identifiers: &'a [String],
    born: Option<i32>,
    as_of: Option<String>,
    lists: Vec<&'a interdict::lists::screen::SnapshotRef>,
    lists_without_snapshot: &'a [String],
    records: usize,
    hits: &'a [ScreenHit],
}

pub fn run(a: ScreenArgs) -> CliResult {
    let query = query(&a)?;
    let as_of = match a.as_of.as_deref() {
        None => None,
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                eprintln!("error: --as-of `{d}` is not a date (YYYY-MM-DD)");
                CliError::Usage
            })?,
        ),
    };
    let (sources, missing) = if a.files.is_empty() {
        let store = open_existing(&a.store)?;
        let (picked, missing) = sources::pick(&store, as_of).map_err(|e| fail(&e))?;
        if picked.is_empty() {
            eprintln!(
                "error: the store holds no list{}",
                as_of.map_or(String::new(), |d| format!(" published on or before {d}"))
            );
            return Err(CliError::Operational);
        }
        (
            sources::from_store(&store, &picked).map_err(|e| fail(&e))?,
            missing,
        )
    } else {
        (files(&a)?, Vec::new())
    };
    let screen = Screen::build(sources);
    let mut hits = screen.search(&query);
    if !a.show_discarded {
        hits.retain(|h| h.outcome != Outcome::Discarded);
    }
    let report = ScreenReport {
        schema: "interdict.screen/1",
        query: a.name.as_deref(),
        identifiers: &a.identifiers,
        born: query.birth_year,
        as_of: as_of.map(|d| d.to_string()),
        lists: screen.sources().iter().map(|s| &s.snapshot).collect(),
        lists_without_snapshot: &missing,
        records: screen.records(),
        hits: &hits,
    };
    match a.store.format {
        Format::Json => json_out(&report)?,
        Format::Text => emit(&text(&report)),
    }
    Ok(())
}

fn query(a: &ScreenArgs) -> Result<Query, CliError> {
    if !(a.threshold > 0.0 && a.threshold <= 1.0) {
        eprintln!(
            "error: --threshold must be above 0 and at most 1, not {}",
            a.threshold
        );
        return Err(CliError::Usage);
    }
    let mut identifiers = Vec::new();
    for i in &a.identifiers {
        identifiers.push(GivenIdentifier::parse(i).ok_or_else(|| {
            eprintln!("error: --id `{i}` is not TYPE:VALUE (for example passport:AB123456)");
            CliError::Usage
        })?);
    }
    let birth_year = match a.born.as_deref() {
        None => None,
        Some(b) => Some(
            b.get(..4)
                .and_then(|y| y.parse::<i32>().ok())
                .ok_or_else(|| {
                    eprintln!(
                        "error: --born `{b}` does not start with a year (YYYY or YYYY-MM-DD)"
                    );
                    CliError::Usage
                })?,
        ),
    };
    if a.name.as_deref().is_none_or(|n| n.trim().is_empty()) && identifiers.is_empty() {
        eprintln!("error: give a NAME, an --id TYPE:VALUE, or both");
        return Err(CliError::Usage);
    }
    Ok(Query {
        name: a.name.clone(),
        identifiers,
        birth_year,
        threshold: a.threshold,
        limit: a.limit,
    })
}

fn files(a: &ScreenArgs) -> Result<Vec<Source>, CliError> {
    let mut out = Vec::new();
    for f in &a.files {
        let Some((list, path)) = f.split_once('=') else {
            eprintln!("error: --file `{f}` is not LIST=FILE (for example us-ofac-sdn=SDN.CSV)");
            return Err(CliError::Usage);
        };
        let cfg = config(list, a.store.error_format)?;
        let bytes = std::fs::read(PathBuf::from(path)).map_err(|e| {
            eprintln!("error: cannot read `{path}`: {e}");
            CliError::Operational
        })?;
        let (source, import) = sources::from_file(&bytes, path, &cfg);
        if !import.errors.is_empty() {
            // The records read are screened; the refused ones are said, never passed over.
            eprintln!(
                "warning: `{path}`: {} record(s) refused on import (run `interdict import list` for each error)",
                import.errors.len()
            );
        }
        out.push(source);
    }
    Ok(out)
}

fn text(r: &ScreenReport<'_>) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let lists: Vec<String> = r
        .lists
        .iter()
        .map(|l| match (l.snapshot, l.published) {
            (Some(n), Some(d)) => format!("{}@{d} (#{n})", l.list),
            (None, Some(d)) => format!("{}@{d}", l.list),
            _ => l.list.clone(),
        })
        .collect();
    let _ = writeln!(
        s,
        "screened {} records of {} list(s): {}",
        r.records,
        lists.len(),
        lists.join(", ")
    );
    for l in r.lists_without_snapshot {
        let _ = writeln!(s, "  not screened: {l} (no snapshot published by then)");
    }
    if r.hits.is_empty() {
        let _ = writeln!(s, "no hit");
    }
    for h in r.hits {
        let _ = writeln!(
            s,
            "{:<9} {}  {} `{}` ({}) score {}  {} {}",
            format!("{:?}", h.outcome).to_uppercase(),
            h.source.list,
            h.record,
            h.name,
            h.entry_type,
            h.score,
            format!("{:?}", h.method).to_lowercase(),
            if h.alias {
                format!("alias `{}`{}", h.matched, weak(h))
            } else {
                "on the primary name".into()
            },
        );
        if !h.regimes.is_empty() {
            let _ = writeln!(s, "          regimes: {}", h.regimes.join("; "));
        }
        for e in &h.evidence {
            let _ = writeln!(s, "          {}", evidence(e));
        }
    }
    s
}

fn weak(h: &ScreenHit) -> &'static str {
    if h.strength == interdict::lists::record::Strength::Weak {
        " (weak)"
    } else {
        ""
    }
}

fn evidence(e: &Evidence) -> String {
    match e {
        Evidence::IdentifierConfirms { class, listed } => {
            format!("{class} {listed}: the same (confirms)")
        }
        Evidence::IdentifierContradicts {
            class,
            given,
            listed,
        } => {
            format!(
                "{class} {given} given, listed {}: excludes",
                listed.join(", ")
            )
        }
        Evidence::BirthYearAgrees { year } => format!("born {year}: agrees"),
        Evidence::BirthYearContradicts { given, listed } => {
            format!("born {given} given, listed {}: excludes", listed.join("; "))
        }
    }
}
