//! Located, coded diagnostics for every input the engine reads.
//!
//! Diagnostics are data (a stable [`Code`], a [`Severity`], a message, an optional help text and
//! a [`Loc`]) until a renderer turns them into text or JSON. Messages follow one style: lowercase,
//! no trailing period, user values in backticks; extra advice goes to `help`.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use crate::source::{Loc, SourceFile};

/// A file's distinct diagnostics beyond this many are counted, not kept: one broken file
/// cannot fill a terminal or memory.
pub const MAX_PER_FILE: usize = 200;
/// The further places of a repeated diagnostic that are named.
const MAX_ALSO: usize = 5;
/// The longest message or help text a diagnostic keeps: messages quote values of the input,
/// and a value of a megabyte must not print a megabyte.
pub const MAX_MESSAGE_BYTES: usize = 1024;

/// `text` cut to at most [`MAX_MESSAGE_BYTES`] on a character boundary, saying how much was
/// left out.
pub fn bounded(mut text: String) -> String {
    if text.len() <= MAX_MESSAGE_BYTES {
        return text;
    }
    let mut cut = MAX_MESSAGE_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let omitted = text.len() - cut;
    text.truncate(cut);
    text.push_str(&format!("... ({omitted} more bytes not shown)"));
    text
}

/// Stable machine codes. Tests and scripts match on these, not on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Code {
    /// The file could not be read.
    Io,
    /// The text is not valid TOML.
    TomlSyntax,
    /// A key that the format does not define.
    UnknownKey,
    /// A required key is absent.
    MissingKey,
    /// A value of the wrong TOML type.
    InvalidType,
    /// A value of the right type that is not allowed (bad enum value, malformed range, ...).
    InvalidValue,
    /// A reference to a program, rule, party, ... that does not exist.
    UnknownReference,
    /// Two definitions share one id.
    DuplicateId,
    /// A date that cannot be (a delisting before its listing, an end before its start).
    ImpossibleDate,
    /// A negative amount of money.
    NegativeAmount,
    /// An ownership share outside 0..=100 or a malformed share.
    InvalidShare,
    /// Holdings in one entity that sum above 100%.
    OwnershipOver100,
    /// An entity recorded as owning itself.
    SelfOwnership,
    /// A rule without a citation.
    MissingCitation,
    /// More definitions of a kind than the engine's compact sets hold.
    LimitExceeded,
    /// An amount needs an exchange rate the scenario does not give.
    MissingExchangeRate,
    /// A due date falls outside the years a business-day calendar covers.
    CalendarOutOfRange,
    /// An amount computed from the inputs is larger than the engine holds exactly.
    AmountOverflow,
    /// A transaction claims a license in words, without an id: not applied, held for review.
    LicenseUnidentified,
    /// A malformed row in an imported list.
    ListRow,
    /// A party resolved against a list by name or identifier (exact or fuzzy), for the record.
    ListMatch,
    /// Designations whose listing dates the source does not give and are assumed.
    DateAssumed,
    /// A scenario expectation that the decision does not meet.
    ExpectationFailed,
    /// A consistency finding of `check`.
    Consistency,
    /// `check --deep`: two rules fire on the same facts with incompatible effects and no
    /// declared precedence between them.
    Conflict,
    /// `check --deep`: a rule that can never fire.
    DeadRule,
    /// `check --deep`: a prohibition that can fire but is defeated wherever it does.
    AlwaysDefeated,
    /// `check --deep`: an exemption or license that no prohibition it selects can ever meet.
    ShadowedException,
    /// `check --deep`: an exemption or license that is overridden wherever it meets a
    /// prohibition.
    AlwaysOverridden,
    /// `check --deep`: an override that never stops anything.
    IneffectiveOverride,
    /// `check --deep`: a law-level invariant declared in the packs does not hold.
    InvariantViolated,
    /// A file or directory that is not where it was said to be.
    NotFound,
}

