//! The party dimension: which combinations of the group's party predicates one party can meet.
//!
//! A party is its attributes (kind, categories, five country attributes, branch of a head
//! office) and its status (see `status.rs`). Countries and categories are cut into classes as
//! every set is; the person tests the predicates name (and those their `branch_of` alternatives
//! name, transitively) are evaluated with the engine's own attribute matching, on a party and
//! the chain of its head offices. A branch's head office can pass any set of tests some party
//! (itself possibly a branch) passes; that set is computed to a fixed point.
//!
//! The result is a list of witnesses: for each realizable "signature" (which predicates the
//! party meets, and the class of the country it sits in when cross-border conditions matter)
//! one concrete party recipe.

use super::cache::Shared;
use super::classes::{Class, partition, subsets};
use super::slots::FastSet;
use super::status::{StatusWitness, statuses};
use crate::eval::conditions::{attributes_match, status_holds};
use crate::model::ruleset::{Conditions, PartyPredicate, RuleSet};
use crate::model::values::Country;
use crate::model::world::{Party, World};
use crate::model::{Bits, JurisdictionIdx, PartyIdx, PartyKind, PersonTestIdx};
use crate::source::Loc;

/// Above this many attribute combinations the attribute space is sampled.
pub(crate) const ATTRIBUTE_COMBINATION_LIMIT: usize = 200_000;

/// A party's attributes and the chain of its head offices.
#[derive(Debug, Clone)]
pub struct AttrWitness {
    /// `chain[0]` is the party; each is a branch of the next (links are set when built).
    pub chain: Vec<Party>,
    /// Whether the party is an entity (organization or bank), not an individual, vessel or
    /// aircraft.
    pub entity: bool,
    /// The roles the party's kind can play (bit per role): a vessel is only ever the vessel.
    pub roles: u16,
    /// The class of the country the party sits in (for cross-border conditions).
    pub country: Option<usize>,
    /// The attribute part of each predicate.
    pub truth: u64,
}

/// One realizable party signature.
#[derive(Debug, Clone)]
pub struct PartyWitness {
    /// The party's attributes: an index into [`PartySpace::attrs`].
    pub attr: usize,
    /// The party's status: an index into [`PartySpace::statuses`].
    pub status: usize,
    /// Whether the party is recorded as knowing the relevant facts.
    pub knowing: bool,
    /// Whether the party is a fuzzy match of a list entry (only when nothing else realizes the
    /// signature).
    pub fuzzy: bool,
    /// Bit i: the party meets predicate i.
    pub sig: u64,
    /// The roles the party can play (see [`AttrWitness::roles`]).
    pub roles: u16,
    /// The class of the country it sits in (see [`AttrWitness::country`]).
    pub country: Option<usize>,
}

/// The party space of a rule group in one jurisdiction: every distinct way a party can meet or miss
/// the group's party predicates, each with a witness.
pub struct PartySpace {
    /// The predicates the group's party clauses use (with those of the person tests they name).
    pub preds: Vec<PartyPredicate>,
    /// Realizable attribute combinations, one witness each.
    pub attrs: Vec<AttrWitness>,
    /// Realizable statuses in the jurisdiction, one recipe each.
    pub statuses: Vec<StatusWitness>,
    /// Realizable party signatures: attributes, status, knowledge and fuzzy match combined.
    pub witnesses: Vec<PartyWitness>,
    /// Country classes (members in order; "other" countries last).
    pub countries: Vec<Class<Country>>,
    /// Whether attributes or statuses were sampled instead of enumerated (too many combinations).
    pub sampled: bool,
}

/// Countries no pack mentions, standing for "any other country" (two, so that two parties can
/// sit in different ones).
const OTHER_COUNTRIES: [&str; 12] = [
    "NZ", "IS", "UY", "MN", "FJ", "BT", "NP", "LA", "KH", "GH", "PE", "CL",
];

/// A party with only an id (its name too) and a kind: no nationality, place, category or list
/// entry.
pub fn blank_party(id: &str, kind: PartyKind) -> Party {
    Party {
        id: id.to_string(),
        name: id.to_string(),
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
        loc: Loc::builtin("counterexample"),
    }
}

