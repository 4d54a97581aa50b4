//! The firing phase: every rule in force whose conditions hold fires; a prohibition fires
//! once per party meeting its actor clause. Which rules are considered is the dispatch
//! index's choice (every rule when tracing or unindexed).

use super::conditions::{Sink, clause_matches, holds};
use super::decision::{CondTrace, RuleTrace};
use super::dispatch::Candidate;
use super::{Evaluation, Findings};
use crate::model::ruleset::{Rule, RuleKind};
use crate::model::{PartyIdx, RuleIdx};

/// What fired in one jurisdiction, in buffers kept from one transaction to the next.
#[derive(Debug, Default)]
pub(super) struct Fired {
    /// Prohibitions, each with the actor it fired for (`None`: the rule names no actor).
    pub firings: Vec<(RuleIdx, Option<PartyIdx>)>,
    /// Exemptions and licenses.
    pub exceptions: Vec<RuleIdx>,
    pub overrides: Vec<RuleIdx>,
}

impl Fired {
    pub fn clear(&mut self) {
        self.firings.clear();
        self.exceptions.clear();
        self.overrides.clear();
    }
}

impl<'a> Evaluation<'a> {
    /// Fires the rules the index leaves, in two passes (see `candidates`).
    pub(super) fn fire(&self, fired: &mut Fired, found: &mut Findings) {
        let (first, second) = self.candidates();
        let by_status = self.at.dispatch.by_status;
        for (pass, c) in first
            .iter()
            .map(|c| (0, c))
            .chain(second.iter().map(|c| (1, c)))
        {
            if (pass == 1 && fired.firings.is_empty())
                || (by_status && c.needs & !self.present != 0)
            {
                continue;
            }
            self.fire_rule(c.rule, fired, found);
        }
    }

    /// The rules to consider, as two lists. With statuses trusted, prohibitions come first;
    /// exemptions, licenses and overrides are evaluated only once one fired (alone they decide
    /// nothing, and with every amount convertible they cannot record an issue). Pack order
    /// holds within each list.
    fn candidates(&self) -> (&'a [Candidate], &'a [Candidate]) {
        let index = &self.engine.index;
        let j = self.cx.j;
        let dispatch = self.at.dispatch;
        match index.candidates(j, self.cx.tx.tx_type) {
            _ if !dispatch.by_type => (index.all(j), &[]),
            None => (index.all(j), &[]),
            Some(l) if !dispatch.by_status => (&l.all, &[]),
            Some(l) if self.present == 0 => (&l.free, &l.exceptions),
            Some(l) => (&l.prohibitions, &l.exceptions),
        }
    }

    /// Evaluates rule `r`, records what fired, and traces it when tracing.
    fn fire_rule(&self, r: RuleIdx, fired: &mut Fired, found: &mut Findings) {
        let rule = &self.cx.rs.rules[r];
        let in_force = rule.in_force(self.at.effective);
        let claimed = !rule.requires_claim || self.cx.tx.licenses.contains(&r);
        let mut conds = Vec::new();
        let mut unless = None;
        let met = in_force && claimed && self.conditions_hold(rule, &mut conds, &mut unless, found);
        let tracing = found.trace.is_some();
        let mut actors = Vec::new();
        if met {
            match rule.kind {
                RuleKind::Prohibition => match &rule.actor {
                    Some(a) => {
                        for f in self
                            .cx
                            .facts
                            .iter()
                            .filter(|f| clause_matches(a, f, &self.cx))
                        {
                            if tracing {
                                actors.push(f.party);
                            }
                            fired.firings.push((r, Some(f.party)));
                        }
                    }
                    None => fired.firings.push((r, None)),
                },
                RuleKind::Exemption | RuleKind::License => fired.exceptions.push(r),
                RuleKind::Override => fired.overrides.push(r),
            }
        }
        if let Some(t) = found.trace.as_mut() {
            let fired = met
                && (rule.kind != RuleKind::Prohibition
                    || rule.actor.is_none()
                    || !actors.is_empty());
            t.rules.push(RuleTrace {
                rule: r,
                in_force,
                claimed,
                fired,
                actors,
                conditions: conds,
                unless,
            });
        }
    }

    /// `when` holds and `unless` does not (`unless` read only when it can matter, or when
    /// tracing, into `unless_trace`).
    fn conditions_hold(
        &self,
        rule: &Rule,
        conds: &mut Vec<CondTrace>,
        unless_trace: &mut Option<Vec<CondTrace>>,
        found: &mut Findings,
    ) -> bool {
        let tracing = found.trace.is_some();
        let when = holds(
            &rule.when,
            &self.cx,
            &mut Sink {
                trace: tracing.then_some(conds),
                issues: &mut found.issues,
            },
        );
        let unless = match &rule.unless {
            Some(u) if when || tracing => {
                let mut parts = Vec::new();
                let held = holds(
                    u,
                    &self.cx,
                    &mut Sink {
                        trace: tracing.then_some(&mut parts),
                        issues: &mut found.issues,
                    },
                );
                if tracing {
                    *unless_trace = Some(parts);
                }
                held
            }
            _ => false,
        };
        when && !unless
    }
}
