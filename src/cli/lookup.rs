//! `interdict lookup NAME`: the list entries a name (or identifier) matches, with scores and
//! why: exact matches first, then fuzzy candidates.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use serde::Serialize;

use super::{CliError, CliResult};
use super::{ErrorFormat, Format, RuleSource, emit, load_pack, print_diagnostics};
use interdict::diagnostic::{Code, Diagnostic};
use interdict::lists::index::{DEFAULT_THRESHOLD, Hit, Via, score_decimal};
use interdict::lists::normalize::{normalize, normalize_identifier};
use interdict::lists::resolve::{self, PartyNames};
use interdict::lists::summary::programs_for_tag;
use interdict::lists::{SdnList, load_cached};
use interdict::model::ruleset::RuleSet;

/// Where to get the list when none is given (no list is embedded in the binary).
const NO_LIST_HELP: &str = "no list has been given: interdict embeds no sanctions list.\n  \
Download one from its publisher and name it, e.g. OFAC's SDN.CSV from\n  \
https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV\n  \
then: interdict lookup --list SDN.CSV NAME";

#[derive(Args, Debug)]
pub struct LookupArgs {
    /// The name to look up (or, with --id, a passport, national ID or registry number)
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The list file: an SDN CSV or a list document from `import`
    #[arg(long, value_name = "FILE")]
    pub list: Option<PathBuf>,
    /// Look NAME up as a document or registry number instead of a name
    #[arg(long)]
    pub id: bool,
    /// Lowest fuzzy score shown, above 0 and at most 1
    #[arg(long, value_name = "SCORE", default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// At most this many fuzzy candidates
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Rule packs whose `list_tags` map tags to programs in the output
    #[command(flatten)]
    pub source: RuleSource,
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
}

/// What `lookup --format json` writes for one list.
#[derive(Serialize)]
pub(crate) struct LookupReport {
    query: String,
    normalized: String,
    list: String,
    entries: usize,
    names: usize,
    threshold: rust_decimal::Decimal,
    pub(crate) exact: Vec<MatchReport>,
    pub(crate) fuzzy: Vec<MatchReport>,
}

/// One entry a query matches, its score and why.
#[derive(Serialize)]
pub(crate) struct MatchReport {
    entry: String,
    name: String,
    #[serde(rename = "type")]
    entry_type: &'static str,
    tags: Vec<String>,
    programs: Vec<String>,
    score: rust_decimal::Decimal,
    matched: String,
    #[serde(flatten)]
    via: Via,
    why: String,
    linked_to: Vec<String>,
}

pub fn run(a: LookupArgs) -> CliResult {
    if !(a.threshold > 0.0 && a.threshold <= 1.0) {
        eprintln!(
            "error: --threshold must be above 0 and at most 1, not {}",
            a.threshold
        );
        return Err(CliError::Usage);
    }
    let pack = load_pack(&a.source, a.error_format)?;
    let list = load_list(&a)?;
    for w in &list.warnings {
        super::print_diagnostic(&mut std::io::stderr(), w, a.error_format);
    }
    let report = report(
        &Query {
            text: &a.name,
            identifier: a.id,
            threshold: a.threshold,
            limit: a.limit,
        },
        &pack,
        &list,
    );
    match a.format {
        Format::Json => emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        )),
        Format::Text => emit(&text(&report)),
    }
    if report.exact.is_empty() && report.fuzzy.is_empty() {
        let loc = interdict::source::Loc::builtin("lookup");
        let d = Diagnostic::warning(
            Code::UnknownReference,
            &loc,
            format!("no entry matches `{}`", a.name),
        );
        super::print_diagnostic(&mut std::io::stderr(), &d, a.error_format);
    }
    Ok(())
}

/// What to look up, and how many candidates to keep.
pub(crate) struct Query<'q> {
    /// The name, or with `identifier` a document or registry number.
    pub text: &'q str,
    /// Look `text` up as an identifier instead of a name.
    pub identifier: bool,
    /// Lowest fuzzy score kept, above 0 and at most 1.
    pub threshold: f64,
    /// At most this many fuzzy candidates.
    pub limit: usize,
}

