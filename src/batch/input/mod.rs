//! Transaction records from NDJSON or CSV, checked and lowered into [`Transaction`]s.
//!
//! Both formats carry the same fields as a scenario's `[[transaction]]` (docs/batch.md):
//! roles name party ids of the world, amounts are exact decimal strings. A record that cannot
//! be read or refers to something unknown is a [`RecordError`] with its line; the pipeline
//! counts and reports it, never drops it silently.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::ruleset::RuleSet;
use crate::model::world::{Transaction, World};
use crate::model::{PartyIdx, PartyKind, Role};
use crate::scenario::transaction::{self, Field, TxContext, TxFields, role_order};
use crate::source::Loc;

mod csv_input;

pub use csv_input::{CSV_COLUMNS, CSV_LIST_SEPARATOR, CsvHeader, CsvLine, read_csv_header};

/// The input formats `batch` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON object per line.
    Ndjson,
    /// Comma-separated values with a header row.
    Csv,
}

impl InputFormat {
    /// The format a file name implies: `.csv` is CSV, `.ndjson`/`.jsonl`/`.json` NDJSON.
    pub fn from_path(path: &std::path::Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(InputFormat::Csv),
            "ndjson" | "jsonl" | "json" => Some(InputFormat::Ndjson),
            _ => None,
        }
    }
}

/// A record that could not become a transaction: its line and every problem found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// 1-based line of the input where the record starts.
    pub line: u64,
    /// Each problem once, in the order the record's fields are checked (never empty).
    pub problems: Vec<Problem>,
}

/// One problem of a record, coded as the same problem of a scenario's transaction is
/// ([`crate::scenario::transaction`]); message and help cut to [`MAX_MESSAGE_BYTES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What kind of problem it is.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Problem {
    /// A problem, its texts cut to [`MAX_MESSAGE_BYTES`].
    pub fn new(code: Code, message: String, help: Option<String>) -> Problem {
        Problem {
            code,
            message: bounded(message),
            help: help.map(bounded),
        }
    }
}

/// The longest message a record's error keeps: messages echo values of the input, and one
/// line of ten megabytes must not print ten megabytes.
pub const MAX_MESSAGE_BYTES: usize = 400;

impl RecordError {
    /// The record on `line` cannot be read at all (not UTF-8, not JSON, a row that does not
    /// fit the header): one `INVALID_VALUE` problem.
    pub fn new(line: u64, message: impl Into<String>) -> RecordError {
        RecordError {
            line,
            problems: vec![Problem::new(Code::InvalidValue, message.into(), None)],
        }
    }

    /// The problems as diagnostics located at the record's line of `file` (the formats have
    /// no finer position than the line).
    pub fn diagnostics(&self, file: &str) -> Vec<Diagnostic> {
        let loc = Loc {
            line: u32::try_from(self.line).unwrap_or(u32::MAX),
            column: 1,
            ..Loc::file(file.to_string())
        };
        self.problems
            .iter()
            .map(|p| {
                Diagnostic::error(p.code, &loc, p.message.clone()).with_help_opt(p.help.clone())
            })
            .collect()
    }
}

/// `message` cut to at most [`MAX_MESSAGE_BYTES`] (on a character boundary), saying how much
/// was left out.
pub fn bounded(mut message: String) -> String {
    if message.len() <= MAX_MESSAGE_BYTES {
        return message;
    }
    let mut cut = MAX_MESSAGE_BYTES;
    while !message.is_char_boundary(cut) {
        cut -= 1;
    }
    let omitted = message.len() - cut;
    message.truncate(cut);
    message.push_str(&format!("... ({omitted} more bytes not shown)"));
    message
}

