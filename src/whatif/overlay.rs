//! Overlays: edits to a world written on the command line or in a small TOML file.
//!
//! This module only reads their syntax (names stay names, dates and shares are checked);
//! [`super::edit`] resolves the names against a rule set and a world and applies the edits.
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

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::values::{Date, RawDate, RawNumber, Share, parse_date};
use crate::source::SourceFile;
use crate::toml_input;

/// One edit, with names unresolved and spans into its source.
#[derive(Debug, Clone)]
pub enum Op {
    Designate {
        parties: Vec<Spanned<String>>,
        programs: Vec<Spanned<String>>,
        listed: Option<Spanned<Date>>,
        delisted: Option<Spanned<Date>>,
        source: Option<String>,
    },
    Delist {
        parties: Vec<Spanned<String>>,
        programs: Vec<Spanned<String>>,
        /// `None`: remove the designations entirely.
        on: Option<Spanned<Date>>,
    },
    Own {
        owner: Spanned<String>,
        owned: Spanned<String>,
        share: Spanned<Share>,
        from: Option<Spanned<Date>>,
        until: Option<Spanned<Date>>,
    },
    Disown {
        owner: Spanned<String>,
        owned: Spanned<String>,
        /// `None`: remove the holding entirely.
        on: Option<Spanned<Date>>,
    },
}

/// An edit and where it was written (the span of its record or of the whole argument).
#[derive(Debug, Clone)]
pub struct Located {
    pub op: Op,
    pub span: Range<usize>,
}

/// A set of edits from one source: a command-line argument or an overlay file.
#[derive(Debug, Clone)]
pub struct Overlay {
    pub file: SourceFile,
    /// How reports name it: the file path, or the flag and its value.
    pub label: String,
    pub name: Option<String>,
    pub description: Option<String>,
    /// In the order they apply.
    pub ops: Vec<Located>,
}

/// The command-line overlay flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Designate,
    Delist,
    Own,
    Disown,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Designate => "--designate",
            Flag::Delist => "--delist",
            Flag::Own => "--own",
            Flag::Disown => "--disown",
        }
    }

    fn syntax(self) -> &'static str {
        match self {
            Flag::Designate => "PARTY=PROGRAM[@DATE], e.g. `cjng=us.fto@2025-02-20`",
            Flag::Delist => {
                "PARTY=PROGRAM[@DATE], e.g. `cjng=us.sdgt@2025-06-01` (without a date the designation is removed entirely)"
            }
            Flag::Own => {
                "OWNER>OWNED=SHARE[@DATE], e.g. `'cjng>acme=50@2025-01-01'` (quoted: the shell reads `>` as a redirection)"
            }
            Flag::Disown => {
                "OWNER>OWNED[@DATE], e.g. `'cjng>acme'` (quoted: the shell reads `>` as a redirection)"
            }
        }
    }
}

/// Parse one command-line overlay value.
pub fn parse_flag(flag: Flag, value: &str) -> Result<Overlay, Diagnostics> {
    let file = SourceFile::new(flag.as_str(), value);
    let mut p = Parser {
        file: &file,
        flag,
        diags: Diagnostics::new(),
    };
    let op = p.op(value);
    if p.diags.has_errors() {
        return Err(p.diags);
    }
    let ops = op
        .map(|op| {
            vec![Located {
                op,
                span: 0..value.len(),
            }]
        })
        .unwrap_or_default();
    Ok(Overlay {
        label: format!("{} {value}", flag.as_str()),
        file,
        name: None,
        description: None,
        ops,
    })
}

/// A validity window: from (inclusive) and until (exclusive), each with its span.
type Window = (Option<Spanned<Date>>, Option<Spanned<Date>>);

struct Parser<'a> {
    file: &'a SourceFile,
    flag: Flag,
    diags: Diagnostics,
}

