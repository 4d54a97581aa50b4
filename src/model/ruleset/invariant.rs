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
    /// Its id, in the global namespace of pack ids.
    pub id: String,
    /// The property, for people (shown with a violation).
    pub title: String,
    /// Only rules and programs of this jurisdiction (`None`: every jurisdiction).
    pub jurisdiction: Option<JurisdictionIdx>,
    /// Which property, and what it constrains.
    pub kind: InvariantKind,
    /// The law the property comes from.
    pub citation: Citation,
    /// Why it must hold (shown with a violation).
    pub rationale: Option<String>,
    /// Where it is declared.
    pub loc: Loc,
}

/// The property an invariant states, with its parameters (its `kind` key; rule-language.md
/// "Invariants").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvariantKind {
    /// Every prohibition that can fire undefeated with one of `dispositions` lists one of
    /// `obligations` among its own consequences.
    DispositionRequiresObligation {
        /// The dispositions that must come with a duty.
        dispositions: Vec<Disposition>,
        /// The duties, one of which must attach.
        obligations: Vec<ObligationIdx>,
    },
    /// No exemption or license ever defeats a prohibition that `protects` selects.
    NeverDefeated {
        /// The prohibitions no exception may defeat.
        protects: Selector,
    },
    /// None of `exceptions` ever defeats a prohibition of a program that has an override
    /// naming it (`exceptions` empty: every exception some override names).
    OverriddenExceptionNeverApplies {
        /// The exemptions or licenses checked; empty: every exception some override names.
        exceptions: Vec<RuleIdx>,
    },
    /// Every blocking program has a rule of its own that can fire and attaches one of
    /// `obligations`.
    BlockingProgramReports {
        /// The duties, one of which each blocking program's own rule must attach.
        obligations: Vec<ObligationIdx>,
    },
    /// Every rule's citation is non-empty, contains one of `contains_any` (if given) and none
    /// of `excludes`.
    Citation {
        /// Each citation contains one of these (when not empty).
        contains_any: Vec<String>,
        /// No citation contains any of these.
        excludes: Vec<String>,
    },
    /// No advisory rule can change a disposition: it sets none, attaches no duty or exposure,
    /// and no exception names it.
    AdvisoryKeepsDisposition,
}

impl InvariantKind {
    /// The kind as a pack writes it (`never_defeated`).
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
            InvariantKind::AdvisoryKeepsDisposition => "advisory_keeps_disposition",
        }
    }
}