/// One transaction record as written; every field borrowed from the input where possible.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TxRecord<'a> {
    /// The transaction's id, echoed in its decision record.
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    /// The transaction's date (`YYYY-MM-DD`), the date the world is read at.
    #[serde(borrow)]
    pub date: Cow<'a, str>,
    /// The transaction type's id in the rule packs (`payment`, `export`...).
    #[serde(rename = "type", borrow)]
    pub tx_type: Cow<'a, str>,
    /// The amount as a decimal string, read exactly.
    #[serde(default, borrow)]
    pub amount: Option<Cow<'a, str>>,
    /// The amount's currency (ISO 4217 code).
    #[serde(default, borrow)]
    pub currency: Option<Cow<'a, str>>,
    /// Goods categories' ids in the rule packs.
    #[serde(default, borrow)]
    pub goods: Vec<Cow<'a, str>>,
    /// Whether the transaction is for personal use.
    #[serde(default)]
    pub personal_use: Option<bool>,
    /// Party id of the originator.
    #[serde(default, borrow)]
    pub originator: Option<Cow<'a, str>>,
    /// Party id of the originator's bank.
    #[serde(default, borrow)]
    pub originator_bank: Option<Cow<'a, str>>,
    /// Party ids of the intermediary banks, in route order.
    #[serde(default, borrow)]
    pub intermediaries: Vec<Cow<'a, str>>,
    /// Party id of the beneficiary's bank.
    #[serde(default, borrow)]
    pub beneficiary_bank: Option<Cow<'a, str>>,
    /// Party id of the beneficiary.
    #[serde(default, borrow)]
    pub beneficiary: Option<Cow<'a, str>>,
    /// Party id of the signatory.
    #[serde(default, borrow)]
    pub signatory: Option<Cow<'a, str>>,
    /// Party id of the agent.
    #[serde(default, borrow)]
    pub agent: Option<Cow<'a, str>>,
    /// Party id of the shipper.
    #[serde(default, borrow)]
    pub shipper: Option<Cow<'a, str>>,
    /// Party id of the vessel.
    #[serde(default, borrow)]
    pub vessel: Option<Cow<'a, str>>,
    /// Party id of the aircraft.
    #[serde(default, borrow)]
    pub aircraft: Option<Cow<'a, str>>,
    /// Party ids of other parties to the transaction.
    #[serde(default, borrow)]
    pub others: Vec<Cow<'a, str>>,
    /// Licenses claimed: general ones of the packs, or specific ones of the world file.
    #[serde(default, borrow)]
    pub licenses: Vec<Cow<'a, str>>,
    /// Party ids recorded as knowing the relevant facts.
    #[serde(default, borrow)]
    pub knowing: Vec<Cow<'a, str>>,
    /// Free text, not echoed in the decision record.
    #[serde(default, borrow)]
    pub description: Option<Cow<'a, str>>,
}

/// Parse one NDJSON line into a record. serde_json's message names the column.
pub(crate) fn parse_json_line(line: &str) -> Result<TxRecord<'_>, String> {
    serde_json::from_str::<TxRecord>(line).map_err(|e| {
        let msg = e.to_string();
        if number_of_wrong_type(line, &e) {
            format!("{msg} (amounts are exact decimal strings: write \"amount\": \"1250.00\")")
        } else {
            msg
        }
    })
}

/// Whether `e` refuses a JSON number where the record wants text (or a boolean), read from
/// the error value and the input, never from serde's wording: a data error (one of serde's own
/// `invalid_type`, `unknown_field`..., never a syntax error) that serde_json locates at a
/// digit. Only a number's last digit can be there: an unknown or duplicate key is located at
/// its closing quote, a string at its closing quote, `true`, `false` and `null` at their last
/// letter, a list or an object before its bracket, a missing key at the closing brace.
fn number_of_wrong_type(text: &str, e: &serde_json::Error) -> bool {
    if e.classify() != serde_json::error::Category::Data || e.column() == 0 {
        return false;
    }
    // serde_json counts lines from 1 and columns in bytes from 1, at the last byte it read.
    let line_start = match e.line() {
        0 | 1 => Some(0),
        n => text.match_indices('\n').nth(n - 2).map(|(i, _)| i + 1),
    };
    line_start
        .and_then(|start| text.as_bytes().get(start + e.column() - 1))
        .is_some_and(u8::is_ascii_digit)
}

/// Reads the records of an input line by line, in either format: one line, one record.
#[derive(Debug)]
pub struct LineParser<'h> {
    header: Option<&'h CsvHeader>,
    csv: CsvLine,
}

