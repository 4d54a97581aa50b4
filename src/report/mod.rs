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
pub use witness::PartyExplanation;

/// The version of the JSON shape of `interdict eval --format json` (docs/json.md). Version 1
/// was the unversioned shape before it: a bare array of scenarios, issues and skipped days as
/// strings, the limitation period as one sentence. Version 3 added the reason kind `advisory`.
pub const SCHEMA: &str = "interdict.report/3";

/// The JSON document `interdict eval --format json` writes: its schema, then each scenario.
#[derive(Debug, Clone, Serialize)]
pub struct EvalDocument {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// Each scenario evaluated, in the order given.
    pub scenarios: Vec<ScenarioReport>,
}

/// One scenario's decisions.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioReport {
    /// The scenario's name.
    pub scenario: String,
    /// The scenario file, as named on the command line.
    pub path: String,
    /// One per transaction, in file order.
    pub decisions: Vec<DecisionReport>,
}

/// One transaction's decision by name: the transaction, then each jurisdiction's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionReport {
    /// The transaction's id.
    pub transaction: String,
    /// The day it takes place.
    pub date: Date,
    /// The day the law and the lists were taken as standing on.
    pub as_of: Date,
    /// The day the evaluation is made, when given (limitation is judged on it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluated_on: Option<Date>,
    /// Its transaction type (a vocabulary id).
    #[serde(rename = "type")]
    pub tx_type: String,
    /// Its value, exact, with its currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// Its goods categories (vocabulary ids).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub goods: Vec<String>,
    /// Who takes part, in which role, in the transaction's order of roles.
    pub parties: Vec<PartyInRole>,
    /// Free text given with the transaction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The strongest disposition across jurisdictions.
    pub overall: Disposition,
    /// Each jurisdiction's outcome.
    pub jurisdictions: Vec<OutcomeReport>,
    /// Every rule considered, when a trace was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<TraceReport>>,
}

/// A party of the transaction, by role.
#[derive(Debug, Clone, Serialize)]
pub struct PartyInRole {
    /// The role.
    pub role: Role,
    /// The party's id.
    pub party: String,
    /// The party's name.
    pub name: String,
}

/// One jurisdiction's outcome, by name.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeReport {
    /// The jurisdiction's id (`us`, `eu`...).
    pub jurisdiction: String,
    /// Its name.
    pub name: String,
    /// What it requires of the transaction.
    pub disposition: Disposition,
    /// The nexus tests that held; empty when the law does not reach the transaction.
    pub nexus: Vec<NexusReport>,
    /// When there is no nexus: the tests that were tried.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub no_nexus: Vec<NexusReport>,
    /// The rules behind the disposition: decisive, contributing, exceptions, overrides, defeated.
    pub reasons: Vec<ReasonReport>,
    /// Duties that follow, per actor.
    pub obligations: Vec<ObligationReport>,
    /// Penalties risked, per actor.
    pub exposures: Vec<ExposureReport>,
    /// Problems met while evaluating; each raised the disposition to at least `review`
    /// if it left a condition unread.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<IssueReport>,
}

/// A problem met while evaluating, by its stable code and in words.
#[derive(Debug, Clone, Serialize)]
pub struct IssueReport {
    /// The stable code (`MISSING_EXCHANGE_RATE`...).
    pub code: crate::diagnostic::Code,
    /// The problem in words.
    pub message: String,
}

/// A non-business day a due-date count stepped over, and why (`saturday`, a holiday's name).
#[derive(Debug, Clone, Serialize)]
pub struct SkippedDayReport {
    /// The day skipped.
    pub date: Date,
    /// Why: `saturday`, `sunday`, or the holiday's name.
    pub reason: String,
}

