//! Conditions and party clauses as written (`when`, `unless`, `party`, `actor`, person-test
//! alternatives).

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::model::values::RawDate;
use crate::model::{PartyKind, Role};

/// A party clause (`roles` plus a predicate), also used for person-test alternatives.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPartyClause {
    /// Plays one of these roles (absent: any role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<Spanned<Role>>>,
    /// Is of one of these kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Vec<Spanned<PartyKind>>>,
    /// Has one of these `[[party_category]]` terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Vec<Spanned<String>>>,
    /// Is a citizen of one of these countries (ISO 3166-1 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizenship: Option<Vec<Spanned<String>>>,
    /// Is a permanent resident of one of these countries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permanent_residence: Option<Vec<Spanned<String>>>,
    /// Resides in one of these countries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residence: Option<Vec<Spanned<String>>>,
    /// Is incorporated in one of these countries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incorporated_in: Option<Vec<Spanned<String>>>,
    /// Is located in one of these countries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub located_in: Option<Vec<Spanned<String>>>,
    /// Is a branch whose head office passes this person test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_of: Option<Spanned<String>>,
    /// Is (not) a branch of another party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_branch: Option<bool>,
    /// Passes at least one of these person tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tests: Option<Vec<Spanned<String>>>,
    /// Passes none of these person tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_tests: Option<Vec<Spanned<String>>>,
    /// Is directly designated, in force on the date, under one of these programs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub designated: Option<Vec<Spanned<String>>>,
    /// Is (not) blocked in the rule's jurisdiction (designation or ownership and control).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<bool>,
    /// Is blocked, with one of these programs among the grounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_under: Option<Vec<Spanned<String>>>,
    /// Unknown or ranged shares leave its blocked status undecided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership_undetermined: Option<bool>,
    /// Is not blocked, but blocked persons hold part of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_minority_owner: Option<bool>,
    /// Is controlled by a blocked person without being blocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controlled_by_blocked: Option<bool>,
    /// Is recorded by the transaction as knowing the relevant facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub knowing: Option<bool>,
    /// Was matched to list entries only by a fuzzy name search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fuzzy_list_match: Option<bool>,
}

/// Conditions: a rule's `when` and `unless`, a nexus test's `when` (rule-language.md
/// "Conditions"); all given keys must hold.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct RawConditions {
    /// The transaction's type is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<Vec<Spanned<String>>>,
    /// Some goods item is in one of these categories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods_any: Option<Vec<Spanned<String>>>,
    /// The transaction carries goods, all in these categories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods_only: Option<Vec<Spanned<String>>>,
    /// The amount is in one of these currencies (ISO 4217).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Vec<Spanned<String>>>,
    /// The amount, converted at the scenario's rates, is at least this money (`"10000 USD"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_at_least: Option<Spanned<String>>,
    /// The amount, converted at the scenario's rates, is below this money.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_below: Option<Spanned<String>>,
    /// The transaction is dated on or after this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_from: Option<Spanned<RawDate>>,
    /// The transaction is dated before this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_before: Option<Spanned<RawDate>>,
    /// The transaction is (not) marked for personal, non-commercial use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_use: Option<bool>,
    /// Originator and beneficiary sit (not) in different countries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_border: Option<bool>,
    /// The transaction moves (no) amount above zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfers_value: Option<bool>,
    /// Each clause is met by some party of the transaction.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub party: Vec<Spanned<RawPartyClause>>,
    /// No party meets any of these clauses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_party: Vec<Spanned<RawPartyClause>>,
    /// Alternatives: at least one of these condition sets must hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any: Vec<Spanned<RawConditions>>,
}
