//! Turning a point of the condition space into a runnable scenario: parties with the
//! attributes of their witnesses, the designations, owners and controllers that give them
//! their status, the transaction, and an expectation that documents the finding.

use std::collections::BTreeMap;

use super::emit::{ScenarioFile, sp};
use super::party::{AttrWitness, party_country};
use super::slots::PartyPoint;
use super::space::Point;
use super::status::{BlockedBy, Doctrine, StatusRecipe, Undetermined};
use super::txspace::TxPoint;
use crate::model::ruleset::RuleSet;
use crate::model::values::{Date, RawDate, RawNumber};
use crate::model::world::{Party, World};
use crate::model::{JurisdictionIdx, PartyKind, ProgramIdx, Role};
use crate::scenario::raw::{
    RawControl, RawDesignation, RawExchangeRate, RawExpectation, RawOwnership, RawParty,
    RawScenarioHeader, RawTransaction,
};

/// Why no scenario file could be built for a point of the analysis: either a scenario cannot
/// state what the point needs, or the analysis handed over an index it does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConcreteError {
    /// The point names a transaction point the space does not hold.
    #[error("no such transaction point")]
    NoTransactionPoint,
    /// The point names a party point the space does not hold.
    #[error("no such party point")]
    NoPartyPoint,
    /// A party point names a witness the space does not hold.
    #[error("no such witness")]
    NoWitness,
    /// The party is matched to a list only by a fuzzy name search.
    #[error(
        "it needs a party matched to a list only by a fuzzy name search, which a scenario cannot state"
    )]
    FuzzyMatch,
    /// A witness names an attribute witness the space does not hold.
    #[error("no such attribute witness")]
    NoAttributeWitness,
    /// A witness names a status witness the space does not hold.
    #[error("no such status witness")]
    NoStatusWitness,
    /// The pack's vocabulary declares no transaction type.
    #[error("the vocabulary has no transaction types")]
    NoTransactionTypes,
    /// An attribute witness with an empty chain of parties.
    #[error("a witness without a party")]
    WitnessWithoutParty,
    /// The vocabulary has no control basis with the effect the status needs.
    #[error("no control basis with the needed effect")]
    NoControlBasis,
}

/// Build the scenario for `point`, named `name`, expecting `expect` in the group's
/// jurisdiction. Errors name what a scenario file cannot express.
pub(crate) fn scenario(
    point: &Point,
    reference: &World,
    name: &str,
    description: &str,
    expect: RawExpectation,
) -> Result<ScenarioFile, ConcreteError> {
    let space = point.space;
    let rs = space.rs;
    let tx = space
        .tx_point(point.tx)
        .ok_or(ConcreteError::NoTransactionPoint)?;
    let pp = space
        .party_point(point.party)
        .ok_or(ConcreteError::NoPartyPoint)?;
    let mut b = Builder {
        file: ScenarioFile::default(),
        taken: Vec::new(),
        date: tx.date,
        helper_program: rs.blocking_programs(space.j).iter().next(),
        rs,
        reference,
        j: space.j,
    };

    let (slots, knowing) = place_parties(&mut b, point, pp)?;
    let mut t = transaction(rs, tx, knowing, description)?;
    for (role, id) in slots {
        fill_role(&mut t, role, sp(id));
    }
    if let Some(j) = rs.jurisdictions.get(space.j) {
        t.expect.insert(sp(j.id.clone()), expect);
    }
    for &(from, to, rate) in &tx.rates {
        if from != to {
            b.file.exchange_rate.push(RawExchangeRate {
                from: sp(from.to_string()),
                to: sp(to.to_string()),
                rate: sp(RawNumber(rate.normalize().to_string())),
            });
        }
    }
    b.file.scenario = Some(RawScenarioHeader {
        name: name.to_string(),
        description: Some(description.to_string()),
        as_of: None,
        evaluated_on: None,
    });
    b.file.transaction.push(t);
    Ok(b.file)
}

/// The party ids of a transaction's slots, by role.
type Slots = Vec<(Role, String)>;

