//! Worlds (parties, designations, ownership and control) and transactions.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::values::{Country, Currency, Date, Money, Share};
use super::{
    Bits, ControlBasisIdx, IndexOverflow, IndexVec, PartyIdx, PartyKind, ProgramIdx, Role, RuleIdx,
    TxTypeIdx,
};
use crate::source::Loc;

/// A person or thing that can take part in transactions, hold shares or be designated: an
/// individual, an organization, a financial institution, a vessel or an aircraft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// The id the world's records and transactions name it by.
    pub id: String,
    /// The name people know it by (shown in reports); its id when none was given.
    pub name: String,
    /// What kind of person or thing it is.
    pub kind: PartyKind,
    /// Countries of citizenship (a citizen of the United States is a U.S. person).
    pub citizenship: Vec<Country>,
    /// Countries of permanent residence (a lawful permanent resident is a U.S. person).
    pub permanent_residence: Vec<Country>,
    /// Countries the party lives in.
    pub residence: Vec<Country>,
    /// The country whose law an entity is organized under.
    pub incorporated_in: Option<Country>,
    /// The country the party is physically in.
    pub located_in: Option<Country>,
    /// A branch is part of its head office (a foreign branch of a U.S. bank is a U.S.
    /// person); a subsidiary is a separate party linked only by ownership.
    pub branch_of: Option<PartyIdx>,
    /// Party categories of the vocabulary (`ngo`, `government_agency`...), by index.
    pub categories: Bits,
    /// Other names it is known by.
    pub aliases: Vec<String>,
    /// The list entry this party is (`ofac:4697`), when it came from a list.
    pub list_entry: Option<String>,
    /// Set when the party was matched to list entries only by a fuzzy name search.
    pub fuzzy_candidates: Vec<ListCandidate>,
    /// Where it was written (never part of equality).
    pub loc: Loc,
}

/// A possible list match found by name resolution, with its score.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListCandidate {
    /// The list entry (`ofac:4697`).
    pub entry: String,
    /// The entry's primary name.
    pub name: String,
    /// How close the names are, from 0 to 1.
    pub score: Decimal,
    /// The entry's name or alias that matched.
    pub matched: String,
    /// The programs the entry is listed under.
    pub programs: Vec<String>,
}

/// A party listed under a sanctions program, from its listing to its delisting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Designation {
    /// The party listed.
    pub party: PartyIdx,
    /// The program it is listed under.
    pub program: ProgramIdx,
    /// `None`: listed before any date the world cares about (the list carries no date).
    pub listed: Option<Date>,
    /// The day it was removed from the list; designated up to the day before.
    pub delisted: Option<Date>,
    /// Where the designation was published (a notice, a list entry).
    pub source: Option<String>,
    /// The listing date was not given by the source and is assumed.
    pub date_assumed: bool,
    /// Where it was written.
    pub loc: Loc,
}

impl Designation {
    /// Whether the party is listed on `date` (listed on or before it, not yet delisted).
    pub fn in_force(&self, date: Date) -> bool {
        self.listed.is_none_or(|l| l <= date) && self.delisted.is_none_or(|d| date < d)
    }
}

/// A holding: `owner` holds `share` of the entity `owned`, from `from` until the day before
/// `until` (open ends: always).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnershipEdge {
    /// The holder.
    pub owner: PartyIdx,
    /// The entity held.
    pub owned: PartyIdx,
    /// The percentage held: exact, within bounds, or unknown.
    pub share: Share,
    /// The first day of the holding.
    pub from: Option<Date>,
    /// The day the holding ended (held up to the day before).
    pub until: Option<Date>,
    /// Where it was written.
    pub loc: Loc,
}

impl OwnershipEdge {
    /// Whether the holding exists on `date`.
    pub fn in_force(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date < u)
    }
}

/// Control without (or beside) ownership: `controller` controls the entity `controlled` on a
/// basis of the vocabulary (appointing the board, a majority of votes...), for the window
/// `from` .. `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlEdge {
    /// Who controls.
    pub controller: PartyIdx,
    /// The entity controlled.
    pub controlled: PartyIdx,
    /// One of the vocabulary's control bases.
    pub basis: ControlBasisIdx,
    /// The first day of control.
    pub from: Option<Date>,
    /// The day control ended (held up to the day before).
    pub until: Option<Date>,
    /// Where it was written.
    pub loc: Loc,
}

