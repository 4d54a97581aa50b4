//! The diff core: the same transactions under two worlds, and only what changes.
//!
//! A [`Side`] is an engine (rule packs and a world) with the transactions as lowered against
//! it and the evaluation options (as-of date, jurisdictions). Transactions are matched by id
//! (the n-th occurrence of an id with the n-th), so the sides may come from different rule
//! packs, from a scenario or from a batch. Each pair is evaluated under both worlds; when the
//! decisions differ, the change is described by name, per jurisdiction: disposition, reasons
//! added, removed or with other facts, obligations and exposures before and after, issues, and
//! the transaction's parties whose status changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use serde::Serialize;

pub use super::change::{
    Change, ChangeKind, ExposureChange, IssueChange, JurisdictionChange, ObligationChange,
    ReasonChange, ReasonFacts, TxChange,
};
use super::pair::{PairDiffer, PairScratch};
use super::parties::{DatePair, PartyChange};
use super::view::{Namer, OutcomeView, ReasonView};
use crate::diagnostic::Code;
use crate::eval::decision::Decision;
use crate::eval::{Engine, EvalOptions};
use crate::model::Disposition;
use crate::model::values::Date;
use crate::model::world::Transaction;
use crate::source::Loc;

/// One world: an engine, the transactions lowered against its world, and how to evaluate.
pub struct Side<'a> {
    /// Rule packs and world of this side.
    pub engine: &'a Engine,
    /// The transactions as lowered against this side's world; matched with the other side's by id.
    pub transactions: &'a [Transaction],
    /// The as-of date and jurisdictions to evaluate under.
    pub options: EvalOptions,
}

/// Everything that differs between two worlds for a set of transactions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// Transactions evaluated under both worlds.
    pub compared: usize,
    /// Those whose decision differs, by date then id.
    pub changed: Vec<TxChange>,
    /// Ids of the others, by date then id.
    pub unchanged: Vec<String>,
    /// Ids of transactions only world A's side has (the n-th occurrence of an id has no partner in
    /// B).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub only_in_a: Vec<String>,
    /// Ids of transactions only world B's side has.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub only_in_b: Vec<String>,
    /// Parties whose status differs on the dates looked at, with witnesses before and after.
    pub parties: Vec<PartyChange>,
    /// Problems met while evaluating (a missing exchange rate, a calendar too short), in
    /// either world: the decisions they touch are incomplete.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<EvalIssue>,
}

/// An evaluation problem of one transaction in one world and jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvalIssue {
    /// `A` or `B`.
    pub world: &'static str,
    /// The transaction's id.
    pub transaction: String,
    /// The jurisdiction's id.
    pub jurisdiction: String,
    /// The issue's stable code.
    pub code: Code,
    /// What went wrong, for people.
    pub message: String,
    /// Whether the issue leaves the disposition open ([`Issue::leaves_disposition_open`]):
    /// an error of the run, where the others are warnings.
    ///
    /// [`Issue::leaves_disposition_open`]: crate::eval::decision::Issue::leaves_disposition_open
    #[serde(skip)]
    pub leaves_disposition_open: bool,
    /// Where the transaction is written.
    pub at: Loc,
}

impl Comparison {
    pub(crate) fn has_changes(&self) -> bool {
        !self.changed.is_empty()
            || !self.parties.is_empty()
            || !self.only_in_a.is_empty()
            || !self.only_in_b.is_empty()
    }
}

/// Compare the decisions of `a` and `b` on their common transactions. `extra` adds a date
/// pair at which party statuses are compared even if no transaction falls on it (the as-of
/// dates of a replay). World B decides only the transactions whose decision can change
/// (`PairDiffer`).
pub fn compare(a: &Side, b: &Side, extra: Option<DatePair>) -> Comparison {
    compare_with(&PairDiffer::new(a, b), extra)
}

