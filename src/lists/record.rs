//! The model every list importer produces: one record per listed person, entity, ship or
//! aircraft, whatever the publisher. Facts the engine uses are typed; facts it does not model
//! are kept as labelled attributes; fragments no importer understands are kept verbatim in
//! `unparsed` and counted, so that an import accounts for every record and every field.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::entry::{AliasKind, Attribute, EntryType, Identifier};
use crate::diagnostic::Diagnostic;

/// How much a name can be trusted on its own. Publishers mark low-quality aliases (UN `Low`,
/// OFSI `Low`, OFAC `weak`): such a name never makes a match alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    Strong,
    Weak,
}

/// A name other than the primary one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListName {
    pub name: String,
    pub kind: AliasKind,
    pub strength: Strength,
    /// The script or language when the list says (`original script`, `ru`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
}

/// The kind of a link between two listed parties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// `from` is owned or controlled by `to`.
    OwnedOrControlledBy,
    /// `from` owns, controls or operates `to`.
    Owns,
    /// `from` acts for or on behalf of `to`.
    ActingFor,
    /// `from` is a parent company of `to`.
    ParentOf,
    /// `from` is a subsidiary of `to`.
    SubsidiaryOf,
    /// Any other link the list names, with its wording in `text`.
    Other,
}

/// A link from this record to another party, by its id in the same list when the list gives
/// one, by name otherwise. Lists give no shares: a share is never invented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub kind: LinkKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_name: Option<String>,
    /// The link as the list writes it.
    pub text: String,
}

/// One listed target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListRecord {
    /// The publisher's stable id (UN `DATAID`, OFSI `Group ID`, EU `logicalId`, ...).
    pub id: String,
    #[serde(rename = "type")]
    pub entry_type: EntryType,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<ListName>,
    /// Regimes as the list writes them (`Al-Qaida`, `Global Human Rights`).
    pub regimes: Vec<String>,
    /// List tags the list configuration maps the regimes to (`UK-GHR`); rule packs map tags to
    /// programs through `list_tags`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The date the list says the target was listed, when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates_of_birth: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places_of_birth: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationalities: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
    /// Fragments no rule of the importer recognised, verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unparsed: Vec<String>,
    /// The line of the source file the record starts on.
    #[serde(default)]
    pub line: u32,
}

impl ListRecord {
    pub fn new(id: String, entry_type: EntryType, name: String, line: u32) -> Self {
        ListRecord {
            id,
            entry_type,
            name,
            aliases: Vec::new(),
            regimes: Vec::new(),
            tags: Vec::new(),
            listed_on: None,
            dates_of_birth: Vec::new(),
            places_of_birth: Vec::new(),
            nationalities: Vec::new(),
            identifiers: Vec::new(),
            links: Vec::new(),
            attributes: Vec::new(),
            unparsed: Vec::new(),
            line,
        }
    }

    pub fn attribute(&mut self, label: &str, value: impl Into<String>) {
        let value = value.into();
        if !value.is_empty() {
            self.attributes.push(Attribute {
                label: label.to_string(),
                value,
            });
        }
    }
}

/// What an import of one file produced: every record, or a located error for it.
#[derive(Debug, Clone, Default)]
pub struct ListImport {
    /// The list (`un`, `uk-ofsi`), as in its configuration.
    pub list: String,
    pub file: String,
    /// The publication date the file gives, if it gives one.
    pub published: Option<NaiveDate>,
    pub records: Vec<ListRecord>,
    /// Records in the file: `records.len()` plus the refused ones.
    pub seen: usize,
    /// One located error per refused record (and per unreadable file).
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Regimes no entry of the list configuration maps, with their record counts.
    pub unmapped_regimes: BTreeMap<String, usize>,
}

impl ListImport {
    /// Records by type (`individual` -> 730).
    pub fn by_type(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for r in &self.records {
            *m.entry(r.entry_type.as_str()).or_insert(0) += 1;
        }
        m
    }

    /// Records by regime as written.
    pub fn by_regime(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for r in &self.records {
            for g in &r.regimes {
                *m.entry(g.clone()).or_insert(0) += 1;
            }
        }
        m
    }

    /// Fragments kept verbatim, over all records.
    pub fn unparsed(&self) -> usize {
        self.records.iter().map(|r| r.unparsed.len()).sum()
    }
}