impl Parser<'_> {
    fn error(&mut self, code: Code, span: Range<usize>, msg: impl Into<String>, help: String) {
        let loc = self.file.loc(span);
        self.diags.push(
            Diagnostic::error(code, &loc, msg)
                .with_help(help)
                .with_source(self.file),
        );
    }

    fn syntax_error(&mut self, span: Range<usize>, msg: impl Into<String>) {
        let help = format!("write {} {}", self.flag.as_str(), self.flag.syntax());
        self.error(Code::InvalidValue, span, msg, help);
    }

    fn op(&mut self, text: &str) -> Option<Op> {
        // `@` starts the dates; nothing before it contains one.
        let (head, at) = match text.find('@') {
            Some(i) => (&text[..i], Some(i)),
            None => (text, None),
        };
        let dates = at.map(|i| (i + 1, &text[i + 1..]));
        match self.flag {
            Flag::Designate | Flag::Delist => {
                let Some(eq) = head.find('=') else {
                    self.syntax_error(0..head.len(), format!("`{text}` names no program"));
                    return None;
                };
                let parties = self.names(0, &head[..eq], "party");
                let programs = self.names(eq + 1, &head[eq + 1..], "program");
                if self.flag == Flag::Designate {
                    let (listed, delisted) = match dates {
                        Some((start, d)) => self.window(start, d)?,
                        None => (None, None),
                    };
                    Some(Op::Designate {
                        parties,
                        programs,
                        listed,
                        delisted,
                        source: None,
                    })
                } else {
                    let on = match dates {
                        Some((start, d)) => Some(self.date(start, d)?),
                        None => None,
                    };
                    Some(Op::Delist {
                        parties,
                        programs,
                        on,
                    })
                }
            }
            Flag::Own | Flag::Disown => {
                let Some(gt) = head.find('>') else {
                    self.syntax_error(
                        0..head.len(),
                        format!("`{text}` names no owned entity (`OWNER>OWNED`)"),
                    );
                    return None;
                };
                let owner = self.name(0, &head[..gt], "owner");
                let rest = &head[gt + 1..];
                if self.flag == Flag::Disown {
                    if rest.contains('=') {
                        let at = gt + 1 + rest.find('=').unwrap_or(0);
                        self.syntax_error(
                            at..at + 1,
                            "`--disown` takes no share: it removes or ends the holding",
                        );
                        return None;
                    }
                    let owned = self.name(gt + 1, rest, "owned entity");
                    let on = match dates {
                        Some((start, d)) => Some(self.date(start, d)?),
                        None => None,
                    };
                    return Some(Op::Disown {
                        owner: owner?,
                        owned: owned?,
                        on,
                    });
                }
                let Some(eq) = rest.find('=') else {
                    self.syntax_error(
                        gt + 1..head.len(),
                        format!("`{text}` gives no share (`OWNER>OWNED=SHARE`)"),
                    );
                    return None;
                };
                let owned = self.name(gt + 1, &rest[..eq], "owned entity");
                let share_start = gt + 1 + eq + 1;
                let share_text = &rest[eq + 1..];
                let share = match Share::parse(share_text) {
                    Ok(s) => Some(Spanned::new(share_start..head.len(), s)),
                    Err(m) => {
                        self.error(
                            Code::InvalidShare,
                            share_start..head.len().max(share_start + 1),
                            m,
                            "a share is a percentage like `50` or `12.5`, a range like `30-60`, or `unknown`".into(),
                        );
                        None
                    }
                };
                let (from, until) = match dates {
                    Some((start, d)) => self.window(start, d)?,
                    None => (None, None),
                };
                Some(Op::Own {
                    owner: owner?,
                    owned: owned?,
                    share: share?,
                    from,
                    until,
                })
            }
        }
    }

    /// A comma-separated list of names starting at byte `start`.
    fn names(&mut self, start: usize, text: &str, what: &str) -> Vec<Spanned<String>> {
        let mut out = Vec::new();
        let mut offset = start;
        for part in text.split(',') {
            if let Some(n) = self.name(offset, part, what) {
                out.push(n);
            }
            offset += part.len() + 1;
        }
        out
    }

    fn name(&mut self, start: usize, text: &str, what: &str) -> Option<Spanned<String>> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            self.syntax_error(
                start..start + text.len().max(1),
                format!("a {what} is missing"),
            );
            return None;
        }
        let lead = text.len() - text.trim_start().len();
        let s = start + lead;
        Some(Spanned::new(s..s + trimmed.len(), trimmed.to_string()))
    }

    fn date(&mut self, start: usize, text: &str) -> Option<Spanned<Date>> {
        let span = start..start + text.len().max(1);
        match parse_date(text) {
            Ok(d) => Some(Spanned::new(span, d)),
            Err(m) => {
                self.error(
                    Code::InvalidValue,
                    span,
                    m,
                    "dates are written YYYY-MM-DD, e.g. `2025-02-20`".into(),
                );
                None
            }
        }
    }

    /// `FROM`, `FROM..UNTIL`, `..UNTIL` or `FROM..`.
    fn window(&mut self, start: usize, text: &str) -> Option<Window> {
        let (a, b) = match text.find("..") {
            Some(i) => (&text[..i], Some((start + i + 2, &text[i + 2..]))),
            None => (text, None),
        };
        let from = if a.is_empty() {
            None
        } else {
            Some(self.date(start, a)?)
        };
        let until = match b {
            Some((s, t)) if !t.is_empty() => Some(self.date(s, t)?),
            _ => None,
        };
        if from.is_none() && until.is_none() {
            self.syntax_error(
                start.saturating_sub(1)..start + text.len().max(1),
                "`@` is followed by no date",
            );
            return None;
        }
        if let (Some(f), Some(u)) = (&from, &until)
            && u.get_ref() <= f.get_ref()
        {
            self.error(
                Code::ImpossibleDate,
                u.span(),
                format!(
                    "this window ends on {}, not after it starts on {}",
                    u.get_ref(),
                    f.get_ref()
                ),
                "the end date is exclusive and must come after the start".into(),
            );
            return None;
        }
        Some((from, until))
    }
}

