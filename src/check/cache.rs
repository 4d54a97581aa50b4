//! What the groups of one deep check share, computed once instead of once per group.
//!
//! - Tables of the whole rule set that every group's space reads: the currencies and the
//!   countries the packs mention (a scan of every rule).
//! - The person tests a candidate party passes. Building a group's party space evaluates every
//!   person test of the packs on thousands of candidate parties (and chains of head offices);
//!   the answer depends only on the candidate's attributes, and the same candidates come back
//!   in every group that reads the same countries and categories, so it is memoized. This was
//!   most of the cost of a group.
//!
//! Everything cached is a pure function of the rule set the cache was made for; a space built
//! for another rule set (a variant of one rule, in the dead-rule lint) gets its own cache.

use std::cell::RefCell;

use super::party::mentioned_countries;
use super::slots::FastMap;
use super::txspace::known_currencies;
use crate::eval::conditions::person_tests;
use crate::model::ruleset::RuleSet;
use crate::model::values::{Country, Currency};
use crate::model::world::{Party, World};
use crate::model::{Bits, IndexVec, PartyIdx, PartyKind};

/// The attributes person tests read, for each party of a chain (a party and its head offices).
type ChainKey = Vec<(
    PartyKind,
    Bits,
    Vec<Country>,
    Vec<Country>,
    Vec<Country>,
    Option<Country>,
    Option<Country>,
)>;

pub struct Shared {
    pub known_currencies: Vec<Currency>,
    pub mentioned_countries: Vec<Country>,
    tests: RefCell<FastMap<ChainKey, IndexVec<PartyIdx, Bits>>>,
    memoize: bool,
}

impl Shared {
    /// The shared tables of `rs`, with person tests memoized across groups.
    pub fn new(rs: &RuleSet, reference: &World) -> Shared {
        Shared {
            known_currencies: known_currencies(rs),
            mentioned_countries: mentioned_countries(rs, reference),
            tests: RefCell::new(FastMap::default()),
            memoize: true,
        }
    }

    /// The tables of `rs`, person tests evaluated afresh every time (one group's worth, or the
    /// benchmark's baseline).
    pub fn unmemoized(rs: &RuleSet, reference: &World) -> Shared {
        Shared {
            memoize: false,
            ..Shared::new(rs, reference)
        }
    }

    /// The person tests passed by each party of `chain`, each a branch of the next.
    pub fn tests_of(&self, rs: &RuleSet, chain: &[Party]) -> IndexVec<PartyIdx, Bits> {
        if !self.memoize {
            return tests_of(rs, chain);
        }
        let key: ChainKey = chain
            .iter()
            .map(|p| {
                (
                    p.kind,
                    p.categories,
                    p.citizenship.clone(),
                    p.permanent_residence.clone(),
                    p.residence.clone(),
                    p.incorporated_in,
                    p.located_in,
                )
            })
            .collect();
        if let Some(t) = self.tests.borrow().get(&key) {
            return t.clone();
        }
        let t = tests_of(rs, chain);
        self.tests.borrow_mut().insert(key, t.clone());
        t
    }
}

/// The person tests passed by each party of `chain`, its head offices linked in order.
fn tests_of(rs: &RuleSet, chain: &[Party]) -> IndexVec<PartyIdx, Bits> {
    let mut w = World::default();
    let n = chain.len();
    for (i, p) in chain.iter().enumerate() {
        let mut p = p.clone();
        // Party `i`'s head office is party `i + 1`; a chain is a few head offices long, so
        // every position fits an index.
        p.branch_of = (i + 1 < n)
            .then(|| PartyIdx::try_from_usize(i + 1).ok())
            .flatten();
        if w.parties.push(p).is_err() {
            break;
        }
    }
    person_tests(rs, &w)
}
