//! Overlays: edits to a world written on the command line or in a small TOML file.
//!
//! This module only reads their syntax (names stay names, dates and shares are checked);
//! `whatif::edit` resolves the names against a rule set and a world and applies the edits.
//!
//! Command-line forms (each value is its own little source file, so errors point a caret at
//! the offending character):
//!
//! | flag | value | meaning |
//! |---|---|---|
//! | `--designate` | `PARTY[,PARTY..]=PROGRAM[,PROGRAM..][@WINDOW]` | add designations |
//! | `--delist` | `PARTY[,..]=PROGRAM[,..][@DATE]` | end them on DATE; without a date, remove them entirely |
//! | `--own` | `OWNER>OWNED=SHARE[@WINDOW]` | set the holding for the window (replacing what is recorded then) |
//! | `--disown` | `OWNER>OWNED[@DATE]` | end the holding on DATE; without a date, remove it entirely |
//!
//! A WINDOW is `FROM`, `FROM..UNTIL`, `..UNTIL` or `FROM..` (until exclusive).
//!
//! The command-line forms are read in `flag.rs`, overlay files in `file.rs`.

mod file;
mod flag;

pub use file::{parse_file, read_file};
pub use flag::{Flag, parse_flag};

use std::ops::Range;

use toml::Spanned;

use crate::model::values::{Date, Share};
use crate::source::SourceFile;

/// One edit, with names unresolved and spans into its source.
#[derive(Debug, Clone)]
pub enum Op {
    /// Add designations: each party under each program.
    Designate {
        /// The parties' ids, with their spans.
        parties: Vec<Spanned<String>>,
        /// The programs' ids, with their spans.
        programs: Vec<Spanned<String>>,
        /// The first day of the designations; absent: in force from the start of time.
        listed: Option<Spanned<Date>>,
        /// The day they end; absent: still in force.
        delisted: Option<Spanned<Date>>,
        /// Where the designation was published (a notice, a list entry), for the reader.
        source: Option<String>,
    },
    /// End designations in force, or remove them entirely.
    Delist {
        /// The parties' ids, with their spans.
        parties: Vec<Spanned<String>>,
        /// The programs' ids, with their spans.
        programs: Vec<Spanned<String>>,
        /// `None`: remove the designations entirely.
        on: Option<Spanned<Date>>,
    },
    /// Set a holding for a window, replacing what the world records for that window.
    Own {
        /// The owner's party id.
        owner: Spanned<String>,
        /// The owned party's id.
        owned: Spanned<String>,
        /// The fraction of the owned party held.
        share: Spanned<Share>,
        /// The first day of the holding; absent: from the start of time.
        from: Option<Spanned<Date>>,
        /// The day the holding ends (exclusive); absent: open-ended.
        until: Option<Spanned<Date>>,
    },
    /// End a holding, or remove it entirely.
    Disown {
        /// The owner's party id.
        owner: Spanned<String>,
        /// The owned party's id.
        owned: Spanned<String>,
        /// `None`: remove the holding entirely.
        on: Option<Spanned<Date>>,
    },
}

/// An edit and where it was written (the span of its record or of the whole argument).
#[derive(Debug, Clone)]
pub struct Located {
    /// The edit.
    pub op: Op,
    /// Its byte range in the overlay's source file.
    pub span: Range<usize>,
}

