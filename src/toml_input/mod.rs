//! Reading TOML files into raw serde structs while collecting every problem.
//!
//! serde stops at the first error of a value. To report all problems of a file, the file is
//! parsed once into a spanned tree (syntax errors are recovered and all reported), and each
//! record (an element of an array of tables, or a singular table) is deserialized on its own.
//! When a record fails, the offending key is removed and the record is tried again, so one
//! record with three bad keys yields three diagnostics, not one.
//!
//! A large file (a world of a hundred thousand parties) is parsed a piece at a time, each piece
//! read and dropped before the next ([`read_in_pieces`]), where that cannot change its meaning.
//!
//! TOML floats are turned back into their exact source text before deserialization: every
//! number in these formats is a decimal, and `50.5` must mean exactly 50.5.

use std::borrow::Cow;
use std::collections::BTreeSet;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

mod fault;

use fault::FaultKind;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::model::values::EXACT_NUMBER_KEY;
use crate::source::SourceFile;

/// A parsed file (or piece of one, see [`read_in_pieces`]): its top-level table, with spans
/// into `file`.
pub struct TomlDoc<'a> {
    /// The file (or piece) parsed.
    pub file: &'a SourceFile,
    /// Its top-level table, spans into `file`.
    pub root: DeTable<'a>,
    /// Top-level keys an earlier piece of the file already had (checked there).
    seen: BTreeSet<String>,
}

/// Parse `file`; syntax errors are pushed to `diags`. Returns `None` when the text has syntax
/// errors: every one of them is reported, but records recovered around them would only add
/// follow-on errors, so the file's contents are not lowered.
pub fn parse<'a>(file: &'a SourceFile, diags: &mut Diagnostics) -> Option<TomlDoc<'a>> {
    let (root, errors) = DeTable::parse_recoverable(file.text());
    let had_errors = !errors.is_empty();
    for e in errors {
        let (loc, message) = match e.span() {
            Some(span) => (file.loc(span), tidy_message(e.message())),
            // The parser gives no place (and no error kind) for nesting beyond its limit: the
            // text itself says whether that is the problem, and where.
            None => match too_deep_at(file.text()) {
                Some(at) => (
                    file.loc(at..at),
                    format!("keys, tables or arrays nested more than {MAX_NESTING} deep"),
                ),
                None => (file.whole(), tidy_message(e.message())),
            },
        };
        diags.push(Diagnostic::error(Code::TomlSyntax, &loc, message).with_source(file));
    }
    let mut root = root.into_inner();
    if had_errors {
        return None;
    }
    for (_, v) in root.iter_mut() {
        let span = v.span();
        floats_to_text(v.get_mut(), span);
    }
    Some(TomlDoc {
        file,
        root,
        seen: BTreeSet::new(),
    })
}

/// The TOML parser's nesting limit (dotted key parts, tables, arrays).
const MAX_NESTING: usize = 80;

/// The first place where keys, arrays or inline tables nest [`MAX_NESTING`] deep: a dotted key
/// with that many parts, or that many open brackets. Quoted text is skipped.
fn too_deep_at(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut line_start = 0usize;
    let mut dots = 0usize;
    let mut in_key = true;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if c == q || c == '\n' {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '#' if depth == 0 => in_key = false,
            '\n' => {
                line_start = i + 1;
                dots = 0;
                in_key = depth == 0;
            }
            '=' => in_key = false,
            '.' if in_key => dots += 1,
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if dots + 1 >= MAX_NESTING || depth >= MAX_NESTING {
            return Some(if dots + 1 >= MAX_NESTING {
                line_start
            } else {
                i
            });
        }
    }
    None
}

/// Files at least this large are read a piece at a time.
pub const PIECEWISE_FROM: usize = 4 << 20;
/// A piece ends at the first `[[table]]` header after this many bytes.
pub const PIECE_BYTES: usize = 512 << 10;

