//! Turning the bytes of a list file into text: the encoding and the end-of-file marker.
//!
//! OFAC publishes `SDN.CSV` in Windows-1252 with a lone Ctrl-Z (0x1A) line at the end. A file
//! someone re-saved may be UTF-8 (with or without a byte-order mark) or UTF-16 (with one):
//! those are read as what they are, with a warning. A file with NUL bytes and no byte-order
//! mark is not text this reader can trust, and is refused.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::Loc;

/// The text of a list file and what decoding it found.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The decoded text, without a byte-order mark or the end-of-file marker.
    pub text: String,
    /// The encoding the bytes were read in (`windows-1252`, `UTF-8`, `UTF-16LE`, ...).
    pub encoding: &'static str,
    /// The file ended with OFAC's Ctrl-Z end-of-file marker (now removed from `text`).
    pub eof_marker: bool,
}

/// A location in a list file: its name and a 1-based line.
pub(crate) fn line_loc(file: &str, line: u64) -> Loc {
    Loc {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: 1,
        ..Loc::file(file)
    }
}

/// The line each record of a CSV text starts on, found record by record in one pass. The
/// reader's position of a record is where it stood before the line end (and any empty lines)
/// before the record, so line ends are skipped, then lines are counted from the last record's
/// start.
pub(crate) struct RecordLines<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> RecordLines<'a> {
    /// At the start of `text`, line 1.
    pub(crate) fn new(text: &'a [u8]) -> Self {
        RecordLines {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record the reader put at `pos` (records in file order).
    pub(crate) fn at(&mut self, pos: Option<&csv::Position>) -> u64 {
        let mut start = pos
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(0)
            .max(self.offset);
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        self.line += self
            .text
            .get(self.offset..start)
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count() as u64);
        self.offset = start;
        self.line
    }
}

/// The 1-based line of a byte offset.
pub(crate) fn line_of(bytes: &[u8], offset: usize) -> u64 {
    let end = offset.min(bytes.len());
    bytes
        .get(..end)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count()) as u64
        + 1
}

/// Decode `bytes`; problems go to `diags`. `None` when the file cannot be read as a list.
pub fn decode(bytes: &[u8], file: &str, diags: &mut Diagnostics) -> Option<Decoded> {
    if bytes.iter().all(|b| b.is_ascii_whitespace() || *b == 0x1A) {
        diags.push(
            Diagnostic::error(
                Code::ListRow,
                &Loc::file(file),
                "the list file is empty: it has no rows",
            )
            .with_help("an OFAC SDN.CSV file has one row per entry; check the download"),
        );
        return None;
    }
    let (mut text, encoding) = if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom..).unwrap_or_default();
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if enc != UTF_8 || had_errors {
            diags.push(Diagnostic::warning(
                Code::ListRow,
                &Loc::file(file),
                format!(
                    "the file is {}{}, not Windows-1252 as OFAC publishes it; read as {}",
                    enc.name(),
                    if had_errors {
                        " with invalid sequences"
                    } else {
                        ""
                    },
                    enc.name()
                ),
            ));
        }
        (text.into_owned(), enc.name())
    } else if let Some(nul) = bytes.iter().position(|b| *b == 0) {
        diags.push(
            Diagnostic::error(Code::ListRow, &line_loc(file, line_of(bytes, nul)), "the file contains NUL bytes: it is not a text CSV file")
                .with_help("OFAC's SDN.CSV is Windows-1252 text; a UTF-16 file needs a byte-order mark, or convert it first"),
        );
        return None;
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        if !s.is_ascii() {
            let first = bytes.iter().position(|b| !b.is_ascii()).unwrap_or(0);
            diags.push(Diagnostic::warning(
                Code::ListRow,
                &line_loc(file, line_of(bytes, first)),
                "the file is UTF-8, not Windows-1252 as OFAC publishes it; read as UTF-8",
            ));
        }
        (
            s.to_string(),
            if s.is_ascii() {
                WINDOWS_1252.name()
            } else {
                UTF_8.name()
            },
        )
    } else {
        // Windows-1252 maps every byte, so this never fails.
        let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
        (text.into_owned(), WINDOWS_1252.name())
    };

    // OFAC ends the file with a lone Ctrl-Z line; a file without one may have been cut short.
    let trimmed = text.trim_end_matches(['\r', '\n', ' ', '\t']);
    let eof_marker = trimmed.ends_with('\u{1A}');
    if eof_marker {
        let keep = trimmed.len() - 1;
        text.truncate(keep);
    } else {
        diags.push(
            Diagnostic::warning(Code::ListRow, &Loc::file(file), "the file does not end with OFAC's end-of-file marker (Ctrl-Z): it may be cut short")
                .with_help("compare the row count with the one OFAC publishes"),
        );
    }
    Some(Decoded {
        text,
        encoding,
        eof_marker,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_decoded_and_the_marker_removed() {
        let mut d = Diagnostics::new();
        let r = decode(b"1,\"CAF\xc9\"\r\n\x1a", "f.csv", &mut d).unwrap();
        assert_eq!(r.text, "1,\"CAFÉ\"\r\n");
        assert!(r.eof_marker);
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn utf8_and_utf16_are_read_with_a_warning() {
        let mut d = Diagnostics::new();
        let r = decode("1,\"CAFÉ\"\r\n\u{1a}".as_bytes(), "f.csv", &mut d).unwrap();
        assert_eq!(r.text, "1,\"CAFÉ\"\r\n");
        assert_eq!(d.len(), 1);
        let mut d = Diagnostics::new();
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "1,\"A\"\r\n\u{1a}".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        let r = decode(&utf16, "f.csv", &mut d).unwrap();
        assert_eq!(r.text, "1,\"A\"\r\n");
        assert_eq!(r.encoding, "UTF-16LE");
    }

    #[test]
    fn empty_and_nul_files_are_refused_with_a_location() {
        let mut d = Diagnostics::new();
        // Three files: the same problem in one file would be reported once with a count.
        assert!(decode(b"", "e.csv", &mut d).is_none());
        assert!(decode(b"\r\n\x1a", "f.csv", &mut d).is_none());
        assert!(decode(b"1,\"A\"\r\n2,\0\"B\"", "g.csv", &mut d).is_none());
        let v: Vec<_> = d.into_vec();
        assert_eq!(v.len(), 3);
        assert_eq!(v[2].line, 2);
    }
}
