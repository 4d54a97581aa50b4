//! `interdict import ofac-sdn FILE`: the SDN CSV as a list document (TOML or JSON) on stdout,
//! a summary on stderr.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::{CliError, CliResult};
use super::{ErrorFormat, RuleSource, emit, load_pack, print_diagnostics};
use interdict::diagnostic::Code;
use interdict::lists::export::ListDocument;
use interdict::lists::read::read_path;
use interdict::lists::summary::{programs_for_tag, summarize};

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Read an OFAC SDN CSV file (SDN.CSV, legacy format)
    #[command(after_help = "Examples:\n  \
interdict import ofac-sdn SDN.CSV > sdn.toml\n  \
interdict import ofac-sdn --format json SDN.CSV > sdn.json\n  \
interdict import ofac-sdn SDN.CSV > /dev/null        # only the summary on stderr\n\n\
The output is a list document: one [[entry]] per row with every column and the parsed remarks\n\
(aliases, dates and places of birth, nationalities, identifiers, links, secondary-sanctions notes;\n\
fragments not understood are kept in `unparsed`). A scenario loads it like the CSV:\n  \
[lists]\n  ofac = \"sdn.toml\"\n\n\
Exit codes: 0 ok; 1 the file cannot be read; 3 rows were refused (each with its line); nothing\n\
is written then unless --skip-bad-rows.")]
    OfacSdn(ImportArgs),
    /// Read a list file of another publisher (UN, EU, UK, Canada, OFAC XML, OpenSanctions) by its list
    /// configuration
    #[command(after_help = "Examples:\n  \
