//! Worlds (parties, designations, ownership and control) and transactions.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::values::{Country, Currency, Date, Money, Share};
use super::{
    Bits, ControlBasisIdx, IndexOverflow, IndexVec, PartyIdx, PartyKind, ProgramIdx, Role, RuleIdx,
    TxTypeIdx,
};
use crate::source::Loc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub id: String,
    pub name: String,
    pub kind: PartyKind,
    pub citizenship: Vec<Country>,
    pub permanent_residence: Vec<Country>,
    pub residence: Vec<Country>,
    pub incorporated_in: Option<Country>,
    pub located_in: Option<Country>,
    /// A branch is part of its head office (a foreign branch of a U.S. bank is a U.S.
    /// person); a subsidiary is a separate party linked only by ownership.
    pub branch_of: Option<PartyIdx>,
    pub categories: Bits,
    pub aliases: Vec<String>,
    /// The list entry this party is (`ofac:4697`), when it came from a list.
    pub list_entry: Option<String>,
    /// Set when the party was matched to list entries only by a fuzzy name search.
    pub fuzzy_candidates: Vec<ListCandidate>,
    pub loc: Loc,
}

/// A possible list match found by name resolution, with its score.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListCandidate {
    pub entry: String,
    pub name: String,
    pub score: Decimal,
    pub matched: String,
    pub programs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Designation {
    pub party: PartyIdx,
    pub program: ProgramIdx,
    /// `None`: listed before any date the world cares about (the list carries no date).
    pub listed: Option<Date>,
    pub delisted: Option<Date>,
    pub source: Option<String>,
    /// The listing date was not given by the source and is assumed.
    pub date_assumed: bool,
    pub loc: Loc,
}

impl Designation {
    pub fn in_force(&self, date: Date) -> bool {
        self.listed.is_none_or(|l| l <= date) && self.delisted.is_none_or(|d| date < d)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnershipEdge {
    pub owner: PartyIdx,
    pub owned: PartyIdx,
    pub share: Share,
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub loc: Loc,
}

impl OwnershipEdge {
    pub fn in_force(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date < u)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlEdge {
    pub controller: PartyIdx,
    pub controlled: PartyIdx,
    /// One of the vocabulary's control bases.
    pub basis: ControlBasisIdx,
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub loc: Loc,
}

impl ControlEdge {
    pub fn in_force(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date < u)
    }
}

/// Owners whose holdings in `entity` are held under one arrangement and count together even
/// where a doctrine does not otherwise aggregate (OFSI guidance 4.14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JointArrangement {
    pub members: Vec<PartyIdx>,
    pub entity: PartyIdx,
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub loc: Loc,
}

impl JointArrangement {
    pub fn in_force(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date < u)
    }
}

/// An exchange rate: 1 `from` = `rate` `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeRate {
    pub from: Currency,
    pub to: Currency,
    pub rate: Decimal,
    pub loc: Loc,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct World {
    pub parties: IndexVec<PartyIdx, Party>,
    pub designations: Vec<Designation>,
    pub ownership: Vec<OwnershipEdge>,
    pub control: Vec<ControlEdge>,
    pub joint_arrangements: Vec<JointArrangement>,
    pub exchange_rates: Vec<ExchangeRate>,
    pub index: HashMap<String, PartyIdx>,
}

impl World {
    pub fn party(&self, p: PartyIdx) -> &Party {
        &self.parties[p]
    }

    pub fn party_by_id(&self, id: &str) -> Option<PartyIdx> {
        self.index.get(id).copied()
    }

    /// Add `party` under its id; an error (and nothing added) when the world is full.
    pub fn add_party(&mut self, party: Party) -> Result<PartyIdx, IndexOverflow> {
        let id = party.id.clone();
        let idx = self.parties.push(party)?;
        self.index.insert(id, idx);
        Ok(idx)
    }

    /// Programs each party is directly designated under on `date`, indexed by party.
    pub fn designations_on(&self, date: Date) -> IndexVec<PartyIdx, Bits> {
        let mut out = IndexVec::filled_like(Bits::EMPTY, &self.parties);
        for d in self.designations.iter().filter(|d| d.in_force(date)) {
            out[d.party].insert(d.program.idx());
        }
        out
    }

    /// Convert `m` into `to` with the world's rates: a direct rate, or the inverse of the
    /// reverse rate (rounded to 6 decimal places).
    pub fn convert(&self, m: Money, to: Currency) -> Result<Money, ConvertError> {
        if m.currency == to {
            return Ok(m);
        }
        if let Some(r) = self
            .exchange_rates
            .iter()
            .find(|r| r.from == m.currency && r.to == to)
        {
            return m
                .amount
                .checked_mul(r.rate)
                .map(|a| Money::new(a, to))
                .ok_or(ConvertError::Overflow);
        }
        let r = self
            .exchange_rates
            .iter()
            .find(|r| r.from == to && r.to == m.currency && !r.rate.is_zero())
            .ok_or(ConvertError::NoRate)?;
        m.amount
            .checked_div(r.rate)
            .map(|a| Money::new(a.round_dp(6), to))
            .ok_or(ConvertError::Overflow)
    }
}

/// Why an amount could not be converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConvertError {
    /// No rate links the two currencies.
    NoRate,
    /// The converted amount is larger than a `Decimal` holds.
    Overflow,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    pub id: String,
    pub date: Date,
    /// One of the vocabulary's transaction types.
    pub tx_type: TxTypeIdx,
    pub goods: Bits,
    pub amount: Option<Money>,
    pub personal_use: bool,
    /// Parties in roles; intermediaries appear in route order.
    pub parties: Vec<(Role, PartyIdx)>,
    /// Licenses the transaction claims (general or specific).
    pub licenses: Vec<RuleIdx>,
    /// Parties recorded as knowing the relevant facts (for knowledge-based rules).
    pub knowing: Vec<PartyIdx>,
    pub description: Option<String>,
    pub loc: Loc,
}

impl Transaction {
    pub fn parties_in(&self, role: Role) -> impl Iterator<Item = PartyIdx> + '_ {
        self.parties
            .iter()
            .filter(move |(r, _)| *r == role)
            .map(|(_, p)| *p)
    }
}
