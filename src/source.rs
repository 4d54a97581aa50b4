//! Source files and locations.
//!
//! A [`Loc`] is metadata, never identity: two model values that differ only in where they were
//! written compare equal, which is what round-trip tests (rules -> TOML -> rules) need.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// One input file held in memory, with the byte offsets of its line starts.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: Arc<str>,
    text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    pub fn name(&self) -> &Arc<str> {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// 1-based line and column (in characters) of a byte offset; offsets past the end clamp.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line_idx).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line_idx as u32 + 1, col as u32 + 1)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: u32) -> &str {
        let idx = (line as usize).saturating_sub(1);
        let start = self.line_starts.get(idx).copied().unwrap_or(0);
        let end = self
            .line_starts
            .get(idx + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    /// A location for a byte span of this file.
    pub fn loc(&self, span: Range<usize>) -> Loc {
        let (line, column) = self.line_col(span.start);
        Loc {
            file: self.name.clone(),
            line,
            column,
            span: Some(span),
        }
    }

    /// A location for the whole file (no span), used when an error concerns the file itself.
    pub fn whole(&self) -> Loc {
        Loc::file(self.name.clone())
    }
}

/// Where something was written: a file, a 1-based line and column, and the byte span.
#[derive(Clone, Default)]
pub struct Loc {
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
    pub span: Option<Range<usize>>,
}

impl Loc {
    pub fn file(name: impl Into<Arc<str>>) -> Self {
        Loc {
            file: name.into(),
            line: 0,
            column: 0,
            span: None,
        }
    }

    /// A location for things built in code rather than read from a file.
    pub fn builtin(what: &str) -> Self {
        Loc::file(format!("<{what}>"))
    }
}

// INVARIANT: locations never take part in equality or ordering of model values.
impl PartialEq for Loc {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for Loc {}

impl fmt::Debug for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.column)
        }
    }
}

impl serde::Serialize for Loc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let f = SourceFile::new("f.toml", "a = 1\nné = \"x\"\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(6), (2, 1));
        // "né" is 3 bytes; the '=' after "né " is the 4th character on line 2.
        assert_eq!(f.line_col(10), (2, 4));
        assert_eq!(f.line_text(2), "né = \"x\"");
        assert_eq!(f.line_col(10_000), (3, 1));
    }
}
