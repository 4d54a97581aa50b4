//! Serde mirrors of rule-pack files, one struct per table kind. Unknown keys are rejected.
//! Ids and references keep their spans so lowering can point at them.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::model::values::{RawDate, RawNumber};
use crate::model::{Disposition, PartyKind, Role};

mod citation;

pub use citation::{RawCitation, RawCitations};

/// The top-level keys a rule-pack file may contain.
pub const RULE_FILE_KEYS: &[&str] = &[
    "jurisdiction",
    "calendar",
    "person_test",
    "nexus",
    "program",
    "rule",
    "obligation",
    "penalty",
    "transaction_type",
    "goods",
    "party_category",
    "control_basis",
    "party",
    "designation",
    "ownership",
    "control",
    "joint_arrangement",
    "invariant",
];

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub id: Spanned<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
pub enum RawComparison {
    #[serde(rename = ">=", alias = "at_least")]
    AtLeast,
    #[serde(rename = ">", alias = "more_than")]
    MoreThan,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawAggregation {
    All,
    JointArrangementOnly,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawControlEffect {
    Flag,
    Blocks,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawDoctrine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Spanned<RawNumber>>,
    pub comparison: RawComparison,
    pub aggregation: RawAggregation,
    pub control: RawControlEffect,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub control_bases: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The doctrine's validity periods (`[[jurisdiction.ownership.period]]`), if it changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub period: Vec<RawDoctrinePeriod>,
}

/// One period of a doctrine: the fields it sets replace those of `[jurisdiction.ownership]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawDoctrinePeriod {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Spanned<RawNumber>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<RawComparison>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregation: Option<RawAggregation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<RawControlEffect>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_bases: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawJurisdiction {
    pub id: Spanned<String>,
    pub name: String,
    pub currency: Spanned<String>,
    pub calendar: Spanned<String>,
    pub ownership: RawDoctrine,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawHoliday {
    pub date: Spanned<RawDate>,
    pub name: String,
    /// A one-off move: the generated holiday on this date does not happen this year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instead_of: Option<Spanned<RawDate>>,
}

/// A recurring holiday: a fixed day (`month`, `day`), the `nth` `weekday` of `month` (`nth =
/// -1` for the last; with `day`, counted from that day), or `easter` days after Easter Sunday; `observed` says what happens
/// when it falls on a weekend day.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawHolidayRule {
    pub name: Spanned<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<Spanned<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<Spanned<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekday: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nth: Option<Spanned<i32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub easter: Option<Spanned<i32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    pub id: Spanned<String>,
    pub name: String,
    pub weekend: Vec<Spanned<String>>,
    pub covers_from: Spanned<RawDate>,
    pub covers_until: Spanned<RawDate>,
    /// Recurring holidays, generated for every year the calendar covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holiday_rules: Vec<RawHolidayRule>,
    /// How an observed (substitute) day is named: "New Year's Day (`observed_label`)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_label: Option<String>,
    /// One-off holidays (and moves of recurring ones), by date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<RawHoliday>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
}

/// A party clause (`roles` plus a predicate), also used for person-test alternatives.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPartyClause {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<Spanned<Role>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Vec<Spanned<PartyKind>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizenship: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permanent_residence: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residence: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incorporated_in: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub located_in: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_of: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_branch: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tests: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_tests: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub designated: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_under: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership_undetermined: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_minority_owner: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controlled_by_blocked: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub knowing: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fuzzy_list_match: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct RawConditions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods_any: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods_only: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_at_least: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_below: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_from: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_before: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_use: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_border: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfers_value: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub party: Vec<Spanned<RawPartyClause>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_party: Vec<Spanned<RawPartyClause>>,
    /// Alternatives: at least one of these condition sets must hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any: Vec<Spanned<RawConditions>>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawPersonTest {
    pub id: Spanned<String>,
    pub title: String,
    pub jurisdiction: Spanned<String>,
    pub any: Vec<Spanned<RawPartyClause>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawNexus {
    pub id: Spanned<String>,
    pub title: String,
    pub jurisdiction: Spanned<String>,
    pub when: RawConditions,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawProgramOverride {
    pub id: Spanned<String>,
    pub exemption: Spanned<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawProgram {
    pub id: Spanned<String>,
    pub title: String,
    pub jurisdiction: Spanned<String>,
    pub authorities: RawCitations,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub list_tags: Vec<Spanned<String>>,
    pub blocking: bool,
    /// `false`: no exemption or license may defeat this program's prohibitions (a criminal
    /// statute such as 18 U.S.C. 2339B). Default `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licensable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<RawProgramOverride>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawRuleKind {
    Prohibition,
    Exemption,
    License,
    Override,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct RawSelector {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programs: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispositions: Option<Vec<Disposition>>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: Spanned<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<RawRuleKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<RawConditions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless: Option<RawConditions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Spanned<RawPartyClause>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposition: Option<Spanned<Disposition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defeats: Option<Spanned<RawSelector>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exposures: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Spanned<RawCitations>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Spanned<RawDate>>,
}

/// When an obligation is due; exactly one key.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct RawDue {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar_days: Option<u32>,
    /// `"09-30"`: every year on 30 September.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual: Option<Spanned<String>>,
    /// With `annual`: the day whose position the report covers (`"06-30"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retain_years: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuing: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawDuePeriod {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spanned<RawDate>>,
    pub due: Spanned<RawDue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawObligation {
    pub id: Spanned<String>,
    pub title: String,
    pub jurisdiction: Spanned<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_dispositions: Option<Vec<Disposition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Spanned<RawDue>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub period: Vec<RawDuePeriod>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Spanned<RawCitations>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawPenaltyKind {
    Civil,
    Criminal,
    Secondary,
    Liability,
    Visa,
    Other,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawDatedBy {
    Violation,
    Assessment,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawPenaltyPeriod {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spanned<RawDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple: Option<Spanned<RawNumber>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prison_years: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_if_death: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawPenalty {
    pub id: Spanned<String>,
    pub title: String,
    pub kind: RawPenaltyKind,
    pub jurisdiction: Spanned<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dated_by: Option<RawDatedBy>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_to: Vec<PartyKind>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub period: Vec<RawPenaltyPeriod>,
    /// Limitation periods, selected by the date of the violation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limitation: Vec<RawLimitation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Spanned<RawCitations>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How long after a violation an action may be brought, for violations on or after `from`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawLimitation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spanned<RawDate>>,
    pub years: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The kinds of law-level invariant a pack may declare (see docs/consistency.md).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawInvariantKind {
    /// Every prohibition that can set one of `dispositions` lists one of `obligations`.
    DispositionRequiresObligation,
    /// No exemption or license ever defeats a prohibition that `protects` selects.
    NeverDefeated,
    /// The `exceptions` never defeat a prohibition of a program that overrides them.
    OverriddenExceptionNeverApplies,
    /// Every blocking program has a rule that attaches one of `obligations`.
    BlockingProgramReports,
    /// Every rule's citation names a source (optionally: contains one of `contains_any`,
    /// none of `excludes`).
    Citation,
}

/// `[[invariant]]`: one flat table; which parameters a kind takes is checked in lowering.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawInvariant {
    pub id: Spanned<String>,
    pub kind: Spanned<RawInvariantKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The jurisdiction whose rules it constrains (default: every jurisdiction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispositions: Option<Spanned<Vec<Disposition>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obligations: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protects: Option<Spanned<RawSelector>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exceptions: Option<Vec<Spanned<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contains_any: Option<Spanned<Vec<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excludes: Option<Spanned<Vec<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Spanned<RawCitations>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
}