impl Code {
    /// The stable name printed and serialised (`NOT_FOUND`, `INVALID_VALUE`...).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Io => "IO",
            Code::TomlSyntax => "TOML_SYNTAX",
            Code::UnknownKey => "UNKNOWN_KEY",
            Code::MissingKey => "MISSING_KEY",
            Code::InvalidType => "INVALID_TYPE",
            Code::InvalidValue => "INVALID_VALUE",
            Code::UnknownReference => "UNKNOWN_REFERENCE",
            Code::DuplicateId => "DUPLICATE_ID",
            Code::ImpossibleDate => "IMPOSSIBLE_DATE",
            Code::NegativeAmount => "NEGATIVE_AMOUNT",
            Code::InvalidShare => "INVALID_SHARE",
            Code::OwnershipOver100 => "OWNERSHIP_OVER_100",
            Code::SelfOwnership => "SELF_OWNERSHIP",
            Code::MissingCitation => "MISSING_CITATION",
            Code::LimitExceeded => "LIMIT_EXCEEDED",
            Code::MissingExchangeRate => "MISSING_EXCHANGE_RATE",
            Code::CalendarOutOfRange => "CALENDAR_OUT_OF_RANGE",
            Code::AmountOverflow => "AMOUNT_OVERFLOW",
            Code::LicenseUnidentified => "LICENSE_UNIDENTIFIED",
            Code::ListRow => "LIST_ROW",
            Code::ListMatch => "LIST_MATCH",
            Code::DateAssumed => "DATE_ASSUMED",
            Code::ExpectationFailed => "EXPECTATION_FAILED",
            Code::Consistency => "CONSISTENCY",
            Code::Conflict => "CONFLICT",
            Code::DeadRule => "DEAD_RULE",
            Code::AlwaysDefeated => "ALWAYS_DEFEATED",
            Code::ShadowedException => "SHADOWED_EXCEPTION",
            Code::AlwaysOverridden => "ALWAYS_OVERRIDDEN",
            Code::IneffectiveOverride => "INEFFECTIVE_OVERRIDE",
            Code::InvariantViolated => "INVARIANT_VIOLATED",
            Code::NotFound => "NOT_FOUND",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
/// Whether a diagnostic stops the load.
pub enum Severity {
    /// Reported; the input still loads.
    Warning,
    /// The input is refused.
    Error,
}

/// One problem found in an input, with where it is and what to do about it.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    /// The stable code of the problem.
    pub code: Code,
    /// Whether it refuses the input.
    pub severity: Severity,
    /// What is wrong, in one line (lowercase, user values in backticks).
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Advice on how to fix it, if any.
    pub help: Option<String>,
    /// The file it is about, as named to the user.
    pub file: String,
    /// 1-based line; 0 when there is no position.
    pub line: u32,
    /// 1-based column (in characters); 0 when there is no position.
    pub column: u32,
    /// How many more times the same problem (same code, file and message) was found; the
    /// diagnostic is at the first place, and `also` names the next few.
    #[serde(skip_serializing_if = "is_zero")]
    pub repeated: usize,
    /// Boxed, like `snippet`: most diagnostics never repeat.
    #[serde(skip_serializing_if = "no_other_places")]
    pub also: Box<Vec<(u32, u32)>>,
    /// At most [`crate::source::SNIPPET_CHARS`] characters of the source line the diagnostic
    /// points into, printable, with the caret's column in it (boxed: a `Result` carrying a
    /// diagnostic stays small).
    #[serde(skip)]
    pub snippet: Option<Box<(String, u32)>>,
    /// The per-file "n more problems not shown" summary (its count is not a problem itself).
    #[serde(skip)]
    pub summary: bool,
}