/// The limitation period in force for a violation: an action must be brought within `years`.
#[derive(Debug, Clone, Serialize)]
pub struct LimitationReport {
    /// The period, in years from the violation.
    pub years: u32,
    /// Its source in law.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
    /// A note on how it applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A nexus test: what brings a transaction within the jurisdiction's reach.
#[derive(Debug, Clone, Serialize)]
pub struct NexusReport {
    /// The test's id.
    pub id: String,
    /// What it tests, in words.
    pub title: String,
    /// Its source in law.
    pub citation: Citation,
}

/// A rule behind an outcome, with its citation and the facts that met it.
#[derive(Debug, Clone, Serialize)]
pub struct ReasonReport {
    /// The part the rule played: `decisive`, `contributing`, `exception`, `override`,
    /// `defeated`, `advisory` (a caution that set nothing).
    pub kind: &'static str,
    /// The rule's id.
    pub rule: String,
    /// The rule's title.
    pub title: String,
    /// The program it belongs to, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// Its source in law.
    pub citation: Citation,
    /// The rule's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The party the rule binds, if it has an actor clause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The parties whose facts met the rule's clauses, with their status and its proof.
    pub facts: Vec<PartyFactReport>,
    /// Defeated-by, defeats, or stops (by kind).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
}

/// A party whose facts met a rule's clause, with its status and the proof of it.
#[derive(Debug, Clone, Serialize)]
pub struct PartyFactReport {
    /// The party's id.
    pub party: String,
    /// The roles it holds in the transaction.
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

/// A duty that follows from the decision.
#[derive(Debug, Clone, Serialize)]
pub struct ObligationReport {
    /// The obligation's id.
    pub obligation: String,
    /// What must be done, in words.
    pub title: String,
    /// Who owes it (a party id).
    pub actor: String,
    /// To whom (a reporting authority), if the obligation names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// When it falls due.
    pub due: DueReport,
    /// Its source in law.
    pub citation: Citation,
    /// The rules it follows from.
    pub rules: Vec<String>,
}

/// When an obligation falls due.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DueReport {
    /// A deadline: the last day to act, and the non-business days the count passed over.
    On {
        /// The last day to act.
        date: Date,
        /// The non-business days the count passed over.
        skipped: Vec<SkippedDayReport>,
    },
    /// Records kept up to and including `date`.
    RetainUntil {
        /// The last day records must be kept.
        date: Date,
    },
    /// No fixed period; `when` says how the law puts it ("promptly").
    Prompt {
        /// How the law puts it.
        when: String,
    },
    /// For as long as the facts hold.
    Continuing,
    /// It could not be computed (see the outcome's issues).
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

/// A penalty risked by going ahead, with its maxima and the time an action may be brought.
#[derive(Debug, Clone, Serialize)]
pub struct ExposureReport {
    /// The penalty's id.
    pub penalty: String,
    /// The penalty's title.
    pub title: String,
    /// `civil` or `criminal`.
    pub kind: &'static str,
    /// Who risks it (a party id).
    pub actor: String,
    /// The largest fine, exact, with its currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_amount: Option<Money>,
    /// The longest prison term, in years.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prison_years: Option<u32>,
    /// Imprisonment for life if a death results.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub life_if_death: bool,
    /// The day the maxima in force were set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_from: Option<Date>,
    /// The source of the amounts in force (an inflation adjustment), when it has its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_citation: Option<Citation>,
    /// A note on the amounts in force (for example that a figure is computed, not read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_note: Option<String>,
    /// Its source in law.
    pub citation: Citation,
    /// The penalty's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The last day an action may be brought for this violation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enforceable_until: Option<Date>,
    /// The limitation period that gives `enforceable_until`, with its source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limitation: Option<LimitationReport>,
    /// The limitation period ran before the evaluation date (`evaluated_on`): the exposure is
    /// shown, but no action can be brought any more.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub barred: bool,
    /// The rules it follows from.
    pub rules: Vec<String>,
}

fn pid(world: &World, p: PartyIdx) -> String {
    world.parties[p].id.clone()
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
            outcome(rs, world, tx, o, effective, &table.closure, d)
        })
        .collect();
    let trace = d.trace.as_ref().map(|t| trace::trace_report(rs, world, t));
    DecisionReport {
        transaction: d.transaction.clone(),
        date: d.date,
        as_of: d.as_of,
        evaluated_on: d.evaluated_on,
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
                name: world.parties[*p].name.clone(),
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
    d: &Decision,
) -> OutcomeReport {
    let jur = &rs.jurisdictions[o.jurisdiction];
    let nexus_report = |n: &crate::model::ruleset::NexusTest| NexusReport {
        id: n.id.clone(),
        title: n.title.clone(),
        citation: n.citation.clone(),
    };
    let nexus: Vec<NexusReport> = o
        .nexus
        .iter()
        .map(|&i| nexus_report(&jur.nexus[i]))
        .collect();
    let no_nexus = if o.nexus.is_empty() {
        jur.nexus.iter().map(nexus_report).collect()
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
                exposures.extend(exposure(rs, world, tx, c, effective, d));
            }
        }
    }
    OutcomeReport {
        jurisdiction: jur.id.clone(),
        name: jur.name.clone(),
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
        .map(|r| {
            let rule = &rs.rules[r.rule];
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
                    list_entry: world.parties[p].list_entry.clone(),
                    list_candidates: world.parties[p].fuzzy_candidates.clone(),
                })
                .collect();
            ReasonReport {
                kind: r.kind.as_str(),
                rule: rule.id.clone(),
                title: rule.title.clone(),
                program: rule.program.map(|p| rs.programs[p].id.clone()),
                citation: rule.citation.clone(),
                note: rule.note.clone(),
                actor: r.actor.map(|a| pid(world, a)),
                facts,
                related: r.related.iter().map(|x| rs.rules[x].id.clone()).collect(),
            }
        })
        .collect()
}

fn rule_ids(rs: &RuleSet, v: &[crate::model::RuleIdx]) -> Vec<String> {
    v.iter().map(|x| rs.rules[x].id.clone()).collect()
}

/// An obligation with its definition's title, recipient and citation.
fn obligation(
    rs: &RuleSet,
    world: &World,
    c: &Consequence,
    id: ObligationIdx,
    due: &DueDate,
) -> Option<ObligationReport> {
    let def = &rs.obligations[id];
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
    d: &Decision,
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
    let def = &rs.penalties[*id];
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
        barred: d.barred(*enforceable_until),
        rules: rule_ids(rs, &c.rules),
    })
}
