//! `interdict import ofac-sdn FILE`: the SDN CSV as a list document (TOML or JSON) on stdout,
//! a summary on stderr.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::{
    EXIT_INVALID_INPUT, EXIT_OK, EXIT_OPERATIONAL, ErrorFormat, RuleSource, emit, load_rules,
    print_diagnostics,
};
use crate::diagnostic::Code;
use crate::lists::export::ListDocument;
use crate::lists::read::read_path;
use crate::lists::summary::summarize;

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

pub fn run(c: ImportCommand) -> u8 {
    match c {
        ImportCommand::OfacSdn(a) => ofac_sdn(a),
    }
}

fn ofac_sdn(a: ImportArgs) -> u8 {
    let rules = match load_rules(&a.source, a.error_format) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let read = match read_path(&a.file) {
        Ok(r) => r,
        Err(d) => {
            print_diagnostics(&d, a.error_format);
            return if d
                .iter()
                .any(|x| matches!(x.code, Code::Io | Code::NotFound))
            {
                EXIT_OPERATIONAL
            } else {
                EXIT_INVALID_INPUT
            };
        }
    };
    print_diagnostics(&read.diagnostics, a.error_format);
    let summary = summarize(&rules, &read.entries, &read.stats);
    eprint!("{}", summary.text());
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
            return EXIT_INVALID_INPUT;
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
            return EXIT_OPERATIONAL;
        }
    }
    if failed { EXIT_INVALID_INPUT } else { EXIT_OK }
}
