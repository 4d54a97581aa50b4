//! Overlay files: a small TOML file of `[[designate]]`, `[[delist]]`, `[[own]]` and
//! `[[disown]]` records, applied in the order they are written.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{Located, Op, Overlay};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::values::{Date, RawDate, RawNumber, Share, parse_date};
use crate::source::SourceFile;
use crate::toml_input;

/// The top-level keys an overlay file may contain.
pub(crate) const OVERLAY_FILE_KEYS: &[&str] = &["overlay", "designate", "delist", "own", "disown"];

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
        let op = fx.designate(r.value, &r.span);
        ops.push(Located { op, span: r.span });
    }
    for r in delist {
        let op = fx.delist(r.value, &r.span);
        ops.push(Located { op, span: r.span });
    }
    for r in own {
        if let Some(op) = fx.own(r.value) {
            ops.push(Located { op, span: r.span });
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

    /// A `[[designate]]` record (spanning `record`): its names, and its window checked.
    fn designate(&mut self, v: RawDesignate, record: &Range<usize>) -> Op {
        let parties = self.one_or_many(v.party, v.parties, "party", record);
        let programs = self.one_or_many(v.program, v.programs, "program", record);
        let listed = self.date(v.listed);
        let delisted = self.date(v.delisted);
        if let (Some(l), Some(x)) = (&listed, &delisted)
            && x.get_ref() <= l.get_ref()
        {
            self.error(
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
        Op::Designate {
            parties,
            programs,
            listed,
            delisted,
            source: v.source,
        }
    }

    /// A `[[delist]]` record (spanning `record`).
    fn delist(&mut self, v: RawDelist, record: &Range<usize>) -> Op {
        let parties = self.one_or_many(v.party, v.parties, "party", record);
        let programs = self.one_or_many(v.program, v.programs, "program", record);
        let on = self.date(v.on);
        Op::Delist {
            parties,
            programs,
            on,
        }
    }

    /// An `[[own]]` record, its share and window checked; `None` when the share is bad.
    fn own(&mut self, v: RawOwn) -> Option<Op> {
        let share = match Share::parse(&v.share.get_ref().0) {
            Ok(s) => Some(Spanned::new(v.share.span(), s)),
            Err(m) => {
                self.error(Code::InvalidShare, v.share.span(), m.into(), None);
                None
            }
        };
        let from = self.date(v.from);
        let until = self.date(v.until);
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
                None,
            );
        }
        Some(Op::Own {
            owner: v.owner,
            owned: v.owned,
            share: share?,
            from,
            until,
        })
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
