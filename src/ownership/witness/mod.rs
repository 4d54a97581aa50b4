//! Witnesses: the proof behind a party's status, down to designations.
//!
//! A blocked party's proof lists the holdings that reached the threshold when it became
//! blocked (owners blocked in earlier fixed-point rounds), each naming its owner's own proof;
//! rounds strictly decrease along the way, so it always ends at designations. A party that is
//! not blocked but has blocked owners carries the sum that fell short; an undetermined one
//! names the holdings whose unknown or ranged shares decide it.
//!
//! A witness is flat: the party's own step (`head`) and the steps of every owner and
//! controller it rests on (`because`), each party once, in the order first named; a holding
//! points at its owner's step by index, or at the head when the graph cycles back to the
//! party explained (`proof_is_head`). Building, rendering (`report::witness`) and serialising
//! a witness are therefore linear in the part of the graph it covers and use no recursion, however deep the
//! chain (a million-level chain is a million steps, not a million nested values). A what-if
//! report builds proofs only for what it reports: a party whose status is reported anyway is
//! named, not explained again (see [`explain_reported`]).

mod index;
mod steps;

use std::collections::{HashMap, VecDeque};

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Closure, closure};
use crate::model::ruleset::{
    Aggregation, Citation, Comparison, ControlEffect, OwnershipDoctrine, RuleSet,
};
use crate::model::values::Date;
use crate::model::world::World;
use crate::model::{JurisdictionIdx, PartyIdx};
pub(crate) use index::Index;
use steps::Ctx;

/// A designation a status rests on.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DesignationFact {
    /// The program's id.
    pub program: String,
    /// The listing day, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed: Option<Date>,
    /// The delisting day, if delisted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delisted: Option<Date>,
    /// Where the designation was published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The listing day was not given by the source and is assumed.
    pub date_assumed: bool,
    /// Whether the program blocks property (and so counts for ownership).
    pub blocking: bool,
}

/// A holding counted toward (or against) a block.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HoldingFact {
    /// The holder's id.
    pub owner: String,
    /// The share as recorded (`40`, `30-60`, `unknown`).
    pub share: String,
    /// The percentage counted toward the sum (the lower bound of a range).
    pub counted: String,
    /// Where the holding is written (`file:line:column`).
    pub recorded_at: String,
    /// Where the owner's own proof is: its index in the witness's `because`. Absent when the
    /// owner is the party explained (`proof_is_head`) or its proof is reported elsewhere (a
    /// what-if report lists each changed party once).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<u32>,
    /// The owner is the party the witness explains (the graph cycles back to it): its proof
    /// is the witness's head.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub proof_is_head: bool,
}

/// The sum of the holdings counted for one designated person (non-aggregating doctrines).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnitSum {
    /// The designated person, or the members of a joint arrangement.
    pub counted_as: String,
    /// The percentage counted for it.
    pub sum: String,
}

/// One party's status and the facts behind it, naming (not containing) the proofs of the
/// owners and controllers it rests on. In JSON, `kind` names the variant: `designated`,
/// `owned` and `controlled` are the three ways of being blocked ([`Step::status`] maps them).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// Blocked by its own designation(s).
    Designated {
        /// The party's id.
        party: String,
        /// Its designations in force.
        designations: Vec<DesignationFact>,
    },
    /// Blocked because blocked holdings reach the threshold.
    Owned {
        /// The party's id.
        party: String,
        /// The blocked holdings counted.
        holdings: Vec<HoldingFact>,
        /// Their sum, in percent.
        sum: String,
        /// How the sum is compared with the threshold (`>=`, `>`).
        comparison: String,
        /// The doctrine's threshold, in percent.
        threshold: String,
        /// For non-aggregating doctrines: whose holdings were counted together.
        #[serde(skip_serializing_if = "Option::is_none")]
        counted_as: Option<String>,
    },
    /// Blocked because a blocked person controls it.
    Controlled {
        /// The party's id.
        party: String,
        /// The blocked controller's id.
        controller: String,
        /// The basis of control (a vocabulary id).
        basis: String,
        /// Where the control is written.
        recorded_at: String,
        /// The controller's proof: its index in the witness's `because` (see [`HoldingFact`]).
        #[serde(skip_serializing_if = "Option::is_none")]
        proof: Option<u32>,
        /// The controller is the party the witness explains (see [`HoldingFact`]).
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        proof_is_head: bool,
    },
    /// Not blocked; blocked persons may hold or control part of it.
    NotBlocked {
        /// The party's id.
        party: String,
        /// Its designations under programs that do not block.
        designations: Vec<DesignationFact>,
        /// Holdings of blocked persons in it, below the threshold.
        blocked_holdings: Vec<HoldingFact>,
        /// The sum compared with the threshold (for non-aggregating doctrines, the largest
        /// sum counted for one designated person or arrangement).
        sum: String,
        /// With unknown or ranged shares: the most the sum can be (upper bounds, within 100%).
        #[serde(skip_serializing_if = "Option::is_none")]
        possible_sum: Option<String>,
        /// How the sum is compared with the threshold.
        comparison: String,
        /// The doctrine's threshold, in percent (none: ownership does not block).
        #[serde(skip_serializing_if = "Option::is_none")]
        threshold: Option<String>,
        /// Non-aggregating doctrines: the sum counted for each designated person.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        per_person: Vec<UnitSum>,
        /// The blocked persons that control it (on a basis that does not block here).
        controlled_by: Vec<String>,
    },
    /// Cannot be decided: unknown or ranged shares could reach the threshold.
    Undetermined {
        /// The party's id.
        party: String,
        /// The blocked holdings at their lower bounds.
        known_sum: String,
        /// The most the blocked or possibly blocked holdings can be (upper bounds, within 100%).
        possible_sum: String,
        /// How the sum is compared with the threshold.
        comparison: String,
        /// The doctrine's threshold, in percent.
        threshold: String,
        /// Holdings whose exact shares (or whose owners' status) would decide it, and control
        /// links whose undetermined controllers would.
        deciding: Vec<String>,
        /// Where control blocks: the undetermined controllers on a counted basis.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        undetermined_controllers: Vec<String>,
    },
}

