//! The nexus phase: which of the jurisdiction's nexus tests the transaction meets (none: the
//! law does not reach it).

use super::conditions::{Sink, holds};
use super::decision::NexusTrace;
use super::{Evaluation, Findings};
use crate::model::NexusIdx;

impl Evaluation<'_> {
    /// Pushes onto `held` the index of every nexus test of the jurisdiction that holds.
    pub(super) fn nexus(&self, held: &mut Vec<NexusIdx>, found: &mut Findings) {
        let jur = &self.cx.rs.jurisdictions[self.cx.j];
        for (i, n) in jur.nexus.iter_enumerated() {
            if self.at.dispatch.by_status
                && let Some(planned) = self.planned_nexus(i)
            {
                if planned {
                    held.push(i);
                }
                continue;
            }
            let mut conds = Vec::new();
            let met = {
                let mut sink = Sink {
                    trace: found.trace.as_ref().map(|_| &mut conds),
                    issues: &mut found.issues,
                };
                holds(&n.when, &self.cx, &mut sink)
            };
            if met {
                held.push(i);
            }
            if let Some(t) = found.trace.as_mut() {
                t.nexus.push(NexusTrace {
                    test: i,
                    held: met,
                    conditions: conds,
                });
            }
        }
    }

    /// With statuses trusted, nexus test `i` decided by the dispatch index alone: `false` when
    /// it needs a status no party has, its plan's answer when it has one, `None` when its
    /// conditions must be evaluated.
    fn planned_nexus(&self, i: NexusIdx) -> Option<bool> {
        let e = self.engine;
        let (needs, plan) = e.index.nexus(self.cx.j, i);
        if needs & !self.present != 0 {
            return Some(false);
        }
        let plan = plan?;
        Some(match &e.compact_tests {
            Some(c) => plan.holds(self.cx.facts, |p| c.get(p)),
            None => plan.holds(self.cx.facts, |p| e.tests[p]),
        })
    }
}
