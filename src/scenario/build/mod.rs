//! Worlds and transactions built in code ([`WorldBuilder`], [`TransactionBuilder`]), for
//! programs that hold their facts in memory rather than in scenario files: a service, a
//! Python binding, a test.
//!
//! A builder writes what it is told as the records a scenario file would hold and hands them
//! to the same lowering and checks as the file loaders (`scenario::lower`, `checks`,
//! `overlap`, `transaction`): whatever a file may not say, a builder may not say either, and
//! each problem comes back as the same coded [`crate::Diagnostic`]. A builder
//! never stops at the first problem and never panics; `build` returns all of them.
//!
//! Each call is one line of a pseudo source (`<world builder>` or `<transaction builder>`),
//! written the way the call was made (`designation("ivan", "us.sdgt")`, then
//! `.listed("2022-03-01")` on the next line), so a diagnostic's line and column name the call
//! and the argument, and its caret shows them.

mod transaction;
mod world;

use std::fmt::Write as _;
use std::ops::Range;

use rust_decimal::Decimal;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::source::SourceFile;

pub use transaction::TransactionBuilder;
pub use world::{
    ControlBuilder, DesignationBuilder, JointArrangementBuilder, OwnershipBuilder, PartyBuilder,
    WorldBuilder,
};

/// A number as a builder takes it: its text as a scenario file writes it (`"50"`, `"12.5"`;
/// for a share also a range `"30-60"` or `"unknown"`), an exact [`Decimal`], or a whole
/// number. Floating-point values are not accepted: money and shares are exact.
///
/// ```
/// use interdict::NumberText;
/// use rust_decimal::Decimal;
///
/// assert_eq!(NumberText::from("12.5").as_str(), "12.5");
/// assert_eq!(NumberText::from(Decimal::new(125, 1)).as_str(), "12.5");
/// assert_eq!(NumberText::from(60u32).as_str(), "60");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberText(String);

impl NumberText {
    /// The number's text, as lowering reads it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for NumberText {
    fn from(s: &str) -> Self {
        NumberText(s.to_string())
    }
}

impl From<String> for NumberText {
    fn from(s: String) -> Self {
        NumberText(s)
    }
}

impl From<Decimal> for NumberText {
    fn from(d: Decimal) -> Self {
        NumberText(d.to_string())
    }
}

impl From<u32> for NumberText {
    fn from(n: u32) -> Self {
        NumberText(n.to_string())
    }
}

impl From<u64> for NumberText {
    fn from(n: u64) -> Self {
        NumberText(n.to_string())
    }
}

impl From<i64> for NumberText {
    fn from(n: i64) -> Self {
        NumberText(n.to_string())
    }
}

/// The pseudo source of a builder: one line per call, and the byte span of each argument.
#[derive(Debug, Clone, Default)]
struct Script {
    text: String,
}

impl Script {
    /// Write `name(args...)` as a new line (`.name(...)` indented when `continued`, a call on
    /// the record of the line before) and return the span of each argument.
    fn call(&mut self, continued: bool, name: &str, args: &[&str]) -> Vec<Range<usize>> {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(if continued { "    ." } else { "" });
        self.text.push_str(name);
        self.text.push('(');
        let mut spans = Vec::with_capacity(args.len());
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            let start = self.text.len();
            // Debug quoting escapes line breaks: every call stays on its line.
            let _ = write!(self.text, "{a:?}");
            spans.push(start..self.text.len());
        }
        self.text.push(')');
        spans
    }

    /// Like [`Script::call`], with a list of values (`joint_arrangement(["a", "b"], "e")`)
    /// before the other arguments: the spans of the list's values, then of the others.
    fn call_with_list(
        &mut self,
        name: &str,
        list: &[&str],
        args: &[&str],
    ) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(name);
        self.text.push_str("([");
        let mut listed = Vec::with_capacity(list.len());
        for (i, a) in list.iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            let start = self.text.len();
            let _ = write!(self.text, "{a:?}");
            listed.push(start..self.text.len());
        }
        self.text.push(']');
        let mut spans = Vec::with_capacity(args.len());
        for a in args {
            self.text.push_str(", ");
            let start = self.text.len();
            let _ = write!(self.text, "{a:?}");
            spans.push(start..self.text.len());
        }
        self.text.push(')');
        (listed, spans)
    }

    /// The script as a source file named `name`, for locations and carets.
    fn source(&self, name: &str) -> SourceFile {
        SourceFile::new(name, self.text.as_str())
    }
}

/// A problem a builder finds before lowering (a party kind or a role it does not know, a
/// single role given twice), reported at build time with the lowering's own problems.
#[derive(Debug, Clone)]
struct Early {
    code: Code,
    at: Range<usize>,
    message: String,
    /// Advice; followed by the location of `first` when there is one.
    help: Option<String>,
    /// Where the same thing was given first.
    first: Option<Range<usize>>,
}

impl Early {
    /// `name` is not one of `known` (the words a `what` may be).
    fn unknown<'a>(
        what: &str,
        name: &str,
        at: Range<usize>,
        known: impl Iterator<Item = &'a str> + Clone,
    ) -> Early {
        let help = did_you_mean(name, known.clone()).or_else(|| {
            Some(format!(
                "allowed values: {}",
                known.collect::<Vec<_>>().join(", ")
            ))
        });
        Early {
            code: Code::InvalidValue,
            at,
            message: format!("unknown {what} `{name}`"),
            help,
            first: None,
        }
    }

    fn report(&self, file: &SourceFile, diags: &mut Diagnostics) {
        let help = match (&self.help, &self.first) {
            (Some(h), Some(first)) => Some(format!("{h} {}", file.loc(first.clone()))),
            (h, _) => h.clone(),
        };
        diags.push(
            Diagnostic::error(self.code, &file.loc(self.at.clone()), self.message.clone())
                .with_help_opt(help)
                .with_source(file),
        );
    }
}