/// Read `file` whole (`piece_bytes` `None`), or cut before `[[table]]` header lines into pieces
/// of about `piece_bytes`, each parsed, read and dropped before the next: the parser's tokens
/// and tree take about 35 times the text, so a world file of a million parties would otherwise
/// need gigabytes. The pieces are used only if cutting cannot change the meaning: every piece
/// parses without error, and a top-level key found in several pieces is, in each, an array of
/// tables written with `[[key]]` headers. Otherwise the whole file is parsed, so problems are
/// exactly those of a whole-file parse. Problems found reading the pieces come in file order.
pub fn read_in_pieces<A: Default>(
    file: &SourceFile,
    piece_bytes: Option<usize>,
    diags: &mut Diagnostics,
    mut read: impl FnMut(&TomlDoc<'_>, &mut Diagnostics, &mut A),
) -> Option<A> {
    if let Some(size) = piece_bytes
        && let Some((acc, mut found)) = read_pieces(file, size.max(1), &mut read)
    {
        found.sort();
        diags.extend(found);
        return Some(acc);
    }
    let doc = parse(file, diags)?;
    let mut acc = A::default();
    read(&doc, diags, &mut acc);
    Some(acc)
}

/// The pieces read, or `None` when the file must be parsed whole.
fn read_pieces<A: Default>(
    file: &SourceFile,
    size: usize,
    read: &mut impl FnMut(&TomlDoc<'_>, &mut Diagnostics, &mut A),
) -> Option<(A, Diagnostics)> {
    let text = file.text();
    let mut cuts = vec![0];
    for (i, _) in text.match_indices("\n[[") {
        if i + 1 - cuts.last().copied().unwrap_or(0) >= size {
            cuts.push(i + 1);
        }
    }
    cuts.push(text.len());
    if cuts.len() <= 2 {
        return None;
    }
    let mut acc = A::default();
    let mut found = Diagnostics::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut headed: BTreeSet<String> = BTreeSet::new();
    for w in cuts.windows(2) {
        let (start, end) = (w[0], w[1]);
        let (root, errors) = DeTable::parse_recoverable(text.get(start..end)?);
        if !errors.is_empty() {
            return None;
        }
        // Spans into the piece become spans into the file.
        let mut root = shift_table(root.into_inner(), start, 0)?;
        for (k, v) in root.iter() {
            let key = k.get_ref().to_string();
            let is_headed = match v.get_ref() {
                DeValue::Array(items) => items.iter().all(|x| {
                    text.get(x.span().start..)
                        .is_some_and(|t| t.starts_with("[["))
                }),
                _ => false,
            };
            if seen.contains(&key) && !(is_headed && headed.contains(&key)) {
                return None;
            }
            if is_headed {
                headed.insert(key.clone());
            }
        }
        for (_, v) in root.iter_mut() {
            let span = v.span();
            floats_to_text(v.get_mut(), span);
        }
        let doc = TomlDoc {
            file,
            root,
            seen: seen.clone(),
        };
        read(&doc, &mut found, &mut acc);
        seen.extend(doc.root.iter().map(|(k, _)| k.get_ref().to_string()));
    }
    Some((acc, found))
}

impl<'a> TomlDoc<'a> {
    /// Report every top-level key not in `known`, with a suggestion.
    pub fn check_keys(&self, known: &[&str], what: &str, diags: &mut Diagnostics) {
        for (k, _) in self.root.iter() {
            if !known.contains(&k.get_ref().as_ref()) && !self.seen.contains(k.get_ref().as_ref()) {
                let help = did_you_mean(k.get_ref(), known.iter().copied())
                    .unwrap_or_else(|| format!("a {what} may contain: {}", known.join(", ")));
                diags.push(
                    Diagnostic::error(
                        Code::UnknownKey,
                        &self.file.loc(k.span()),
                        format!("unknown top-level key `{}`", k.get_ref()),
                    )
                    .with_help(help)
                    .with_source(self.file),
                );
            }
        }
    }

    /// The records under `key`: each element of an array of tables, or the one table.
    pub fn records<T: DeserializeOwned>(
        &self,
        key: &str,
        diags: &mut Diagnostics,
    ) -> Vec<Record<T>> {
        let Some(value) = self.root.get(key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        match value.get_ref() {
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let Some(r) = read_record::<T>(self.file, item, key, diags) {
                        out.push(r);
                    }
                }
            }
            DeValue::Table(_) => {
                if let Some(r) = read_record::<T>(self.file, value, key, diags) {
                    out.push(r);
                }
            }
            other => diags.push(
                Diagnostic::error(
                    Code::InvalidType,
                    &self.file.loc(value.span()),
                    format!(
                        "`{key}` must be a table or an array of tables, not {}",
                        other.type_str()
                    ),
                )
                .with_help(format!("write it as `[[{key}]]` sections"))
                .with_source(self.file),
            ),
        }
        out
    }

    /// Exactly one table under `key`, if present.
    pub fn single<T: DeserializeOwned>(
        &self,
        key: &str,
        diags: &mut Diagnostics,
    ) -> Option<Record<T>> {
        let value = self.root.get(key)?;
        if let DeValue::Array(_) = value.get_ref() {
            diags.push(
                Diagnostic::error(
                    Code::InvalidType,
                    &self.file.loc(value.span()),
                    format!("`{key}` must be a single table"),
                )
                .with_help(format!("write `[{key}]`, not `[[{key}]]`"))
                .with_source(self.file),
            );
            return None;
        }
        read_record::<T>(self.file, value, key, diags)
    }
}

/// A deserialized record and the span of its header (or inline table).
pub struct Record<T> {
    /// The record, deserialized.
    pub value: T,
    /// The byte span of its header or inline table.
    pub span: std::ops::Range<usize>,
}

fn read_record<T: DeserializeOwned>(
    file: &SourceFile,
    value: &Spanned<DeValue<'_>>,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<Record<T>> {
    let span = value.span();
    let mut current = value.clone();
    let mut removed: BTreeSet<String> = BTreeSet::new();
    let mut failed = false;
    // Each retry removes one key, so this terminates; the cap is a guard against surprises.
    for _ in 0..64 {
        match fault::deserialize::<T, _>(ValueDeserializer::from(current.clone())) {
            Ok(v) => {
                return if failed {
                    None
                } else {
                    Some(Record { value: v, span })
                };
            }
            Err(fault) => {
                failed = true;
                if let FaultKind::MissingKey(field) = fault.kind {
                    if !removed.contains(field) {
                        diags.push(
                            Diagnostic::error(
                                Code::MissingKey,
                                &file.loc(span.clone()),
                                format!("missing key `{field}` in this `{what}`"),
                            )
                            .with_source(file),
                        );
                    }
                    return None;
                }
                let Some(err_span) = fault.span.clone() else {
                    diags.push(
                        Diagnostic::error(
                            Code::InvalidValue,
                            &file.loc(span.clone()),
                            tidy_message(&serde_wording(&fault.kind)),
                        )
                        .with_source(file),
                    );
                    return None;
                };
                diags.push(classify(
                    file,
                    &fault.kind,
                    err_span.clone(),
                    current.get_ref(),
                ));
                match remove_key_at(current.get_mut(), err_span.start) {
                    Some(k) => {
                        removed.insert(k);
                    }
                    None => return None,
                }
            }
        }
    }
    None
}

/// The diagnostic for a fault: its code follows from the kind of fault, never from its wording.
fn classify(
    file: &SourceFile,
    kind: &FaultKind,
    span: std::ops::Range<usize>,
    record: &DeValue<'_>,
) -> Diagnostic {
    let loc = file.loc(span.clone());
    let d = match kind {
        FaultKind::UnknownKey { name, expected } => {
            let help = did_you_mean(name, expected.iter().copied()).or_else(|| {
                (!expected.is_empty()).then(|| format!("known keys here: {}", expected.join(", ")))
            });
            Diagnostic::error(Code::UnknownKey, &loc, format!("unknown key `{name}`"))
                .with_help_opt(help)
        }
        FaultKind::UnknownValue { name, expected } => {
            let help = did_you_mean(name, expected.iter().copied()).or_else(|| {
                (!expected.is_empty()).then(|| format!("allowed values: {}", expected.join(", ")))
            });
            Diagnostic::error(Code::InvalidValue, &loc, format!("unknown value `{name}`"))
                .with_help_opt(help)
        }
        FaultKind::WrongType { found, expected } => {
            // Dates and exact numbers reach serde as tables; say what was written.
            let written = (found == "map")
                .then(|| value_at(record, &span).and_then(found_text))
                .flatten();
            let message = match written {
                Some(written) => format!(
                    "wrong type: found {written}, expected {}",
                    tidy_message(expected)
                ),
                None => tidy_message(&serde_wording(kind)),
            };
            Diagnostic::error(Code::InvalidType, &loc, message)
        }
        FaultKind::WrongLength { .. } => {
            Diagnostic::error(Code::InvalidType, &loc, tidy_message(&serde_wording(kind)))
        }
        FaultKind::MissingKey(_)
        | FaultKind::DuplicateKey(_)
        | FaultKind::BadValue { .. }
        | FaultKind::Other(_) => {
            Diagnostic::error(Code::InvalidValue, &loc, tidy_message(&serde_wording(kind)))
        }
    };
    d.with_source(file)
}

/// A fault in the words serde itself uses for it, which [`tidy_message`] then makes plain.
fn serde_wording(kind: &FaultKind) -> String {
    match kind {
        FaultKind::WrongType { found, expected } => {
            format!("invalid type: {found}, expected {expected}")
        }
        FaultKind::WrongLength { len, expected } => {
            format!("invalid length {len}, expected {expected}")
        }
        FaultKind::BadValue { found, expected } => {
            format!("invalid value: {found}, expected {expected}")
        }
        FaultKind::DuplicateKey(name) => format!("duplicate field `{name}`"),
        FaultKind::MissingKey(name) => format!("missing field `{name}`"),
        FaultKind::UnknownKey { name, .. } => format!("unknown field `{name}`"),
        FaultKind::UnknownValue { name, .. } => format!("unknown variant `{name}`"),
        FaultKind::Other(message) => message.clone(),
    }
}

/// The value at exactly `span` within `v`.
fn value_at<'v, 'i>(v: &'v DeValue<'i>, span: &std::ops::Range<usize>) -> Option<&'v DeValue<'i>> {
    let children: Vec<&Spanned<DeValue<'i>>> = match v {
        DeValue::Table(t) => t.iter().map(|(_, c)| c).collect(),
        DeValue::Array(a) => a.iter().collect(),
        _ => return None,
    };
    for c in children {
        if c.span() == *span {
            return Some(c.get_ref());
        }
        if c.span().start <= span.start
            && span.end <= c.span().end
            && let Some(found) = value_at(c.get_ref(), span)
        {
            return Some(found);
        }
    }
    None
}

