//! Worlds and doctrines built in code, for tests and benchmarks (the `test-util` feature).
//!
//! Each function adds one record to a [`World`] the way a scenario file would, with a built-in
//! location; nothing here computes a status. The functions panic on a name the rule set does
//! not know (a program, a control basis, the `us` jurisdiction) or a malformed share: they
//! serve test code, where a wrong name is a bug of the test.
//!
//! ```
//! use interdict::test_util::{designate, entity, own, person, rules, statuses, status_of, date};
//!
//! let rs = rules();
//! let mut w = interdict::World::default();
//! let oligarch = person(&mut w, "oligarch");
//! let company = entity(&mut w, "company");
//! designate(&mut w, &rs, oligarch, "us.sdgt");
//! own(&mut w, oligarch, company, "60");
//! let c = statuses(&rs, &w, date("2025-01-01"));
//! assert_eq!(status_of(&c, company), "blocked");
//! ```

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test support: a name the rule set lacks is a bug of the calling test"
)]

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::model::ruleset::{Aggregation, Comparison, ControlEffect, OwnershipDoctrine, RuleSet};
use crate::model::values::{Date, Share};
use crate::model::world::{
    ControlEdge, Designation, JointArrangement, OwnershipEdge, Party, World,
};
use crate::model::{Bits, ControlBasisIdx, JurisdictionIdx, PartyIdx, PartyKind};
use crate::ownership::{Closure, closure};
use crate::source::Loc;

/// An exact decimal from its text.
///
/// # Panics
/// When `s` is not a decimal number.
pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("a decimal number")
}

/// A date from `YYYY-MM-DD`.
///
/// # Panics
/// When `s` is not a calendar date.
pub fn date(s: &str) -> Date {
    crate::model::values::parse_date(s).expect("a date written YYYY-MM-DD")
}

/// The embedded packs (for the vocabulary, the `us` jurisdiction and its programs).
///
/// # Panics
/// When the embedded packs do not load (a bug of the packs, caught by every test).
pub fn rules() -> RuleSet {
    let (pack, _) = crate::scenario::pack::load_embedded().expect("embedded packs load");
    RuleSet::clone(&pack.rules)
}

/// The `us` jurisdiction.
///
/// # Panics
/// When the rule set has no `us` jurisdiction.
pub fn us(rs: &RuleSet) -> JurisdictionIdx {
    rs.jurisdiction_by_id("us").expect("a `us` jurisdiction")
}

/// A doctrine from its parameters (control bases by vocabulary id; empty: every basis).
pub fn doctrine(
    rs: &RuleSet,
    threshold: Option<&str>,
    comparison: Comparison,
    aggregation: Aggregation,
    control: ControlEffect,
    bases: &[&str],
) -> OwnershipDoctrine {
    OwnershipDoctrine {
        threshold: threshold.map(dec),
        comparison,
        aggregation,
        control,
        control_bases: bases.iter().map(|b| basis(rs, b).idx()).collect(),
        citations: Vec::new(),
        note: None,
    }
}

/// The rule set with the `us` jurisdiction's doctrine replaced.
pub fn with_doctrine(rs: &RuleSet, d: OwnershipDoctrine) -> RuleSet {
    let mut rs = rs.clone();
    let j = us(&rs);
    if let Some(jurisdiction) = rs.jurisdictions.get_mut(j) {
        jurisdiction.doctrine = d;
    }
    rs
}

/// The index of the control basis `id` in the vocabulary.
///
/// # Panics
/// When the vocabulary has no such basis.
pub fn basis(rs: &RuleSet, id: &str) -> ControlBasisIdx {
    rs.vocabulary
        .control_bases
        .iter_enumerated()
        .find(|(_, t)| t.id == id)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("no control basis {id}"))
}

/// A party of `kind` named by its id, with no attributes.
pub fn party(w: &mut World, id: &str, kind: PartyKind) -> PartyIdx {
    w.add_party(Party {
        id: id.into(),
        name: id.into(),
        kind,
        citizenship: Vec::new(),
        permanent_residence: Vec::new(),
        residence: Vec::new(),
        incorporated_in: None,
        located_in: None,
        branch_of: None,
        categories: Bits::EMPTY,
        aliases: Vec::new(),
        list_entry: None,
        fuzzy_candidates: Vec::new(),
        loc: Loc::builtin("test"),
    })
    .expect("a test world holds fewer than u32::MAX parties")
}

/// An individual.
pub fn person(w: &mut World, id: &str) -> PartyIdx {
    party(w, id, PartyKind::Individual)
}

/// An organization.
pub fn entity(w: &mut World, id: &str) -> PartyIdx {
    party(w, id, PartyKind::Organization)
}

/// Designate `p` under `program` (by id), with no dates.
///
/// # Panics
/// When the rule set has no such program.
pub fn designate(w: &mut World, rs: &RuleSet, p: PartyIdx, program: &str) {
    w.designations.push(Designation {
        party: p,
        program: rs
            .program_by_id(program)
            .unwrap_or_else(|| panic!("no program {program}")),
        listed: None,
        delisted: None,
        source: None,
        date_assumed: true,
        loc: Loc::builtin("test"),
    });
}

/// `owner` holds `share` (as a scenario writes it: `"50"`, `"30-60"`, `"unknown"`) of `owned`.
///
/// # Panics
/// When `share` is not a share.
pub fn own(w: &mut World, owner: PartyIdx, owned: PartyIdx, share: &str) {
    own_share(w, owner, owned, Share::parse(share).expect("a share"));
}

/// `owner` holds `share` of `owned`, with no dates.
pub fn own_share(w: &mut World, owner: PartyIdx, owned: PartyIdx, share: Share) {
    w.ownership.push(OwnershipEdge {
        owner,
        owned,
        share,
        from: None,
        until: None,
        loc: Loc::builtin("test"),
    });
}

/// `controller` controls `controlled` on the basis `b` (a vocabulary id).
///
/// # Panics
/// When the vocabulary has no such basis.
pub fn control(w: &mut World, rs: &RuleSet, controller: PartyIdx, controlled: PartyIdx, b: &str) {
    w.control.push(ControlEdge {
        controller,
        controlled,
        basis: basis(rs, b),
        from: None,
        until: None,
        loc: Loc::builtin("test"),
    });
}

/// `members` act jointly as owners of `entity`.
pub fn joint(w: &mut World, members: &[PartyIdx], entity: PartyIdx) {
    w.joint_arrangements.push(JointArrangement {
        members: members.to_vec(),
        entity,
        from: None,
        until: None,
        loc: Loc::builtin("test"),
    });
}

/// The closure of the `us` jurisdiction (whatever doctrine it carries) on `on`.
pub fn statuses(rs: &RuleSet, w: &World, on: Date) -> Closure {
    let j = us(rs);
    let designated = w.designations_on(on);
    closure(rs, w, j, on, designated.as_slice(), rs.blocking_programs(j))
}

/// `"blocked"`, `"not_blocked"` or `"undetermined"`.
///
/// # Panics
/// When `p` is not a party of the closure's world.
pub fn status_of(c: &Closure, p: PartyIdx) -> &'static str {
    let n = c.parties.get(p).expect("a party of this world");
    if n.blocked {
        "blocked"
    } else if n.undetermined {
        "undetermined"
    } else {
        "not_blocked"
    }
}
