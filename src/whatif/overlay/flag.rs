//! Overlays written on the command line: one edit per flag value, each value its own little
//! source file so errors point a caret at the offending character.

use std::ops::Range;

use toml::Spanned;

use super::{Located, Op, Overlay};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::values::{Date, Share, parse_date};
use crate::source::SourceFile;

/// The command-line overlay flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// `--designate PARTY[,..]=PROGRAM[,..][@WINDOW]`: add designations.
    Designate,
    /// `--delist PARTY[,..]=PROGRAM[,..][@DATE]`: end designations, or remove them without a date.
    Delist,
    /// `--own OWNER>OWNED=SHARE[@WINDOW]`: set a holding for the window.
    Own,
    /// `--disown OWNER>OWNED[@DATE]`: end a holding, or remove it without a date.
    Disown,
}

impl Flag {
    /// The flag as written on the command line (`--designate`...).
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

    /// The edit a flag value writes: names before `@`, dates after it.
    fn op(&mut self, text: &str) -> Option<Op> {
        // `@` starts the dates; nothing before it contains one.
        let (head, at) = match text.find('@') {
            Some(i) => (&text[..i], Some(i)),
            None => (text, None),
        };
        let dates = at.map(|i| (i + 1, &text[i + 1..]));
        match self.flag {
            Flag::Designate | Flag::Delist => self.designation(text, head, dates),
            Flag::Own | Flag::Disown => self.holding(text, head, dates),
        }
    }

    /// `PARTY[,..]=PROGRAM[,..]`, then a window (`--designate`) or a date (`--delist`).
    fn designation(&mut self, text: &str, head: &str, dates: Option<(usize, &str)>) -> Option<Op> {
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
            let on = self.optional_date(dates)?;
            Some(Op::Delist {
                parties,
                programs,
                on,
            })
        }
    }

    /// `OWNER>OWNED`, then `=SHARE` and a window (`--own`) or a date (`--disown`).
    fn holding(&mut self, text: &str, head: &str, dates: Option<(usize, &str)>) -> Option<Op> {
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
            let on = self.optional_date(dates)?;
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
        let share = self.share(gt + 1 + eq + 1, &rest[eq + 1..]);
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

    /// The share written from byte `start` to the end of the names.
    fn share(&mut self, start: usize, text: &str) -> Option<Spanned<Share>> {
        let end = start + text.len();
        match Share::parse(text) {
            Ok(s) => Some(Spanned::new(start..end, s)),
            Err(m) => {
                self.error(
                    Code::InvalidShare,
                    start..end.max(start + 1),
                    m,
                    "a share is a percentage like `50` or `12.5`, a range like `30-60`, or `unknown`".into(),
                );
                None
            }
        }
    }

    /// The date after `@`, if there is one; `Some(None)` when none is written, `None` when the
    /// one written is bad.
    fn optional_date(&mut self, dates: Option<(usize, &str)>) -> Option<Option<Spanned<Date>>> {
        match dates {
            Some((start, d)) => Some(Some(self.date(start, d)?)),
            None => Some(None),
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
