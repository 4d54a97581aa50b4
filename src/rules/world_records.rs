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
    pub party: Vec<RawParty>,
    pub designation: Vec<RawDesignation>,
    pub ownership: Vec<RawOwnership>,
    pub control: Vec<RawControl>,
    pub joint_arrangement: Vec<RawJointArrangement>,
    pub exchange_rate: Vec<RawExchangeRate>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawParty {
    pub id: Spanned<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub kind: Spanned<PartyKind>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citizenship: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permanent_residence: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub residence: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incorporated_in: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub located_in: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_of: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_entry: Option<Spanned<String>>,
    /// Resolve this party against the scenario's lists by this name (exact, then fuzzy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolve_name: Option<Spanned<String>>,
    /// Resolve this party against the scenario's lists by a document or registry number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolve_id: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawDesignation {
    pub party: Spanned<String>,
    pub program: Spanned<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delisted: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawOwnership {
    pub owner: Spanned<String>,
    pub owned: Spanned<String>,
    /// `50`, `"12.5"`, `"30-60"`, `"unknown"`; absent means unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Spanned<RawNumber>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawControl {
    pub controller: Spanned<String>,
    pub controlled: Spanned<String>,
    pub basis: Spanned<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawJointArrangement {
    pub members: Vec<Spanned<String>>,
    pub entity: Spanned<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawExchangeRate {
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    pub rate: Spanned<RawNumber>,
}