/// The top-level keys an overlay file may contain.
pub const OVERLAY_FILE_KEYS: &[&str] = &["overlay", "designate", "delist", "own", "disown"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDesignate {
    #[serde(default)]
    party: Option<Spanned<String>>,
    #[serde(default)]
    parties: Vec<Spanned<String>>,
    #[serde(default)]
    program: Option<Spanned<String>>,
    #[serde(default)]
    programs: Vec<Spanned<String>>,
    #[serde(default)]
    listed: Option<Spanned<RawDate>>,
    #[serde(default)]
    delisted: Option<Spanned<RawDate>>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    #[allow(dead_code, reason = "free text for the reader of the file")]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDelist {
    #[serde(default)]
    party: Option<Spanned<String>>,
    #[serde(default)]
    parties: Vec<Spanned<String>>,
    #[serde(default)]
    program: Option<Spanned<String>>,
    #[serde(default)]
    programs: Vec<Spanned<String>>,
    #[serde(default)]
    on: Option<Spanned<RawDate>>,
    #[serde(default)]
    #[allow(dead_code, reason = "free text for the reader of the file")]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOwn {
    owner: Spanned<String>,
    owned: Spanned<String>,
    share: Spanned<RawNumber>,
    #[serde(default)]
    from: Option<Spanned<RawDate>>,
    #[serde(default)]
    until: Option<Spanned<RawDate>>,
    #[serde(default)]
    #[allow(dead_code, reason = "free text for the reader of the file")]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDisown {
    owner: Spanned<String>,
    owned: Spanned<String>,
    #[serde(default)]
    on: Option<Spanned<RawDate>>,
    #[serde(default)]
    #[allow(dead_code, reason = "free text for the reader of the file")]
    note: Option<String>,
}

/// Read an overlay file. Every problem is reported, located in the file.
pub fn read_file(path: &Path) -> Result<Overlay, Diagnostics> {
    match crate::source::read_source(path, "the overlay") {
        Ok(file) => parse_file(file),
        Err(e) => {
            let mut d = Diagnostics::new();
            d.push(e);
            Err(d)
        }
    }
}

/// Parse an overlay file's text. Edits apply in the order they are written.
pub fn parse_file(file: SourceFile) -> Result<Overlay, Diagnostics> {
    let mut diags = Diagnostics::new();
    let Some(doc) = toml_input::parse(&file, &mut diags) else {
        return Err(diags);
    };
    doc.check_keys(OVERLAY_FILE_KEYS, "overlay file", &mut diags);
    let header = doc
        .single::<RawHeader>("overlay", &mut diags)
        .map(|r| r.value);
    let designate = doc.records::<RawDesignate>("designate", &mut diags);
    let delist = doc.records::<RawDelist>("delist", &mut diags);
    let own = doc.records::<RawOwn>("own", &mut diags);
    let disown = doc.records::<RawDisown>("disown", &mut diags);
    drop(doc);

    let mut fx = FileCx {
        file: &file,
        diags: &mut diags,
    };
    let mut ops: Vec<Located> = Vec::new();
    for r in designate {
        let v = r.value;
        let parties = fx.one_or_many(v.party, v.parties, "party", &r.span);
        let programs = fx.one_or_many(v.program, v.programs, "program", &r.span);
        let listed = fx.date(v.listed);
        let delisted = fx.date(v.delisted);
        if let (Some(l), Some(x)) = (&listed, &delisted)
            && x.get_ref() <= l.get_ref()
        {
            fx.error(
                Code::ImpossibleDate,
                x.span(),
                format!(
                    "delisted on {}, not after being listed on {}",
                    x.get_ref(),
                    l.get_ref()
                ),
                None,
            );
        }
        ops.push(Located {
            op: Op::Designate {
                parties,
                programs,
                listed,
                delisted,
                source: v.source,
            },
            span: r.span,
        });
    }
    for r in delist {
        let v = r.value;
        let parties = fx.one_or_many(v.party, v.parties, "party", &r.span);
        let programs = fx.one_or_many(v.program, v.programs, "program", &r.span);
        let on = fx.date(v.on);
        ops.push(Located {
            op: Op::Delist {
                parties,
                programs,
                on,
            },
            span: r.span,
        });
    }
    for r in own {
        let v = r.value;
        let share = match Share::parse(&v.share.get_ref().0) {
            Ok(s) => Some(Spanned::new(v.share.span(), s)),
            Err(m) => {
                fx.error(Code::InvalidShare, v.share.span(), m.into(), None);
                None
            }
        };
        let from = fx.date(v.from);
        let until = fx.date(v.until);
        if let (Some(f), Some(u)) = (&from, &until)
            && u.get_ref() <= f.get_ref()
        {
            fx.error(
                Code::ImpossibleDate,
                u.span(),
                format!(
                    "this window ends on {}, not after it starts on {}",
                    u.get_ref(),
                    f.get_ref()
                ),
                None,
            );
        }
        if let Some(share) = share {
            ops.push(Located {
                op: Op::Own {
                    owner: v.owner,
                    owned: v.owned,
                    share,
                    from,
                    until,
                },
                span: r.span,
            });
        }
    }
    for r in disown {
        let v = r.value;
        let on = fx.date(v.on);
        ops.push(Located {
            op: Op::Disown {
                owner: v.owner,
                owned: v.owned,
                on,
            },
            span: r.span,
        });
    }
    if diags.has_errors() {
        diags.attach_source(&file);
        return Err(diags);
    }
    ops.sort_by_key(|o| o.span.start);
    let label = file.name().to_string();
    Ok(Overlay {
        label,
        name: header.as_ref().and_then(|h| h.name.clone()),
        description: header.and_then(|h| h.description),
        file,
        ops,
    })
}

struct FileCx<'a> {
    file: &'a SourceFile,
    diags: &'a mut Diagnostics,
}

