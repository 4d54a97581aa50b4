//! What rules attach when they stand: obligations (duties with deadlines) and penalties or
//! other exposures, each a schedule of dated periods (rule-language.md "Obligations" and
//! "Penalties and other exposures").

use rust_decimal::Decimal;

use super::Citation;
use crate::model::values::{Date, Money};
use crate::model::{Bits, Disposition, JurisdictionIdx};
use crate::source::Loc;

/// When an obligation falls due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    /// N business days after the event, on the jurisdiction's calendar.
    BusinessDays(u32),
    /// N calendar days after the event.
    CalendarDays(u32),
    /// Every year on `month`/`day`, covering what stands on the `as_of` day that year.
    Annual {
        /// The month of the due date (1 to 12).
        month: u32,
        /// The day of the due date.
        day: u32,
        /// The month and day of the snapshot the report covers (`as_of = "MM-DD"`).
        as_of: Option<(u32, u32)>,
    },
    /// Keep for N years after the event.
    RetainYears(u32),
    /// No fixed date: "immediately", "as soon as practicable", "without delay".
    Prompt(String),
    /// A continuing duty with no date (hold in an interest-bearing blocked account).
    Continuing,
}

/// A period of an obligation's or penalty's schedule: in force from `from` (inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated<T> {
    /// The first date of the period (`from`); `None`: since always.
    pub from: Option<Date>,
    /// What holds during the period.
    pub value: T,
    /// The source of this period's terms, when it differs from the definition's.
    pub citation: Option<Citation>,
}

/// Pick the period in force on `date`: the latest `from` not after it.
pub(crate) fn in_force_on<T>(periods: &[Dated<T>], date: Date) -> Option<&Dated<T>> {
    periods
        .iter()
        .filter(|p| p.from.is_none_or(|f| f <= date))
        .max_by_key(|p| p.from)
}

/// An `[[obligation]]` (rule-language.md "Obligations"): a duty with a deadline, attached to
/// the actor of the rules that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationDef {
    /// Its id (`us.report.blocked`).
    pub id: String,
    /// The duty, in one line.
    pub title: String,
    /// The jurisdiction whose law imposes it (its calendar counts business days).
    pub jurisdiction: JurisdictionIdx,
    /// To whom it is owed (a report's addressee).
    pub recipient: Option<String>,
    /// When it falls due, period by period (`due` or `[[obligation.period]]`).
    pub due: Vec<Dated<Due>>,
    /// The duty exists only when the jurisdiction's disposition is one of these (a reject
    /// report is owed for a rejected transaction, not for one that is blocked instead).
    pub for_dispositions: Option<Vec<Disposition>>,
    /// Still owed when a license (not an exemption) defeats the prohibition that attaches it:
    /// records of a transaction are kept "regardless of whether such transaction is effected
    /// pursuant to license or otherwise" (`owed_when_licensed`).
    pub owed_when_licensed: bool,
    /// The source of the duty.
    pub citation: Citation,
    /// The reading chosen, caveats.
    pub note: Option<String>,
    /// Where it is defined.
    pub loc: Loc,
}

/// What kind of exposure a penalty is (its `kind` key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyKind {
    /// A civil monetary penalty.
    Civil,
    /// A criminal penalty (fines, prison).
    Criminal,
    /// Secondary sanctions on a non-national.
    Secondary,
    /// Civil liability to others.
    Liability,
    /// A visa or entry ban.
    Visa,
    /// Any other consequence.
    Other,
}

impl PenaltyKind {
    /// The kind as a pack writes it (`civil`).
    pub fn as_str(self) -> &'static str {
        match self {
            PenaltyKind::Civil => "civil",
            PenaltyKind::Criminal => "criminal",
            PenaltyKind::Secondary => "secondary",
            PenaltyKind::Liability => "liability",
            PenaltyKind::Visa => "visa",
            PenaltyKind::Other => "other",
        }
    }
}

/// Which date selects a penalty period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatedBy {
    /// The date of the violation (the transaction date).
    Violation,
    /// The date a penalty is assessed (the evaluation's as-of date).
    Assessment,
}

/// The amounts of one penalty period.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PenaltyTerms {
    /// A fixed maximum; with `multiple`, the maximum is the greater of the two.
    pub cap: Option<Money>,
    /// A multiple of the transaction value (2 for "twice the value", 0.5 for "50%").
    pub multiple: Option<Decimal>,
    /// The maximum prison term, in years.
    pub prison_years: Option<u32>,
    /// Life imprisonment where a death results.
    pub life_if_death: bool,
    /// The reading chosen, caveats.
    pub note: Option<String>,
}

/// A limitation period: an action must be brought within `years` of the violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limitation {
    /// Years from the violation within which an action must be brought.
    pub years: u32,
    /// The reading chosen, caveats.
    pub note: Option<String>,
}

/// A `[[penalty]]` (rule-language.md "Penalties and other exposures"): a penalty schedule or
/// another consequence, attached to the actor of the rules that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PenaltyDef {
    /// Its id (`us.ieepa.civil`).
    pub id: String,
    /// The exposure, in one line.
    pub title: String,
    /// Civil, criminal, secondary, ...
    pub kind: PenaltyKind,
    /// The jurisdiction whose law imposes it.
    pub jurisdiction: JurisdictionIdx,
    /// Which date picks the period in force.
    pub dated_by: DatedBy,
    /// Party kinds it applies to; empty means all.
    pub applies_to: Bits,
    /// The amounts, period by period (`[[penalty.period]]`); empty: a non-monetary exposure.
    pub periods: Vec<Dated<PenaltyTerms>>,
    /// Limitation periods in years, selected by the violation date (not by `dated_by`).
    pub limitation: Vec<Dated<Limitation>>,
    /// The source of the penalty.
    pub citation: Citation,
    /// The reading chosen, caveats.
    pub note: Option<String>,
    /// Where it is defined.
    pub loc: Loc,
}