/// The parties of the point's slots in the scenario, each with its chain of owners and its
/// status; the slots by role, and the parties that know.
fn place_parties(
    b: &mut Builder,
    point: &Point,
    pp: &PartyPoint,
) -> Result<(Slots, Vec<String>), ConcreteError> {
    let space = point.space;
    let mut slots: Vec<(Role, String)> = Vec::new();
    let mut knowing: Vec<String> = Vec::new();
    let mut counts: BTreeMap<Role, usize> = BTreeMap::new();
    for &(role, wi) in &pp.assign {
        let w = space
            .party
            .witnesses
            .get(wi)
            .ok_or(ConcreteError::NoWitness)?;
        if w.fuzzy {
            return Err(ConcreteError::FuzzyMatch);
        }
        let n = counts.entry(role).or_insert(0);
        *n += 1;
        let slot = if matches!(role, Role::Intermediary | Role::Other) {
            format!("{}-{}", role.as_str().replace('_', "-"), n)
        } else {
            role.as_str().replace('_', "-")
        };
        let attr = space
            .party
            .attrs
            .get(w.attr)
            .ok_or(ConcreteError::NoAttributeWitness)?;
        let mut attr = attr.clone();
        if pp.differ && role == Role::Beneficiary {
            other_member(&mut attr, space);
        }
        let id = b.add_chain(&slot, &attr)?;
        let status = space
            .party
            .statuses
            .get(w.status)
            .ok_or(ConcreteError::NoStatusWitness)?;
        b.add_status(&id, &slot, &status.recipe)?;
        if w.knowing {
            knowing.push(id.clone());
        }
        slots.push((role, id));
    }

    Ok((slots, knowing))
}

/// The transaction of the point, its parties not yet filled in.
fn transaction(
    rs: &RuleSet,
    tx: &TxPoint,
    knowing: Vec<String>,
    description: &str,
) -> Result<RawTransaction, ConcreteError> {
    let v = &rs.vocabulary;
    let type_id = v
        .transaction_types
        .as_slice()
        .get(tx.tx_type)
        .map(|t| t.id.clone())
        .ok_or(ConcreteError::NoTransactionTypes)?;
    Ok(RawTransaction {
        goods: tx
            .goods
            .iter()
            .filter_map(|g| v.goods.get(g))
            .map(|g| sp(g.id.clone()))
            .collect(),
        amount: tx
            .amount
            .map(|m| sp(RawNumber(m.amount.normalize().to_string()))),
        currency: tx.amount.map(|m| sp(m.currency.to_string())),
        personal_use: tx.personal_use.then_some(true),
        knowing: knowing.into_iter().map(sp).collect(),
        description: Some(description.to_string()),
        ..RawTransaction::new(
            sp("tx-1".into()),
            sp(RawDate(tx.date.to_string())),
            sp(type_id),
        )
    })
}

/// Put a party in its role of the transaction.
fn fill_role(t: &mut RawTransaction, role: Role, id: toml::Spanned<String>) {
    match role {
        Role::Originator => t.originator = Some(id),
        Role::OriginatorBank => t.originator_bank = Some(id),
        Role::Intermediary => t.intermediaries.push(id),
        Role::BeneficiaryBank => t.beneficiary_bank = Some(id),
        Role::Beneficiary => t.beneficiary = Some(id),
        Role::Signatory => t.signatory = Some(id),
        Role::Agent => t.agent = Some(id),
        Role::Shipper => t.shipper = Some(id),
        Role::Vessel => t.vessel = Some(id),
        Role::Aircraft => t.aircraft = Some(id),
        Role::Other => t.others.push(id),
    }
}

/// Move the party's country to another member of its class (same answers to every
/// condition, a different country for cross-border purposes).
fn other_member(attr: &mut AttrWitness, space: &super::space::Space) {
    let Some(me) = attr.chain.first_mut() else {
        return;
    };
    let Some(current) = party_country(me) else {
        return;
    };
    let Some(class) = space
        .party
        .countries
        .iter()
        .find(|c| c.members.contains(&current))
    else {
        return;
    };
    let Some(&other) = class.members.iter().find(|c| **c != current) else {
        return;
    };
    if me.located_in.is_some() {
        me.located_in = Some(other);
    } else if me.incorporated_in.is_some() {
        me.incorporated_in = Some(other);
    } else if let Some(first) = me.residence.first_mut() {
        *first = other;
    }
}