/// The proof of one party's status: its own step, and the steps it rests on.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Witness {
    /// The party's own step.
    #[serde(flatten)]
    pub head: Step,
    /// The proofs of the owners and controllers named by `head` and by one another, each
    /// party once, in the order first named; [`HoldingFact::proof`] indexes into it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub because: Vec<Step>,
    /// The ownership and control doctrine the status was decided under, with its sources.
    /// Absent when only designations decide it (no step reads the doctrine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doctrine: Option<DoctrineBasis>,
}

/// The ownership and control doctrine a status rests on: the test it applied and the law or
/// guidance behind it (`[jurisdiction.ownership]` of the pack, or the period in force).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DoctrineBasis {
    /// The jurisdiction's id.
    pub jurisdiction: String,
    /// The test in words: `50% or more, blocked owners' holdings added up; control blocks`.
    pub test: String,
    /// The doctrine's validity period when the pack gives it periods (`from 2024-07-03`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// The doctrine's sources, as the pack cites them.
    pub citations: Vec<Citation>,
}

impl DoctrineBasis {
    /// The doctrine of `j` in force on `date`.
    fn of(rs: &RuleSet, j: JurisdictionIdx, date: Date) -> DoctrineBasis {
        let jur = &rs.jurisdictions[j];
        DoctrineBasis {
            jurisdiction: jur.id.clone(),
            test: doctrine_test(jur.doctrine_on(date)),
            period: jur.doctrine_period_on(date).map(|p| p.describe()),
            citations: jur.doctrine_on(date).citations.clone(),
        }
    }
}

/// A doctrine's test in a few words (it is printed on one line with its sources).
fn doctrine_test(d: &OwnershipDoctrine) -> String {
    let ownership = match (d.threshold, d.comparison) {
        (None, _) => "no numeric ownership test".to_string(),
        (Some(t), Comparison::AtLeast) => format!("{} or more", pct(t)),
        (Some(t), Comparison::MoreThan) => format!("more than {}", pct(t)),
    };
    let whose = match d.aggregation {
        Aggregation::All => "blocked owners' holdings added up",
        Aggregation::JointArrangementOnly => "each designated person's holdings apart",
    };
    let control = match d.control {
        ControlEffect::Blocks => "control blocks",
        ControlEffect::Flag => "control flagged only",
    };
    format!("{ownership}, {whose}; {control}")
}

impl Step {
    /// `blocked`, `not_blocked` or `undetermined`.
    pub fn status(&self) -> &'static str {
        match self {
            Step::Designated { .. } | Step::Owned { .. } | Step::Controlled { .. } => "blocked",
            Step::NotBlocked { .. } => "not_blocked",
            Step::Undetermined { .. } => "undetermined",
        }
    }

    /// The party this step is about.
    pub fn party(&self) -> &str {
        match self {
            Step::Designated { party, .. }
            | Step::Owned { party, .. }
            | Step::Controlled { party, .. }
            | Step::NotBlocked { party, .. }
            | Step::Undetermined { party, .. } => party,
        }
    }
}

