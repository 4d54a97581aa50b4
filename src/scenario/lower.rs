//! Lowering world records and transactions (from scenario files and rule packs).

use rust_decimal::Decimal;
use toml::Spanned;

use super::raw::*;
use crate::diagnostic::Code;
use crate::model::ruleset::RuleSet;
use crate::model::values::{Share, parse_decimal};
use crate::model::world::*;
use crate::model::{ControlBasisIdx, PartyIdx};
use crate::rules::lower::context::Cx;

/// Lower world records into `world`, which may already hold parties (the reference world).
pub fn lower_world(cx: &mut Cx, rs: &RuleSet, recs: &WorldRecords, world: &mut World) {
    let first_new = world.parties.len();
    lower_parties(cx, rs, recs, world, first_new);
    lower_links(cx, rs, recs, world);
}

/// The parties of `recs` (with branch links among all parties known so far).
pub fn lower_parties(
    cx: &mut Cx,
    rs: &RuleSet,
    recs: &WorldRecords,
    world: &mut World,
    first_new: usize,
) {
    for p in &recs.party {
        let id = p.id.get_ref();
        if !cx.id(&p.id, "party") {
            continue;
        }
        if let Some(existing) = world.party_by_id(id) {
            let at = world.party(existing).loc.to_string();
            cx.error_help(
                Code::DuplicateId,
                p.id.span(),
                format!("party `{id}` is defined twice"),
                Some(format!("first defined at {at}")),
            );
            continue;
        }
        let party = Party {
            id: id.clone(),
            name: p.name.clone().unwrap_or_else(|| id.clone()),
            kind: *p.kind.get_ref(),
            citizenship: cx.countries(&p.citizenship),
            permanent_residence: cx.countries(&p.permanent_residence),
            residence: cx.countries(&p.residence),
            incorporated_in: p.incorporated_in.as_ref().and_then(|c| cx.country(c)),
            located_in: p.located_in.as_ref().and_then(|c| cx.country(c)),
            branch_of: None,
            categories: cx.terms(
                &rs.vocabulary.party_categories,
                &p.category,
                "party category",
            ),
            aliases: p.aliases.clone(),
            list_entry: p.list_entry.as_ref().map(|e| e.get_ref().clone()),
            fuzzy_candidates: Vec::new(),
            loc: cx.loc(p.id.span()),
        };
        if !party.kind.is_entity() && party.incorporated_in.is_some() {
            cx.warning(
                Code::InvalidValue,
                p.id.span(),
                format!(
                    "party `{id}` is a {} but has `incorporated_in`",
                    party.kind.as_str()
                ),
            );
        }
        if let Err(e) = world.add_party(party) {
            cx.error(Code::LimitExceeded, p.id.span(), e.to_string());
            break;
        }
    }
    // Branches refer to parties that may come later in the file.
    for p in &recs.party {
        if let (Some(b), Some(me)) = (&p.branch_of, world.party_by_id(p.id.get_ref()))
            && me.idx() >= first_new
            && let Some(head) = party_ref(cx, world, b)
        {
            if head == me {
                cx.error(
                    Code::InvalidValue,
                    b.span(),
                    "a party cannot be a branch of itself",
                );
            } else {
                world.parties[me].branch_of = Some(head);
            }
        }
    }
}

/// Designations, edges, arrangements and rates of `recs`, referring to parties of `world`.
pub fn lower_links(cx: &mut Cx, rs: &RuleSet, recs: &WorldRecords, world: &mut World) {
    let first = (
        world.designations.len(),
        world.control.len(),
        world.joint_arrangements.len(),
    );
    lower_designations(cx, rs, &recs.designation, world);
    lower_ownership(cx, &recs.ownership, world);
    lower_control(cx, rs, &recs.control, world);
    lower_joint_arrangements(cx, &recs.joint_arrangement, world);
    lower_exchange_rates(cx, &recs.exchange_rate, world);
    check_overlaps(cx, world, first);
}

/// Designations, control and joint arrangements of this file recorded twice at overlapping
/// times (ownership is checked with the whole world, see [`check_world`]).
fn check_overlaps(cx: &mut Cx, world: &World, (d, c, j): (usize, usize, usize)) {
    use super::overlap::{Span, overlapping, report};
    let found = overlapping(
        world
            .designations
            .get(d..)
            .unwrap_or(&[])
            .iter()
            .map(|x| Span {
                key: (x.party, x.program),
                from: x.listed,
                until: x.delisted,
                loc: &x.loc,
            })
            .collect(),
    );
    report(
        found,
        "this party is already designated under this program at this time",
        "write one designation; a relisting after a delisting starts on or after the delisting date",
        cx.diags,
    );
    let found = overlapping(
        world
            .control
            .get(c..)
            .unwrap_or(&[])
            .iter()
            .map(|x| Span {
                key: (x.controller, x.controlled, x.basis),
                from: x.from,
                until: x.until,
                loc: &x.loc,
            })
            .collect(),
    );
    report(
        found,
        "this control is already recorded at this time",
        "write it once, or give the records non-overlapping dates",
        cx.diags,
    );
    let found = overlapping(
        world
            .joint_arrangements
            .get(j..)
            .unwrap_or(&[])
            .iter()
            .map(|x| {
                let mut members = x.members.clone();
                members.sort();
                Span {
                    key: (x.entity, members),
                    from: x.from,
                    until: x.until,
                    loc: &x.loc,
                }
            })
            .collect(),
    );
    report(
        found,
        "this joint arrangement is already recorded at this time",
        "write it once, or give the records non-overlapping dates",
        cx.diags,
    );
}

