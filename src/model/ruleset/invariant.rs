//! Declared invariants: law-level properties a pack states about itself, which
//! `interdict check --deep` proves or refutes.

use super::{Citation, Selector};
use crate::model::{Disposition, JurisdictionIdx, ObligationIdx, RuleIdx};
use crate::source::Loc;

/// A law-level property the rule packs must satisfy; `interdict check --deep` proves it over
/// the condition space or returns a counterexample. The kinds are concepts (blocks, reports,
/// exceptions, overrides); what they constrain is named in the pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invariant {
    pub id: String,
    pub title: String,
    /// Only rules and programs of this jurisdiction (`None`: every jurisdiction).
    pub jurisdiction: Option<JurisdictionIdx>,
    pub kind: InvariantKind,
    pub citation: Citation,
    pub rationale: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvariantKind {
    /// Every prohibition that can fire undefeated with one of `dispositions` lists one of
    /// `obligations` among its own consequences.
    DispositionRequiresObligation {
        dispositions: Vec<Disposition>,
        obligations: Vec<ObligationIdx>,
    },
    /// No exemption or license ever defeats a prohibition that `protects` selects.
    NeverDefeated { protects: Selector },
    /// None of `exceptions` ever defeats a prohibition of a program that has an override
    /// naming it (`exceptions` empty: every exception some override names).
    OverriddenExceptionNeverApplies { exceptions: Vec<RuleIdx> },
    /// Every blocking program has a rule of its own that can fire and attaches one of
    /// `obligations`.
    BlockingProgramReports { obligations: Vec<ObligationIdx> },
    /// Every rule's citation is non-empty, contains one of `contains_any` (if given) and none
    /// of `excludes`.
    Citation {
        contains_any: Vec<String>,
        excludes: Vec<String>,
    },
}

impl InvariantKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            InvariantKind::DispositionRequiresObligation { .. } => {
                "disposition_requires_obligation"
            }
            InvariantKind::NeverDefeated { .. } => "never_defeated",
            InvariantKind::OverriddenExceptionNeverApplies { .. } => {
                "overridden_exception_never_applies"
            }
            InvariantKind::BlockingProgramReports { .. } => "blocking_program_reports",
            InvariantKind::Citation { .. } => "citation",
        }
    }
}