impl Witness {
    /// The party's status: `blocked`, `not_blocked` or `undetermined`.
    pub fn status(&self) -> &'static str {
        self.head.status()
    }
}

/// A share or a sum as the witness records it: `40%`.
pub(super) fn pct(d: Decimal) -> String {
    format!("{}%", d.normalize())
}

/// Explain `party`'s status in `j` on `date`, computing the doctrine's closure.
pub fn explain(
    rs: &RuleSet,
    world: &World,
    j: JurisdictionIdx,
    date: Date,
    party: PartyIdx,
) -> Witness {
    let designated = world.designations_on(date);
    let blocking = rs.blocking_programs(j);
    let result = closure(rs, world, j, date, designated.as_slice(), blocking);
    explain_in(rs, world, j, date, &result, party)
}

/// Explain `party`'s status from an already computed closure of `j` on `date` (or on any date
/// of the same epoch).
pub fn explain_in(
    rs: &RuleSet,
    world: &World,
    j: JurisdictionIdx,
    date: Date,
    result: &Closure,
    party: PartyIdx,
) -> Witness {
    explain_reported(rs, world, j, date, result, party, &|_| false)
}

/// As [`explain_in`], but the proofs of the parties `reported` accepts are left out (their
/// holdings name them without a `proof`): a report that lists those parties with their own
/// witnesses need not repeat them under every party they own, which on a chain would be a
/// path per party per level.
pub fn explain_reported(
    rs: &RuleSet,
    world: &World,
    j: JurisdictionIdx,
    date: Date,
    result: &Closure,
    party: PartyIdx,
    reported: &dyn Fn(PartyIdx) -> bool,
) -> Witness {
    let jur = &rs.jurisdictions[j];
    let index = result.index.get_or_init(|| Index::build(world, date));
    let cx = Ctx {
        rs,
        world,
        blocking: rs.blocking_programs(j),
        closure: result,
        doctrine: jur.doctrine_on(date),
        index,
        threshold: jur.doctrine_on(date).threshold.map(pct),
    };
    let mut proofs = Proofs {
        root: party,
        index: HashMap::default(),
        queue: VecDeque::new(),
        reported,
    };
    let head = cx.step(party, &mut proofs);
    let mut because = Vec::new();
    // Breadth first, with a queue: a step names the proofs it needs, and they are written in
    // the order they were numbered.
    while let Some(p) = proofs.queue.pop_front() {
        because.push(cx.step(p, &mut proofs));
    }
    // Designations alone do not read the doctrine; any other step applied it.
    let applied = |s: &Step| !matches!(s, Step::Designated { .. });
    let doctrine =
        (applied(&head) || because.iter().any(applied)).then(|| DoctrineBasis::of(rs, j, date));
    Witness {
        head,
        because,
        doctrine,
    }
}

/// Where a step finds the proof of a party it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProofAt {
    /// The party explained: the cycle closes at the witness's head.
    Head,
    /// This index of the witness's `because`.
    Because(u32),
    /// A step reported elsewhere (not in this witness).
    Elsewhere,
}

impl ProofAt {
    pub fn index(self) -> Option<u32> {
        match self {
            ProofAt::Because(k) => Some(k),
            ProofAt::Head | ProofAt::Elsewhere => None,
        }
    }

    pub fn is_head(self) -> bool {
        self == ProofAt::Head
    }
}

/// Hashes a party index with one multiplication: the numbering of a million-level chain's
/// witness is a million insertions, for which SipHash's resistance to chosen keys buys nothing.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdxHasher(u64);

impl std::hash::Hasher for IdxHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u32(u32::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(32) ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The numbering of the steps a witness needs, and those still to write.
pub(crate) struct Proofs<'r> {
    root: PartyIdx,
    index: HashMap<PartyIdx, u32, std::hash::BuildHasherDefault<IdxHasher>>,
    queue: VecDeque<PartyIdx>,
    reported: &'r dyn Fn(PartyIdx) -> bool,
}

impl Proofs<'_> {
    /// Where `p`'s proof is, numbering it in `because` on first mention. The party being
    /// explained is the head, whichever step names it: a cycle through a joint arrangement,
    /// a not-blocked owned party or a controlled one can lead back to it, and its step must
    /// neither be written twice nor go missing.
    pub fn proof(&mut self, p: PartyIdx) -> ProofAt {
        if p == self.root {
            return ProofAt::Head;
        }
        if (self.reported)(p) {
            return ProofAt::Elsewhere;
        }
        if let Some(&k) = self.index.get(&p) {
            return ProofAt::Because(k);
        }
        let k = self.index.len() as u32;
        self.index.insert(p, k);
        self.queue.push_back(p);
        ProofAt::Because(k)
    }
}
