//! Serde mirrors of the world records (parties, designations, ownership, control, joint
//! arrangements, exchange rates) that rule packs carry for their reference world and scenario
//! files carry for their own. Lowering them into a world is `scenario::lower`'s.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::model::PartyKind;
use crate::model::values::{RawDate, RawNumber};

/// World records, shared by scenario files and rule packs (the reference world).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WorldRecords {
    /// `[[party]]`
    pub party: Vec<RawParty>,
    /// `[[designation]]`
    pub designation: Vec<RawDesignation>,
    /// `[[ownership]]`
    pub ownership: Vec<RawOwnership>,
    /// `[[control]]`
    pub control: Vec<RawControl>,
    /// `[[joint_arrangement]]`
    pub joint_arrangement: Vec<RawJointArrangement>,
    /// `[[exchange_rate]]`
    pub exchange_rate: Vec<RawExchangeRate>,
}

/// A `[[party]]` as written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawParty {
    /// Its id.
    pub id: Spanned<String>,
    /// The name people know it by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `individual`, `organization`, `financial_institution`, `vessel` or `aircraft`.
    pub kind: Spanned<PartyKind>,
    /// Countries of citizenship (ISO 3166-1 alpha-2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citizenship: Vec<Spanned<String>>,
    /// Countries of permanent residence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permanent_residence: Vec<Spanned<String>>,
    /// Countries it lives in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub residence: Vec<Spanned<String>>,
    /// The country an entity is organized under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incorporated_in: Option<Spanned<String>>,
    /// The country it is physically in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub located_in: Option<Spanned<String>>,
    /// The head office it is a branch of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_of: Option<Spanned<String>>,
    /// Party categories of the vocabulary.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<Spanned<String>>,
    /// Other names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The list entry it is (`ofac:4697`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_entry: Option<Spanned<String>>,
    /// Resolve this party against the scenario's lists by this name (exact, then fuzzy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolve_name: Option<Spanned<String>>,
    /// Resolve this party against the scenario's lists by a document or registry number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolve_id: Option<Spanned<String>>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A `[[designation]]` as written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawDesignation {
    /// The party listed.
    pub party: Spanned<String>,
    /// The program (an id of the packs).
    pub program: Spanned<String>,
    /// The listing day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed: Option<Spanned<RawDate>>,
    /// The delisting day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delisted: Option<Spanned<RawDate>>,
    /// Where it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An `[[ownership]]` as written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawOwnership {
    /// The holder.
    pub owner: Spanned<String>,
    /// The entity held.
    pub owned: Spanned<String>,
    /// `50`, `"12.5"`, `"30-60"`, `"unknown"`; absent means unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Spanned<RawNumber>>,
    /// The first day of the holding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spanned<RawDate>>,
    /// The day it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Spanned<RawDate>>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A `[[control]]` as written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawControl {
    /// Who controls.
    pub controller: Spanned<String>,
    /// The entity controlled.
    pub controlled: Spanned<String>,
    /// A control basis of the vocabulary.
    pub basis: Spanned<String>,
    /// The first day of control.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spanned<RawDate>>,
    /// The day it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Spanned<RawDate>>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A `[[joint_arrangement]]` as written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawJointArrangement {
    /// The owners acting together.
    pub members: Vec<Spanned<String>>,
    /// The entity they hold.
    pub entity: Spanned<String>,
    /// The first day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spanned<RawDate>>,
    /// The day it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Spanned<RawDate>>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An `[[exchange_rate]]` as written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawExchangeRate {
    /// The currency converted.
    pub from: Spanned<String>,
    /// The currency it is converted into.
    pub to: Spanned<String>,
    /// Units of `to` per unit of `from`.
    pub rate: Spanned<RawNumber>,
}
