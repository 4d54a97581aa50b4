//! Ownership doctrines that change over time: a jurisdiction's doctrine may carry validity
//! periods, and a decision uses the doctrine in force on its date (docs/ownership.md).

use super::ruleset::{Jurisdiction, OwnershipDoctrine};
use super::values::Date;

/// A doctrine and the dates it reads that way: from `valid_from` (inclusive, `None`: from the
/// beginning) until `valid_until` (exclusive, `None`: still in force).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoctrinePeriod {
    /// The first day the doctrine reads this way.
    pub valid_from: Option<Date>,
    /// The first day it no longer does.
    pub valid_until: Option<Date>,
    /// The doctrine in force during the period.
    pub doctrine: OwnershipDoctrine,
}

impl DoctrinePeriod {
    /// Whether `date` falls within the period.
    pub fn in_force(&self, date: Date) -> bool {
        self.valid_from.is_none_or(|f| date >= f) && self.valid_until.is_none_or(|u| date < u)
    }

    /// The period in words: "from 2024-07-03", "until 2024-07-03 (exclusive)", "always".
    pub fn describe(&self) -> String {
        match (self.valid_from, self.valid_until) {
            (None, None) => "always".to_string(),
            (Some(f), None) => format!("from {f}"),
            (None, Some(u)) => format!("before {u}"),
            (Some(f), Some(u)) => format!("from {f}, before {u}"),
        }
    }
}

impl Jurisdiction {
    /// The period of the doctrine in force on `date` (`None` when the doctrine has no periods).
    pub fn doctrine_period_on(&self, date: Date) -> Option<&DoctrinePeriod> {
        self.doctrine_periods.iter().find(|p| p.in_force(date))
    }

    /// The doctrine in force on `date`.
    pub fn doctrine_on(&self, date: Date) -> &OwnershipDoctrine {
        self.doctrine_period_on(date)
            .map_or(&self.doctrine, |p| &p.doctrine)
    }

    /// The dates on which the doctrine changes (each period's start).
    pub fn doctrine_changes(&self) -> impl Iterator<Item = Date> + '_ {
        self.doctrine_periods.iter().filter_map(|p| p.valid_from)
    }
}