/// [`compare`] with a given differ (e.g. one [`PairDiffer::deciding_all_twice`]).
pub fn compare_with(differ: &PairDiffer, extra: Option<DatePair>) -> Comparison {
    let (a, b) = differ.sides();
    let pairs = Pairing::new(a.transactions, b.transactions);
    let mut changed: Vec<TxChange> = Vec::new();
    let mut unchanged: Vec<(Date, String)> = Vec::new();
    let mut dates: BTreeSet<DatePair> = BTreeSet::new();
    let mut issues: Vec<EvalIssue> = Vec::new();
    let mut scratch = PairScratch::default();
    for &(ta, tb) in &pairs.both {
        let r = differ.pair(&mut scratch, ta, tb);
        issues.extend(r.issues);
        dates.insert(r.evaluated);
        match r.change {
            Some(c) => changed.push(c),
            None => unchanged.push((ta.date, ta.id.clone())),
        }
    }
    if let Some(x) = extra {
        dates.insert(x);
    }
    changed.sort_by(|x, y| (x.date, &x.transaction).cmp(&(y.date, &y.transaction)));
    unchanged.sort();
    Comparison {
        compared: pairs.both.len(),
        changed,
        unchanged: unchanged.into_iter().map(|(_, id)| id).collect(),
        only_in_a: pairs.only_in_a,
        only_in_b: pairs.only_in_b,
        parties: differ.party_changes(&dates),
        issues,
    }
}

/// Same packs and the same parties in the same order: decisions compare as raw values, and
/// naming is needed only for the ones that differ.
pub(super) fn same_frame(a: &Side, b: &Side) -> bool {
    Arc::ptr_eq(a.engine.rules_arc(), b.engine.rules_arc())
        && a.engine.world().parties.len() == b.engine.world().parties.len()
        && a.engine
            .world()
            .parties
            .iter()
            .zip(&b.engine.world().parties)
            .all(|(x, y)| x.id == y.id)
}

/// The transactions of two worlds matched by id: the `n`th transaction with an id in A is
/// compared with the `n`th with that id in B.
struct Pairing<'t> {
    /// In A's order.
    both: Vec<(&'t Transaction, &'t Transaction)>,
    only_in_a: Vec<String>,
    only_in_b: Vec<String>,
}

impl<'t> Pairing<'t> {
    fn new(a: &'t [Transaction], b: &'t [Transaction]) -> Pairing<'t> {
        let mut b_by_id: HashMap<(&str, usize), usize> = HashMap::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, t) in b.iter().enumerate() {
            let n = seen.entry(t.id.as_str()).or_default();
            b_by_id.insert((t.id.as_str(), *n), i);
            *n += 1;
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut matched_b = vec![false; b.len()];
        let mut both = Vec::new();
        let mut only_in_a: Vec<String> = Vec::new();
        for ta in a {
            let n = seen.entry(ta.id.as_str()).or_default();
            let key = (ta.id.as_str(), *n);
            *n += 1;
            let Some(&ib) = b_by_id.get(&key) else {
                only_in_a.push(ta.id.clone());
                continue;
            };
            let Some(tb) = b.get(ib) else {
                continue;
            };
            if let Some(m) = matched_b.get_mut(ib) {
                *m = true;
            }
            both.push((ta, tb));
        }
        let only_in_b = b
            .iter()
            .zip(&matched_b)
            .filter(|(_, m)| !**m)
            .map(|(t, _)| t.id.clone())
            .collect();
        Pairing {
            both,
            only_in_a,
            only_in_b,
        }
    }
}

/// The evaluation problems of one decision in one world.
pub(super) fn push_issues(
    issues: &mut Vec<EvalIssue>,
    world: &'static str,
    n: &Namer,
    t: &Transaction,
    d: &Decision,
) {
    for o in &d.outcomes {
        for i in &o.issues {
            issues.push(EvalIssue {
                world,
                transaction: t.id.clone(),
                jurisdiction: n.jurisdiction(o.jurisdiction),
                code: i.code(),
                message: i.message(),
                leaves_disposition_open: i.leaves_disposition_open(),
                at: t.loc.clone(),
            });
        }
    }
}