/// Designations: a party listed under a program, with its dates.
fn lower_designations(cx: &mut Cx, rs: &RuleSet, records: &[RawDesignation], world: &mut World) {
    for d in records {
        let party = party_ref(cx, world, &d.party);
        let program = cx.resolve(&rs.index.programs, &d.program, "program");
        let listed = cx.opt_date(&d.listed);
        let delisted = cx.opt_date(&d.delisted);
        if let (Some(l), Some(x), Some(xs)) = (listed, delisted, d.delisted.as_ref())
            && x <= l
        {
            cx.error(
                Code::ImpossibleDate,
                xs.span(),
                format!("delisted on {x}, not after being listed on {l}"),
            );
        }
        if let (Some(party), Some(program)) = (party, program) {
            world.designations.push(Designation {
                party,
                program,
                listed,
                delisted,
                source: d.source.clone(),
                date_assumed: d.listed.is_none(),
                loc: cx.loc(d.party.span()),
            });
        }
    }
}

/// Ownership edges: who holds shares in an entity, how much and when.
fn lower_ownership(cx: &mut Cx, records: &[RawOwnership], world: &mut World) {
    for o in records {
        let owner = party_ref(cx, world, &o.owner);
        let owned = party_ref(cx, world, &o.owned);
        let share = match &o.share {
            None => Some(Share::Unknown),
            Some(s) => match Share::parse(&s.get_ref().0) {
                Ok(v) => Some(v),
                Err(m) => {
                    cx.error(Code::InvalidShare, s.span(), m);
                    None
                }
            },
        };
        let (from, until) = cx.window(&o.from, &o.until);
        if let (Some(a), Some(b)) = (owner, owned)
            && a == b
        {
            cx.error(
                Code::SelfOwnership,
                o.owned.span(),
                format!("`{}` is recorded as owning itself", o.owner.get_ref()),
            );
            continue;
        }
        if let Some(b) = owned
            && !world.party(b).kind.is_entity()
        {
            cx.error(
                Code::InvalidValue,
                o.owned.span(),
                format!(
                    "`{}` is a {} and cannot be owned through shares",
                    o.owned.get_ref(),
                    world.party(b).kind.as_str()
                ),
            );
            continue;
        }
        if let (Some(owner), Some(owned), Some(share)) = (owner, owned, share) {
            world.ownership.push(OwnershipEdge {
                owner,
                owned,
                share,
                from,
                until,
                loc: cx.loc(o.owner.span()),
            });
        }
    }
}

/// Control edges: who controls whom on what basis, and when.
fn lower_control(cx: &mut Cx, rs: &RuleSet, records: &[RawControl], world: &mut World) {
    for c in records {
        let controller = party_ref(cx, world, &c.controller);
        let controlled = party_ref(cx, world, &c.controlled);
        // A position in a vocabulary of at most BITS_CAPACITY terms: it fits an index.
        let basis = cx
            .term(
                rs.vocabulary.control_bases.as_slice(),
                &c.basis,
                "control basis",
            )
            .and_then(|b| ControlBasisIdx::try_from_usize(b).ok());
        let (from, until) = cx.window(&c.from, &c.until);
        if let (Some(a), Some(b)) = (controller, controlled)
            && a == b
        {
            cx.error(
                Code::SelfOwnership,
                c.controlled.span(),
                format!(
                    "`{}` is recorded as controlling itself",
                    c.controller.get_ref()
                ),
            );
            continue;
        }
        if let (Some(controller), Some(controlled), Some(basis)) = (controller, controlled, basis) {
            world.control.push(ControlEdge {
                controller,
                controlled,
                basis,
                from,
                until,
                loc: cx.loc(c.controller.span()),
            });
        }
    }
}