/// The country a party sits in, as the engine reads it for cross-border conditions.
pub(crate) fn party_country(p: &Party) -> Option<Country> {
    p.located_in
        .or(p.incorporated_in)
        .or_else(|| p.residence.first().copied())
}

/// Every person test the predicates name, directly or through `branch_of` alternatives.
fn test_closure(rs: &RuleSet, preds: &[&PartyPredicate]) -> Bits {
    let mut t = Bits::EMPTY;
    for p in preds {
        for b in [p.tests, p.not_tests].into_iter().flatten() {
            t = t.union(b);
        }
        if let Some(b) = p.branch_of {
            t.insert(b.idx());
        }
    }
    loop {
        let mut next = t;
        for i in t.members::<PersonTestIdx>() {
            for alt in &rs.person_tests[i].any {
                if let Some(b) = alt.branch_of {
                    next.insert(b.idx());
                }
            }
        }
        if next == t {
            return t;
        }
        t = next;
    }
}

/// The attribute options to enumerate.
struct Options {
    categories: Vec<Bits>,
    citizenship: Vec<Vec<Country>>,
    permanent_residence: Vec<Vec<Country>>,
    residence: Vec<Vec<Country>>,
    incorporated_in: Vec<Option<Country>>,
    located_in: Vec<Option<Country>>,
    branch: bool,
}

pub(crate) fn build(
    rs: &RuleSet,
    j: JurisdictionIdx,
    preds: &[&PartyPredicate],
    cross_border: bool,
    shared: &Shared,
) -> PartySpace {
    let tests = test_closure(rs, preds);
    let alts: Vec<&PartyPredicate> = tests
        .members::<PersonTestIdx>()
        .flat_map(|i| rs.person_tests[i].any.iter())
        .collect();
    let all: Vec<&PartyPredicate> = preds.iter().copied().chain(alts.iter().copied()).collect();
    let countries = country_classes(&all, shared);
    let opts = attribute_options(rs, &all, &countries, cross_border, shared);
    let mut sampled = false;
    let attrs = attribute_witnesses(
        rs,
        preds,
        &opts,
        &countries,
        (tests, cross_border),
        shared,
        &mut sampled,
    );
    let (statuses, status_sampled) = statuses(rs, j, preds);
    sampled |= status_sampled;
    let witnesses = party_witnesses(preds, &attrs, &statuses);
    PartySpace {
        preds: preds.iter().map(|p| (*p).clone()).collect(),
        attrs,
        statuses,
        witnesses,
        countries,
        sampled,
    }
}

/// Countries in classes: one partition across all five country attributes, so classes never
/// overlap, plus up to two countries no rule names (an "other" country).
fn country_classes(all: &[&PartyPredicate], shared: &Shared) -> Vec<Class<Country>> {
    let mut country_sets: Vec<Vec<Country>> = Vec::new();
    for p in all {
        for s in [
            &p.citizenship,
            &p.permanent_residence,
            &p.residence,
            &p.incorporated_in,
            &p.located_in,
        ]
        .into_iter()
        .flatten()
        {
            country_sets.push(s.clone());
        }
    }
    let mut universe: Vec<Country> = Vec::new();
    for c in country_sets.iter().flatten() {
        if !universe.contains(c) {
            universe.push(*c);
        }
    }
    let mentioned = &shared.mentioned_countries;
    universe.extend(
        OTHER_COUNTRIES
            .iter()
            .filter_map(|c| Country::parse(c))
            .filter(|c| !mentioned.contains(c))
            .take(2),
    );
    partition(&universe, &country_sets)
}

