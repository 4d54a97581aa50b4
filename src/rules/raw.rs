//! Serde mirrors of rule-pack files, one struct per table kind. Unknown keys are rejected.
//! Ids and references keep their spans so lowering can point at them.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::model::Disposition;
use crate::model::values::RawDate;

mod citation;
mod conditions;
mod consequence;
mod jurisdiction;

pub use citation::{RawCitation, RawCitations};
pub use conditions::{RawConditions, RawPartyClause};
pub use consequence::{
    RawDatedBy, RawDue, RawDuePeriod, RawLimitation, RawObligation, RawPenalty, RawPenaltyKind,
    RawPenaltyPeriod,
};
pub use jurisdiction::{
    RawAggregation, RawCalendar, RawComparison, RawControlEffect, RawDoctrine, RawDoctrinePeriod,
    RawHoliday, RawHolidayRule, RawJurisdiction,
};

/// The top-level keys a rule-pack file may contain.
pub(crate) const RULE_FILE_KEYS: &[&str] = &[
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

/// A vocabulary term: a `[[transaction_type]]`, `[[goods]]`, `[[party_category]]` or
/// `[[control_basis]]` table (rule-language.md "The vocabulary").
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    /// The term (`payment`), as conditions and transactions write it.
    pub id: Spanned<String>,
    /// What it means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `[[person_test]]`: a named test on a party's attributes (rule-language.md "Person tests
/// and nexus").
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawPersonTest {
    /// Its id (`us.person`).
    pub id: Spanned<String>,
    /// What it tests, for people.
    pub title: String,
    /// The jurisdiction whose law defines it.
    pub jurisdiction: Spanned<String>,
    /// The alternatives: the party passes if it meets any (attribute keys only).
    pub any: Vec<Spanned<RawPartyClause>>,
    /// The definition's source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
    /// The reading chosen, caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `[[nexus]]`: one way a jurisdiction's law reaches a transaction.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawNexus {
    /// Its id (`us.nexus.person`).
    pub id: Spanned<String>,
    /// How the law reaches the transaction, for people.
    pub title: String,
    /// The jurisdiction it gives reach to.
    pub jurisdiction: Spanned<String>,
    /// The conditions under which it holds.
    pub when: RawConditions,
    /// The source of the reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
}

/// `[[program.overrides]]`: shorthand for an override rule protecting the program's
/// prohibitions from one exemption or license.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawProgramOverride {
    /// The override rule's id.
    pub id: Spanned<String>,
    /// The exemption or license it stops.
    pub exemption: Spanned<String>,
    /// The source of the override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
    /// The reading chosen, caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `[[program]]`: a sanctions program (rule-language.md "Programs").
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawProgram {
    /// Its id (`us.sdgt`).
    pub id: Spanned<String>,
    /// Its name for people.
    pub title: String,
    /// The jurisdiction whose law it is.
    pub jurisdiction: Spanned<String>,
    /// The statutes and orders it rests on.
    pub authorities: RawCitations,
    /// Tags of imported sanctions lists that mean this program (`SDGT`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub list_tags: Vec<Spanned<String>>,
    /// Whether designation under it blocks (and seeds the ownership doctrine).
    pub blocking: bool,
    /// `false`: no exemption or license may defeat this program's prohibitions (a criminal
    /// statute such as 18 U.S.C. 2339B). Default `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licensable: Option<bool>,
    /// The legal basis (`ieepa`) that exemptions' `defeats.basis` select on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// Exceptions to exceptions for this program.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<RawProgramOverride>,
    /// The reading chosen, caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `kind` of a rule (default `prohibition`).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawRuleKind {
    /// `prohibition`: bars or flags something.
    Prohibition,
    /// `exemption`: a statutory exemption.
    Exemption,
    /// `license`: a general or specific license.
    License,
    /// `override`: an exception to an exception.
    Override,
    /// `advisory`: a caution carried on the decision (OFAC's "exercise caution"), which sets
    /// no disposition and attaches no duty.
    Advisory,
}

/// A selector (`defeats`, `protects`): which prohibitions; all given keys must match.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct RawSelector {
    /// Only these prohibitions, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<Spanned<String>>>,
    /// Only prohibitions of these programs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programs: Option<Vec<Spanned<String>>>,
    /// Only prohibitions of programs with one of these `basis` values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<Vec<String>>,
    /// Only prohibitions that set one of these dispositions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispositions: Option<Vec<Disposition>>,
}

/// `[[rule]]`: a prohibition, exemption, license or override (rule-language.md "Rules").
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    /// Its id (`us.sdgt.block`).
    pub id: Spanned<String>,
    /// What it says, in one line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What it does (absent: a prohibition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<RawRuleKind>,
    /// The program it belongs to; gives its jurisdiction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<Spanned<String>>,
    /// Its jurisdiction, for rules that belong to no program.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<Spanned<String>>,
    /// What must hold for it to fire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<RawConditions>,
    /// A carve-out: when all of these hold, it does not fire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless: Option<RawConditions>,
    /// Whom it binds: it fires once per party meeting the clause (absent: once, for the transaction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Spanned<RawPartyClause>>,
    /// For prohibitions: what it sets (absent: consequences only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposition: Option<Spanned<Disposition>>,
    /// For exceptions: what they defeat; for overrides: what they protect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defeats: Option<Spanned<RawSelector>>,
    /// For overrides: the exemptions or licenses they stop.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Spanned<String>>,
    /// Ids of the `[[obligation]]`s attached to the actor when it stands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<Spanned<String>>,
    /// Ids of the `[[penalty]]`s attached to the actor when it stands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exposures: Vec<Spanned<String>>,
    /// The statute, regulation or order (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Spanned<RawCitations>>,
    /// The reading chosen, caveats, unconfirmed facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// In force for transactions dated on or after this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Spanned<RawDate>>,
    /// In force for transactions dated before this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Spanned<RawDate>>,
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
    /// No advisory changes a disposition.
    AdvisoryKeepsDisposition,
}

/// `[[invariant]]`: one flat table; which parameters a kind takes is checked in lowering.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawInvariant {
    /// Its id, in the global namespace.
    pub id: Spanned<String>,
    /// The property it states.
    pub kind: Spanned<RawInvariantKind>,
    /// The property, for people (shown with a violation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The jurisdiction whose rules it constrains (default: every jurisdiction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<Spanned<String>>,
    /// For `disposition_requires_obligation`: the dispositions that require a duty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispositions: Option<Spanned<Vec<Disposition>>>,
    /// For `disposition_requires_obligation` and `blocking_program_reports`: the duties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obligations: Option<Vec<Spanned<String>>>,
    /// For `never_defeated`: the prohibitions no exception may defeat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protects: Option<Spanned<RawSelector>>,
    /// For `overridden_exception_never_applies`: the exceptions checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exceptions: Option<Vec<Spanned<String>>>,
    /// For `citation`: each citation contains one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contains_any: Option<Spanned<Vec<String>>>,
    /// For `citation`: no citation contains any of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excludes: Option<Spanned<Vec<String>>>,
    /// The law the property comes from (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Spanned<RawCitations>>,
    /// Why it must hold (shown with a violation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
}
