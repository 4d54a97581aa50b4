//! The list entry model: one row of the OFAC SDN file, its fixed columns kept verbatim and its
//! remarks parsed into facts. Nothing is dropped: the remarks are also kept as written, and a
//! remark fragment no rule recognises lands in `unparsed`.

use serde::{Deserialize, Serialize};

use crate::model::PartyKind;

/// The prefix of party ids made from SDN entries (`ofac:4697`).
pub const OFAC_PREFIX: &str = "ofac:";

/// The `SDN_Type` column: empty in the file means an entity (an organization).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryType {
    Individual,
    Entity,
    Vessel,
    Aircraft,
}

impl EntryType {
    pub const ALL: [EntryType; 4] = [
        EntryType::Individual,
        EntryType::Entity,
        EntryType::Vessel,
        EntryType::Aircraft,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryType::Individual => "individual",
            EntryType::Entity => "entity",
            EntryType::Vessel => "vessel",
            EntryType::Aircraft => "aircraft",
        }
    }

    /// The `SDN_Type` text of the file (`None` for the null marker, i.e. an entity).
    pub fn parse_column(text: Option<&str>) -> Option<EntryType> {
        match text {
            None => Some(EntryType::Entity),
            Some("individual") => Some(EntryType::Individual),
            Some("vessel") => Some(EntryType::Vessel),
            Some("aircraft") => Some(EntryType::Aircraft),
            Some(_) => None,
        }
    }

    /// The column text as OFAC writes it (`None`: the null marker).
    pub fn column(self) -> Option<&'static str> {
        match self {
            EntryType::Entity => None,
            t => Some(t.as_str()),
        }
    }
}

/// `a.k.a.` (also known as), `f.k.a.` (formerly), `n.k.a.` (now known as).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AliasKind {
    Aka,
    Fka,
    Nka,
}

impl AliasKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AliasKind::Aka => "a.k.a.",
            AliasKind::Fka => "f.k.a.",
            AliasKind::Nka => "n.k.a.",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alias {
    pub kind: AliasKind,
    pub name: String,
}

/// A document or registry number: `Passport AD005831 (Zimbabwe) issued 11 Jan 2018 expires
/// 10 Jan 2028`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identifier {
    /// The label as the list writes it (`Passport`, `National ID No.`, `NIT #`).
    pub kind: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// A recognised fact the engine does not model further (`Gender Male`, `Website ...`,
/// `Organization Type: ...`, directive notes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attribute {
    pub label: String,
    pub value: String,
}

/// One SDN entry. Fixed columns are kept as written (the null marker `-0- ` becomes `None`);
/// the remarks are kept verbatim in `remarks` and parsed into the fields after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdnEntry {
    /// The entry number (`ent_num`), OFAC's stable id for the entry.
    pub ent_num: u32,
    /// The primary name as written (`GUZMAN LOERA, Joaquin`).
    pub name: String,
    /// Individual, entity, vessel or aircraft (the `SDN_Type` column; blank for entities).
    #[serde(rename = "type")]
    pub entry_type: EntryType,
    /// Program tags in file order (`SDGT`, `FTO`); the file joins them as `SDGT] [FTO`.
    pub tags: Vec<String>,
    /// An individual's title or position, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A vessel's radio call sign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_sign: Option<String>,
    /// A vessel's type (`Cargo`, `Crude Oil Tanker`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vessel_type: Option<String>,
    /// A vessel's tonnage, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tonnage: Option<String>,
    /// A vessel's gross registered tonnage, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grt: Option<String>,
    /// The flag a vessel sails under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vessel_flag: Option<String>,
    /// A vessel's owner, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vessel_owner: Option<String>,
    /// The remarks column exactly as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    /// Other names from the remarks (`a.k.a.`, `f.k.a.`, `n.k.a.`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Alias>,
    /// Dates of birth from the remarks, as written (a year, a date, a range).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates_of_birth: Vec<String>,
    /// Places of birth from the remarks, as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places_of_birth: Vec<String>,
    /// Nationalities from the remarks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationalities: Vec<String>,
    /// Citizenships from the remarks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citizenships: Vec<String>,
    /// Passports, registry and other numbers from the remarks, with country and dates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    /// Names after `Linked To:` (the entries this one was designated for).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub linked_to: Vec<String>,
    /// Secondary-sanctions notes (`Additional Sanctions Information - ...`,
    /// `Secondary sanctions risk: ...`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secondary_sanctions: Vec<String>,
    /// Other labelled facts from the remarks (`Gender`, `Website`...), kept with their label.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
    /// Remark fragments no rule recognised, verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unparsed: Vec<String>,
    /// The line of the source file the row starts on (0 when not read from a file).
    #[serde(default)]
    pub line: u32,
}

impl SdnEntry {
    /// The party id of this entry (`ofac:4697`).
    pub fn id(&self) -> String {
        format!("{OFAC_PREFIX}{}", self.ent_num)
    }

    /// The kind of party the entry is. An entity whose remarks say `Target Type Financial
    /// Institution` is a financial institution.
    pub fn party_kind(&self) -> PartyKind {
        match self.entry_type {
            EntryType::Individual => PartyKind::Individual,
            EntryType::Vessel => PartyKind::Vessel,
            EntryType::Aircraft => PartyKind::Aircraft,
            EntryType::Entity => {
                let fi = self.attributes.iter().any(|a| {
                    a.label == "Target Type"
                        && a.value.eq_ignore_ascii_case("Financial Institution")
                });
                if fi {
                    PartyKind::FinancialInstitution
                } else {
                    PartyKind::Organization
                }
            }
        }
    }

    /// The primary name and every alias, primary first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(|a| a.name.as_str()))
    }

    /// The program column as the file writes it (`SDGT] [FTO`).
    pub fn program_column(&self) -> String {
        self.tags.join("] [")
    }
}

/// Parse a party id `ofac:N` into the entry number.
pub fn parse_entry_id(id: &str) -> Option<u32> {
    id.strip_prefix(OFAC_PREFIX)
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| *n > 0)
}
