//! The dated events around a decision, in order: the transaction, the designations and
//! delistings its proofs rest on, the duties with a date, and the end of each limitation
//! period.

use crate::model::values::Date;
use crate::ownership::witness::{DesignationFact, Step, Witness};
use crate::report::{DecisionReport, DueReport};

/// One event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineItem {
    /// Its day.
    pub date: Date,
    /// `transaction`, `as-of`, `designated`, `delisted`, `due`, `retain` or `limitation`.
    pub kind: &'static str,
    /// What happens, in words.
    pub what: String,
    /// The jurisdictions it concerns (empty: all).
    pub jurisdictions: Vec<String>,
}

/// Events collected from a report, each once (the same event under several jurisdictions
/// names them all).
#[derive(Debug, Default)]
pub struct Timeline {
    items: Vec<TimelineItem>,
}

impl Timeline {
    /// Adds the events of one decision.
    pub fn decision(&mut self, r: &DecisionReport) {
        self.add(
            r.date,
            "transaction",
            format!("transaction {} takes place", r.transaction),
            None,
        );
        if r.as_of != r.date {
            self.add(
                r.as_of,
                "as-of",
                "the law and the lists are taken as they stood".into(),
                None,
            );
        }
        for o in &r.jurisdictions {
            let j = Some(o.jurisdiction.as_str());
            for reason in &o.reasons {
                for f in &reason.facts {
                    self.witness(&o.jurisdiction, &f.status);
                }
            }
            for ob in &o.obligations {
                match &ob.due {
                    DueReport::On { date, .. } => {
                        self.add(*date, "due", format!("{} ({})", ob.title, ob.actor), j)
                    }
                    DueReport::RetainUntil { date } => self.add(
                        *date,
                        "retain",
                        format!("{} ({}): kept until this day", ob.title, ob.actor),
                        j,
                    ),
                    _ => {}
                }
            }
            for e in &o.exposures {
                if let Some(d) = e.enforceable_until {
                    self.add(
                        d,
                        "limitation",
                        format!("last day an action may be brought: {}", e.title),
                        j,
                    );
                }
            }
        }
    }

    /// Adds the designations and delistings a proof names.
    pub fn witness(&mut self, j: &str, w: &Witness) {
        for step in std::iter::once(&w.head).chain(&w.because) {
            // A blocked party's proof names the designations that block here; a party that is
            // not blocked, those that do not.
            let (designations, blocking): (&[DesignationFact], bool) = match step {
                Step::Designated { designations, .. } => (designations, true),
                Step::NotBlocked { designations, .. } => (designations, false),
                _ => continue,
            };
            for d in designations.iter().filter(|d| d.blocking == blocking) {
                if let Some(l) = d.listed {
                    let assumed = if d.date_assumed {
                        " (date assumed)"
                    } else {
                        ""
                    };
                    let what = format!("{} designated {}{assumed}", step.party(), d.program);
                    self.add(l, "designated", what, Some(j));
                }
                if let Some(x) = d.delisted {
                    let what = format!("{} delisted from {}", step.party(), d.program);
                    self.add(x, "delisted", what, Some(j));
                }
            }
        }
    }

    fn add(&mut self, date: Date, kind: &'static str, what: String, j: Option<&str>) {
        let i = match self
            .items
            .iter()
            .position(|x| x.date == date && x.kind == kind && x.what == what)
        {
            Some(i) => i,
            None => {
                self.items.push(TimelineItem {
                    date,
                    kind,
                    what,
                    jurisdictions: Vec::new(),
                });
                self.items.len() - 1
            }
        };
        if let Some(j) = j
            && !self.items[i].jurisdictions.iter().any(|x| x == j)
        {
            self.items[i].jurisdictions.push(j.to_string());
        }
    }

    /// The events by date (stable: the same day keeps the order they were added in).
    pub fn items(mut self) -> Vec<TimelineItem> {
        self.items.sort_by_key(|x| x.date);
        self.items
    }
}
