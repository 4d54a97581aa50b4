//! Source files and locations.
//!
//! A [`Loc`] is metadata, never identity: two model values that differ only in where they were
//! written compare equal, which is what round-trip tests (rules -> TOML -> rules) need.
//!
//! Files with classic Mac line ends (CR alone, no LF anywhere) are read as if each CR were a
//! line feed, so their lines and columns are the ones an editor shows. Text that is not UTF-8
//! is refused with the line and column of the first bad byte ([`SourceFile::from_bytes`]).

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use sha2::{Digest as _, Sha256};

use crate::diagnostic::{Code, Diagnostic};

/// Byte distance between the character-count checkpoints of a file: a column is found by
/// counting at most this many bytes, however long its line (a 10 MB single-line file).
const CHECKPOINT_BYTES: usize = 64 << 10;

/// One input file held in memory, with the byte offsets of its line starts.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: Arc<str>,
    text: Arc<str>,
    line_starts: Vec<usize>,
    /// `checkpoints[i]`: the number of characters in the first `i * CHECKPOINT_BYTES` bytes.
    checkpoints: Vec<usize>,
}

impl SourceFile {
    /// A file of `text` named `name` (a path as given, or a pseudo name such as `<builder>`).
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        let mut text: Arc<str> = text.into();
        if text.contains('\r') && !text.contains('\n') {
            text = text.replace('\r', "\n").into();
        }
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut checkpoints = vec![0];
        for chunk in text.as_bytes().chunks(CHECKPOINT_BYTES) {
            let before = checkpoints.last().copied().unwrap_or(0);
            checkpoints.push(before + char_starts(chunk));
        }
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            checkpoints,
        }
    }

    /// A file read from disk: text that is not UTF-8 is an error located at its first bad byte.
    pub fn from_bytes(name: impl Into<Arc<str>>, bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        let name: Arc<str> = name.into();
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile::new(name, text)),
            Err(e) => {
                let bytes = e.as_bytes();
                let bad = e.utf8_error().valid_up_to();
                let valid = std::str::from_utf8(bytes.get(..bad).unwrap_or(&[])).unwrap_or("");
                // Locate the byte in the readable prefix (plus one character for the bad byte).
                let prefix = SourceFile::new(name.clone(), format!("{valid}?"));
                let loc = prefix.loc(bad..bad + 1);
                let byte = bytes.get(bad).copied().unwrap_or(0);
                let mut d = Diagnostic::error(
                    Code::InvalidValue,
                    &loc,
                    format!("the file is not UTF-8 text (byte 0x{byte:02X} cannot start or continue a character)"),
                )
                .with_help("save the file as UTF-8");
                d = d.with_source(&prefix);
                Err(d)
            }
        }
    }

    /// The file's name, as diagnostics print it.
    pub fn name(&self) -> &Arc<str> {
        &self.name
    }

    /// The file's text.
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
        let col = self.chars_before(offset) - self.chars_before(start);
        (
            u32::try_from(line_idx + 1).unwrap_or(u32::MAX),
            u32::try_from(col + 1).unwrap_or(u32::MAX),
        )
    }

    /// The number of characters in the first `offset` bytes, in at most one checkpoint's work.
    fn chars_before(&self, offset: usize) -> usize {
        let i = offset / CHECKPOINT_BYTES;
        let base = self.checkpoints.get(i).copied().unwrap_or(0);
        let from = i * CHECKPOINT_BYTES;
        base + self
            .text
            .as_bytes()
            .get(from..offset)
            .map_or(0, char_starts)
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

    /// At most [`SNIPPET_CHARS`] characters of a line around 1-based `column`, printable
    /// (see [`printable`]), and the caret's column within it.
    pub fn snippet(&self, line: u32, column: u32) -> (String, u32) {
        let text = self.line_text(line);
        let col = (column.max(1) - 1) as usize;
        let skip = col.saturating_sub(SNIPPET_CHARS / 2);
        let mut chars = text.chars().skip(skip);
        let before: String = chars.by_ref().take(col - skip).collect();
        let after: String = chars.by_ref().take(SNIPPET_CHARS - (col - skip)).collect();
        let lead = if skip > 0 { "..." } else { "" };
        let trail = if chars.next().is_some() { "..." } else { "" };
        let before = format!("{lead}{}", printable(&before));
        let caret = before.chars().count() + 1;
        (
            format!("{before}{}{trail}", printable(&after)),
            u32::try_from(caret).unwrap_or(u32::MAX),
        )
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

/// The diagnostic for a file that could not be opened or read: `NOT_FOUND` when nothing is
/// there, `IO` otherwise. `what` names the file for the reader ("the scenario").
pub fn io_diagnostic(path: &Path, what: &str, e: &std::io::Error) -> Diagnostic {
    let code = if e.kind() == std::io::ErrorKind::NotFound {
        Code::NotFound
    } else {
        Code::Io
    };
    Diagnostic::error(
        code,
        &Loc::file(path.display().to_string()),
        format!("cannot read {what}: {e}"),
    )
}

/// The bytes of a file, for inputs that are not always UTF-8 (list files in other encodings);
/// a file that cannot be read is one [`io_diagnostic`].
pub fn read_bytes(path: &Path, what: &str) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(path).map_err(|e| io_diagnostic(path, what, &e))
}

/// Read a text file: a file that cannot be read is one [`io_diagnostic`], text that is not
/// UTF-8 one diagnostic at its first bad byte ([`SourceFile::from_bytes`]). The file is named
/// by its path as given.
pub fn read_source(path: &Path, what: &str) -> Result<SourceFile, Diagnostic> {
    let bytes = read_bytes(path, what)?;
    SourceFile::from_bytes(path.display().to_string(), bytes)
}

/// The widest part of a source line a diagnostic shows.
pub const SNIPPET_CHARS: usize = 120;

/// The number of UTF-8 character starts in `bytes` (bytes that are not continuation bytes).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count()
}

/// Characters that would act on a terminal or reorder text rather than show: control
/// characters, bidirectional overrides and isolates, zero-width characters.
pub fn is_invisible(c: char) -> bool {
    c.is_control() && c != '\t'
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{061C}'
                | '\u{FEFF}'
                | '\u{00AD}'
        )
}

/// `s` with every [`is_invisible`] character written as `\u{XXXX}`: what a person reads is
/// what the file holds, and no input can move a terminal's cursor or retitle it.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_invisible) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_invisible(c) {
            out.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Where something was written: a file, a 1-based line and column, and the byte span.
#[derive(Clone, Default)]
pub struct Loc {
    /// The file, as named to the user (or a pseudo source such as `<world builder>`).
    pub file: Arc<str>,
    /// 1-based line; 0 when the location is the whole file.
    pub line: u32,
    /// 1-based column, in characters; 0 when the location is the whole file.
    pub column: u32,
    /// The byte span in the file's text, when known.
    pub span: Option<Range<usize>>,
}

impl Loc {
    /// The whole file `name`, with no position in it.
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

/// The sha256 of `bytes`, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The digest of a set of source files (a rule pack's): the sha256 of each file's length and
/// text, in load order. Names are left out on purpose: the same packs read from another
/// directory, or embedded, have the same digest; a decision names the law by this value.
pub fn digest_files(files: &[SourceFile]) -> String {
    let mut h = Sha256::new();
    for f in files {
        let text = f.text().as_bytes();
        h.update((text.len() as u64).to_le_bytes());
        h.update(text);
    }
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    s
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