/// "a date `2025-01-01`" or "a number `1.5`" for the values serde sees as tables.
fn found_text(v: &DeValue<'_>) -> Option<String> {
    match v {
        DeValue::Datetime(d) => Some(format!("a date `{d}`")),
        DeValue::Table(t) => match t.get(EXACT_NUMBER_KEY).map(|x| x.get_ref()) {
            Some(DeValue::String(n)) => Some(format!("a number `{n}`")),
            _ => None,
        },
        _ => None,
    }
}

/// serde messages end with a newline or a period and name Rust-ish types; keep them plain.
fn tidy_message(msg: &str) -> String {
    let first = msg
        .lines()
        .next()
        .unwrap_or(msg)
        .trim()
        .trim_end_matches('.');
    first
        .replace("invalid type: ", "wrong type: found ")
        .replace("a sequence", "an array")
        .replace("a map", "a table")
        .replace("struct ", "")
}

/// Remove the deepest key whose key or value covers byte `pos`; returns its name.
fn remove_key_at(value: &mut DeValue<'_>, pos: usize) -> Option<String> {
    match value {
        DeValue::Table(t) => {
            let key = t
                .iter()
                .find(|(k, v)| k.span().contains(&pos) || covers(v, pos))
                .map(|(k, _)| k.clone())?;
            // An exact number is one value: remove its key, not the number's inside.
            if let Some(child) = t.get_mut(&key)
                && found_text(child.get_ref()).is_none()
                && let Some(inner) = remove_key_at(child.get_mut(), pos)
            {
                return Some(inner);
            }
            t.remove(&key);
            Some(key.into_inner().into_owned())
        }
        DeValue::Array(items) => {
            let item = items.iter_mut().find(|v| covers(v, pos))?;
            remove_key_at(item.get_mut(), pos)
        }
        _ => None,
    }
}