/// The values worth trying for each attribute: only those the predicates read, one
/// representative per class.
fn attribute_options(
    rs: &RuleSet,
    all: &[&PartyPredicate],
    countries: &[Class<Country>],
    cross_border: bool,
    shared: &Shared,
) -> Options {
    let mentioned = &shared.mentioned_countries;
    let reps: Vec<Country> = countries.iter().filter_map(|c| c.rep()).collect();
    let named: Vec<Country> = countries
        .iter()
        .filter(|c| c.members.iter().any(|m| mentioned.contains(m)))
        .filter_map(|c| c.rep())
        .collect();
    let reads = |f: &dyn Fn(&PartyPredicate) -> bool| all.iter().any(|p| f(p));
    let set_options = |read: bool, with_other: bool| -> Vec<Vec<Country>> {
        if !read && !with_other {
            return vec![Vec::new()];
        }
        let pool: &[Country] = if with_other { &reps } else { &named };
        subsets(pool.len())
            .into_iter()
            .map(|s| s.iter().filter_map(|&i| pool.get(i)).copied().collect())
            .collect()
    };
    let single_options = |read: bool| -> Vec<Option<Country>> {
        if !read {
            return vec![None];
        }
        std::iter::once(None)
            .chain(reps.iter().copied().map(Some))
            .collect()
    };
    let category_sets: Vec<Vec<usize>> = all
        .iter()
        .filter_map(|p| p.categories)
        .map(|b| b.iter().collect())
        .collect();
    let all_categories: Vec<usize> = (0..rs.vocabulary.party_categories.len()).collect();
    let category_reps: Vec<usize> = if category_sets.is_empty() {
        Vec::new()
    } else {
        partition(&all_categories, &category_sets)
            .iter()
            .filter_map(|c| c.rep())
            .collect()
    };
    Options {
        categories: subsets(category_reps.len())
            .into_iter()
            .map(|s| {
                s.iter()
                    .filter_map(|&i| category_reps.get(i))
                    .copied()
                    .collect()
            })
            .collect(),
        citizenship: set_options(reads(&|p| p.citizenship.is_some()), false),
        permanent_residence: set_options(reads(&|p| p.permanent_residence.is_some()), false),
        residence: set_options(reads(&|p| p.residence.is_some()), cross_border),
        incorporated_in: single_options(reads(&|p| p.incorporated_in.is_some()) || cross_border),
        located_in: single_options(reads(&|p| p.located_in.is_some()) || cross_border),
        branch: reads(&|p| p.branch_of.is_some() || p.is_branch.is_some()),
    }
}

/// Every party (with its chain of head offices) the options allow, then the simplest one per
/// signature: a counterexample should read like a real case (citizens are people, companies
/// are incorporated, few attributes).
fn attribute_witnesses(
    rs: &RuleSet,
    preds: &[&PartyPredicate],
    opts: &Options,
    countries: &[Class<Country>],
    (tests, cross_border): (Bits, bool),
    shared: &Shared,
    sampled: &mut bool,
) -> Vec<AttrWitness> {
    let heads = if opts.branch {
        head_chains(rs, opts, tests, sampled, shared)
    } else {
        Vec::new()
    };
    let class_of = |c: Country| countries.iter().position(|k| k.members.contains(&c));
    let mut candidates: Vec<(u32, AttrWitness)> = Vec::new();
    let mut branch_choices: Vec<Option<&Vec<Party>>> = vec![None];
    branch_choices.extend(heads.iter().map(|(_, c)| Some(c)));
    for head in &branch_choices {
        for_each_party(opts, sampled, |p| {
            let mut chain = vec![p.clone()];
            if let Some(h) = head {
                chain.extend(h.iter().cloned());
            }
            let t = shared.tests_of(rs, &chain);
            let Some(me) = chain.first().map(|p| Party {
                branch_of: (chain.len() > 1).then_some(PartyIdx(1)),
                ..p.clone()
            }) else {
                return;
            };
            let mine = t[PartyIdx(0)];
            let mut truth = 0u64;
            for (i, pred) in preds.iter().enumerate() {
                let ok = attributes_match(pred, &me, &t)
                    && pred.tests.is_none_or(|x| x.intersects(mine))
                    && pred.not_tests.is_none_or(|x| !x.intersects(mine));
                if ok {
                    truth |= 1 << i;
                }
            }
            let country = if cross_border {
                party_country(&me).and_then(class_of)
            } else {
                None
            };
            let score = chain.iter().map(oddness).sum::<u32>() + 3 * (chain.len() as u32 - 1);
            let witness = AttrWitness {
                entity: me.kind.is_entity(),
                roles: roles_of(me.kind),
                chain,
                country,
                truth,
            };
            candidates.push((score, witness));
        });
    }
    candidates.sort_by_key(|(s, _)| *s);
    let mut attrs: Vec<AttrWitness> = Vec::new();
    let mut seen_attrs: FastSet<(u64, bool, u16, Option<usize>)> = FastSet::default();
    for (_, a) in candidates {
        if seen_attrs.insert((a.truth, a.entity, a.roles, a.country)) {
            attrs.push(a);
        }
    }
    attrs
}

