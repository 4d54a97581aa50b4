//! Obligations and penalties as written (`[[obligation]]`, `[[penalty]]` and their periods).

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::RawCitations;
use crate::model::values::{RawDate, RawNumber};
use crate::model::{Disposition, PartyKind};

/// When an obligation is due; exactly one key.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct RawDue {
    /// The N-th business day after the event, on the jurisdiction's calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_days: Option<u32>,
    /// N days after the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar_days: Option<u32>,
    /// `"09-30"`: every year on 30 September.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual: Option<Spanned<String>>,
    /// With `annual`: the day whose position the report covers (`"06-30"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Spanned<String>>,
    /// Keep records until N years after the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retain_years: Option<u32>,
    /// No date: "immediately", "as soon as practicable", "without delay".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// A standing duty with no date (`true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuing: Option<bool>,
}

/// `[[obligation.period]]`: the due date in force from a date.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawDuePeriod {
    /// The period's first date (absent: since always).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spanned<RawDate>>,
    /// When the obligation falls due.
    pub due: Spanned<RawDue>,
    /// The source of this period's deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
}

/// `[[obligation]]`: a duty with a deadline (rule-language.md "Obligations").
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawObligation {
    /// Its id (`us.report.blocked`).
    pub id: Spanned<String>,
    /// The duty, in one line.
    pub title: String,
    /// The jurisdiction whose law imposes it.
    pub jurisdiction: Spanned<String>,
    /// To whom it is owed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Owed only when the jurisdiction's disposition is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_dispositions: Option<Vec<Disposition>>,
    /// Still owed when a license defeats the prohibition that attaches it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub owed_when_licensed: bool,
    /// When it falls due, if it has one period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Spanned<RawDue>>,
    /// Its due dates, period by period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub period: Vec<RawDuePeriod>,
    /// The source of the duty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Spanned<RawCitations>>,
    /// The reading chosen, caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `kind` of a penalty.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawPenaltyKind {
    /// `civil`: a civil monetary penalty.
    Civil,
    /// `criminal`: fines and prison.
    Criminal,
    /// `secondary`: secondary sanctions.
    Secondary,
    /// `liability`: civil liability to others.
    Liability,
    /// `visa`: a visa or entry ban.
    Visa,
    /// `other`: any other consequence.
    Other,
}

/// `dated_by` of a penalty: which date picks its period.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawDatedBy {
    /// `violation` (default): the transaction date.
    Violation,
    /// `assessment`: the evaluation's as-of date.
    Assessment,
}

/// `[[penalty.period]]`: the amounts in force from a date.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawPenaltyPeriod {
    /// The period's first date (absent: since always).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spanned<RawDate>>,
    /// A fixed maximum, as money (`"1000000 EUR"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Spanned<String>>,
    /// A multiple of the transaction value (`0.5`); the maximum is the greater of this and `cap`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple: Option<Spanned<RawNumber>>,
    /// The maximum prison term, in years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prison_years: Option<u32>,
    /// Life imprisonment where a death results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_if_death: Option<bool>,
    /// The reading chosen, caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The source of this period's amounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
}

/// `[[penalty]]`: a penalty schedule or another exposure (rule-language.md "Penalties and other
/// exposures").
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawPenalty {
    /// Its id (`us.ieepa.civil`).
    pub id: Spanned<String>,
    /// The exposure, in one line.
    pub title: String,
    /// What kind of exposure.
    pub kind: RawPenaltyKind,
    /// The jurisdiction whose law imposes it.
    pub jurisdiction: Spanned<String>,
    /// Which date picks the period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dated_by: Option<RawDatedBy>,
    /// The party kinds it applies to (empty: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_to: Vec<PartyKind>,
    /// Its amounts, period by period (none: a non-monetary exposure).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub period: Vec<RawPenaltyPeriod>,
    /// Limitation periods, selected by the date of the violation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limitation: Vec<RawLimitation>,
    /// The source of the penalty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Spanned<RawCitations>>,
    /// The reading chosen, caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How long after a violation an action may be brought, for violations on or after `from`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawLimitation {
    /// The first violation date it applies to (absent: since always).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spanned<RawDate>>,
    /// Years after the violation within which an action must be brought.
    pub years: u32,
    /// The source of the limitation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
    /// The reading chosen, caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
