//! Conditions on a transaction and its parties: a rule's `when` and `unless`, a nexus test's
//! `when`, party clauses and person-test alternatives (rule-language.md "Conditions" and
//! "Party clauses").

use crate::model::values::{Country, Currency, Date, Money};
use crate::model::{Bits, PersonTestIdx};
use crate::source::Loc;

/// Conditions on a transaction and its parties; all given parts must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conditions {
    /// The transaction's type is one of these (`transaction_type`).
    pub transaction_types: Option<Bits>,
    /// Some goods item is in the set.
    pub goods_any: Option<Bits>,
    /// The transaction carries goods and every item is in the set.
    pub goods_only: Option<Bits>,
    /// The amount is in one of these currencies (`currency`).
    pub currencies: Option<Vec<Currency>>,
    /// The amount, converted at the scenario's rates, is at least this.
    pub amount_at_least: Option<Money>,
    /// The amount, converted at the scenario's rates, is below this.
    pub amount_below: Option<Money>,
    /// The transaction is dated on or after this.
    pub date_from: Option<Date>,
    /// The transaction is dated before this.
    pub date_before: Option<Date>,
    /// The transaction is (not) marked for personal, non-commercial use.
    pub personal_use: Option<bool>,
    /// Originator and beneficiary sit in different countries (or not).
    pub cross_border: Option<bool>,
    /// The transaction moves something of value (an amount above zero).
    pub transfers_value: Option<bool>,
    /// Each clause must be met by some party of the transaction.
    pub parties: Vec<PartyClause>,
    /// No party may meet any of these clauses.
    pub no_party: Vec<PartyClause>,
    /// Alternatives: when not empty, at least one of them must hold.
    pub any: Vec<Conditions>,
}

impl Conditions {
    /// Whether no condition is given (such conditions always hold).
    pub fn is_empty(&self) -> bool {
        *self == Conditions::default()
    }

    /// These conditions and, recursively, every alternative of their `any` lists.
    pub fn nested(&self) -> Vec<&Conditions> {
        let mut out = vec![self];
        let mut i = 0;
        while let Some(c) = out.get(i).copied() {
            out.extend(c.any.iter());
            i += 1;
        }
        out
    }
}

/// A party in one of `roles` (any role if empty) meeting `pred`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyClause {
    /// The roles the party may play ([`crate::model::Role::bit`]); empty: any role.
    pub roles: Bits,
    /// What the party must be.
    pub pred: PartyPredicate,
    /// Where the clause is written.
    pub loc: Loc,
}

/// What a party must be. Attribute parts are static; status parts are evaluated per
/// jurisdiction and date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartyPredicate {
    /// Is of one of these kinds ([`crate::model::PartyKind::bit`]; `kind`).
    pub kinds: Option<Bits>,
    /// Has one of these party categories (`category`).
    pub categories: Option<Bits>,
    /// Is a citizen of one of these countries.
    pub citizenship: Option<Vec<Country>>,
    /// Is a permanent resident of one of these countries.
    pub permanent_residence: Option<Vec<Country>>,
    /// Resides in one of these countries.
    pub residence: Option<Vec<Country>>,
    /// Is incorporated in one of these countries.
    pub incorporated_in: Option<Vec<Country>>,
    /// Is located in one of these countries.
    pub located_in: Option<Vec<Country>>,
    /// A branch (`branch_of` set) whose head office passes this test.
    pub branch_of: Option<PersonTestIdx>,
    /// Is (not) a branch of another party.
    pub is_branch: Option<bool>,
    /// Passes at least one of these person tests.
    pub tests: Option<Bits>,
    /// Passes none of these person tests.
    pub not_tests: Option<Bits>,
    /// Directly designated, in force, under one of these programs.
    pub designated: Option<Bits>,
    /// Blocked in the rule's jurisdiction (by designation or ownership/control).
    pub blocked: Option<bool>,
    /// Blocked, and one of these programs is among the grounds.
    pub blocked_under: Option<Bits>,
    /// Blocked status cannot be decided because ownership shares are unknown or ranged.
    pub ownership_undetermined: Option<bool>,
    /// Not blocked, but blocked persons hold a share below the threshold.
    pub blocked_minority_owner: Option<bool>,
    /// Controlled by a blocked person (without ownership reaching the threshold).
    pub controlled_by_blocked: Option<bool>,
    /// The transaction records that this party knows the relevant facts.
    pub knowing: Option<bool>,
    /// The party was resolved against a list only by a fuzzy name match.
    pub fuzzy_list_match: Option<bool>,
}

impl PartyPredicate {
    /// Does the predicate read any status that depends on designations or dates?
    pub(crate) fn reads_status(&self) -> bool {
        self.designated.is_some()
            || self.blocked.is_some()
            || self.blocked_under.is_some()
            || self.ownership_undetermined.is_some()
            || self.blocked_minority_owner.is_some()
            || self.controlled_by_blocked.is_some()
            || self.fuzzy_list_match.is_some()
    }
}
