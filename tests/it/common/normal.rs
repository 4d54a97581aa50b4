//! Decisions in a normal form that names everything (rules, parties, jurisdictions) and sorts
//! every list, so decisions made over rule sets or worlds with different indices compare.

use interdict::eval::decision::{ConsequenceKind, Decision};
use interdict::model::ruleset::RuleSet;
use interdict::model::world::World;
use interdict::model::{Disposition, PartyIdx, RuleIdx};

use super::reference::{Duty, RefOutcome};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NReason {
    pub kind: String,
    pub rule: String,
    pub actor: Option<String>,
    pub matched: Vec<String>,
    pub related: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NOutcome {
    pub jurisdiction: String,
    pub disposition: Disposition,
    pub nexus: Vec<String>,
    pub reasons: Vec<NReason>,
    /// (actor, "obligation:<id>" or "exposure:<id>")
    pub duties: Vec<(String, String)>,
    pub has_issues: bool,
}

/// Everything, including due dates and amounts, for comparing the engine with itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NDecision {
    pub overall: Disposition,
    pub outcomes: Vec<NOutcome>,
    /// Consequences in full (debug text of due dates and amounts), by actor and duty.
    pub details: Vec<String>,
}

fn rule(rs: &RuleSet, r: RuleIdx) -> String {
    rs.rules.get(r).map_or("?".into(), |x| x.id.clone())
}

fn party(w: &World, p: PartyIdx) -> String {
    w.parties.get(p).map_or("?".into(), |x| x.id.clone())
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

pub fn engine(rs: &RuleSet, w: &World, d: &Decision) -> NDecision {
    let mut details = Vec::new();
    let mut outcomes: Vec<NOutcome> = d
        .outcomes
        .iter()
        .map(|o| {
            let jur = &rs.jurisdictions[o.jurisdiction];
            let mut duties = Vec::new();
            for c in &o.consequences {
                let who = party(w, c.actor);
                let (what, detail) = match &c.kind {
                    ConsequenceKind::Obligation { id, due } => (
                        format!("obligation:{}", rs.obligations[id].id),
                        format!("{due:?}"),
                    ),
                    ConsequenceKind::Exposure {
                        id,
                        max_amount,
                        prison_years,
                        life_if_death,
                        period_from,
                        enforceable_until,
                    } => (
                        format!("exposure:{}", rs.penalties[id].id),
                        format!("{max_amount:?} {prison_years:?} {life_if_death} {period_from:?} {enforceable_until:?}"),
                    ),
                };
                let rules = sorted(c.rules.iter().map(|r| rule(rs, *r)).collect());
                details.push(format!("{} {who} {what} {detail} {rules:?}", jur.id));
                duties.push((who, what));
            }
            duties.sort();
            duties.dedup();
            NOutcome {
                jurisdiction: jur.id.clone(),
                disposition: o.disposition,
                nexus: sorted(o.nexus.iter().map(|i| jur.nexus[*i].id.clone()).collect()),
                reasons: sorted(
                    o.reasons
                        .iter()
                        .map(|r| NReason {
                            kind: r.kind.as_str().to_string(),
                            rule: rule(rs, r.rule),
                            actor: r.actor.map(|a| party(w, a)),
                            matched: r.matched.iter().map(|p| party(w, *p)).collect(),
                            related: sorted(r.related.iter().map(|x| rule(rs, *x)).collect()),
                        })
                        .collect(),
                ),
                duties,
                has_issues: !o.issues.is_empty(),
            }
        })
        .collect();
    outcomes.sort();
    details.sort();
    NDecision {
        overall: d.overall,
        outcomes,
        details,
    }
}

pub fn reference(rs: &RuleSet, w: &World, outs: &[RefOutcome]) -> Vec<NOutcome> {
    let mut v: Vec<NOutcome> = outs
        .iter()
        .map(|o| {
            let jur = &rs.jurisdictions[o.jurisdiction];
            NOutcome {
                jurisdiction: jur.id.clone(),
                disposition: o.disposition,
                nexus: sorted(
                    o.nexus
                        .iter()
                        .map(|i| jur.nexus.as_slice()[*i].id.clone())
                        .collect(),
                ),
                reasons: sorted(
                    o.reasons
                        .iter()
                        .map(|r| NReason {
                            kind: r.kind.as_str().to_string(),
                            rule: rule(rs, r.rule),
                            actor: r.actor.map(|a| party(w, a)),
                            matched: r.matched.iter().map(|p| party(w, *p)).collect(),
                            related: sorted(r.related.iter().map(|x| rule(rs, *x)).collect()),
                        })
                        .collect(),
                ),
                duties: sorted(
                    o.duties
                        .iter()
                        .map(|(a, d)| {
                            let what = match d {
                                Duty::Obligation(id) => {
                                    format!("obligation:{}", rs.obligations[id].id)
                                }
                                Duty::Exposure(id) => {
                                    format!("exposure:{}", rs.penalties[id].id)
                                }
                            };
                            (party(w, *a), what)
                        })
                        .collect(),
                ),
                has_issues: o.has_issues,
            }
        })
        .collect();
    v.sort();
    v
}
