//! The entries of a diff: what changes for a transaction, per jurisdiction, and for each of
//! its reasons, obligations, exposures and issues. Each is serialised as the JSON report of
//! `interdict diff` writes it (docs/json.md).

use serde::Serialize;

use super::parties::DatePair;
use super::view::{ExposureState, ObligationState};
use crate::model::Disposition;
use crate::model::values::{Date, Money};

/// `before` is world A's, `after` world B's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change<T> {
    /// The value in world A.
    pub before: T,
    /// The value in world B.
    pub after: T,
}

/// Whether an entry of a diff exists only in world B, only in world A, or in both with a
/// difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only in world B.
    Added,
    /// Only in world A.
    Removed,
    /// In both worlds, with different content.
    Changed,
}

impl ChangeKind {
    pub(crate) fn mark(self) -> &'static str {
        match self {
            ChangeKind::Added => "+",
            ChangeKind::Removed => "-",
            ChangeKind::Changed => "~",
        }
    }
}

/// A reason on one side: how it counted and the facts that met it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReasonFacts {
    /// How the reason counted: `decisive`, `contributing`, `exception`, `override` or `defeated`.
    pub kind: &'static str,
    /// The parties whose facts met the rule's clauses.
    pub facts: Vec<String>,
    /// The rules it was defeated by, defeats or stops (by kind).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
}

/// A reason (a rule that bound an actor) that appears, disappears or has other facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReasonChange {
    /// Added, removed, or changed (same rule and actor, other kind or facts).
    pub change: ChangeKind,
    /// The rule's id.
    pub rule: String,
    /// World B's kind, or world A's for a removed reason.
    pub kind: &'static str,
    /// The party the rule bound, if it binds one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The rule's citation (the source of law it encodes).
    pub citation: String,
    /// The reason in world A; absent for an added reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<ReasonFacts>,
    /// The reason in world B; absent for a removed reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<ReasonFacts>,
}

/// An obligation (to block, reject, report...) of an actor that appears, disappears or falls due
/// otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObligationChange {
    /// Added, removed, or changed (same obligation and actor, other due date or rules).
    pub change: ChangeKind,
    /// The obligation's id in the rule packs.
    pub obligation: String,
    /// The party that must fulfil it.
    pub actor: String,
    /// Its due date and the rules imposing it in world A; absent if added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<ObligationState>,
    /// The same in world B; absent if removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<ObligationState>,
}

/// A penalty exposure of an actor that appears, disappears or changes its terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExposureChange {
    /// Added, removed, or changed (same penalty and actor, other amount, prison term or dates).
    pub change: ChangeKind,
    /// The penalty's id in the rule packs.
    pub penalty: String,
    /// The penalty's kind (civil, criminal...) as world B's packs state it, else world A's; `other`
    /// if neither has it.
    pub kind: &'static str,
    /// The party exposed.
    pub actor: String,
    /// The maximum amount, prison term and enforceability in world A; absent if added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<ExposureState>,
    /// The same in world B; absent if removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<ExposureState>,
}

/// An evaluation issue (a missing rate, an unknown due date) present in one world only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssueChange {
    /// Added (only in world B) or removed (only in world A).
    pub change: ChangeKind,
    /// The issue's message.
    pub issue: String,
}

/// What changes for one transaction in one jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JurisdictionChange {
    /// The jurisdiction's id (`us`, `eu`...).
    pub jurisdiction: String,
    /// `null` on a side whose packs do not have the jurisdiction.
    pub disposition: Change<Option<Disposition>>,
    /// The jurisdictions' connections to the transaction (nexus reasons), when they differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nexus: Option<Change<Vec<String>>>,
    /// Reasons added, removed or changed, by rule then actor.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<ReasonChange>,
    /// Obligations added, removed or with another due date, by actor then obligation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<ObligationChange>,
    /// Penalty exposures added, removed or with other terms, by actor then penalty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exposures: Vec<ExposureChange>,
    /// Issues present in one world only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<IssueChange>,
    /// Parties of the transaction whose status in this jurisdiction differs between the
    /// worlds on the dates it was evaluated (see the comparison's `parties` for witnesses).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<String>,
}

/// A transaction whose decision differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TxChange {
    /// The transaction's id.
    pub transaction: String,
    /// The transaction's date.
    pub date: Date,
    /// The transaction type's id (`payment`, `export`...).
    #[serde(rename = "type")]
    pub tx_type: String,
    /// The amount, in the transaction's currency, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// The dates each world was read at (the transaction date, or the as-of date if earlier).
    pub evaluated: DatePair,
    /// The strongest disposition over the jurisdictions, before and after.
    pub overall: Change<Disposition>,
    /// The jurisdictions whose outcome differs, in the rule set's order.
    pub jurisdictions: Vec<JurisdictionChange>,
}