impl FileCx<'_> {
    fn error(&mut self, code: Code, span: Range<usize>, msg: String, help: Option<String>) {
        let loc = self.file.loc(span);
        self.diags.push(
            Diagnostic::error(code, &loc, msg)
                .with_help_opt(help)
                .with_source(self.file),
        );
    }

    fn date(&mut self, raw: Option<Spanned<RawDate>>) -> Option<Spanned<Date>> {
        let raw = raw?;
        match parse_date(&raw.get_ref().0) {
            Ok(d) => Some(Spanned::new(raw.span(), d)),
            Err(m) => {
                self.error(Code::InvalidValue, raw.span(), m.into(), None);
                None
            }
        }
    }

    /// `party = "x"` or `parties = ["x", "y"]`: exactly one of the two.
    fn one_or_many(
        &mut self,
        one: Option<Spanned<String>>,
        many: Vec<Spanned<String>>,
        what: &str,
        record: &Range<usize>,
    ) -> Vec<Spanned<String>> {
        match (one, many.is_empty()) {
            (Some(x), true) => vec![x],
            (None, false) => many,
            (Some(x), false) => {
                self.error(
                    Code::InvalidValue,
                    x.span(),
                    format!("give either `{what}` or `{what}s`, not both"),
                    None,
                );
                Vec::new()
            }
            (None, true) => {
                self.error(
                    Code::MissingKey,
                    record.clone(),
                    format!("missing `{what}` (or `{what}s`)"),
                    None,
                );
                Vec::new()
            }
        }
    }
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