impl<'h> LineParser<'h> {
    /// A parser of NDJSON (no header) or of CSV rows under `header`.
    pub fn new(header: Option<&'h CsvHeader>) -> LineParser<'h> {
        LineParser {
            header,
            csv: CsvLine::default(),
        }
    }

    /// The record on one line (its `\n` or `\r\n` ending included or not); `None` for a line of
    /// white space only.
    pub fn parse<'a>(&'a mut self, raw: &'a [u8]) -> Option<Result<TxRecord<'a>, String>> {
        let text = raw.strip_suffix(b"\n").unwrap_or(raw);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        Some(match self.header {
            None => std::str::from_utf8(text)
                .map_err(|e| not_utf8(&e))
                .and_then(parse_json_line),
            Some(header) => self.csv.split(text).and_then(|row| header.record(row)),
        })
    }
}

/// The message for a line that is not UTF-8, with the column of its first bad byte.
pub(crate) fn not_utf8(e: &std::str::Utf8Error) -> String {
    format!(
        "not UTF-8 text (invalid byte at column {})",
        e.valid_up_to() + 1
    )
}

/// A fast, non-cryptographic string hash (FxHash): ids come from files the user controls,
/// and a slow hash would be a fifth of the time spent per record.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<'w, V> = HashMap<&'w str, V, std::hash::BuildHasherDefault<FxHasher>>;

/// Names resolved once per world, so that lowering a record looks nothing up by scanning.
#[derive(Debug)]
pub struct Resolver<'w> {
    rules: &'w RuleSet,
    types: FastMap<'w, usize>,
    goods: FastMap<'w, usize>,
    /// Party ids (and `ofac:N` aliases) of the world.
    parties: FastMap<'w, PartyIdx>,
    /// Each party's kind, by index (roles must fit them).
    kinds: Vec<crate::model::PartyKind>,
}

impl<'w> Resolver<'w> {
    /// A resolver of the ids records use (types, goods, parties and their `ofac:N` aliases) against
    /// `rules` and `world`.
    pub fn new(rules: &'w RuleSet, world: &'w World) -> Resolver<'w> {
        let index = |terms: &'w [crate::model::ruleset::Term]| {
            terms
                .iter()
                .enumerate()
                .map(|(i, t)| (t.id.as_str(), i))
                .collect()
        };
        Resolver {
            rules,
            types: index(rules.vocabulary.transaction_types.as_slice()),
            goods: index(&rules.vocabulary.goods),
            parties: world.index.iter().map(|(k, v)| (k.as_str(), *v)).collect(),
            kinds: world.parties.iter().map(|p| p.kind).collect(),
        }
    }

    /// Lower `rec` into `tx`, reusing its buffers (no allocation once they have grown), by
    /// the one transaction lowering ([`crate::scenario::transaction`]). Every problem of the
    /// record is kept, each with its own code.
    pub fn lower_into(
        &self,
        rec: &TxRecord,
        line: u64,
        file: &Arc<str>,
        tx: &mut Transaction,
    ) -> Result<(), RecordError> {
        let mut names = RecordNames {
            resolver: self,
            line,
            file,
            problems: Vec::new(),
        };
        transaction::lower_transaction(&mut names, rec, tx);
        if names.problems.is_empty() {
            Ok(())
        } else {
            Err(RecordError {
                line,
                problems: names.problems,
            })
        }
    }
}

/// One record's view of a [`Resolver`]: problems are kept for the record's error.
struct RecordNames<'r, 'w> {
    resolver: &'r Resolver<'w>,
    line: u64,
    file: &'r Arc<str>,
    problems: Vec<Problem>,
}

impl TxContext for RecordNames<'_, '_> {
    type At = ();
    fn rules(&self) -> &RuleSet {
        self.resolver.rules
    }
    fn transaction_type(&self, name: &str) -> Option<usize> {
        self.resolver.types.get(name).copied()
    }
    fn goods(&self, name: &str) -> Option<usize> {
        self.resolver.goods.get(name).copied()
    }
    fn party(&self, id: &str) -> Option<PartyIdx> {
        self.resolver.parties.get(id).copied()
    }
    fn party_kind(&self, p: PartyIdx) -> Option<PartyKind> {
        self.resolver.kinds.get(p.idx()).copied()
    }
    fn party_help(&self, _: &str) -> Option<String> {
        // No "did you mean" over a world of a million parties: the scan would cost more than
        // the whole record; the id is echoed so it can be searched for.
        None
    }
    fn report(&mut self, _: &(), code: Code, message: String, help: Option<String>) {
        self.problems.push(Problem::new(code, message, help));
    }
    fn locate(&self, _: &(), loc: &mut Loc) {
        if !Arc::ptr_eq(&loc.file, self.file) {
            *loc = Loc::file(self.file.clone());
        }
        loc.line = u32::try_from(self.line).unwrap_or(u32::MAX);
        loc.column = 1;
    }
}

