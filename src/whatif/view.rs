//! Decisions and party statuses by name.
//!
//! Two worlds may come from different rule packs, so their dense indices mean different things;
//! comparing happens on names. A view keeps every part of an outcome (nexus, reasons with their
//! facts, obligations with due dates and skipped days, exposures with amounts, issues), so two
//! views are equal exactly when the decisions are, given the same packs and parties.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::eval::decision::{ConsequenceKind, DueDate, Outcome};
use crate::model::ruleset::RuleSet;
use crate::model::values::{Date, Money};
use crate::model::world::World;
use crate::model::{Bits, Disposition, JurisdictionIdx, PartyIdx, RuleIdx};
use crate::ownership::status::PartyState;

/// A reason by name: the comparison key of reasons.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ReasonView {
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    pub kind: &'static str,
    /// The parties whose facts met the rule's clauses.
    pub facts: Vec<String>,
    /// Defeated-by, defeats, or stops (by kind).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
}

/// When an obligation falls due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DueView {
    On {
        date: Date,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        skipped: Vec<Date>,
    },
    RetainUntil {
        date: Date,
    },
    Prompt {
        when: String,
    },
    Continuing,
    Unknown,
}

impl DueView {
    pub fn text(&self) -> String {
        match self {
            DueView::On { date, .. } => format!("due {date}"),
            DueView::RetainUntil { date } => format!("keep records until {date}"),
            DueView::Prompt { when } => when.clone(),
            DueView::Continuing => "continuing".into(),
            DueView::Unknown => "due date unknown (see issues)".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObligationState {
    pub due: DueView,
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExposureState {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_amount: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prison_years: Option<u32>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub life_if_death: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_from: Option<Date>,
    /// The last day an action may be brought (the limitation period in force).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enforceable_until: Option<Date>,
    pub rules: Vec<String>,
}

impl ExposureState {
    /// `up to 377,700 USD, up to 20 years' imprisonment`; empty for a non-monetary exposure.
    pub fn text(&self) -> String {
        crate::report::penalty_terms(self.max_amount, self.prison_years, self.life_if_death)
            .join(", ")
    }
}

/// One jurisdiction's outcome by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeView {
    pub disposition: Disposition,
    pub nexus: Vec<String>,
    pub reasons: Vec<ReasonView>,
    /// (actor, obligation id) -> state.
    pub obligations: BTreeMap<(String, String), ObligationState>,
    /// (actor, penalty id) -> state.
    pub exposures: BTreeMap<(String, String), ExposureState>,
    pub issues: Vec<String>,
}

/// Names for one world under one rule set.
#[derive(Clone, Copy)]
pub struct Namer<'a> {
    pub rs: &'a RuleSet,
    pub world: &'a World,
}

impl Namer<'_> {
    pub fn party(&self, p: PartyIdx) -> String {
        self.world.parties[p].id.clone()
    }

    pub fn rule(&self, r: RuleIdx) -> String {
        self.rs.rules[r].id.clone()
    }

    pub fn jurisdiction(&self, j: JurisdictionIdx) -> String {
        self.rs.jurisdictions[j].id.clone()
    }

    fn rules(&self, v: &[RuleIdx]) -> Vec<String> {
        v.iter().map(|r| self.rule(*r)).collect()
    }

    /// Program ids of a set, restricted to one jurisdiction's programs, sorted.
    pub fn programs(&self, set: Bits, j: Option<JurisdictionIdx>) -> Vec<String> {
        let mut v: Vec<String> = set
            .members()
            .filter_map(|i| self.rs.programs.get(i))
            .filter(|p| j.is_none_or(|j| p.jurisdiction == j))
            .map(|p| p.id.clone())
            .collect();
        v.sort();
        v
    }

    pub fn outcome(&self, o: &Outcome) -> OutcomeView {
        let jur = &self.rs.jurisdictions[o.jurisdiction];
        let mut nexus: Vec<String> = o.nexus.iter().map(|&i| jur.nexus[i].id.clone()).collect();
        let mut reasons: Vec<ReasonView> = o
            .reasons
            .iter()
            .map(|r| ReasonView {
                rule: self.rule(r.rule),
                actor: r.actor.map(|a| self.party(a)),
                kind: r.kind.as_str(),
                facts: r.matched.iter().map(|p| self.party(*p)).collect(),
                related: self.rules(&r.related),
            })
            .collect();
        // Sets, sorted by name, so packs that order their rules differently compare equal.
        nexus.sort();
        reasons.sort();
        let mut obligations = BTreeMap::new();
        let mut exposures = BTreeMap::new();
        for c in &o.consequences {
            let actor = self.party(c.actor);
            let rules = self.rules(&c.rules);
            match &c.kind {
                ConsequenceKind::Obligation { id, due } => {
                    let name = self.rs.obligations[*id].id.clone();
                    let due = due_view(due);
                    obligations.insert((actor, name), ObligationState { due, rules });
                }
                ConsequenceKind::Exposure {
                    id,
                    max_amount,
                    prison_years,
                    life_if_death,
                    period_from,
                    enforceable_until,
                } => {
                    let name = self.rs.penalties[*id].id.clone();
                    exposures.insert(
                        (actor, name),
                        ExposureState {
                            max_amount: *max_amount,
                            prison_years: *prison_years,
                            life_if_death: *life_if_death,
                            schedule_from: *period_from,
                            enforceable_until: *enforceable_until,
                            rules,
                        },
                    );
                }
            }
        }
        let mut issues: Vec<String> = o.issues.iter().map(|i| i.message()).collect();
        issues.sort();
        OutcomeView {
            disposition: o.disposition,
            nexus,
            reasons,
            obligations,
            exposures,
            issues,
        }
    }

    /// A party's status in jurisdiction `j`, by name (without its witness).
    pub fn status(&self, s: &PartyState, j: JurisdictionIdx) -> StatusView {
        let status = if s.blocked {
            "blocked"
        } else if s.undetermined {
            "undetermined"
        } else {
            "not_blocked"
        };
        let mut flags = Vec::new();
        if s.minority_blocked {
            flags.push("blocked_minority_owner");
        }
        if s.controlled_by_blocked {
            flags.push("controlled_by_blocked");
        }
        StatusView {
            status,
            grounds: self.programs(s.grounds, Some(j)),
            designated: self.programs(s.designated, Some(j)),
            flags,
        }
    }
}

/// A party's status by name: what the comparison of statuses looks at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusView {
    /// `blocked`, `not_blocked`, `undetermined`, or `absent` (no such party in that world).
    pub status: &'static str,
    /// The programs grounding a block (for ownership: those of the counted owners).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub grounds: Vec<String>,
    /// This jurisdiction's programs the party is directly designated under.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub designated: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<&'static str>,
}

impl StatusView {
    pub const ABSENT: StatusView = StatusView {
        status: "absent",
        grounds: Vec::new(),
        designated: Vec::new(),
        flags: Vec::new(),
    };

    /// `blocked (us.fto, us.sdgt)`, `not blocked`, ...
    pub fn text(&self) -> String {
        let mut s = self.status.replace('_', " ");
        if !self.grounds.is_empty() {
            s.push_str(&format!(" ({})", self.grounds.join(", ")));
        }
        if !self.designated.is_empty() && self.grounds.is_empty() {
            s.push_str(&format!(" (designated {})", self.designated.join(", ")));
        }
        for f in &self.flags {
            s.push_str(&format!(", {}", f.replace('_', " ")));
        }
        s
    }
}

/// A due date by value, for comparing.
fn due_view(due: &DueDate) -> DueView {
    match due {
        DueDate::On { date, skipped } => DueView::On {
            date: *date,
            skipped: skipped.iter().map(|s| s.date).collect(),
        },
        DueDate::RetainUntil(d) => DueView::RetainUntil { date: *d },
        DueDate::Prompt(w) => DueView::Prompt { when: w.clone() },
        DueDate::Continuing => DueView::Continuing,
        DueDate::Unknown => DueView::Unknown,
    }
}
