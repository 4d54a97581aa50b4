//! Decisions as named, serialisable reports (JSON); [`crate::render::report`] renders them as
//! text a compliance officer can read.

use std::sync::Arc;

use serde::Serialize;

use crate::eval::Engine;
use crate::eval::decision::{Consequence, ConsequenceKind, Decision, DueDate, Outcome};
use crate::model::ruleset::{Citation, RuleSet};
use crate::model::values::{Date, Money};
use crate::model::world::{ListCandidate, Transaction, World};
use crate::model::{Disposition, ObligationIdx, PartyIdx, Role};
use crate::ownership::witness::{Witness, explain_in};

mod trace;
pub mod witness;

pub use trace::{CondReport, RuleTraceReport, TraceReport, describe_clause, describe_predicate};

/// The version of the JSON shape of `interdict eval --format json` (docs/json.md). Version 1
/// was the unversioned shape before it: a bare array of scenarios, issues and skipped days as
/// strings, the limitation period as one sentence.
pub const SCHEMA: &str = "interdict.report/2";

/// The JSON document `interdict eval --format json` writes: its schema, then each scenario.
#[derive(Debug, Clone, Serialize)]
pub struct EvalDocument {
    pub schema: &'static str,
    pub scenarios: Vec<ScenarioReport>,
}

/// One scenario's decisions.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioReport {
    pub scenario: String,
    pub path: String,
    pub decisions: Vec<DecisionReport>,
}