/// Attributes joined with statuses, knowledge and fuzzy matches: the simplest witness per
/// signature (which predicates hold), role class and country class.
fn party_witnesses(
    preds: &[&PartyPredicate],
    attrs: &[AttrWitness],
    statuses: &[StatusWitness],
) -> Vec<PartyWitness> {
    let knowing: &[bool] = if preds.iter().any(|p| p.knowing.is_some()) {
        &[false, true]
    } else {
        &[false]
    };
    let fuzzy: &[bool] = if preds.iter().any(|p| p.fuzzy_list_match.is_some()) {
        &[false, true]
    } else {
        &[false]
    };
    let mut combos: Vec<(u32, PartyWitness)> = Vec::new();
    for (ai, a) in attrs.iter().enumerate() {
        for (si, s) in statuses.iter().enumerate() {
            if s.entity != a.entity {
                continue;
            }
            for &k in knowing {
                for &fz in fuzzy {
                    let mut sig = 0u64;
                    for (i, pred) in preds.iter().enumerate() {
                        if a.truth & (1 << i) != 0 && status_holds(pred, &s.state, k, fz) {
                            sig |= 1 << i;
                        }
                    }
                    // A fuzzy match cannot be written in a scenario: last resort only.
                    let score = ai as u32 + s.recipe.helpers() + u32::from(k) + 100 * u32::from(fz);
                    combos.push((
                        score,
                        PartyWitness {
                            attr: ai,
                            status: si,
                            knowing: k,
                            fuzzy: fz,
                            sig,
                            roles: a.roles,
                            country: a.country,
                        },
                    ));
                }
            }
        }
    }
    combos.sort_by_key(|(s, _)| *s);
    let mut witnesses: Vec<PartyWitness> = Vec::new();
    let mut seen: FastSet<(u64, u16, Option<usize>)> = FastSet::default();
    for (_, w) in combos {
        if seen.insert((w.sig, w.roles, w.country)) {
            witnesses.push(w);
        }
    }
    witnesses
}

/// The roles a party of `kind` can play, a bit per role.
pub(crate) fn roles_of(kind: PartyKind) -> u16 {
    crate::model::Role::ALL
        .iter()
        .filter(|r| r.admits(kind))
        .fold(0, |m, r| m | 1 << r.bit())
}

/// How unusual a party looks: attributes set, and attributes that do not fit its kind.
fn oddness(p: &Party) -> u32 {
    let person = p.kind == PartyKind::Individual;
    let mut n = (p.citizenship.len() + p.permanent_residence.len() + p.residence.len()) as u32
        + u32::from(p.incorporated_in.is_some())
        + u32::from(p.located_in.is_some())
        + p.categories.len() as u32;
    if !person {
        n += 4 * (p.citizenship.len() + p.permanent_residence.len() + p.residence.len()) as u32;
    }
    if !p.kind.is_entity() && p.incorporated_in.is_some() {
        n += 4;
    }
    n + match p.kind {
        PartyKind::Organization | PartyKind::Individual => 0,
        PartyKind::FinancialInstitution => 1,
        PartyKind::Vessel | PartyKind::Aircraft => 2,
    }
}