interdict import list --list un consolidated.xml > un.json\n  \
interdict import list --list uk-ofsi ConList.csv > /dev/null     # only the summary on stderr\n  \
interdict import list --list ca-sema sema-lmes.xml\n  \
interdict import list --list us-ofac-cons consolidated.xml\n\n\
Lists (lists/*.toml, embedded): un, uk-ofsi, uk-sl, eu-fsf, ca-sema, ca-criminal-code, ca-jvcfoa,\nus-ofac-sdn (sdn.xml), us-ofac-cons, us-ofac-sdn-csv and us-ofac-cons-csv (legacy CSV with\nits companions beside it), opensanctions (FtM JSON lines and its delta feed).\n\
The output is JSON: the list, the file, its publication date and one record per target.\n\
The summary counts records by type and regime, the list tags and programs each regime maps\n\
to, regimes the configuration does not map and fragments kept verbatim.\n\n\
Exit codes: 0 ok; 1 the file cannot be read; 3 records were refused (each with its line);\n\
nothing is written then unless --skip-bad-rows.")]
    List(ListArgs),
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// The list file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The list configuration that says how to read it (un, uk-ofsi, uk-sl, eu-fsf, ca-sema, ca-criminal-code, ca-jvcfoa, us-ofac-sdn, us-ofac-cons, us-ofac-sdn-csv, us-ofac-cons-csv, opensanctions)
    #[arg(long, value_name = "ID")]
    pub list: String,
    /// Write the good records even if some were refused (exit code still 3)
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// Rule packs whose programs' `list_tags` map tags to programs in the summary
    #[command(flatten)]
    pub source: RuleSource,
    /// Format of diagnostics on stderr
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum DocFormat {
    #[default]
    Toml,
    Json,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The SDN CSV file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Output format of the list document
    #[arg(long, value_enum, default_value_t = DocFormat::Toml)]
    pub format: DocFormat,
    /// Write the entries of the good rows even if some rows were refused (exit code still 3)
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// Rule packs whose programs' `list_tags` map tags to programs in the summary
    #[command(flatten)]
    pub source: RuleSource,
    /// Format of diagnostics on stderr
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
}

pub fn run(c: ImportCommand) -> CliResult {
    match c {
        ImportCommand::OfacSdn(a) => ofac_sdn(a),
        ImportCommand::List(a) => list(a),
    }
}

fn list(a: ListArgs) -> CliResult {
    let pack = load_pack(&a.source, a.error_format)?;
    let rules = &pack.rules;
    let config = match interdict::lists::config::embedded_list(&a.list) {
        Ok(c) => c,
        Err(d) => {
            print_all(&[d], a.error_format);
            return Err(CliError::Usage);
        }
    };
    let i = interdict::lists::import::import_path(&a.file, &config);
    print_all(&i.warnings, a.error_format);
    print_all(&i.errors, a.error_format);
    if i.errors
        .iter()
        .any(|x| matches!(x.code, Code::Io | Code::NotFound))
    {
        return Err(CliError::Operational);
    }
    eprint!("{}", list_summary(rules, &i));
    let failed = !i.errors.is_empty();
    if failed {
        eprintln!(
            "error: {} record(s) refused{}",
            i.errors.len(),
            if a.skip_bad_rows {
                "; the other records were written"
            } else {
                "; nothing written (use --skip-bad-rows to write the rest)"
            }
        );
        if !a.skip_bad_rows {
            return Err(CliError::InvalidInput);
        }
    }
    let doc = serde_json::json!({
        "format": "interdict-records/1",
        "list": i.list,
        "file": i.file,
        "published": i.published,
        "records": i.records,
    });
    match serde_json::to_string_pretty(&doc) {
        Ok(t) => emit(&format!("{t}\n")),
        Err(e) => {
            eprintln!("error: cannot write the records: {e}");
            return Err(CliError::Operational);
        }
    }
    if failed {
        Err(CliError::InvalidInput)
    } else {
        Ok(())
    }
}

fn print_all(ds: &[interdict::diagnostic::Diagnostic], f: ErrorFormat) {
    for d in ds {
        super::print_diagnostic(&mut std::io::stderr(), d, f);
    }
}

/// Counts by type and by regime (with the tags and programs each maps to), unmapped regimes
/// and tags, fragments kept verbatim.
fn list_summary(
    rs: &interdict::model::ruleset::RuleSet,
    i: &interdict::lists::record::ListImport,
) -> String {
    use std::fmt::Write as _;
    let mut s = format!(
        "{}: {} records read of {} ({} refused), published {}\n",
        i.file,
        i.records.len(),
        i.seen,
        i.seen - i.records.len(),
        i.published
            .map_or("(not given)".to_string(), |d| d.to_string())
    );
    let types: Vec<String> = i
        .by_type()
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
    let _ = writeln!(s, "  by type: {}", types.join(", "));
    let mut tags_of: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for r in &i.records {
        for g in &r.regimes {
            let e = tags_of.entry(g.as_str()).or_default();
            for t in &r.tags {
                if !e.contains(&t.as_str()) {
                    e.push(t);
                }
            }
        }
    }
    let _ = writeln!(s, "  by regime:");
    let mut unmapped_tags = std::collections::BTreeMap::new();
    for (g, n) in i.by_regime() {
        let tags = tags_of.get(g.as_str()).cloned().unwrap_or_default();
        let programs: Vec<&str> = tags.iter().flat_map(|t| programs_for_tag(rs, t)).collect();
        for t in tags.iter().filter(|t| programs_for_tag(rs, t).is_empty()) {
            *unmapped_tags.entry(t.to_string()).or_insert(0) += n;
        }
        let _ = writeln!(
            s,
            "    {g}: {n} -> tags [{}] -> programs [{}]",
            tags.join(", "),
            programs.join(", ")
        );
    }
    if !i.unmapped_regimes.is_empty() {
        let u: Vec<String> = i
            .unmapped_regimes
            .iter()
            .map(|(g, n)| format!("{g} ({n})"))
            .collect();
        let _ = writeln!(
            s,
            "  regimes the list configuration does not map: {}",
            u.join(", ")
        );
    }
    if !unmapped_tags.is_empty() {
        let u: Vec<String> = unmapped_tags
            .iter()
            .map(|(g, n)| format!("{g} ({n})"))
            .collect();
        let _ = writeln!(
            s,
            "  tags no program of the rule packs maps: {}",
            u.join(", ")
        );
    }
    let _ = writeln!(s, "  fragments kept verbatim: {}", i.unparsed());
    s
}

fn ofac_sdn(a: ImportArgs) -> CliResult {
    let pack = load_pack(&a.source, a.error_format)?;
    let rules = &pack.rules;
    let read = match read_path(&a.file) {
        Ok(r) => r,
        Err(d) => {
            print_diagnostics(&d, a.error_format);
            return if d
                .iter()
                .any(|x| matches!(x.code, Code::Io | Code::NotFound))
            {
                Err(CliError::Operational)
            } else {
                Err(CliError::InvalidInput)
            };
        }
    };
    print_diagnostics(&read.diagnostics, a.error_format);
    let summary = summarize(rules, &read.entries, &read.stats);
    eprint!("{}", interdict::render::lists::summary(&summary));
    let failed = read.has_errors();
    if failed {
        eprintln!(
            "error: {} problem(s); {} row(s) refused{}",
            read.diagnostics.error_count(),
            read.stats.skipped,
            if a.skip_bad_rows {
                "; the other rows were written"
            } else {
                "; nothing written (use --skip-bad-rows to write the rest)"
            }
        );
        if !a.skip_bad_rows {
            return Err(CliError::InvalidInput);
        }
    }
    let file = a.file.display().to_string();
    let doc = ListDocument::new(&file, read.entries);
    let text = match a.format {
        DocFormat::Toml => doc.to_toml(),
        DocFormat::Json => doc.to_json(),
    };
    match text {
        Ok(t) => emit(&t),
        Err(e) => {
            eprintln!("error: cannot write the list document: {e}");
            return Err(CliError::Operational);
        }
    }
    if failed {
        Err(CliError::InvalidInput)
    } else {
        Ok(())
    }
}
