//! Jurisdictions, their ownership doctrines and business-day calendars as written
//! (`[jurisdiction]`, `[jurisdiction.ownership]`, `[[calendar]]`).

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::RawCitations;
use crate::model::values::{RawDate, RawNumber};

/// `comparison` of a doctrine: how summed holdings meet the threshold.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
pub enum RawComparison {
    /// `">="` (or `at_least`): at the threshold counts.
    #[serde(rename = ">=", alias = "at_least")]
    AtLeast,
    /// `">"` (or `more_than`): only above it counts.
    #[serde(rename = ">", alias = "more_than")]
    MoreThan,
}

/// `aggregation` of a doctrine: whose holdings add up.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawAggregation {
    /// `all`: the holdings of all blocked owners add up.
    All,
    /// `joint_arrangement_only`: each blocked owner's holdings count alone, except those
    /// recorded under a `[[joint_arrangement]]`.
    JointArrangementOnly,
}

/// `control` of a doctrine: what control by a blocked person does.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawControlEffect {
    /// `flag`: only a flag for review (`controlled_by_blocked`).
    Flag,
    /// `blocks`: the controlled entity is blocked.
    Blocks,
}

/// `[jurisdiction.ownership]`: the ownership and control doctrine (rule-language.md
/// "Jurisdictions and ownership doctrines").
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawDoctrine {
    /// The share, in percent, at which blocked holdings block; absent: no numeric test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Spanned<RawNumber>>,
    /// How holdings meet `threshold`.
    pub comparison: RawComparison,
    /// Whose holdings add up.
    pub aggregation: RawAggregation,
    /// What control by a blocked person does.
    pub control: RawControlEffect,
    /// The `[[control_basis]]` terms that count as control; empty: every basis.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub control_bases: Vec<Spanned<String>>,
    /// The doctrine's source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
    /// The reading chosen, caveats.
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
    /// The period's first date (inclusive); absent for the first period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Spanned<RawDate>>,
    /// The date the period ends (exclusive); absent for the last period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Spanned<RawDate>>,
    /// Replaces the doctrine's `threshold` (percent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Spanned<RawNumber>>,
    /// Replaces the doctrine's `comparison`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<RawComparison>,
    /// Replaces the doctrine's `aggregation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregation: Option<RawAggregation>,
    /// Replaces the doctrine's `control`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<RawControlEffect>,
    /// Replaces the doctrine's `control_bases`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_bases: Option<Vec<Spanned<String>>>,
    /// The source of the period's reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
    /// The reading chosen, caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `[jurisdiction]` / `[[jurisdiction]]`: a legal system (rule-language.md "Jurisdictions and
/// ownership doctrines").
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawJurisdiction {
    /// Its id (`us`).
    pub id: Spanned<String>,
    /// Its name for people.
    pub name: String,
    /// The ISO 4217 code of the currency its amounts are stated in.
    pub currency: Spanned<String>,
    /// The id of the `[[calendar]]` its business days are counted on.
    pub calendar: Spanned<String>,
    /// Its ownership and control doctrine.
    pub ownership: RawDoctrine,
    /// The law of its sanctions regime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
}

/// An entry of a calendar's `holidays`: a one-off day off, or a move of a generated one.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawHoliday {
    /// The day off.
    pub date: Spanned<RawDate>,
    /// Its name, shown where a due-date count skips it.
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
    /// Its name, shown where a due-date count skips it.
    pub name: Spanned<String>,
    /// The month (1 to 12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<Spanned<u32>>,
    /// The day of the month (with `nth`: the day counting starts from).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<Spanned<u32>>,
    /// The weekday (`monday`) of an `nth` rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekday: Option<Spanned<String>>,
    /// Which `weekday` of the month: 1 to 5, or -1 for the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nth: Option<Spanned<i32>>,
    /// Days after Western Easter Sunday (`-2`: Good Friday).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub easter: Option<Spanned<i32>>,
    /// On a weekend day: `no` (default), `nearest-weekday` or `next-weekday`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<Spanned<String>>,
    /// The first day the holiday is law.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spanned<RawDate>>,
    /// The day the holiday stops being law.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Spanned<RawDate>>,
    /// The rule's own source, if not the calendar's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
}

/// `[[calendar]]`: a business-day calendar (rule-language.md "Calendars").
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    /// Its id (`us.federal`), as jurisdictions name it.
    pub id: Spanned<String>,
    /// Its name for people.
    pub name: String,
    /// The weekdays that are never business days (`saturday`).
    pub weekend: Vec<Spanned<String>>,
    /// The first date it is known for; counting before it is an evaluation issue.
    pub covers_from: Spanned<RawDate>,
    /// The last date it is known for; counting past it is an evaluation issue.
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
    /// The law that sets the holidays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<RawCitations>,
}