fn covers(v: &Spanned<DeValue<'_>>, pos: usize) -> bool {
    if v.span().contains(&pos) {
        return true;
    }
    match v.get_ref() {
        DeValue::Table(t) => t
            .iter()
            .any(|(k, c)| k.span().contains(&pos) || covers(c, pos)),
        DeValue::Array(a) => a.iter().any(|c| covers(c, pos)),
        _ => false,
    }
}

/// Deeper than this, a piece is not worth rebuilding: the file is parsed whole.
const MAX_SHIFT_DEPTH: usize = 64;

fn shift_table<'i>(t: DeTable<'i>, by: usize, depth: usize) -> Option<DeTable<'i>> {
    let mut out = DeTable::new();
    for (k, v) in t {
        let span = k.span();
        let key = Spanned::new(span.start + by..span.end + by, k.into_inner());
        out.insert(key, shift_value(v, by, depth + 1)?);
    }
    Some(out)
}

fn shift_value<'i>(
    v: Spanned<DeValue<'i>>,
    by: usize,
    depth: usize,
) -> Option<Spanned<DeValue<'i>>> {
    if depth > MAX_SHIFT_DEPTH {
        return None;
    }
    let span = v.span();
    let inner = match v.into_inner() {
        DeValue::Table(t) => DeValue::Table(shift_table(t, by, depth)?),
        DeValue::Array(mut items) => {
            for item in items.iter_mut() {
                let x = std::mem::replace(item, Spanned::new(0..0, DeValue::Boolean(false)));
                *item = shift_value(x, by, depth + 1)?;
            }
            DeValue::Array(items)
        }
        other => other,
    };
    Some(Spanned::new(span.start + by..span.end + by, inner))
}