/// Joint arrangements: members acting together over an entity.
fn lower_joint_arrangements(cx: &mut Cx, records: &[RawJointArrangement], world: &mut World) {
    for j in records {
        let members: Vec<PartyIdx> = j
            .members
            .iter()
            .filter_map(|m| party_ref(cx, world, m))
            .collect();
        let entity = party_ref(cx, world, &j.entity);
        let (from, until) = cx.window(&j.from, &j.until);
        if j.members.len() < 2 {
            cx.error(
                Code::InvalidValue,
                j.entity.span(),
                "a joint arrangement needs at least two members",
            );
            continue;
        }
        // Each member once, never the entity itself, and the entity must be one that can be
        // owned: otherwise the arrangement means nothing and would be silently ignored.
        let mut ok = true;
        for (i, m) in j.members.iter().enumerate() {
            if j.members[..i]
                .iter()
                .any(|earlier| earlier.get_ref() == m.get_ref())
            {
                cx.error(
                    Code::DuplicateId,
                    m.span(),
                    format!("`{}` is listed twice among the members", m.get_ref()),
                );
                ok = false;
            } else if m.get_ref() == j.entity.get_ref() {
                cx.error(
                    Code::SelfOwnership,
                    m.span(),
                    format!(
                        "`{}` cannot be a member of a joint arrangement over itself",
                        m.get_ref()
                    ),
                );
                ok = false;
            }
        }
        if let Some(e) = entity
            && !world.party(e).kind.is_entity()
        {
            cx.error(
                Code::InvalidValue,
                j.entity.span(),
                format!(
                    "`{}` is a {} and cannot be held under a joint arrangement",
                    j.entity.get_ref(),
                    world.party(e).kind.as_str()
                ),
            );
            ok = false;
        }
        if let Some(entity) = entity
            && ok
            && members.len() == j.members.len()
        {
            world.joint_arrangements.push(JointArrangement {
                members,
                entity,
                from,
                until,
                loc: cx.loc(j.entity.span()),
            });
        }
    }
}

/// Exchange rates between currencies.
fn lower_exchange_rates(cx: &mut Cx, records: &[RawExchangeRate], world: &mut World) {
    for r in records {
        let from = cx.currency(&r.from);
        let to = cx.currency(&r.to);
        let rate = match parse_decimal(&r.rate.get_ref().0) {
            Ok(d) if d > Decimal::ZERO => Some(d),
            Ok(_) => {
                cx.error(
                    Code::InvalidValue,
                    r.rate.span(),
                    "an exchange rate must be above zero",
                );
                None
            }
            Err(m) => {
                cx.error(Code::InvalidValue, r.rate.span(), m);
                None
            }
        };
        if let (Some(from), Some(to), Some(rate)) = (from, to, rate) {
            if world
                .exchange_rates
                .iter()
                .any(|x| x.from == from && x.to == to)
            {
                cx.error(
                    Code::DuplicateId,
                    r.from.span(),
                    format!("the rate {from}->{to} is given twice"),
                );
                continue;
            }
            world.exchange_rates.push(ExchangeRate {
                from,
                to,
                rate,
                loc: cx.loc(r.from.span()),
            });
        }
    }
}

/// Whole-world checks (kept here for their callers).
pub use super::checks::check_world;

pub fn party_ref(cx: &mut Cx, world: &World, name: &Spanned<String>) -> Option<PartyIdx> {
    cx.resolve(&world.index, name, "party")
}

/// Lower one transaction of a scenario file ([`super::transaction::lower_transaction`]).
/// `None` if a reference failed (errors were reported).
pub fn lower_transaction(
    cx: &mut Cx,
    rs: &RuleSet,
    world: &World,
    t: &RawTransaction,
) -> Option<Transaction> {
    let mut tx = super::transaction::blank_transaction();
    let mut names = ScenarioNames { cx, rs, world };
    super::transaction::lower_transaction(&mut names, t, &mut tx).then_some(tx)
}

/// A scenario's names: its rule set and world, problems located in its file.
struct ScenarioNames<'c, 'a> {
    cx: &'c mut Cx<'a>,
    rs: &'c RuleSet,
    world: &'c World,
}

impl super::transaction::TxContext for ScenarioNames<'_, '_> {
    type At = std::ops::Range<usize>;
    fn rules(&self) -> &RuleSet {
        self.rs
    }
    fn transaction_type(&self, name: &str) -> Option<usize> {
        let terms = &self.rs.vocabulary.transaction_types;
        terms.iter().position(|t| t.id == name)
    }
    fn goods(&self, name: &str) -> Option<usize> {
        self.rs.vocabulary.goods.iter().position(|t| t.id == name)
    }
    fn party(&self, id: &str) -> Option<PartyIdx> {
        self.world.index.get(id).copied()
    }
    fn party_kind(&self, p: PartyIdx) -> Option<crate::model::PartyKind> {
        self.world.parties.get(p).map(|x| x.kind)
    }
    fn party_help(&self, id: &str) -> Option<String> {
        crate::diagnostic::did_you_mean(id, self.world.index.keys().map(String::as_str))
    }
    fn report(&mut self, at: &Self::At, code: Code, message: String, help: Option<String>) {
        self.cx.error_help(code, at.clone(), message, help);
    }
    fn locate(&self, at: &Self::At, loc: &mut crate::source::Loc) {
        *loc = self.cx.loc(at.clone());
    }
}
