//! Located, coded diagnostics for every input the engine reads.
//!
//! Diagnostics are data (a stable [`Code`], a [`Severity`], a message, an optional help text and
//! a [`Loc`]) until a renderer turns them into text or JSON. Messages follow one style: lowercase,
//! no trailing period, user values in backticks; extra advice goes to `help`.

use std::fmt;

use serde::Serialize;

use crate::source::{Loc, SourceFile};

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
pub enum Severity {
    Warning,
    Error,
}

/// One problem found in an input, with where it is and what to do about it.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// The source line the diagnostic points into, for rendering a caret.
    #[serde(skip)]
    pub snippet: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, loc: &Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            file: loc.file.to_string(),
            line: loc.line,
            column: loc.column,
            snippet: None,
        }
    }

    pub fn warning(code: Code, loc: &Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, loc, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// Attach the source line for caret rendering.
    pub fn with_source(mut self, file: &SourceFile) -> Self {
        if self.line > 0 {
            self.snippet = Some(file.line_text(self.line).to_string());
        }
        self
    }

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

    /// Human rendering: `file:line:col: error[CODE]: message`, the source line with a caret,
    /// and the help text.
    pub fn render(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!(
            "{}: {sev}[{}]: {}",
            self.location(),
            self.code,
            self.message
        );
        if let Some(line) = &self.snippet {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            let caret_pad: String = line
                .chars()
                .take(self.column.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!(
                "\n{pad} |\n{gutter} | {line}\n{pad} | {caret_pad}^"
            ));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("\n  = help: {help}"));
        }
        out
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
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn error(&mut self, code: Code, loc: &Loc, message: impl Into<String>) {
        self.items.push(Diagnostic::error(code, loc, message));
    }

    pub fn error_help(
        &mut self,
        code: Code,
        loc: &Loc,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.items
            .push(Diagnostic::error(code, loc, message).with_help_opt(help));
    }

    pub fn warning(&mut self, code: Code, loc: &Loc, message: impl Into<String>) {
        self.items.push(Diagnostic::warning(code, loc, message));
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Attach source lines to every diagnostic that points into `file`.
    pub fn attach_source(&mut self, file: &SourceFile) {
        for d in &mut self.items {
            if d.snippet.is_none() && d.file == **file.name() {
                let line = d.line;
                if line > 0 {
                    d.snippet = Some(file.line_text(line).to_string());
                }
            }
        }
    }

    /// Stable order: by file, line, column, then code.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code))
        });
    }
}

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
        if close && best.is_none_or(|(b, _)| score > b) {
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
    fn suggestions_find_close_names_only() {
        let c = ["us.sdgt", "us.fto", "us.glomag"];
        assert_eq!(suggest("us.sgdt", c), Some("us.sdgt".into()));
        assert_eq!(suggest("sdgt", c), Some("us.sdgt".into()));
        assert_eq!(suggest("eu.ghr", c), None);
    }

    #[test]
    fn render_points_a_caret_at_the_column() {
        let f = SourceFile::new("r.toml", "a = 1\nbogus = 2\n");
        let d = Diagnostic::error(Code::UnknownKey, &f.loc(6..11), "unknown key `bogus`")
            .with_help("did you mean `a`?")
            .with_source(&f);
        let text = d.render();
        assert!(text.starts_with("r.toml:2:1: error[UNKNOWN_KEY]: unknown key `bogus`"));
        assert!(text.contains("2 | bogus = 2\n  | ^"));
        assert!(text.ends_with("= help: did you mean `a`?"));
    }
}