/// A set of edits from one source: a command-line argument or an overlay file.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The source the edits were read from (an overlay file, or the flag's value), for located
    /// errors.
    pub file: SourceFile,
    /// How reports name it: the file path, or the flag and its value.
    pub label: String,
    /// The overlay file's `name`, if it gives one.
    pub name: Option<String>,
    /// The overlay file's `description`, if it gives one.
    pub description: Option<String>,
    /// In the order they apply.
    pub ops: Vec<Located>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::diagnostic::DiagnosticText as _;

    fn op(flag: Flag, v: &str) -> Op {
        match parse_flag(flag, v) {
            Ok(o) => o
                .ops
                .into_iter()
                .next()
                .map(|l| l.op)
                .unwrap_or_else(|| unreachable!("one op expected")),
            Err(d) => unreachable!("{v}: {:?}", d.into_vec()),
        }
    }

    fn err(flag: Flag, v: &str) -> String {
        match parse_flag(flag, v) {
            Ok(_) => unreachable!("{v} should not parse"),
            Err(d) => d.iter().map(|x| x.render()).collect::<Vec<_>>().join("\n"),
        }
    }

    #[test]
    fn designations_parse_with_lists_and_windows() {
        let Op::Designate {
            parties,
            programs,
            listed,
            delisted,
            ..
        } = op(
            Flag::Designate,
            "cjng,sinaloa-cartel=us.fto,us.sdgt@2025-02-20..2025-06-01",
        )
        else {
            unreachable!()
        };
        assert_eq!(parties.len(), 2);
        assert_eq!(programs[1].get_ref(), "us.sdgt");
        assert_eq!(programs[1].span(), 27..34);
        assert_eq!(
            listed.map(|d| d.into_inner().to_string()).as_deref(),
            Some("2025-02-20")
        );
        assert_eq!(
            delisted.map(|d| d.into_inner().to_string()).as_deref(),
            Some("2025-06-01")
        );
        let Op::Delist { on, .. } = op(Flag::Delist, "cjng=us.sdgt") else {
            unreachable!()
        };
        assert!(on.is_none());
    }

    #[test]
    fn ownership_edits_parse() {
        let Op::Own { share, from, .. } = op(Flag::Own, "cjng>acme=30-60@2025-01-01") else {
            unreachable!()
        };
        assert_eq!(share.get_ref().to_string(), "30-60%");
        assert!(from.is_some());
        let Op::Disown { on, .. } = op(Flag::Disown, "cjng>acme@2025-05-01") else {
            unreachable!()
        };
        assert!(on.is_some());
    }

    #[test]
    fn bad_values_are_located_with_help() {
        let e = err(Flag::Designate, "cjng=us.fto@2025-02-30");
        assert!(e.contains("--designate:1:13: error[INVALID_VALUE]"), "{e}");
        assert!(e.contains("YYYY-MM-DD"), "{e}");
        let e = err(Flag::Designate, "cjng");
        assert!(
            e.contains("names no program") && e.contains("cjng=us.fto@2025-02-20"),
            "{e}"
        );
        let e = err(Flag::Own, "cjng");
        assert!(e.contains("redirection"), "{e}");
        let e = err(Flag::Own, "cjng>acme=150");
        assert!(e.contains("INVALID_SHARE"), "{e}");
        let e = err(Flag::Designate, "cjng=us.fto@2025-06-01..2025-02-20");
        assert!(e.contains("IMPOSSIBLE_DATE"), "{e}");
        let e = err(Flag::Disown, "a>b=5");
        assert!(e.contains("takes no share"), "{e}");
        let e = err(Flag::Designate, ",cjng=us.fto@");
        assert!(e.contains("a party is missing"), "{e}");
        assert!(e.contains("no date"), "{e}");
    }

    #[test]
    fn files_parse_in_written_order_and_report_every_problem() {
        let f = SourceFile::new(
            "o.toml",
            "[overlay]\nname = \"x\"\n[[delist]]\nparty = \"cjng\"\nprogram = \"us.fto\"\n[[designate]]\nparties = [\"cjng\"]\nprogram = \"us.glomag\"\nlisted = 2025-02-20\n",
        );
        let o = match parse_file(f) {
            Ok(o) => o,
            Err(d) => unreachable!("{:?}", d.into_vec()),
        };
        assert_eq!(o.name.as_deref(), Some("x"));
        assert!(matches!(o.ops[0].op, Op::Delist { .. }));
        assert!(matches!(o.ops[1].op, Op::Designate { .. }));
        let f = SourceFile::new(
            "bad.toml",
            "[[designate]]\nparty = \"a\"\nlisted = \"2025-13-01\"\n[[delist]]\nparty = \"a\"\nprogram = \"p\"\nbogus = 1\n[[own]]\nowner = \"a\"\nowned = \"b\"\nshare = 101\n[[frob]]\n",
        );
        let Err(d) = parse_file(f) else {
            unreachable!("must fail")
        };
        let text: Vec<String> = d.iter().map(|x| x.render()).collect();
        let all = text.join("\n");
        assert!(all.contains("unknown top-level key `frob`"), "{all}");
        assert!(all.contains("missing `program`"), "{all}");
        assert!(all.contains("bogus"), "{all}");
        assert!(all.contains("INVALID_SHARE"), "{all}");
        assert!(
            all.contains("`2025-13-01` is not a valid calendar date"),
            "{all}"
        );
    }
}
