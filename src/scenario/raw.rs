//! Serde mirrors of scenario files (and of the world records rule packs may also carry).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::model::Disposition;
use crate::model::values::{RawDate, RawNumber};
use crate::rules::raw::{RawCitations, RawConditions};
/// Scenario files carry the world records rule packs carry too.
pub use crate::rules::world_records::*;

/// The top-level keys a scenario file may contain.
pub const SCENARIO_FILE_KEYS: &[&str] = &[
    "scenario",
    "lists",
    "party",
    "designation",
    "ownership",
    "control",
    "joint_arrangement",
    "exchange_rate",
    "license",
    "transaction",
];

/// The `[scenario]` header.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawScenarioHeader {
    /// The scenario's name.
    pub name: String,
    /// What it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Evaluate as the law and the lists stood on this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Spanned<RawDate>>,
    /// The day the evaluation is made (limitation periods are judged on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluated_on: Option<Spanned<RawDate>>,
}

/// List files a scenario loads, by list kind (paths relative to the scenario file).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct RawLists {
    /// The OFAC SDN list file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ofac: Option<Spanned<String>>,
    /// Listing date assumed for list entries that the scenario does not date itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assume_listed: Option<Spanned<RawDate>>,
    /// Lowest fuzzy name score (0..1) that makes a list entry a candidate for parties
    /// resolved by name (default 0.90).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fuzzy_threshold: Option<Spanned<RawNumber>>,
}

/// A specific license held by a party and claimed by transactions.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawLicense {
    /// Its id (a rule id).
    pub id: Spanned<String>,
    /// The jurisdiction that issued it.
    pub jurisdiction: Spanned<String>,
    /// Its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Programs whose prohibitions it authorizes.
    pub programs: Vec<Spanned<String>>,
    /// Further conditions of its scope (transaction types, parties, amounts, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<RawConditions>,
    /// The first day it is valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Spanned<RawDate>>,
    /// The day it expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Spanned<RawDate>>,
    /// Its citation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Spanned<RawCitations>>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An obligation a transaction must give rise to, as written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawExpectedObligation {
    /// The obligation.
    pub id: Spanned<String>,
    /// Who must owe it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Spanned<String>>,
    /// The day it must fall due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Spanned<RawDate>>,
}

/// An exposure a transaction must give rise to, as written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawExpectedExposure {
    /// The penalty.
    pub id: Spanned<String>,
    /// Who must risk it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Spanned<String>>,
    /// The maximum amount, e.g. `"377700 USD"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Spanned<String>>,
    /// The last day an action may be brought (the limitation period's end).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforceable_until: Option<Spanned<RawDate>>,
    /// Whether the limitation period has run by the evaluation date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub barred: Option<bool>,
}

/// What one jurisdiction's outcome must be, as written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct RawExpectation {
    /// The disposition required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposition: Option<Spanned<Disposition>>,
    /// Rule ids that must appear among the reasons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Spanned<String>>,
    /// Rule ids that must not appear among the reasons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_reasons: Vec<Spanned<String>>,
    /// Rule ids that must appear among the reasons as advisories (cautions that set nothing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advisories: Vec<Spanned<String>>,
    /// Obligations that must be owed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<RawExpectedObligation>,
    /// Obligation ids that must not be owed by anyone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_obligations: Vec<Spanned<String>>,
    /// Penalties that must be risked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exposures: Vec<RawExpectedExposure>,
    /// Penalties no one may risk.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_exposures: Vec<Spanned<String>>,
    /// Text that must appear in the evaluation issues (e.g. a missing exchange rate `USD->GBP`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<String>,
}

/// A `[[transaction]]` as written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawTransaction {
    /// Its id.
    pub id: Spanned<String>,
    /// The day it takes place.
    pub date: Spanned<RawDate>,
    /// Its transaction type.
    #[serde(rename = "type")]
    pub tx_type: Spanned<String>,
    /// Its goods categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goods: Vec<Spanned<String>>,
    /// Its amount (exact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Spanned<RawNumber>>,
    /// The amount's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Spanned<String>>,
    /// For personal use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_use: Option<bool>,
    /// The originator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub originator: Option<Spanned<String>>,
    /// The originator's bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub originator_bank: Option<Spanned<String>>,
    /// Intermediary banks, in route order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intermediaries: Vec<Spanned<String>>,
    /// The beneficiary's bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beneficiary_bank: Option<Spanned<String>>,
    /// The beneficiary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beneficiary: Option<Spanned<String>>,
    /// The signatory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signatory: Option<Spanned<String>>,
    /// The agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Spanned<String>>,
    /// The shipper.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipper: Option<Spanned<String>>,
    /// The vessel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vessel: Option<Spanned<String>>,
    /// The aircraft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aircraft: Option<Spanned<String>>,
    /// Other parties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub others: Vec<Spanned<String>>,
    /// Licenses claimed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<Spanned<String>>,
    /// A license claimed in words, without an id: never accepted, held for review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_claim: Option<String>,
    /// Parties acting knowingly.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub knowing: Vec<Spanned<String>>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Expected outcome per jurisdiction id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub expect: BTreeMap<Spanned<String>, RawExpectation>,
    /// The overall disposition required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_overall: Option<Spanned<Disposition>>,
}

impl RawTransaction {
    /// A transaction with its id, date and type and nothing else: no parties, goods, amount,
    /// licences or expectations (the record a builder starts from).
    pub fn new(id: Spanned<String>, date: Spanned<RawDate>, tx_type: Spanned<String>) -> Self {
        RawTransaction {
            id,
            date,
            tx_type,
            goods: Vec::new(),
            amount: None,
            currency: None,
            personal_use: None,
            originator: None,
            originator_bank: None,
            intermediaries: Vec::new(),
            beneficiary_bank: None,
            beneficiary: None,
            signatory: None,
            agent: None,
            shipper: None,
            vessel: None,
            aircraft: None,
            others: Vec::new(),
            licenses: Vec::new(),
            license_claim: None,
            knowing: Vec::new(),
            description: None,
            expect: BTreeMap::new(),
            expect_overall: None,
        }
    }
}