/// The matches of a query in one list, exact ones first, as `lookup` reports them (and the
/// service's `/v1/screen`).
pub(crate) fn report(
    q: &Query,
    pack: &interdict::model::pack::Pack,
    list: &SdnList,
) -> LookupReport {
    let rules = &pack.rules;
    let (exact, fuzzy, normalized) = if q.identifier {
        (
            list.by_identifier(q.text),
            Vec::new(),
            normalize_identifier(q.text),
        )
    } else {
        // Names the rule packs' reference parties give entries count too (`CJNG`).
        let party_names = PartyNames::from_world(&pack.reference, list);
        let exact = resolve::exact(list, &party_names, q.text);
        let fuzzy = resolve::fuzzy(
            list,
            &party_names,
            q.text,
            q.threshold,
            q.limit + exact.len(),
        );
        let fuzzy = fuzzy
            .into_iter()
            .filter(|f| !exact.iter().any(|e| e.entry == f.entry))
            .take(q.limit)
            .collect();
        (exact, fuzzy, normalize(q.text).sorted)
    };
    LookupReport {
        query: q.text.to_string(),
        normalized,
        list: list.file.clone(),
        entries: list.entries.len(),
        names: list.index.len(),
        threshold: score_decimal(q.threshold),
        exact: exact
            .iter()
            .filter_map(|h| match_report(rules, list, h))
            .collect(),
        fuzzy: fuzzy
            .iter()
            .filter_map(|h| match_report(rules, list, h))
            .collect(),
    }
}

/// The list to look in (`--list`); a list that cannot be read is an operational failure, one
/// that is malformed an input error.
fn load_list(a: &LookupArgs) -> Result<Arc<SdnList>, CliError> {
    match &a.list {
        Some(p) => match load_cached(p) {
            Ok(l) => Ok(l),
            Err(d) => {
                print_diagnostics(&d, a.error_format);
                if d.iter()
                    .any(|x| matches!(x.code, Code::Io | Code::NotFound))
                {
                    Err(CliError::Operational)
                } else {
                    Err(CliError::InvalidInput)
                }
            }
        },
        None => {
            eprintln!("error: {NO_LIST_HELP}");
            Err(CliError::Operational)
        }
    }
}

fn match_report(rs: &RuleSet, list: &SdnList, h: &Hit) -> Option<MatchReport> {
    let e = list.entries.get(h.entry)?;
    let mut programs: Vec<String> = e
        .tags
        .iter()
        .flat_map(|t| programs_for_tag(rs, t))
        .map(str::to_string)
        .collect();
    programs.dedup();
    let why = if h.exact {
        format!(
            "{} `{}` equals the query after normalisation (`{}`)",
            h.via.describe(),
            h.matched,
            h.compared.1
        )
    } else {
        format!(
            "{} `{}`: normalised `{}` against the query's `{}`, Jaro-Winkler {}",
            h.via.describe(),
            h.matched,
            h.compared.1,
            h.compared.0,
            score_decimal(h.score)
        )
    };
    let linked_to = list
        .links(e)
        .into_iter()
        .map(|(name, to)| match to {
            Some(t) => format!("{name} ({})", t.id()),
            None => name,
        })
        .collect();
    Some(MatchReport {
        entry: e.id(),
        name: e.name.clone(),
        entry_type: e.entry_type.as_str(),
        tags: e.tags.clone(),
        programs,
        score: score_decimal(h.score),
        matched: h.matched.clone(),
        via: h.via.clone(),
        why,
        linked_to,
    })
}

fn text(r: &LookupReport) -> String {
    let mut out = format!(
        "Lookup `{}` (normalised `{}`) in {}: {} entries, {} names and aliases\n",
        r.query, r.normalized, r.list, r.entries, r.names
    );
    let line = |m: &MatchReport, out: &mut String| {
        let programs = if m.programs.is_empty() {
            "no program of the rule packs".to_string()
        } else {
            m.programs.join(", ")
        };
        out.push_str(&format!(
            "  {}  {}  {}  ({})  [{}] -> {}\n",
            m.score,
            m.entry,
            m.name,
            m.entry_type,
            m.tags.join(", "),
            programs
        ));
        out.push_str(&format!("      why: {}\n", m.why));
        if !m.linked_to.is_empty() {
            out.push_str(&format!("      linked to: {}\n", m.linked_to.join("; ")));
        }
    };
    if r.exact.is_empty() {
        out.push_str("Exact matches: none\n");
    } else {
        out.push_str(
            "Exact matches (a party with this name or identifier is the listed person):\n",
        );
        for m in &r.exact {
            line(m, &mut out);
        }
    }
    if r.fuzzy.is_empty() {
        out.push_str(&format!(
            "Fuzzy candidates (score >= {}): none\n",
            r.threshold
        ));
    } else {
        out.push_str(&format!("Fuzzy candidates (score >= {}; a candidate is a reason for review, never a match by itself):\n", r.threshold));
        for m in &r.fuzzy {
            line(m, &mut out);
        }
    }
    out
}
