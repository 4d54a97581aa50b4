//! The list document: entries written as TOML or JSON (`interdict import`) and read back,
//! losslessly. A scenario loads such a document with `[lists] ofac = "sdn.toml"` exactly as
//! it loads the CSV.

use serde::{Deserialize, Serialize};

use super::entry::SdnEntry;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::{Loc, SourceFile};

/// The format name written in every document's header.
pub const FORMAT: &str = "interdict-list/1";

/// The header of a list document: what it is and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListHeader {
    /// Always [`FORMAT`].
    pub format: String,
    /// The kind of list (`ofac-sdn`).
    pub source: String,
    /// The file the entries were imported from.
    pub file: String,
    /// The number of entries the document holds.
    pub entries: usize,
}

/// A list in interdict's own TOML/JSON form (what `interdict import` writes), readable as a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListDocument {
    /// The `[list]` header.
    pub list: ListHeader,
    /// The entries, one `[[entry]]` each.
    #[serde(default)]
    pub entry: Vec<SdnEntry>,
}

impl ListDocument {
    /// A document of an OFAC SDN list read from `file`.
    pub fn new(file: &str, entries: Vec<SdnEntry>) -> ListDocument {
        ListDocument {
            list: ListHeader {
                format: FORMAT.into(),
                source: "ofac-sdn".into(),
                file: file.into(),
                entries: entries.len(),
            },
            entry: entries,
        }
    }

    /// The document as TOML.
    pub fn to_toml(&self) -> Result<String, ExportError> {
        Ok(toml::to_string(self)?)
    }

    /// The document as pretty-printed JSON, ending in a newline.
    pub fn to_json(&self) -> Result<String, ExportError> {
        let mut s = serde_json::to_string_pretty(self)?;
        s.push('\n');
        Ok(s)
    }
}

/// A list document that could not be written; the message is the serializer's.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The TOML serializer refused the document.
    #[error(transparent)]
    Toml(#[from] toml::ser::Error),
    /// The JSON serializer refused the document.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

/// Which document syntax a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

/// Read a list document; every problem is located. Checks the header and that entry numbers
/// are unique.
pub fn read_document(text: &str, file: &str, syntax: Syntax) -> Result<ListDocument, Diagnostics> {
    let mut d = Diagnostics::new();
    let doc: ListDocument = match syntax {
        Syntax::Toml => match toml::from_str(text) {
            Ok(doc) => doc,
            Err(e) => {
                let src = SourceFile::new(file, text);
                let loc = e.span().map_or_else(|| Loc::file(file), |s| src.loc(s));
                d.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        &loc,
                        format!("not a list document: {}", e.message()),
                    )
                    .with_source(&src),
                );
                return Err(d);
            }
        },
        Syntax::Json => match serde_json::from_str(text) {
            Ok(doc) => doc,
            Err(e) => {
                let loc = Loc {
                    line: e.line() as u32,
                    column: e.column() as u32,
                    ..Loc::file(file)
                };
                d.push(Diagnostic::error(
                    Code::InvalidValue,
                    &loc,
                    format!("not a list document: {e}"),
                ));
                return Err(d);
            }
        },
    };
    if doc.list.format != FORMAT {
        d.push(Diagnostic::error(
            Code::InvalidValue,
            &Loc::file(file),
            format!(
                "unknown list format `{}`; expected `{FORMAT}`",
                doc.list.format
            ),
        ));
    }
    if doc.list.entries != doc.entry.len() {
        d.push(Diagnostic::error(
            Code::ListRow,
            &Loc::file(file),
            format!(
                "the header counts {} entries but the document has {}: it may be cut short",
                doc.list.entries,
                doc.entry.len()
            ),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for e in &doc.entry {
        if !seen.insert(e.ent_num) {
            d.push(Diagnostic::error(
                Code::DuplicateId,
                &Loc::file(file),
                format!("entry number {} appears twice", e.ent_num),
            ));
        }
    }
    if d.has_errors() { Err(d) } else { Ok(doc) }
}