/// Floats become `{ EXACT_NUMBER_KEY = "their text" }`: only [`RawNumber`] reads that, so a
/// number is never taken as text where a string is expected (`id = 1.5`), while a number
/// field gets the exact digits written.
///
/// [`RawNumber`]: crate::model::values::RawNumber
fn floats_to_text(v: &mut DeValue<'_>, span: std::ops::Range<usize>) {
    match v {
        DeValue::Float(f) => {
            let text = f.as_str().replace('_', "");
            let mut t = DeTable::new();
            t.insert(
                Spanned::new(span.clone(), Cow::Borrowed(EXACT_NUMBER_KEY)),
                Spanned::new(span, DeValue::String(Cow::Owned(text))),
            );
            *v = DeValue::Table(t);
        }
        DeValue::Table(t) => {
            for (_, c) in t.iter_mut() {
                let span = c.span();
                floats_to_text(c.get_mut(), span);
            }
        }
        DeValue::Array(a) => {
            for c in a.iter_mut() {
                let span = c.span();
                floats_to_text(c.get_mut(), span);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "fields exist to be deserialized, not read")]
    struct Rec {
        id: String,
        #[serde(default)]
        n: Option<u32>,
        #[serde(default)]
        share: Option<crate::model::values::RawNumber>,
    }

    #[test]
    fn every_bad_key_of_a_record_is_reported() {
        let f = SourceFile::new(
            "x.toml",
            "[[rec]]\nid = \"a\"\nn = \"x\"\nbogus = 1\nidd = 2\n[[rec]]\nid = \"b\"\nshare = 50.25\n",
        );
        let mut d = Diagnostics::new();
        let doc = parse(&f, &mut d).unwrap();
        let recs: Vec<Record<Rec>> = doc.records("rec", &mut d);
        assert_eq!(recs.len(), 1, "the good record survives");
        assert_eq!(
            recs[0].value.share.as_ref().map(|s| s.0.as_str()),
            Some("50.25"),
            "floats keep their exact text"
        );
        let codes: Vec<_> = d.iter().map(|x| (x.code, x.line)).collect();
        assert_eq!(
            codes,
            vec![
                (Code::UnknownKey, 4),
                (Code::UnknownKey, 5),
                (Code::InvalidType, 3)
            ]
        );
        let idd = d.iter().find(|x| x.line == 5).unwrap();
        assert_eq!(idd.help.as_deref(), Some("did you mean `id`?"));
    }

    #[test]
    fn syntax_errors_are_all_reported_with_positions() {
        let f = SourceFile::new("bad.toml", "a = [1,\nb = \"x\nc = 2\n");
        let mut d = Diagnostics::new();
        let _ = parse(&f, &mut d);
        assert!(d.error_count() >= 2);
        assert!(d.iter().all(|x| x.code == Code::TomlSyntax && x.line >= 1));
    }
}
