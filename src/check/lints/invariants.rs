//! INVARIANT_VIOLATED: the law-level invariants the packs declare in `[[invariant]]` tables.
//!
//! Each kind is a concept (blocks, reporting duties, exceptions, overrides, citations); what
//! it constrains (which obligation is the report, which prohibitions are protected) is named
//! by the pack. One file per kind.

use super::{inv_advisory, inv_citation, inv_defeat, inv_obligation, inv_program};
use crate::check::{Finding, Lint, LintCx};
use crate::diagnostic::{Code, Severity};
use crate::model::RuleIdx;
use crate::model::ruleset::{Invariant, InvariantKind};
use crate::source::Loc;

pub struct Invariants;

impl Lint for Invariants {
    fn name(&self) -> &'static str {
        "invariants"
    }

    fn check(&self, cx: &mut LintCx) {
        let rs = cx.rs;
        for inv in &rs.invariants {
            match &inv.kind {
                InvariantKind::DispositionRequiresObligation {
                    dispositions,
                    obligations,
                } => inv_obligation::check(cx, inv, dispositions, obligations),
                InvariantKind::NeverDefeated { protects } => {
                    inv_defeat::never_defeated(cx, inv, protects)
                }
                InvariantKind::OverriddenExceptionNeverApplies { exceptions } => {
                    inv_defeat::overridden_never_applies(cx, inv, exceptions)
                }
                InvariantKind::BlockingProgramReports { obligations } => {
                    inv_program::check(cx, inv, obligations)
                }
                InvariantKind::Citation {
                    contains_any,
                    excludes,
                } => inv_citation::check(cx, inv, contains_any, excludes),
                InvariantKind::AdvisoryKeepsDisposition => inv_advisory::check(cx, inv),
            }
        }
    }
}

/// A violation of `inv`, located at `loc`, about `rules`.
pub fn violation(inv: &Invariant, loc: Loc, rules: Vec<RuleIdx>, what: String) -> Finding {
    let mut help = format!(
        "invariant `{}` ({}) at {}, citing {}",
        inv.id,
        inv.kind.as_str(),
        inv.loc,
        inv.citation.text
    );
    if let Some(r) = &inv.rationale {
        help.push_str(&format!(": {r}"));
    }
    Finding {
        code: Code::InvariantViolated,
        severity: Severity::Error,
        rules,
        loc,
        message: format!("{what} (invariant `{}`)", inv.id),
        help: Some(help),
        counterexample: None,
        no_counterexample: None,
    }
}