#[allow(clippy::borrowed_box)] // serde hands the field itself
fn no_other_places(also: &Box<Vec<(u32, u32)>>) -> bool {
    also.is_empty()
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Diagnostic {
    /// An error at `loc`.
    pub fn error(code: Code, loc: &Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: bounded(message.into()),
            help: None,
            file: loc.file.to_string(),
            line: loc.line,
            column: loc.column,
            repeated: 0,
            also: Box::default(),
            snippet: None,
            summary: false,
        }
    }

    /// A warning at `loc`.
    pub fn warning(code: Code, loc: &Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, loc, message)
        }
    }

    /// The same diagnostic with a help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(bounded(help.into()));
        self
    }

    /// The same diagnostic with a help text when there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help.map(bounded);
        }
        self
    }

    /// Attach the source line for caret rendering.
    pub fn with_source(mut self, file: &SourceFile) -> Self {
        if self.line > 0 {
            self.snippet = Some(Box::new(file.snippet(self.line, self.column)));
        }
        self
    }

    /// Every place this diagnostic stands for that is named: the first, then `also`.
    pub fn places(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        std::iter::once((self.line, self.column)).chain(self.also.iter().copied())
    }

    /// Whether it refuses the input.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col`, or just the file when there is no position.
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.column)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.location(),
            self.code.as_str(),
            self.message
        )
    }
}

/// A growing list of diagnostics; loaders push into it and never stop at the first problem.
///
/// The list stays proportional to the distinct problems, never to the input: a problem found
/// again (same code, file and message) is counted on its first report, and a file's distinct
/// problems beyond [`MAX_PER_FILE`] are counted in one summary per file.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// Boxed: `Result<_, Diagnostics>` stays small.
    tally: Box<Tally>,
}

#[derive(Debug, Default, Clone)]
struct Tally {
    /// (file, code, message) -> index in `items`.
    seen: HashMap<(String, Code, String), usize>,
    /// file -> distinct diagnostics kept, and the index of its summary once it has one.
    per_file: HashMap<String, FileCount>,
    /// Errors counted but not kept (in summaries).
    hidden_errors: usize,
}

#[derive(Debug, Default, Clone)]
struct FileCount {
    kept: usize,
    summary: Option<usize>,
    hidden: usize,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a diagnostic; a repeat of a kept one is counted on it, and one beyond the file's
    /// limit in the file's summary.
    pub fn push(&mut self, d: Diagnostic) {
        let key = (d.file.clone(), d.code, d.message.clone());
        if let Some(first) = self
            .tally
            .seen
            .get(&key)
            .and_then(|i| self.items.get_mut(*i))
        {
            first.repeated += 1 + d.repeated;
            if first.also.len() < MAX_ALSO {
                first.also.push((d.line, d.column));
            }
            if d.is_error() && !first.is_error() {
                first.severity = Severity::Error;
            }
            return;
        }
        let count = self.tally.per_file.entry(d.file.clone()).or_default();
        if count.kept >= MAX_PER_FILE {
            count.hidden += 1 + d.repeated;
            if d.is_error() {
                self.tally.hidden_errors += 1 + d.repeated;
            }
            let hidden = count.hidden;
            let message = format!(
                "{hidden} more problem{} in this file not shown (the first {MAX_PER_FILE} are)",
                if hidden == 1 { "" } else { "s" }
            );
            match count.summary.and_then(|i| self.items.get_mut(i)) {
                Some(s) => {
                    s.message = message;
                    if d.is_error() {
                        s.severity = Severity::Error;
                    }
                }
                None => {
                    count.summary = Some(self.items.len());
                    let mut s = Diagnostic::error(
                        Code::LimitExceeded,
                        &Loc::file(d.file.as_str()),
                        message,
                    )
                    .with_help("fix these first and run again");
                    s.severity = d.severity;
                    s.summary = true;
                    self.items.push(s);
                }
            }
            return;
        }
        count.kept += 1;
        self.tally.seen.insert(key, self.items.len());
        self.items.push(d);
    }

    /// Add an error at `loc`.
    pub fn error(&mut self, code: Code, loc: &Loc, message: impl Into<String>) {
        self.push(Diagnostic::error(code, loc, message));
    }