impl ControlEdge {
    /// Whether the control exists on `date`.
    pub fn in_force(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date < u)
    }
}

/// Owners whose holdings in `entity` are held under one arrangement and count together even
/// where a doctrine does not otherwise aggregate (OFSI guidance 4.14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JointArrangement {
    /// The owners acting together (at least two).
    pub members: Vec<PartyIdx>,
    /// The entity they hold.
    pub entity: PartyIdx,
    /// The first day of the arrangement.
    pub from: Option<Date>,
    /// The day it ended (in force up to the day before).
    pub until: Option<Date>,
    /// Where it was written.
    pub loc: Loc,
}

impl JointArrangement {
    /// Whether the arrangement exists on `date`.
    pub fn in_force(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date < u)
    }
}

/// An exchange rate: 1 `from` = `rate` `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeRate {
    /// The currency converted.
    pub from: Currency,
    /// The currency it is converted into.
    pub to: Currency,
    /// How many units of `to` one unit of `from` is worth (above zero).
    pub rate: Decimal,
    /// Where it was written.
    pub loc: Loc,
}

/// The facts transactions are judged against: parties, who is designated under which program
/// and when, who owns and controls whom, and the exchange rates amounts are converted with.
/// Load one from a scenario or a world file, or build one with [`WorldBuilder`].
///
/// [`WorldBuilder`]: crate::WorldBuilder
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct World {
    /// Every party, indexed by [`PartyIdx`].
    pub parties: IndexVec<PartyIdx, Party>,
    /// Every designation, in the order written.
    pub designations: Vec<Designation>,
    /// Every holding.
    pub ownership: Vec<OwnershipEdge>,
    /// Every control link.
    pub control: Vec<ControlEdge>,
    /// Every joint arrangement.
    pub joint_arrangements: Vec<JointArrangement>,
    /// The exchange rates (a rate also gives its inverse).
    pub exchange_rates: Vec<ExchangeRate>,
    /// Each party's index by its id (and list aliases, where lists were merged).
    pub index: HashMap<String, PartyIdx>,
}

impl World {
    /// The party at `p`.
    ///
    /// # Panics
    /// When `p` is not a party of this world (indices come from this world's lowering).
    pub fn party(&self, p: PartyIdx) -> &Party {
        &self.parties[p]
    }

    /// The party with this id.
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

/// One transaction: when, what, how much, and who takes part in which role. Load them with a
/// scenario or build one with [`TransactionBuilder`].
///
/// [`TransactionBuilder`]: crate::TransactionBuilder
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// Its id, unique in its scenario or input.
    pub id: String,
    /// The day it takes place (the law and lists of that day apply, unless evaluated as of
    /// another).
    pub date: Date,
    /// One of the vocabulary's transaction types.
    pub tx_type: TxTypeIdx,
    /// Goods categories of the vocabulary it carries, by index.
    pub goods: Bits,
    /// Its value, exact, in its currency.
    pub amount: Option<Money>,
    /// For the personal use of an individual.
    pub personal_use: bool,
    /// Parties in roles; intermediaries appear in route order.
    pub parties: Vec<(Role, PartyIdx)>,
    /// Licenses the transaction claims (general or specific).
    pub licenses: Vec<RuleIdx>,
    /// Parties recorded as knowing the relevant facts (for knowledge-based rules).
    pub knowing: Vec<PartyIdx>,
    /// Free text.
    pub description: Option<String>,
    /// A license claimed in words, without an id ("an OFAC general license"): never accepted,
    /// it holds the transaction for review with a note wherever the law reaches it.
    pub license_claim: Option<String>,
    /// Where it was written.
    pub loc: Loc,
}

impl Transaction {
    /// The parties in `role`, in order.
    pub fn parties_in(&self, role: Role) -> impl Iterator<Item = PartyIdx> + '_ {
        self.parties
            .iter()
            .filter(move |(r, _)| *r == role)
            .map(|(_, p)| *p)
    }
}