/// One transaction's decision by name: the transaction, then each jurisdiction's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionReport {
    pub transaction: String,
    pub date: Date,
    pub as_of: Date,
    #[serde(rename = "type")]
    pub tx_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub goods: Vec<String>,
    pub parties: Vec<PartyInRole>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub overall: Disposition,
    pub jurisdictions: Vec<OutcomeReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<TraceReport>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartyInRole {
    pub role: Role,
    pub party: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutcomeReport {
    pub jurisdiction: String,
    pub name: String,
    pub disposition: Disposition,
    /// The nexus tests that held; empty when the law does not reach the transaction.
    pub nexus: Vec<NexusReport>,
    /// When there is no nexus: the tests that were tried.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub no_nexus: Vec<NexusReport>,
    pub reasons: Vec<ReasonReport>,
    pub obligations: Vec<ObligationReport>,
    pub exposures: Vec<ExposureReport>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<IssueReport>,
}

/// A problem met while evaluating, by its stable code and in words.
#[derive(Debug, Clone, Serialize)]
pub struct IssueReport {
    pub code: crate::diagnostic::Code,
    pub message: String,
}

/// A non-business day a due-date count stepped over, and why (`saturday`, a holiday's name).
#[derive(Debug, Clone, Serialize)]
pub struct SkippedDayReport {
    pub date: Date,
    pub reason: String,
}

/// The limitation period in force for a violation: an action must be brought within `years`.
#[derive(Debug, Clone, Serialize)]
pub struct LimitationReport {
    pub years: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NexusReport {
    pub id: String,
    pub title: String,
    pub citation: Citation,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReasonReport {
    pub kind: &'static str,
    pub rule: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    pub citation: Citation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The parties whose facts met the rule's clauses, with their status and its proof.
    pub facts: Vec<PartyFactReport>,
    /// Defeated-by, defeats, or stops (by kind).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartyFactReport {
    pub party: String,
    pub roles: Vec<Role>,
    /// Shared by the facts of one party under every rule of an outcome (a witness can be a
    /// whole ownership chain); serialised as the witness itself.
    #[serde(serialize_with = "shared_witness")]
    pub status: Arc<Witness>,
    /// The list entry the party is (`ofac:4697`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_entry: Option<String>,
    /// Possible list matches found by a fuzzy name search, with their scores.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub list_candidates: Vec<ListCandidate>,
}

fn shared_witness<S: serde::Serializer>(w: &Arc<Witness>, s: S) -> Result<S::Ok, S::Error> {
    w.as_ref().serialize(s)
}

#[derive(Debug, Clone, Serialize)]
pub struct ObligationReport {
    pub obligation: String,
    pub title: String,
    pub actor: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    pub due: DueReport,
    pub citation: Citation,
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DueReport {
    On {
        date: Date,
        skipped: Vec<SkippedDayReport>,
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

/// The terms of a penalty as people read them: `up to 377,700 USD`, `up to 20 years'
/// imprisonment`, `life if death results` (empty for a non-monetary exposure).
pub fn penalty_terms(
    max_amount: Option<Money>,
    prison_years: Option<u32>,
    life_if_death: bool,
) -> Vec<String> {
    let mut what = Vec::new();
    if let Some(m) = max_amount {
        what.push(format!("up to {m}"));
    }
    if let Some(y) = prison_years {
        what.push(format!("up to {y} years' imprisonment"));
    }
    if life_if_death {
        what.push("life if death results".into());
    }
    what
}

#[derive(Debug, Clone, Serialize)]
pub struct ExposureReport {
    pub penalty: String,
    pub title: String,
    pub kind: &'static str,
    pub actor: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_amount: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prison_years: Option<u32>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub life_if_death: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_from: Option<Date>,
    /// The source of the amounts in force (an inflation adjustment), when it has its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_citation: Option<Citation>,
    /// A note on the amounts in force (for example that a figure is computed, not read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_note: Option<String>,
    pub citation: Citation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The last day an action may be brought for this violation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enforceable_until: Option<Date>,
    /// The limitation period that gives `enforceable_until`, with its source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limitation: Option<LimitationReport>,
    pub rules: Vec<String>,
}

fn pid(world: &World, p: PartyIdx) -> String {
    world
        .parties
        .get(p.idx())
        .map(|x| x.id.clone())
        .unwrap_or_default()
}

/// Build the named report of a decision.
pub fn build(engine: &Engine, tx: &Transaction, d: &Decision) -> DecisionReport {
    let rs = engine.rules();
    let world = engine.world();
    let effective = Engine::effective_date(d.date, Some(d.as_of));
    let jurisdictions = d
        .outcomes
        .iter()
        // Witnesses come from the engine's cached status tables: nothing is recomputed here.
        .map(|o| {
            let table = engine.statuses(o.jurisdiction, effective);
            outcome(rs, world, tx, o, effective, &table.closure)
        })
        .collect();
    let trace = d.trace.as_ref().map(|t| trace::trace_report(rs, world, t));
    DecisionReport {
        transaction: d.transaction.clone(),
        date: d.date,
        as_of: d.as_of,
        tx_type: rs
            .vocabulary
            .transaction_types
            .get(tx.tx_type)
            .map(|t| t.id.clone())
            .unwrap_or_default(),
        amount: tx.amount,
        goods: rs
            .term_names(&rs.vocabulary.goods, tx.goods)
            .into_iter()
            .map(str::to_string)
            .collect(),
        parties: tx
            .parties
            .iter()
            .map(|(role, p)| PartyInRole {
                role: *role,
                party: pid(world, *p),
                name: world
                    .parties
                    .get(p.idx())
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
            })
            .collect(),
        description: tx.description.clone(),
        overall: d.overall,
        jurisdictions,
        trace,
    }
}

fn outcome(
    rs: &RuleSet,
    world: &World,
    tx: &Transaction,
    o: &Outcome,
    effective: Date,
    closure: &crate::ownership::Closure,
) -> OutcomeReport {
    let jur = rs.jurisdictions.get(o.jurisdiction.idx());
    let nexus_report = |i: usize| {
        jur.and_then(|j| j.nexus.get(i)).map(|n| NexusReport {
            id: n.id.clone(),
            title: n.title.clone(),
            citation: n.citation.clone(),
        })
    };
    let nexus: Vec<NexusReport> = o.nexus.iter().filter_map(|&i| nexus_report(i)).collect();
    let no_nexus = if o.nexus.is_empty() {
        (0..jur.map_or(0, |j| j.nexus.len()))
            .filter_map(nexus_report)
            .collect()
    } else {
        Vec::new()
    };
    let reasons = reasons(rs, world, tx, o, effective, closure);
    let mut obligations = Vec::new();
    let mut exposures = Vec::new();
    for c in &o.consequences {
        match &c.kind {
            ConsequenceKind::Obligation { id, due } => {
                obligations.extend(obligation(rs, world, c, *id, due));
            }
            ConsequenceKind::Exposure { .. } => {
                exposures.extend(exposure(rs, world, tx, c, effective));
            }
        }
    }
    OutcomeReport {
        jurisdiction: jur.map(|j| j.id.clone()).unwrap_or_default(),
        name: jur.map(|j| j.name.clone()).unwrap_or_default(),
        disposition: o.disposition,
        nexus,
        no_nexus,
        reasons,
        obligations,
        exposures,
        issues: o
            .issues
            .iter()
            .map(|i| IssueReport {
                code: i.code(),
                message: i.message(),
            })
            .collect(),
    }
}

/// The reasons of an outcome with the rules' names and citations, and the facts about the
/// parties they matched (each party's status with its witness).
fn reasons(
    rs: &RuleSet,
    world: &World,
    tx: &Transaction,
    o: &Outcome,
    effective: Date,
    closure: &crate::ownership::Closure,
) -> Vec<ReasonReport> {
    let roles_of = |p: PartyIdx| -> Vec<Role> {
        tx.parties
            .iter()
            .filter(|(_, q)| *q == p)
            .map(|(r, _)| *r)
            .collect()
    };
    // A party bound by several rules is explained once per outcome (its witness can be a
    // whole ownership chain).
    let mut witnesses: std::collections::HashMap<PartyIdx, Arc<Witness>> =
        std::collections::HashMap::new();
    o.reasons
        .iter()
        .filter_map(|r| {
            let rule = rs.rules.get(r.rule.idx())?;
            let mut seen = Vec::new();
            let facts = r
                .matched
                .iter()
                .filter(|p| {
                    let new = !seen.contains(*p);
                    seen.push(**p);
                    new
                })
                .map(|&p| PartyFactReport {
                    party: pid(world, p),
                    roles: roles_of(p),
                    status: witnesses
                        .entry(p)
                        .or_insert_with(|| {
                            Arc::new(explain_in(rs, world, o.jurisdiction, effective, closure, p))
                        })
                        .clone(),
                    list_entry: world
                        .parties
                        .get(p.idx())
                        .and_then(|x| x.list_entry.clone()),
                    list_candidates: world
                        .parties
                        .get(p.idx())
                        .map(|x| x.fuzzy_candidates.clone())
                        .unwrap_or_default(),
                })
                .collect();
            Some(ReasonReport {
                kind: r.kind.as_str(),
                rule: rule.id.clone(),
                title: rule.title.clone(),
                program: rule
                    .program
                    .and_then(|p| rs.programs.get(p.idx()))
                    .map(|p| p.id.clone()),
                citation: rule.citation.clone(),
                note: rule.note.clone(),
                actor: r.actor.map(|a| pid(world, a)),
                facts,
                related: r
                    .related
                    .iter()
                    .filter_map(|x| rs.rules.get(x.idx()))
                    .map(|x| x.id.clone())
                    .collect(),
            })
        })
        .collect()
}

fn rule_ids(rs: &RuleSet, v: &[crate::model::RuleIdx]) -> Vec<String> {
    v.iter()
        .filter_map(|x| rs.rules.get(x.idx()))
        .map(|x| x.id.clone())
        .collect()
}

/// An obligation with its definition's title, recipient and citation.
fn obligation(
    rs: &RuleSet,
    world: &World,
    c: &Consequence,
    id: ObligationIdx,
    due: &DueDate,
) -> Option<ObligationReport> {
    let def = rs.obligations.get(id.idx())?;
    Some(ObligationReport {
        obligation: def.id.clone(),
        title: def.title.clone(),
        actor: pid(world, c.actor),
        recipient: def.recipient.clone(),
        due: match due {
            DueDate::On { date, skipped } => DueReport::On {
                date: *date,
                skipped: skipped
                    .iter()
                    .map(|s| SkippedDayReport {
                        date: s.date,
                        reason: s.why.clone(),
                    })
                    .collect(),
            },
            DueDate::RetainUntil(d) => DueReport::RetainUntil { date: *d },
            DueDate::Prompt(w) => DueReport::Prompt { when: w.clone() },
            DueDate::Continuing => DueReport::Continuing,
            DueDate::Unknown => DueReport::Unknown,
        },
        citation: def.citation.clone(),
        rules: rule_ids(rs, &c.rules),
    })
}

/// An exposure with the penalty's schedule in force (from `period_from`, else the effective
/// date) and its limitation period on the transaction's date.
fn exposure(
    rs: &RuleSet,
    world: &World,
    tx: &Transaction,
    c: &Consequence,
    effective: Date,
) -> Option<ExposureReport> {
    let ConsequenceKind::Exposure {
        id,
        max_amount,
        prison_years,
        life_if_death,
        period_from,
        enforceable_until,
    } = &c.kind
    else {
        return None;
    };
    let def = rs.penalties.get(id.idx())?;
    let period = crate::model::ruleset::in_force_on(&def.periods, period_from.unwrap_or(effective));
    let period_note = period.and_then(|p| p.value.note.clone());
    let limitation =
        crate::model::ruleset::in_force_on(&def.limitation, tx.date).map(|l| LimitationReport {
            years: l.value.years,
            citation: l.citation.clone(),
            note: l.value.note.clone(),
        });
    Some(ExposureReport {
        penalty: def.id.clone(),
        title: def.title.clone(),
        kind: def.kind.as_str(),
        actor: pid(world, c.actor),
        max_amount: *max_amount,
        prison_years: *prison_years,
        life_if_death: *life_if_death,
        schedule_from: *period_from,
        schedule_citation: period.and_then(|p| p.citation.clone()),
        citation: def.citation.clone(),
        schedule_note: period_note,
        note: def.note.clone(),
        enforceable_until: *enforceable_until,
        limitation,
        rules: rule_ids(rs, &c.rules),
    })
}