/// Per jurisdiction (by id, sorted), what differs between two decisions on one transaction.
pub(super) fn outcome_changes(
    na: &Namer,
    nb: &Namer,
    da: &Decision,
    db: &Decision,
    parties_of: impl Fn(&str) -> Vec<String>,
) -> Vec<JurisdictionChange> {
    let mut by_j: BTreeMap<String, (Option<OutcomeView>, Option<OutcomeView>)> = BTreeMap::new();
    for o in &da.outcomes {
        by_j.entry(na.jurisdiction(o.jurisdiction)).or_default().0 = Some(na.outcome(o));
    }
    for o in &db.outcomes {
        by_j.entry(nb.jurisdiction(o.jurisdiction)).or_default().1 = Some(nb.outcome(o));
    }
    let mut out = Vec::new();
    for (j, (va, vb)) in by_j {
        if va == vb {
            continue;
        }
        let empty = OutcomeView {
            disposition: Disposition::OutOfScope,
            nexus: Vec::new(),
            reasons: Vec::new(),
            obligations: BTreeMap::new(),
            exposures: BTreeMap::new(),
            issues: Vec::new(),
        };
        let (oa, ob) = (va.as_ref().unwrap_or(&empty), vb.as_ref().unwrap_or(&empty));
        let nexus = (oa.nexus != ob.nexus).then(|| Change {
            before: oa.nexus.clone(),
            after: ob.nexus.clone(),
        });
        out.push(JurisdictionChange {
            disposition: Change {
                before: va.as_ref().map(|v| v.disposition),
                after: vb.as_ref().map(|v| v.disposition),
            },
            nexus,
            reasons: reason_changes(na, nb, &oa.reasons, &ob.reasons),
            obligations: keyed_changes(&oa.obligations, &ob.obligations)
                .into_iter()
                .map(
                    |((actor, obligation), change, before, after)| ObligationChange {
                        change,
                        obligation,
                        actor,
                        before,
                        after,
                    },
                )
                .collect(),
            exposures: exposure_changes(na, nb, oa, ob),
            issues: set_changes(&oa.issues, &ob.issues)
                .into_iter()
                .map(|(change, issue)| IssueChange { change, issue })
                .collect(),
            parties: parties_of(&j),
            jurisdiction: j,
        });
    }
    out
}

/// The exposures added, removed or changed between two outcomes, with their penalty's kind
/// (from the second rule set, else the first).
fn exposure_changes(
    na: &Namer,
    nb: &Namer,
    oa: &OutcomeView,
    ob: &OutcomeView,
) -> Vec<ExposureChange> {
    keyed_changes(&oa.exposures, &ob.exposures)
        .into_iter()
        .map(|((actor, penalty), change, before, after)| {
            let kind = nb
                .rs
                .penalties
                .iter()
                .chain(&na.rs.penalties)
                .find(|p| p.id == penalty)
                .map_or("other", |p| p.kind.as_str());
            ExposureChange {
                change,
                penalty,
                kind,
                actor,
                before,
                after,
            }
        })
        .collect()
}

type Keyed<K, V> = Vec<(K, ChangeKind, Option<V>, Option<V>)>;

/// Entries added, removed or changed between two maps, in key order.
fn keyed_changes<K: Ord + Clone, V: PartialEq + Clone>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
) -> Keyed<K, V> {
    let keys: BTreeSet<&K> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter_map(|k| match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) if x == y => None,
            (Some(x), Some(y)) => Some((
                k.clone(),
                ChangeKind::Changed,
                Some(x.clone()),
                Some(y.clone()),
            )),
            (Some(x), None) => Some((k.clone(), ChangeKind::Removed, Some(x.clone()), None)),
            (None, Some(y)) => Some((k.clone(), ChangeKind::Added, None, Some(y.clone()))),
            (None, None) => None,
        })
        .collect()
}

fn set_changes(a: &[String], b: &[String]) -> Vec<(ChangeKind, String)> {
    let sa: BTreeSet<&String> = a.iter().collect();
    let sb: BTreeSet<&String> = b.iter().collect();
    let mut out: Vec<(ChangeKind, String)> = sa
        .difference(&sb)
        .map(|s| (ChangeKind::Removed, (*s).clone()))
        .chain(
            sb.difference(&sa)
                .map(|s| (ChangeKind::Added, (*s).clone())),
        )
        .collect();
    out.sort_by(|x, y| (&x.1, x.0).cmp(&(&y.1, y.0)));
    out
}

