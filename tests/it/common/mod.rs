//! Support shared by the test crates: generators of well-formed worlds, transactions and rule
//! packs (`generate`), a deliberately naive reference evaluator written independently of the
//! engine (`reference`), a name-based normal form of decisions (`normal`), a TOML writer
//! (`write`), and construction helpers for worlds and doctrines built in code (below; nothing
//! here computes a status).

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "shared by several test crates, each using a part; test code stops on failure"
)]

pub mod generate;
pub mod normal;
pub mod reference;
pub mod rust_source;
pub mod write;

/// Case count of a property: `default`, or `INTERDICT_PROPTEST_CASES` when that is larger (a
/// longer run; docs/consistency.md).
pub fn cases(default: u32) -> u32 {
    std::env::var("INTERDICT_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(default, |n| n.max(default))
}

use std::sync::{Arc, OnceLock};

use interdict::model::pack::Pack;
use interdict::model::ruleset::RuleSet;

/// The embedded packs (rule set and reference world), loaded once per test crate.
pub fn pack() -> Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| interdict::scenario::pack::load_embedded().unwrap().0)
        .clone()
}

/// The embedded packs' rule set, loaded once per test crate.
pub fn embedded() -> Arc<RuleSet> {
    pack().rules
}

use std::str::FromStr;

use rust_decimal::Decimal;

use interdict::model::ruleset::{Aggregation, Comparison, ControlEffect, OwnershipDoctrine};
use interdict::model::values::{Date, Share};
use interdict::model::world::{
    ControlEdge, Designation, JointArrangement, OwnershipEdge, Party, World,
};
use interdict::model::{Bits, JurisdictionIdx, PartyIdx, PartyKind};
use interdict::ownership::{Closure, closure};
use interdict::source::Loc;

pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub fn date(s: &str) -> Date {
    interdict::model::values::parse_date(s).unwrap()
}

/// The embedded packs (for the vocabulary, the `us` jurisdiction and its programs).
pub fn rules() -> RuleSet {
    RuleSet::clone(&pack().rules)
}

pub fn us(rs: &RuleSet) -> JurisdictionIdx {
    rs.jurisdiction_by_id("us").unwrap()
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
        control_bases: bases.iter().map(|b| basis(rs, b)).collect(),
        citations: Vec::new(),
        note: None,
    }
}

/// The rule set with the `us` jurisdiction's doctrine replaced.
pub fn with_doctrine(rs: &RuleSet, d: OwnershipDoctrine) -> RuleSet {
    let mut rs = rs.clone();
    let j = us(&rs);
    rs.jurisdictions[j.idx()].doctrine = d;
    rs
}

pub fn basis(rs: &RuleSet, id: &str) -> usize {
    rs.vocabulary
        .control_bases
        .iter()
        .position(|t| t.id == id)
        .unwrap_or_else(|| panic!("no control basis {id}"))
}

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
}

pub fn person(w: &mut World, id: &str) -> PartyIdx {
    party(w, id, PartyKind::Individual)
}

pub fn entity(w: &mut World, id: &str) -> PartyIdx {
    party(w, id, PartyKind::Organization)
}

pub fn designate(w: &mut World, rs: &RuleSet, p: PartyIdx, program: &str) {
    w.designations.push(Designation {
        party: p,
        program: rs.program_by_id(program).unwrap(),
        listed: None,
        delisted: None,
        source: None,
        date_assumed: true,
        loc: Loc::builtin("test"),
    });
}

pub fn own(w: &mut World, owner: PartyIdx, owned: PartyIdx, share: &str) {
    own_share(w, owner, owned, Share::parse(share).unwrap());
}

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
    closure(rs, w, j, on, &designated, rs.blocking_programs(j))
}

/// "blocked", "not_blocked" or "undetermined".
pub fn status_of(c: &Closure, p: PartyIdx) -> &'static str {
    let n = c.parties[p.idx()];
    if n.blocked {
        "blocked"
    } else if n.undetermined {
        "undetermined"
    } else {
        "not_blocked"
    }
}

/// Whether the lists folder (`INTERDICT_LISTS_DIR`, default `../shared/data/lists`) is there.
/// A test that reads real list files (directly, or through a scenario's `lists:` path or the
/// workload's SDN copy) returns early when it is not, after saying so on stderr; a present
/// folder with a missing file still fails loudly.
pub fn lists_present(who: &str) -> bool {
    interdict::lists::dir::for_test(interdict::lists::dir::SDN_SNAPSHOT, who).is_some()
}