    /// Add an error at `loc`, with help when there is one.
    pub fn error_help(
        &mut self,
        code: Code,
        loc: &Loc,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.push(Diagnostic::error(code, loc, message).with_help_opt(help));
    }

    /// Add a warning at `loc`.
    pub fn warning(&mut self, code: Code, loc: &Loc, message: impl Into<String>) {
        self.push(Diagnostic::warning(code, loc, message));
    }

    /// Add every diagnostic of `other`, counting repeats as [`Diagnostics::push`] does.
    pub fn extend(&mut self, other: Diagnostics) {
        self.tally.hidden_errors += other.tally.hidden_errors;
        for d in other.items {
            if is_summary(&d) {
                // Another list's summary: its count is already in `hidden_errors`.
                self.items.push(d);
                continue;
            }
            self.push(d);
        }
    }

    /// Whether any kept diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Every error found, including repeats and those not kept.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.is_error() && !is_summary(d))
            .map(|d| 1 + d.repeated)
            .sum::<usize>()
            + self.tally.hidden_errors
    }

    /// Whether nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many diagnostics are kept (repeats and hidden ones not counted).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The kept diagnostics, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// The kept diagnostics, in order.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Attach source lines to every diagnostic that points into `file`.
    pub fn attach_source(&mut self, file: &SourceFile) {
        for d in &mut self.items {
            if d.snippet.is_none() && d.file == **file.name() && d.line > 0 {
                d.snippet = Some(Box::new(file.snippet(d.line, d.column)));
            }
        }
    }

    /// Stable order: by file, line, column, then code.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code))
        });
        self.tally.seen.clear();
        for c in self.tally.per_file.values_mut() {
            c.summary = None;
        }
        for (i, d) in self.items.iter().enumerate() {
            if is_summary(d) {
                if let Some(c) = self.tally.per_file.get_mut(&d.file) {
                    c.summary = Some(i);
                }
            } else {
                self.tally
                    .seen
                    .insert((d.file.clone(), d.code, d.message.clone()), i);
            }
        }
    }
}

fn is_summary(d: &Diagnostic) -> bool {
    d.summary
}

/// One diagnostic a line (`file:line:col: code: message`), in the list's order; the terminal
/// renderer adds snippets and help.
impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// A failed load is its diagnostics: `?` turns them into a `Box<dyn Error>`.
impl std::error::Error for Diagnostics {}

impl std::error::Error for Diagnostic {}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// "did you mean" for a misspelt name: the closest candidate within a small edit distance.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let lower = name.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::normalized_damerau_levenshtein(&lower, &c.to_lowercase());
        let close = strsim::damerau_levenshtein(&lower, &c.to_lowercase()) <= 2
            || score >= 0.7
            || (lower.len() >= 3 && c.to_lowercase().ends_with(&lower));
        // Ties go to the alphabetically first name, so the answer does not depend on the
        // order of the candidates (often a hash map's).
        if close && best.is_none_or(|(b, bc)| score > b || (score == b && c < bc)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// A help text "did you mean `x`?" when a close candidate exists.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    suggest(name, candidates).map(|s| format!("did you mean `{s}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tie_between_suggestions_does_not_depend_on_their_order() {
        let names = ["us.gl.abc", "us.gl.abe", "us.gl.abf"];
        let forward = suggest("us.gl.abd", names);
        let backward = suggest("us.gl.abd", names.iter().rev().copied());
        assert_eq!(forward.as_deref(), Some("us.gl.abc"));
        assert_eq!(forward, backward);
    }

    #[test]
    fn suggestions_find_close_names_only() {
        let c = ["us.sdgt", "us.fto", "us.glomag"];
        assert_eq!(suggest("us.sgdt", c), Some("us.sdgt".into()));
        assert_eq!(suggest("sdgt", c), Some("us.sdgt".into()));
        assert_eq!(suggest("eu.ghr", c), None);
    }
}