/// A field of a record: the formats locate nothing finer than the record's line.
#[allow(
    clippy::ptr_arg,
    reason = "mapped over the record's fields, which are `Cow`s"
)]
fn field<'r>(text: &'r Cow<'_, str>) -> Field<'r, ()> {
    Field { text, at: () }
}

impl TxFields for TxRecord<'_> {
    type At = ();
    fn id(&self) -> Field<'_, ()> {
        field(&self.id)
    }
    fn date(&self) -> Field<'_, ()> {
        field(&self.date)
    }
    fn tx_type(&self) -> Field<'_, ()> {
        field(&self.tx_type)
    }
    fn goods(&self) -> impl Iterator<Item = Field<'_, ()>> {
        self.goods.iter().map(field)
    }
    fn amount(&self) -> Option<Field<'_, ()>> {
        self.amount.as_ref().map(field)
    }
    fn currency(&self) -> Option<Field<'_, ()>> {
        self.currency.as_ref().map(field)
    }
    fn personal_use(&self) -> bool {
        self.personal_use.unwrap_or(false)
    }
    fn parties(&self) -> impl Iterator<Item = (Role, Field<'_, ()>)> {
        role_order(
            [&self.originator, &self.originator_bank],
            &self.intermediaries,
            [
                &self.beneficiary_bank,
                &self.beneficiary,
                &self.signatory,
                &self.agent,
                &self.shipper,
                &self.vessel,
                &self.aircraft,
            ],
            &self.others,
        )
        .map(|(role, v)| (role, field(v)))
    }
    fn licenses(&self) -> impl Iterator<Item = Field<'_, ()>> {
        self.licenses.iter().map(field)
    }
    fn knowing(&self) -> impl Iterator<Item = Field<'_, ()>> {
        self.knowing.iter().map(field)
    }
    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

/// An empty transaction to lower records into.
pub use crate::scenario::transaction::blank_transaction;

#[cfg(test)]
mod number_hint_tests {
    use super::*;

    /// The hint follows the error value exactly where it used to follow serde's words.
    #[test]
    fn a_number_of_the_wrong_type_is_known_from_the_error_value() {
        let lines = [
            r#"{"id":"a","date":"2025-01-01","type":"wire","amount":1.5}"#,
            r#"{"id":"a","date":"2025-01-01","type":"wire","amount":1250}"#,
            r#"{"id":"a","date":"2025-01-01","type":"wire","amount":-3e5}"#,
            r#"{"id":7,"date":"2025-01-01","type":"wire"}"#,
            r#"{"id":"a","date":"2025-01-01","type":"wire","goods":["food",12]}"#,
            r#"{"id":"a","date":"2025-01-01","type":"wire","personal_use":1}"#,
            r#"{"id":"a","date":"2025-01-01","type":"wire","personal_use":"yes"}"#,
            r#"{"id":"a","date":"2025-01-01","type":"wire","amount":true}"#,
            r#"{"id":"a","date":"2025-01-01","type":"wire","amount":null,"x1":2}"#,
            r#"{"id":"a","date":"2025-01-01","type":"wire","amount":[1]}"#,
            r#"{"id":"a","date":"2025-01-01","type":"wire","amount":{"v":1}}"#,
            r#"{"id":"a","date":"2025-01-01","type":"wire","amount":"5","amount":"6"}"#,
            r#"{"id":"a","date":"2025-01-01","type":"wire","x2":"5"}"#,
            r#"{"id":"a","date":"2025-01-01","type2":5}"#,
            r#"{"id":"a","date":"2025-01-01"}"#,
            r#"{"id":"a","date":"2025-01-01","type":"wire","amount":1e999}"#,
            r#"{"id":"a","date":"2025-01-01","type":"wire","amount":01}"#,
            r#"{"id":"a","date":"2025-01-01","type":"wire"} 5"#,
            r#"[1,2]"#,
            r#"5"#,
            r#"{"id":"a","date":"2025-01-01","type":"wire","agent":"p1"}"#,
            "{\"id\":\"a\",\n\"date\":\"2025-01-01\",\"type\":\"wire\",\n\"amount\":15}",
        ];
        for line in lines {
            let Err(e) = serde_json::from_str::<TxRecord>(line) else {
                continue;
            };
            let msg = e.to_string();
            let by_words = msg.contains("invalid type: floating point")
                || msg.contains("invalid type: integer");
            assert_eq!(number_of_wrong_type(line, &e), by_words, "{line}: {msg}");
        }
    }
}
