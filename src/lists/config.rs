//! List configurations (`lists/*.toml`, embedded): what each list is, where its publisher
//! puts it, and which regime carries which list tag. The law stays data: Rust knows no regime.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::entry::EntryType;
use super::record::ListImport;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{Loc, SourceFile};

/// The embedded list configurations: (path, text).
static EMBEDDED: &[(&str, &str)] = &[
    (
        "lists/ca-criminal-code.toml",
        include_str!("../../lists/ca-criminal-code.toml"),
    ),
    (
        "lists/ca-jvcfoa.toml",
        include_str!("../../lists/ca-jvcfoa.toml"),
    ),
    (
        "lists/ca-sema.toml",
        include_str!("../../lists/ca-sema.toml"),
    ),
    ("lists/eu-fsf.toml", include_str!("../../lists/eu-fsf.toml")),
    (
        "lists/opensanctions.toml",
        include_str!("../../lists/opensanctions.toml"),
    ),
    ("lists/un.toml", include_str!("../../lists/un.toml")),
    (
        "lists/us-ofac-cons.toml",
        include_str!("../../lists/us-ofac-cons.toml"),
    ),
    (
        "lists/us-ofac-cons-csv.toml",
        include_str!("../../lists/us-ofac-cons-csv.toml"),
    ),
    (
        "lists/us-ofac-sdn-csv.toml",
        include_str!("../../lists/us-ofac-sdn-csv.toml"),
    ),
    (
        "lists/us-ofac-sdn.toml",
        include_str!("../../lists/us-ofac-sdn.toml"),
    ),
    ("lists/uk-sl.toml", include_str!("../../lists/uk-sl.toml")),
    (
        "lists/uk-ofsi.toml",
        include_str!("../../lists/uk-ofsi.toml"),
    ),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    list: RawHeader,
    #[serde(default)]
    regimes: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: String,
    name: String,
    publisher: String,
    format: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    regimes_are_tags: bool,
    #[serde(default)]
    record_type: Option<EntryType>,
}

/// One list's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListConfig {
    /// The list's id (`un`, `uk-ofsi`), the stem of its configuration file.
    pub id: String,
    /// The list's name for people (`UN Security Council Consolidated List`).
    pub name: String,
    /// Who publishes it (`UN Security Council`, `HM Treasury (OFSI)`).
    pub publisher: String,
    /// The importer that reads it (`un-xml`, `ofsi-csv`).
    pub format: String,
    /// Where the publisher serves the file, if known; the import reads local files only.
    pub url: Option<String>,
    /// The list's regimes are list tags themselves (OFAC's program tags): no table needed.
    pub regimes_are_tags: bool,
    /// Regime as the list writes it -> list tags.
    pub regimes: BTreeMap<String, Vec<String>>,
    /// The type of every record, for a list whose file does not say (a schedule of
    /// individuals written as plain names).
    pub record_type: Option<EntryType>,
}

/// Parse one configuration file.
pub fn parse(file: &SourceFile) -> Result<ListConfig, Diagnostic> {
    let raw: RawConfig = toml::from_str(file.text()).map_err(|e| {
        let loc = match e.span() {
            Some(s) => file.loc(s),
            None => file.whole(),
        };
        Diagnostic::error(Code::InvalidValue, &loc, e.message().to_string())
    })?;
    Ok(ListConfig {
        id: raw.list.id,
        name: raw.list.name,
        publisher: raw.list.publisher,
        format: raw.list.format,
        url: raw.list.url,
        regimes_are_tags: raw.list.regimes_are_tags,
        regimes: raw.regimes,
        record_type: raw.list.record_type,
    })
}

/// Every embedded configuration, in path order.
pub fn embedded() -> Result<Vec<ListConfig>, Diagnostic> {
    EMBEDDED
        .iter()
        .map(|(path, text)| parse(&SourceFile::new(format!("<embedded>/{path}"), *text)))
        .collect()
}

/// The embedded configuration of list `id`.
pub fn embedded_list(id: &str) -> Result<ListConfig, Diagnostic> {
    let all = embedded()?;
    let mut ids: Vec<String> = all.iter().map(|c| c.id.clone()).collect();
    ids.sort();
    all.into_iter().find(|c| c.id == id).ok_or_else(|| {
        Diagnostic::error(
            Code::UnknownReference,
            &Loc::builtin("lists"),
            format!("no list configuration `{id}`"),
        )
        .with_help(format!("known lists: {}", ids.join(", ")))
    })
}

impl ListConfig {
    /// Give every record the tags of its regimes; count the regimes no entry maps.
    pub fn apply(&self, import: &mut ListImport) {
        for r in &mut import.records {
            if let Some(t) = self.record_type {
                r.entry_type = t;
            }
            r.tags.clear();
            for g in &r.regimes {
                let own = [g.clone()];
                let tags = match self.regimes.get(g) {
                    Some(t) => Some(t.as_slice()),
                    None if self.regimes_are_tags => Some(own.as_slice()),
                    None => None,
                };
                match tags {
                    Some(tags) => {
                        for t in tags {
                            if !r.tags.contains(t) {
                                r.tags.push(t.clone());
                            }
                        }
                    }
                    None => *import.unmapped_regimes.entry(g.clone()).or_insert(0) += 1,
                }
            }
        }
    }
}