struct Builder<'a> {
    file: ScenarioFile,
    taken: Vec<String>,
    date: Date,
    /// A blocking program for helper owners and controllers that only need to be blocked.
    helper_program: Option<usize>,
    rs: &'a RuleSet,
    /// The packs' reference world, whose party ids a counterexample must not reuse.
    reference: &'a World,
    j: JurisdictionIdx,
}

impl Builder<'_> {
    /// A fresh party id `cx-<name>` that neither this scenario nor the packs use.
    fn fresh(&mut self, name: &str) -> String {
        let world = self.reference;
        let mut id = format!("cx-{name}");
        let mut n = 2;
        while self.taken.contains(&id) || world.party_by_id(&id).is_some() {
            id = format!("cx-{name}-{n}");
            n += 1;
        }
        self.taken.push(id.clone());
        id
    }

    fn raw_party(&self, id: &str, p: &Party, branch_of: Option<String>) -> RawParty {
        let rs = self.rs;
        let countries = |v: &[crate::model::values::Country]| -> Vec<toml::Spanned<String>> {
            v.iter().map(|c| sp(c.to_string())).collect()
        };
        RawParty {
            id: sp(id.to_string()),
            name: None,
            kind: sp(p.kind),
            citizenship: countries(&p.citizenship),
            permanent_residence: countries(&p.permanent_residence),
            residence: countries(&p.residence),
            incorporated_in: p.incorporated_in.map(|c| sp(c.to_string())),
            located_in: p.located_in.map(|c| sp(c.to_string())),
            branch_of: branch_of.map(sp),
            category: p
                .categories
                .iter()
                .filter_map(|c| rs.vocabulary.party_categories.get(c))
                .map(|t| sp(t.id.clone()))
                .collect(),
            aliases: Vec::new(),
            list_entry: None,
            resolve_name: None,
            resolve_id: None,
            note: None,
        }
    }

    /// The party and its head offices; returns the party's id.
    fn add_chain(&mut self, slot: &str, attr: &AttrWitness) -> Result<String, ConcreteError> {
        let ids: Vec<String> = (0..attr.chain.len())
            .map(|i| match i {
                0 => self.fresh(slot),
                1 => self.fresh(&format!("{slot}-head-office")),
                n => self.fresh(&format!("{slot}-head-office-{n}")),
            })
            .collect();
        for (i, p) in attr.chain.iter().enumerate() {
            let (Some(id), next) = (ids.get(i), ids.get(i + 1).cloned()) else {
                continue;
            };
            let raw = self.raw_party(id, p, next);
            self.file.party.push(raw);
        }
        ids.first()
            .cloned()
            .ok_or(ConcreteError::WitnessWithoutParty)
    }

    fn designate(&mut self, party: &str, program: usize) {
        let rs = self.rs;
        if let Some(p) = rs.programs.as_slice().get(program) {
            self.file.designation.push(RawDesignation {
                party: sp(party.to_string()),
                program: sp(p.id.clone()),
                listed: Some(sp(RawDate(self.date.to_string()))),
                delisted: None,
                source: Some("counterexample".into()),
                note: None,
            });
        }
    }

    fn helper(&mut self, name: &str, programs: &[usize]) -> String {
        let id = self.fresh(name);
        let p = super::party::blank_party(&id, crate::model::PartyKind::Organization);
        let raw = self.raw_party(&id, &p, None);
        self.file.party.push(raw);
        for &prog in programs {
            self.designate(&id, prog);
        }
        id
    }

    fn own(&mut self, owner: &str, owned: &str, share: &str) {
        self.file.ownership.push(RawOwnership {
            owner: sp(owner.to_string()),
            owned: sp(owned.to_string()),
            share: Some(sp(RawNumber(share.to_string()))),
            from: None,
            until: None,
            note: None,
        });
    }

    fn control(
        &mut self,
        controller: &str,
        controlled: &str,
        blocking: bool,
    ) -> Result<(), ConcreteError> {
        let basis = Doctrine::basis(self.rs, self.j, blocking)
            .and_then(|b| self.rs.vocabulary.control_bases.as_slice().get(b))
            .ok_or(ConcreteError::NoControlBasis)?;
        self.file.control.push(RawControl {
            controller: sp(controller.to_string()),
            controlled: sp(controlled.to_string()),
            basis: sp(basis.id.clone()),
            from: None,
            until: None,
            note: None,
        });
        Ok(())
    }

    /// Designations, owners and controllers that give party `id` its status.
    fn add_status(&mut self, id: &str, slot: &str, r: &StatusRecipe) -> Result<(), ConcreteError> {
        for p in &r.designated {
            self.designate(id, p.idx());
        }
        let helper: Vec<usize> = self.helper_program.into_iter().collect();
        if let Some((via, grounds)) = &r.blocked_by {
            let g: Vec<usize> = grounds.iter().map(|p: &ProgramIdx| p.idx()).collect();
            match via {
                BlockedBy::Ownership => {
                    let o = self.helper(&format!("{slot}-owner"), &g);
                    self.own(&o, id, "100");
                }
                BlockedBy::Control => {
                    let c = self.helper(&format!("{slot}-controller"), &g);
                    self.control(&c, id, true)?;
                }
            }
        }
        match r.undetermined {
            None => {}
            Some(Undetermined::Direct) => {
                let o = self.helper(&format!("{slot}-owner-unknown-share"), &helper);
                self.own(&o, id, "unknown");
            }
            Some(Undetermined::Chain) => {
                let o = self.helper(&format!("{slot}-indirect-owner"), &helper);
                let mid = self.helper(&format!("{slot}-holding"), &[]);
                self.own(&o, &mid, "unknown");
                self.own(&mid, id, "unknown");
            }
            Some(Undetermined::Control) => {
                let o = self.helper(&format!("{slot}-indirect-owner"), &helper);
                let mid = self.helper(&format!("{slot}-controller"), &[]);
                self.own(&o, &mid, "unknown");
                self.control(&mid, id, true)?;
            }
        }
        if r.minority {
            let share = Doctrine::of(self.rs, self.j).minority_share();
            let o = self.helper(&format!("{slot}-minority-owner"), &helper);
            self.own(&o, id, &share.normalize().to_string());
        }
        if r.controlled {
            let c = self.helper(&format!("{slot}-controller"), &helper);
            self.control(&c, id, false)?;
        }
        Ok(())
    }
}