/// Every country any condition or person test of the packs names, or a party of their
/// reference world has.
pub(crate) fn mentioned_countries(rs: &RuleSet, reference: &World) -> Vec<Country> {
    let mut out = Vec::new();
    let mut add = |p: &PartyPredicate| {
        for s in [
            &p.citizenship,
            &p.permanent_residence,
            &p.residence,
            &p.incorporated_in,
            &p.located_in,
        ]
        .into_iter()
        .flatten()
        {
            out.extend(s.iter().copied());
        }
    };
    for t in &rs.person_tests {
        t.any.iter().for_each(&mut add);
    }
    let conds = rs
        .rules
        .iter()
        .flat_map(|r| std::iter::once(&r.when).chain(r.unless.as_ref()))
        .chain(
            rs.jurisdictions
                .iter()
                .flat_map(|j| j.nexus.iter().map(|n| &n.when)),
        )
        .flat_map(Conditions::nested);
    for c in conds {
        for cl in c.parties.iter().chain(&c.no_party) {
            add(&cl.pred);
        }
    }
    for r in &rs.rules {
        if let Some(a) = &r.actor {
            add(&a.pred);
        }
    }
    for p in &reference.parties {
        out.extend(
            p.citizenship
                .iter()
                .chain(&p.permanent_residence)
                .chain(&p.residence),
        );
        out.extend(p.incorporated_in.iter().chain(p.located_in.iter()));
    }
    out.sort();
    out.dedup();
    out
}

/// Kinds in the order witnesses prefer them (the first party found for a signature is kept).
const KIND_ORDER: [PartyKind; 5] = [
    PartyKind::Organization,
    PartyKind::FinancialInstitution,
    PartyKind::Individual,
    PartyKind::Vessel,
    PartyKind::Aircraft,
];

/// Call `f` with every party the options describe (no branch link). Samples evenly when the
/// product is above the limit.
fn for_each_party(opts: &Options, sampled: &mut bool, mut f: impl FnMut(&Party)) {
    let dims = [
        PartyKind::ALL.len(),
        opts.categories.len(),
        opts.citizenship.len(),
        opts.permanent_residence.len(),
        opts.residence.len(),
        opts.incorporated_in.len(),
        opts.located_in.len(),
    ];
    let total: usize = dims.iter().product();
    let step = if total > ATTRIBUTE_COMBINATION_LIMIT {
        *sampled = true;
        total / ATTRIBUTE_COMBINATION_LIMIT + 1
    } else {
        1
    };
    let mut i = 0;
    while i < total {
        let mut rest = i;
        let mut pick = [0usize; 7];
        for (slot, d) in pick.iter_mut().zip(dims) {
            *slot = rest % d.max(1);
            rest /= d.max(1);
        }
        let kind = KIND_ORDER
            .get(pick[0])
            .copied()
            .unwrap_or(PartyKind::Organization);
        let mut p = blank_party("p", kind);
        p.categories = opts.categories.get(pick[1]).copied().unwrap_or_default();
        p.citizenship = opts.citizenship.get(pick[2]).cloned().unwrap_or_default();
        p.permanent_residence = opts
            .permanent_residence
            .get(pick[3])
            .cloned()
            .unwrap_or_default();
        p.residence = opts.residence.get(pick[4]).cloned().unwrap_or_default();
        p.incorporated_in = opts.incorporated_in.get(pick[5]).copied().flatten();
        p.located_in = opts.located_in.get(pick[6]).copied().flatten();
        f(&p);
        i += step;
    }
}

/// Head-office chains whose head passes each realizable set of relevant tests: the fixed point
/// of "a party, possibly a branch of a head already found".
fn head_chains(
    rs: &RuleSet,
    opts: &Options,
    relevant: Bits,
    sampled: &mut bool,
    shared: &Shared,
) -> Vec<(Bits, Vec<Party>)> {
    let mut found: Vec<(Bits, Vec<Party>)> = Vec::new();
    loop {
        let mut added = false;
        let mut next = found.clone();
        let mut bases: Vec<Option<Vec<Party>>> = vec![None];
        bases.extend(found.iter().map(|(_, c)| Some(c.clone())));
        for_each_party(opts, sampled, |p| {
            for base in &bases {
                let mut chain = vec![p.clone()];
                if let Some(b) = base {
                    chain.extend(b.iter().cloned());
                }
                let t = shared.tests_of(rs, &chain);
                let set = t[PartyIdx(0)].intersection(relevant);
                if !next.iter().any(|(s, _)| *s == set) {
                    next.push((set, chain));
                    added = true;
                }
            }
        });
        found = next;
        if !added || found.len() > 64 {
            return found;
        }
    }
}
