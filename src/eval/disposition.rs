//! The defeat and disposition phase: each firing prohibition defeated or not (by the one copy
//! of defeat, `defeat.rs`), the reasons cited, and the disposition the firings decide: the
//! strongest undefeated prohibition; with none, `permitted_licensed`/`permitted_exempt` if
//! something was defeated, `permitted` if the law reaches the transaction, `out_of_scope` if
//! it does not.

use super::Evaluation;
use super::conditions::{TxCtx, first_match};
use super::decision::{Reason, ReasonKind};
use super::defeat::{self, FiringLists};
use super::firing::Fired;
use crate::model::ruleset::{Rule, RuleKind};
use crate::model::{Disposition, PartyIdx, RuleIdx};

/// The firings judged.
pub(super) struct Judgement {
    /// Every reason cited, sorted.
    pub reasons: Vec<Reason>,
    /// Undefeated prohibitions with their actors: their consequences attach.
    pub live: Vec<(RuleIdx, Option<PartyIdx>)>,
    /// Prohibitions a license defeated, with their actors: their obligations that are owed
    /// when licensed (records) still attach.
    pub licensed: Vec<(RuleIdx, Option<PartyIdx>)>,
    /// The disposition the firings decide (before evaluation issues raise it): an obligation
    /// tied to a disposition (`for_dispositions`) is owed only under it.
    pub decided: Disposition,
}

impl Evaluation<'_> {
    /// Judges what fired; `reached`: some nexus test held.
    pub(super) fn judge(&self, fired: &Fired, reached: bool) -> Judgement {
        let rs = self.cx.rs;
        let lists = FiringLists {
            exceptions: &fired.exceptions,
            overrides: &fired.overrides,
        };
        let mut reasons: Vec<Reason> = Vec::new();
        let mut disposition: Option<Disposition> = None;
        let mut defeated_any: Option<Disposition> = None;
        let mut exception_hits: Vec<(RuleIdx, RuleIdx)> = Vec::new();
        let mut override_hits: Vec<(RuleIdx, RuleIdx)> = Vec::new();
        let mut live: Vec<(RuleIdx, Option<PartyIdx>)> = Vec::new();
        let mut licensed: Vec<(RuleIdx, Option<PartyIdx>)> = Vec::new();
        for &(r, actor) in &fired.firings {
            let rule = &rs.rules[r];
            let mut defeaters: Vec<RuleIdx> = Vec::new();
            // An advisory is never defeated: it cautions, whatever else applies.
            if !rule.advisory {
                defeat::defeat(rs, &lists, r, &mut defeaters, &mut override_hits);
            }
            if defeaters.is_empty() {
                disposition = disposition.max(rule.disposition);
                live.push((r, actor));
                continue;
            }
            defeaters.sort();
            if defeaters
                .iter()
                .any(|&x| rs.rules[x].kind == RuleKind::License)
            {
                licensed.push((r, actor));
            }
            exception_hits.extend(defeaters.iter().map(|&e| (e, r)));
            // Only a prohibition that would set a disposition makes the transaction "permitted
            // because exempt"; lifting a rule that only attaches consequences permits nothing.
            if rule.disposition.is_some() {
                defeated_any = defeated_any.max(Some(defeat::permission(rs, &defeaters)));
            }
            reasons.push(Reason {
                kind: ReasonKind::Defeated,
                rule: r,
                actor,
                matched: matched(rule, &self.cx),
                related: defeaters,
            });
        }
        self.cite_live(&live, disposition, &mut reasons);
        let cited = [
            (&fired.exceptions, &exception_hits, ReasonKind::Exception),
            (&fired.overrides, &override_hits, ReasonKind::Override),
        ];
        for (rules, hits, kind) in cited {
            self.cite_defeat(rules, hits, kind, &mut reasons);
        }
        reasons.sort();
        reasons.dedup();
        let decided = match (disposition, defeated_any) {
            (Some(d), _) => d,
            (None, Some(p)) => p,
            (None, None) if reached => Disposition::Permitted,
            (None, None) => Disposition::OutOfScope,
        };
        Judgement {
            reasons,
            live,
            licensed,
            decided,
        }
    }

    /// Cites each undefeated prohibition: decisive if it sets the disposition, else
    /// contributing.
    fn cite_live(
        &self,
        live: &[(RuleIdx, Option<PartyIdx>)],
        disposition: Option<Disposition>,
        reasons: &mut Vec<Reason>,
    ) {
        for &(r, actor) in live {
            let rule = &self.cx.rs.rules[r];
            let kind = if rule.advisory {
                ReasonKind::Advisory
            } else if rule.disposition.is_some() && rule.disposition == disposition {
                ReasonKind::Decisive
            } else {
                ReasonKind::Contributing
            };
            reasons.push(Reason {
                kind,
                rule: r,
                actor,
                matched: matched(rule, &self.cx),
                related: Vec::new(),
            });
        }
    }

    /// Cites each firing exception (or override) of `rules` with what it defeated (or the
    /// exceptions it stopped), from `hits` (pairs of it and what it acted on).
    fn cite_defeat(
        &self,
        rules: &[RuleIdx],
        hits: &[(RuleIdx, RuleIdx)],
        kind: ReasonKind,
        reasons: &mut Vec<Reason>,
    ) {
        for &x in rules {
            let related: Vec<RuleIdx> = hits
                .iter()
                .filter(|(by, _)| *by == x)
                .map(|(_, on)| *on)
                .collect();
            if !related.is_empty() {
                let rule = &self.cx.rs.rules[x];
                reasons.push(Reason {
                    kind,
                    rule: x,
                    actor: None,
                    matched: matched(rule, &self.cx),
                    related: dedup(related),
                });
            }
        }
    }
}

fn dedup(mut v: Vec<RuleIdx>) -> Vec<RuleIdx> {
    v.sort();
    v.dedup();
    v
}

/// The first party meeting each party clause of the rule's conditions.
fn matched(rule: &Rule, cx: &TxCtx) -> Vec<PartyIdx> {
    rule.when
        .parties
        .iter()
        .filter_map(|c| first_match(c, cx))
        .collect()
}