/// A scenario holding one party `cx-party` of `kind` with the status `recipe` produces in
/// jurisdiction `j` on `date` (and a transaction, which every scenario needs). Lets tests check
/// that every status the analysis enumerates is one a world really produces.
pub fn status_scenario(
    rs: &RuleSet,
    reference: &World,
    j: JurisdictionIdx,
    date: Date,
    kind: PartyKind,
    recipe: &StatusRecipe,
) -> Result<ScenarioFile, ConcreteError> {
    let mut b = Builder {
        file: ScenarioFile::default(),
        taken: Vec::new(),
        date,
        helper_program: rs.blocking_programs(j).iter().next(),
        rs,
        reference,
        j,
    };
    let p = super::party::blank_party("p", kind);
    let id = b.add_chain(
        "party",
        &AttrWitness {
            chain: vec![p],
            entity: kind.is_entity(),
            roles: super::party::roles_of(kind),
            country: None,
            truth: 0,
        },
    )?;
    b.add_status(&id, "party", recipe)?;
    let tx_type = rs
        .vocabulary
        .transaction_types
        .as_slice()
        .first()
        .map(|t| t.id.clone())
        .ok_or(ConcreteError::NoTransactionTypes)?;
    b.file.scenario = Some(RawScenarioHeader {
        name: "status".into(),
        description: None,
        as_of: None,
        evaluated_on: None,
    });
    // A vessel or an aircraft cannot be the originator: it takes part as another party.
    let (originator, others) = if crate::model::Role::Originator.admits(kind) {
        (Some(sp(id)), Vec::new())
    } else {
        (None, vec![sp(id)])
    };
    b.file.transaction.push(RawTransaction {
        originator,
        others,
        ..RawTransaction::new(
            sp("tx-1".into()),
            sp(RawDate(date.to_string())),
            sp(tx_type),
        )
    });
    Ok(b.file)
}
