//! The model every list importer produces: one record per listed person, entity, ship or
//! aircraft, whatever the publisher. Facts the engine uses are typed; facts it does not model
//! are kept as labelled attributes; fragments no importer understands are kept verbatim in
//! `unparsed` and counted, so that an import accounts for every record and every field.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::entry::{AliasKind, Attribute, EntryType, Identifier};
use crate::diagnostic::Diagnostic;

/// How much a name can be trusted on its own. Publishers mark low-quality aliases (UN `Low`,
/// OFSI `Low`, OFAC `weak`): such a name never makes a match alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// A name that may make a match on its own.
    Strong,
    /// A low-quality name: it only supports a match made otherwise.
    Weak,
}

/// A name other than the primary one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListName {
    /// The name as the list writes it.
    pub name: String,
    /// a.k.a., f.k.a. or n.k.a.
    pub kind: AliasKind,
    /// Whether it may make a match on its own.
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
    /// `from` is a director, officer or leader of the organization `to`.
    DirectorOf,
    /// `from` is a relative of `to` (the relationship in `text`).
    FamilyOf,
    /// Any other link the list names, with its wording in `text`.
    Other,
}

/// A link from this record to another party, by its id in the same list when the list gives
/// one, by name otherwise. Most lists give no shares: a share is only the one the list states,
/// never invented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// What the link says about the two parties.
    pub kind: LinkKind,
    /// The other party's id in the same list, when the list gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_id: Option<String>,
    /// The other party's name, when the list gives no id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_name: Option<String>,
    /// The link as the list writes it.
    pub text: String,
    /// The percentage of `to` that `from` holds, when the list states one (`Ownership`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Decimal>,
}

/// One listed target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListRecord {
    /// The publisher's stable id (UN `DATAID`, OFSI `Group ID`, EU `logicalId`, ...).
    pub id: String,
    /// Individual, entity, vessel or aircraft.
    #[serde(rename = "type")]
    pub entry_type: EntryType,
    /// The primary name as the list writes it.
    pub name: String,
    /// The other names the list gives, in its order.
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
    /// Dates of birth as written (a list may give a year, a range or several dates).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates_of_birth: Vec<String>,
    /// Places of birth as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places_of_birth: Vec<String>,
    /// Nationalities as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationalities: Vec<String>,
    /// Passports, registry numbers, IMO numbers and other identifiers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    /// Links to other listed parties (ownership, control, acting for).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Facts the engine does not model, kept with the list's label (`Position`, `Title`).
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
    /// A record with only its id, type, primary name and line; the importer fills the rest.
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

    /// Keep a fact the engine does not model under the list's label; an empty value is dropped.
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
    /// The file imported, as named by the caller.
    pub file: String,
    /// The publication date the file gives, if it gives one.
    pub published: Option<NaiveDate>,
    /// The records read, in file order.
    pub records: Vec<ListRecord>,
    /// Records in the file: `records.len()` plus the refused ones.
    pub seen: usize,
    /// One located error per refused record (and per unreadable file).
    pub errors: Vec<Diagnostic>,
    /// Problems that did not refuse a record (an unknown field, a date that could not be read).
    pub warnings: Vec<Diagnostic>,
    /// Regimes no entry of the list configuration maps, with their record counts.
    pub unmapped_regimes: BTreeMap<String, usize>,
    /// The operations of a change feed (OpenSanctions' delta files), in file order: which
    /// record was added, modified or deleted. Empty for a full list.
    pub operations: Vec<ListOperation>,
    /// Statements of the file about a target it does not hold (a change feed's sanction of an
    /// entity that did not change), kept verbatim with their line and counted.
    pub loose: Vec<String>,
}

/// What a change feed does to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// A new record.
    Add,
    /// A record replaced by the one given.
    Modify,
    /// A record removed.
    Delete,
}

/// One operation of a change feed, on the publisher's id of what it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListOperation {
    /// Add, modify or delete.
    pub op: Operation,
    /// The id of the entity changed (a target, or a statement about one, such as a sanction).
    pub id: String,
    /// The line of the operation in the file.
    pub line: u32,
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