/// Reasons only in A (removed), only in B (added), or for the same rule and actor with another
/// kind or other facts (changed), sorted by rule then actor.
fn reason_changes(na: &Namer, nb: &Namer, a: &[ReasonView], b: &[ReasonView]) -> Vec<ReasonChange> {
    type Key = (String, Option<String>);
    let group = |v: &[ReasonView]| -> BTreeMap<Key, Vec<ReasonFacts>> {
        let mut m: BTreeMap<Key, Vec<ReasonFacts>> = BTreeMap::new();
        for r in v {
            m.entry((r.rule.clone(), r.actor.clone()))
                .or_default()
                .push(ReasonFacts {
                    kind: r.kind,
                    facts: r.facts.clone(),
                    related: r.related.clone(),
                });
        }
        m
    };
    let (ga, gb) = (group(a), group(b));
    let keys: BTreeSet<&Key> = ga.keys().chain(gb.keys()).collect();
    let citation = |rule: &str| -> String {
        nb.rs
            .rule_by_id(rule)
            .and_then(|r| nb.rs.rules.get(r))
            .or_else(|| na.rs.rule_by_id(rule).and_then(|r| na.rs.rules.get(r)))
            .map(|r| r.citation.text.clone())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for k in keys {
        let (rule, actor) = k;
        let mut xs: Vec<ReasonFacts> = ga.get(k).cloned().unwrap_or_default();
        let mut ys: Vec<ReasonFacts> = gb.get(k).cloned().unwrap_or_default();
        // What is the same on both sides is not a change.
        xs.retain(|x| match ys.iter().position(|y| y == x) {
            Some(i) => {
                ys.remove(i);
                false
            }
            None => true,
        });
        let mk = |change, before: Option<ReasonFacts>, after: Option<ReasonFacts>| ReasonChange {
            change,
            rule: rule.clone(),
            kind: after.as_ref().or(before.as_ref()).map_or("", |f| f.kind),
            actor: actor.clone(),
            citation: citation(rule),
            before,
            after,
        };
        let pairs = xs.len().min(ys.len());
        for (x, y) in xs.iter().zip(&ys).take(pairs) {
            out.push(mk(ChangeKind::Changed, Some(x.clone()), Some(y.clone())));
        }
        for x in xs.into_iter().skip(pairs) {
            out.push(mk(ChangeKind::Removed, Some(x), None));
        }
        for y in ys.into_iter().skip(pairs) {
            out.push(mk(ChangeKind::Added, None, Some(y)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ruleset::RuleSet;
    use crate::model::world::World;

    fn reason(rule: &str, actor: &str, kind: &'static str, facts: &[&str]) -> ReasonView {
        ReasonView {
            rule: rule.into(),
            actor: Some(actor.into()),
            kind,
            facts: facts.iter().map(|s| s.to_string()).collect(),
            related: Vec::new(),
        }
    }

    #[test]
    fn reasons_pair_up_by_rule_and_actor() {
        let (rs, w) = (RuleSet::default(), World::default());
        let n = Namer { rs: &rs, world: &w };
        let a = vec![
            reason("r.review", "bank", "decisive", &["x"]),
            reason("r.gone", "bank", "decisive", &["x"]),
            reason("r.same", "bank", "contributing", &["x"]),
        ];
        let b = vec![
            reason("r.review", "bank", "contributing", &["x"]),
            reason("r.new", "bank", "decisive", &["y"]),
            reason("r.same", "bank", "contributing", &["x"]),
        ];
        let got: Vec<(ChangeKind, String, &str)> = reason_changes(&n, &n, &a, &b)
            .into_iter()
            .map(|c| (c.change, c.rule, c.kind))
            .collect();
        assert_eq!(
            got,
            [
                (ChangeKind::Removed, "r.gone".to_string(), "decisive"),
                (ChangeKind::Added, "r.new".to_string(), "decisive"),
                (ChangeKind::Changed, "r.review".to_string(), "contributing"),
            ]
        );
    }

    #[test]
    fn keyed_and_set_changes_are_sorted() {
        let a: BTreeMap<&str, u8> = [("x", 1), ("y", 2)].into_iter().collect();
        let b: BTreeMap<&str, u8> = [("y", 3), ("z", 4)].into_iter().collect();
        let kinds: Vec<(&str, ChangeKind)> = keyed_changes(&a, &b)
            .into_iter()
            .map(|(k, c, _, _)| (k, c))
            .collect();
        assert_eq!(
            kinds,
            [
                ("x", ChangeKind::Removed),
                ("y", ChangeKind::Changed),
                ("z", ChangeKind::Added)
            ]
        );
        let s = set_changes(&["b".into(), "a".into()], &["a".into(), "c".into()]);
        assert_eq!(
            s,
            [
                (ChangeKind::Removed, "b".to_string()),
                (ChangeKind::Added, "c".to_string())
            ]
        );
    }
}
