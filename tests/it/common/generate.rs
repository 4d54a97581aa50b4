//! Generators of well-formed worlds, transactions and rule packs, by name (so one spec can be
//! built against rule sets whose indices differ, e.g. after shuffling files).
//!
//! Worlds: parties of every kind with countries, categories and branches (acyclic, as the
//! loader requires); designations with listing and delisting dates (some after the
//! transaction); ownership edges with exact, ranged and unknown shares, validity dates and
//! cycles (holdings in one entity never exceed 100% at their lower bounds); control edges;
//! joint arrangements; exchange rates. Transactions: dates inside the business-day calendar,
//! types, goods, amounts, parties in roles. Rule packs: random prohibitions, exemptions,
//! licenses and overrides over the embedded vocabulary, programs, person tests, obligations
//! and penalties, and a random ownership doctrine.

use std::collections::HashMap;

use interdict::model::ruleset::{
    Aggregation, Citation, Comparison, Conditions, ControlEffect, PartyClause, PartyPredicate,
    Rule, RuleKind, RuleSet, Selector,
};
use interdict::model::values::{Country, Currency, Date, Money, Share};
use interdict::model::world::{
    ControlEdge, Designation, ExchangeRate, JointArrangement, OwnershipEdge, Party, Transaction,
    World,
};
use interdict::model::{
    Bits, ControlBasisIdx, Disposition, IndexVec, JurisdictionIdx, ObligationIdx, PartyIdx,
    PartyKind, PenaltyIdx, PersonTestIdx, ProgramIdx, Role, RuleIdx, TxTypeIdx,
};
use interdict::source::Loc;
use proptest::prelude::*;
use proptest::sample::Index;
use rust_decimal::Decimal;

pub const COUNTRIES: [&str; 5] = ["US", "MX", "GB", "VE", "FR"];
pub const CURRENCIES: [&str; 3] = ["USD", "EUR", "MXN"];

/// Days after 2020-01-01.
pub fn day(n: i64) -> Date {
    Date::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Duration::days(n)
}

fn country(s: &str) -> Country {
    Country::parse(s).unwrap()
}

fn currency(s: &str) -> Currency {
    Currency::parse(s).unwrap()
}

fn loc() -> Loc {
    Loc::builtin("generated")
}

#[derive(Debug, Clone)]
pub struct PartySpec {
    pub kind: PartyKind,
    pub citizenship: Vec<&'static str>,
    pub permanent_residence: Vec<&'static str>,
    pub residence: Vec<&'static str>,
    pub incorporated_in: Option<&'static str>,
    pub located_in: Option<&'static str>,
    pub branch_of: Option<Index>,
    pub categories: Vec<Index>,
}

#[derive(Debug, Clone)]
pub enum ShareSpec {
    /// In half percents.
    Exact(u32),
    Range(u32, u32),
    Unknown,
}

/// (party, program, listed day, days until delisting, under one of the first programs)
pub type DesignationSpec = (Index, Index, Option<i64>, Option<i64>, bool);
/// (owner, owned, share, from day, days until the edge ends)
pub type OwnershipSpec = (Index, Index, ShareSpec, Option<i64>, Option<i64>);

#[derive(Debug, Clone)]
pub struct TxSpec {
    pub date: i64,
    pub tx_type: Index,
    pub goods: Vec<Index>,
    pub amount: Option<(u64, usize)>,
    pub personal_use: bool,
    pub slots: Vec<(Role, Index)>,
    pub knowing: Vec<Index>,
}

#[derive(Debug, Clone)]
pub struct WorldSpec {
    pub parties: Vec<PartySpec>,
    pub designations: Vec<DesignationSpec>,
    pub ownership: Vec<OwnershipSpec>,
    pub control: Vec<(Index, Index, Index, Option<i64>)>,
    pub joint: Vec<(Vec<Index>, Index)>,
    /// Missing exchange rates (by index into all ordered pairs), unless complete.
    pub missing_rates: Vec<Index>,
    pub txs: Vec<TxSpec>,
}

fn kind() -> impl Strategy<Value = PartyKind> {
    prop::sample::select(PartyKind::ALL.to_vec())
}

fn countries(n: usize) -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(prop::sample::select(COUNTRIES.to_vec()), 0..=n)
}

fn party_spec() -> impl Strategy<Value = PartySpec> {
    (
        kind(),
        countries(2),
        countries(1),
        countries(1),
        prop::option::weighted(0.5, prop::sample::select(COUNTRIES.to_vec())),
        prop::option::weighted(0.5, prop::sample::select(COUNTRIES.to_vec())),
        prop::option::weighted(0.15, any::<Index>()),
        prop::collection::vec(any::<Index>(), 0..=1),
    )
        .prop_map(
            |(
                kind,
                citizenship,
                permanent_residence,
                residence,
                incorporated_in,
                located_in,
                branch_of,
                categories,
            )| {
                PartySpec {
                    kind,
                    citizenship,
                    permanent_residence,
                    residence,
                    incorporated_in,
                    located_in,
                    branch_of,
                    categories,
                }
            },
        )
}

fn share() -> impl Strategy<Value = ShareSpec> {
    prop_oneof![
        4 => (1u32..=200).prop_map(ShareSpec::Exact),
        1 => (0u32..100).prop_flat_map(|lo| (Just(lo), lo + 1..=100)).prop_map(|(a, b)| ShareSpec::Range(a, b)),
        1 => Just(ShareSpec::Unknown),
    ]
}

fn tx_spec() -> impl Strategy<Value = TxSpec> {
    let single = [
        Role::Originator,
        Role::OriginatorBank,
        Role::BeneficiaryBank,
        Role::Beneficiary,
        Role::Signatory,
        Role::Agent,
        Role::Shipper,
        Role::Vessel,
        Role::Aircraft,
    ];
    let slots = single
        .into_iter()
        .map(|r| {
            let w = if matches!(
                r,
                Role::Originator | Role::Beneficiary | Role::OriginatorBank | Role::BeneficiaryBank
            ) {
                0.6
            } else {
                0.1
            };
            prop::option::weighted(w, any::<Index>()).prop_map(move |p| p.map(|p| (r, p)))
        })
        .collect::<Vec<_>>();
    (
        30i64..3600,
        any::<Index>(),
        prop::collection::vec(any::<Index>(), 0..=2),
        prop::option::weighted(0.8, (0u64..2_000_000, 0usize..CURRENCIES.len())),
        prop::bool::weighted(0.1),
        slots,
        prop::collection::vec(any::<Index>(), 0..=2),
        prop::collection::vec(any::<Index>(), 0..=1),
        prop::collection::vec(any::<Index>(), 0..=1),
    )
        .prop_map(
            |(date, tx_type, goods, amount, personal_use, singles, inter, others, knowing)| {
                let mut slots: Vec<(Role, Index)> = singles.into_iter().flatten().collect();
                slots.extend(inter.into_iter().map(|p| (Role::Intermediary, p)));
                slots.extend(others.into_iter().map(|p| (Role::Other, p)));
                TxSpec {
                    date,
                    tx_type,
                    goods,
                    amount,
                    personal_use,
                    slots,
                    knowing,
                }
            },
        )
}

pub fn world_spec() -> impl Strategy<Value = WorldSpec> {
    (
        prop::collection::vec(party_spec(), 1..=7),
        prop::collection::vec(
            (
                any::<Index>(),
                any::<Index>(),
                prop::option::weighted(0.7, 0i64..3650),
                prop::option::weighted(0.2, 1i64..2000),
                prop::bool::weighted(0.6),
            ),
            0..=8,
        ),
        prop::collection::vec(
            (
                any::<Index>(),
                any::<Index>(),
                share(),
                prop::option::weighted(0.2, 0i64..3650),
                prop::option::weighted(0.15, 1i64..2000),
            ),
            0..=8,
        ),
        prop::collection::vec(
            (
                any::<Index>(),
                any::<Index>(),
                any::<Index>(),
                prop::option::weighted(0.2, 0i64..3650),
            ),
            0..=3,
        ),
        prop::collection::vec(
            (prop::collection::vec(any::<Index>(), 2..=3), any::<Index>()),
            0..=1,
        ),
        prop::collection::vec(any::<Index>(), 0..=2),
        prop::collection::vec(tx_spec(), 1..=5),
    )
        .prop_map(
            |(parties, designations, ownership, control, joint, missing_rates, txs)| WorldSpec {
                parties,
                designations,
                ownership,
                control,
                joint,
                missing_rates,
                txs,
            },
        )
}

/// Build the world (on top of the packs' reference world) and its transactions. With
/// `complete_rates`, every exchange rate between the generated currencies is given.
pub fn build_world(
    spec: &WorldSpec,
    rs: &RuleSet,
    complete_rates: bool,
) -> (World, Vec<Transaction>) {
    // Every generated pack derives from the embedded packs, whose reference world this is.
    let mut w = World::clone(&super::pack().reference);
    let base = w.parties.len();
    let v = &rs.vocabulary;
    for (i, p) in spec.parties.iter().enumerate() {
        let id = format!("g{i}");
        let party = Party {
            id: id.clone(),
            name: id.clone(),
            kind: p.kind,
            citizenship: p.citizenship.iter().map(|c| country(c)).collect(),
            permanent_residence: p.permanent_residence.iter().map(|c| country(c)).collect(),
            residence: p.residence.iter().map(|c| country(c)).collect(),
            incorporated_in: p.incorporated_in.map(country),
            located_in: p.located_in.map(country),
            // Branches point to earlier parties only, so branch chains never cycle.
            branch_of: match (&p.branch_of, i) {
                (Some(ix), i) if i > 0 => {
                    Some(PartyIdx::try_from_usize(base + ix.index(i)).unwrap())
                }
                _ => None,
            },
            categories: if v.party_categories.is_empty() {
                Bits::EMPTY
            } else {
                p.categories
                    .iter()
                    .map(|c| c.index(v.party_categories.len()))
                    .collect()
            },
            aliases: Vec::new(),
            list_entry: None,
            fuzzy_candidates: Vec::new(),
            loc: loc(),
        };
        w.add_party(party).unwrap();
    }
    let n = w.parties.len();
    let np = rs.programs.len();
    if np > 0 {
        for (p, prog, listed, delisted_after, focus) in &spec.designations {
            let listed = listed.map(day);
            // Random packs use the first programs; most designations are under them.
            let among = if *focus { np.min(PACK_PROGRAMS) } else { np };
            let d = Designation {
                party: PartyIdx::try_from_usize(p.index(n)).unwrap(),
                program: ProgramIdx::try_from_usize(prog.index(among)).unwrap(),
                listed,
                delisted: delisted_after
                    .map(|d| listed.unwrap_or_else(|| day(0)) + chrono::Duration::days(d)),
                source: None,
                date_assumed: listed.is_none(),
                loc: loc(),
            };
            // The loader refuses two designations of a party under one program whose periods
            // overlap (a restatement included); the generator keeps the first.
            let overlaps = w.designations.iter().any(|e| {
                let starts_before_end =
                    |a: Option<Date>, end: Option<Date>| a.zip(end).is_none_or(|(a, z)| a < z);
                (e.party, e.program) == (d.party, d.program)
                    && starts_before_end(e.listed, d.delisted)
                    && starts_before_end(d.listed, e.delisted)
            });
            if !overlaps {
                w.designations.push(d);
            }
        }
    }
    let mut lower: HashMap<usize, Decimal> = HashMap::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (o, t, s, from, len) in &spec.ownership {
        let (owner, owned) = (o.index(n), t.index(n));
        if owner == owned
            || !w.parties[PartyIdx::try_from_usize(owned).unwrap()]
                .kind
                .is_entity()
            || pairs.contains(&(owner, owned))
        {
            continue;
        }
        let share = match s {
            ShareSpec::Exact(h) => Share::Exact(Decimal::new(i64::from(*h) * 5, 1)),
            ShareSpec::Range(a, b) => Share::Range(Decimal::from(*a), Decimal::from(*b)),
            ShareSpec::Unknown => Share::Unknown,
        };
        let lo = share.bounds().0;
        let sum = lower.entry(owned).or_insert(Decimal::ZERO);
        if *sum + lo > Decimal::ONE_HUNDRED {
            continue;
        }
        *sum += lo;
        pairs.push((owner, owned));
        let from = from.map(day);
        w.ownership.push(OwnershipEdge {
            owner: PartyIdx::try_from_usize(owner).unwrap(),
            owned: PartyIdx::try_from_usize(owned).unwrap(),
            share,
            from,
            until: len.map(|l| from.unwrap_or_else(|| day(0)) + chrono::Duration::days(l)),
            loc: loc(),
        });
    }
    let nb = v.control_bases.len();
    if nb > 0 {
        for (c, t, b, from) in &spec.control {
            let (controller, controlled) = (c.index(n), t.index(n));
            // The loader refuses a second control of the same basis while the first is in
            // force (these never end): keep the first.
            let again = w.control.iter().any(|e| {
                (e.controller.idx(), e.controlled.idx(), e.basis.idx())
                    == (controller, controlled, b.index(nb))
            });
            if controller == controlled || again {
                continue;
            }
            w.control.push(ControlEdge {
                controller: PartyIdx::try_from_usize(controller).unwrap(),
                controlled: PartyIdx::try_from_usize(controlled).unwrap(),
                basis: ControlBasisIdx::try_from_usize(b.index(nb)).unwrap(),
                from: from.map(day),
                until: None,
                loc: loc(),
            });
        }
    }
    for (members, entity) in &spec.joint {
        let mut m: Vec<PartyIdx> = members
            .iter()
            .map(|x| PartyIdx::try_from_usize(x.index(n)).unwrap())
            .collect();
        m.sort();
        m.dedup();
        let e = PartyIdx::try_from_usize(entity.index(n)).unwrap();
        // Only an entity can be held under an arrangement, and not by itself.
        m.retain(|x| *x != e);
        // One arrangement per entity and members (the loader refuses a second one in force).
        let again = w
            .joint_arrangements
            .iter()
            .any(|a| a.entity == e && a.members == m);
        if m.len() >= 2 && w.parties[e].kind.is_entity() && !again {
            w.joint_arrangements.push(JointArrangement {
                members: m,
                entity: e,
                from: None,
                until: None,
                loc: loc(),
            });
        }
    }
    let all_pairs: Vec<(usize, usize)> = (0..CURRENCIES.len())
        .flat_map(|a| {
            (0..CURRENCIES.len())
                .filter(move |&b| b != a)
                .map(move |b| (a, b))
        })
        .collect();
    let missing: Vec<usize> = if complete_rates {
        Vec::new()
    } else {
        spec.missing_rates
            .iter()
            .map(|i| i.index(all_pairs.len()))
            .collect()
    };
    for (k, &(a, b)) in all_pairs.iter().enumerate() {
        if missing.contains(&k) {
            continue;
        }
        // Rates that are not exact inverses of each other, as real quotes are.
        let rate = Decimal::new(i64::try_from(a * 7 + b * 3 + 5).unwrap_or(1) * 37, 2);
        w.exchange_rates.push(ExchangeRate {
            from: currency(CURRENCIES[a]),
            to: currency(CURRENCIES[b]),
            rate,
            loc: loc(),
        });
    }
    let mut txs = Vec::new();
    for (k, t) in spec.txs.iter().enumerate() {
        // Each role goes to the first party from the drawn one on whose kind fits it (the
        // loaders refuse an organization as the vessel); a role no party fits is left out.
        let fitting = |r: Role, from: usize| {
            (0..n)
                .map(|k| (from + k) % n)
                .find(|&i| r.admits(w.parties[PartyIdx::try_from_usize(i).unwrap()].kind))
                .map(|i| (r, PartyIdx::try_from_usize(i).unwrap()))
        };
        let mut parties: Vec<(Role, PartyIdx)> = t
            .slots
            .iter()
            .filter_map(|(r, p)| fitting(*r, p.index(n)))
            .collect();
        if parties.is_empty() {
            parties
                .extend(fitting(Role::Originator, n - 1).or_else(|| fitting(Role::Other, n - 1)));
        }
        parties.sort_by_key(|(r, _)| *r);
        txs.push(Transaction {
            id: format!("t{k}"),
            date: day(t.date),
            tx_type: if v.transaction_types.is_empty() {
                TxTypeIdx(0)
            } else {
                TxTypeIdx::try_from_usize(t.tx_type.index(v.transaction_types.len())).unwrap()
            },
            goods: if v.goods.is_empty() {
                Bits::EMPTY
            } else {
                t.goods.iter().map(|g| g.index(v.goods.len())).collect()
            },
            amount: t.amount.map(|(cents, c)| {
                Money::new(
                    Decimal::new(i64::try_from(cents).unwrap_or(0), 2),
                    currency(CURRENCIES[c]),
                )
            }),
            personal_use: t.personal_use,
            parties,
            licenses: Vec::new(),
            knowing: t
                .knowing
                .iter()
                .map(|p| PartyIdx::try_from_usize(p.index(n)).unwrap())
                .collect(),
            description: None,
            license_claim: None,
            loc: loc(),
        });
    }
    (w, txs)
}

// ---- Rule packs ----

#[derive(Debug, Clone)]
pub struct PredSpec {
    pub kinds: Option<Vec<PartyKind>>,
    pub citizenship: Option<Vec<&'static str>>,
    pub located_in: Option<Vec<&'static str>>,
    pub incorporated_in: Option<Vec<&'static str>>,
    pub categories: Option<Vec<Index>>,
    pub tests: Option<Vec<Index>>,
    pub not_tests: Option<Vec<Index>>,
    pub is_branch: Option<bool>,
    pub designated: Option<Vec<Index>>,
    pub blocked: Option<bool>,
    pub blocked_under: Option<Vec<Index>>,
    pub undetermined: Option<bool>,
    pub minority: Option<bool>,
    pub controlled: Option<bool>,
    pub knowing: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct ClauseSpec {
    pub roles: Vec<Role>,
    pub pred: PredSpec,
}

#[derive(Debug, Clone)]
pub struct CondSpec {
    pub types: Option<Vec<Index>>,
    pub goods_any: Option<Vec<Index>>,
    pub goods_only: Option<Vec<Index>>,
    pub currencies: Option<Vec<usize>>,
    pub at_least: Option<(u64, usize)>,
    pub below: Option<(u64, usize)>,
    pub date_from: Option<i64>,
    pub date_before: Option<i64>,
    pub personal_use: Option<bool>,
    pub cross_border: Option<bool>,
    pub transfers_value: Option<bool>,
    pub parties: Vec<ClauseSpec>,
    pub no_party: Vec<ClauseSpec>,
}

#[derive(Debug, Clone)]
pub struct RuleSpec {
    /// 0..6 prohibition, 6..8 exemption, 8 license, 9 override.
    pub kind: u8,
    pub program: Option<Index>,
    pub when: CondSpec,
    pub unless: Option<CondSpec>,
    pub actor: Option<ClauseSpec>,
    pub disposition: Option<Disposition>,
    pub obligations: Vec<Index>,
    pub exposures: Vec<Index>,
    pub sel_programs: Option<Vec<Index>>,
    pub sel_dispositions: Option<Vec<Disposition>>,
    pub sel_basis: Option<Index>,
    pub sel_rules: Option<Vec<Index>>,
    pub overrides: Vec<Index>,
    pub window: Option<(i64, i64)>,
}

#[derive(Debug, Clone)]
pub struct DoctrineSpec {
    pub threshold: Option<u32>,
    pub more_than: bool,
    pub joint_only: bool,
    pub control_blocks: bool,
    pub bases: Vec<Index>,
}

#[derive(Debug, Clone)]
pub struct PackSpec {
    pub doctrine: DoctrineSpec,
    pub rules: Vec<RuleSpec>,
}

/// Which status conditions rules may read. `Monotone`: prohibitions and overrides read status
/// only positively (designated, blocked, blocked under); exemptions, licenses, `unless` and
/// `no_party` read no status. In that fragment more designations can only make more
/// prohibitions and overrides fire, and no exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fragment {
    Any,
    Monotone,
}

fn opt<T: std::fmt::Debug + Clone + 'static>(
    p: f64,
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    if p <= 0.0 {
        Just(None).boxed()
    } else if p >= 1.0 {
        s.prop_map(Some).boxed()
    } else {
        prop::option::weighted(p, s).boxed()
    }
}

fn idx_set(max: usize) -> impl Strategy<Value = Vec<Index>> {
    prop::collection::vec(any::<Index>(), 1..=max)
}

fn pred_spec(status: bool, positive_only: bool) -> BoxedStrategy<PredSpec> {
    let b = if status { 0.3 } else { 0.0 };
    let flags = if status && !positive_only { 0.08 } else { 0.0 };
    let blocked: BoxedStrategy<Option<bool>> = if positive_only {
        opt(b / 2.0, Just(true))
    } else {
        opt(b / 2.0, any::<bool>())
    };
    (
        (
            opt(0.1, prop::collection::vec(kind(), 1..=3)),
            opt(
                0.1,
                prop::collection::vec(prop::sample::select(COUNTRIES.to_vec()), 1..=2),
            ),
            opt(
                0.1,
                prop::collection::vec(prop::sample::select(COUNTRIES.to_vec()), 1..=2),
            ),
            opt(
                0.08,
                prop::collection::vec(prop::sample::select(COUNTRIES.to_vec()), 1..=2),
            ),
            opt(0.05, idx_set(2)),
            opt(0.12, idx_set(2)),
            opt(0.05, idx_set(1)),
            opt(0.03, any::<bool>()),
        ),
        (
            opt(b, idx_set(2)),
            blocked,
            opt(b, idx_set(2)),
            opt(flags, any::<bool>()),
            opt(flags, any::<bool>()),
            opt(flags, any::<bool>()),
            opt(0.05, any::<bool>()),
        ),
    )
        .prop_map(
            |(
                (
                    kinds,
                    citizenship,
                    located_in,
                    incorporated_in,
                    categories,
                    tests,
                    not_tests,
                    is_branch,
                ),
                (designated, blocked, blocked_under, undetermined, minority, controlled, knowing),
            )| PredSpec {
                kinds,
                citizenship,
                located_in,
                incorporated_in,
                categories,
                tests,
                not_tests,
                is_branch,
                designated,
                blocked,
                blocked_under,
                undetermined,
                minority,
                controlled,
                knowing,
            },
        )
        .boxed()
}

fn clause_spec(status: bool, positive_only: bool) -> BoxedStrategy<ClauseSpec> {
    (
        prop_oneof![
            Just(Vec::new()),
            prop::collection::vec(prop::sample::select(Role::ALL.to_vec()), 1..=3)
        ],
        pred_spec(status, positive_only),
    )
        .prop_map(|(roles, pred)| ClauseSpec { roles, pred })
        .boxed()
}

fn cond_spec(status: bool, positive_only: bool, no_party_status: bool) -> BoxedStrategy<CondSpec> {
    (
        (
            opt(0.15, idx_set(4)),
            opt(0.08, idx_set(3)),
            opt(0.05, idx_set(3)),
            opt(0.06, prop::collection::vec(0usize..CURRENCIES.len(), 1..=2)),
            opt(0.08, (0u64..150_000, 0usize..CURRENCIES.len())),
            opt(0.05, (0u64..150_000, 0usize..CURRENCIES.len())),
        ),
        (
            opt(0.06, 0i64..3650),
            opt(0.06, 0i64..3650),
            opt(0.03, any::<bool>()),
            opt(0.05, any::<bool>()),
            opt(0.05, any::<bool>()),
            prop::collection::vec(clause_spec(status, positive_only), 0..=2),
            prop::collection::vec(clause_spec(no_party_status, false), 0..=1),
        ),
    )
        .prop_map(
            |(
                (types, goods_any, goods_only, currencies, at_least, below),
                (
                    date_from,
                    date_before,
                    personal_use,
                    cross_border,
                    transfers_value,
                    parties,
                    no_party,
                ),
            )| CondSpec {
                types,
                goods_any,
                goods_only,
                currencies,
                at_least,
                below,
                date_from,
                date_before,
                personal_use,
                cross_border,
                transfers_value,
                parties,
                no_party: if no_party.is_empty() {
                    no_party
                } else {
                    no_party.into_iter().take(1).collect()
                },
            },
        )
        .boxed()
}

fn disposition() -> impl Strategy<Value = Disposition> {
    prop::sample::select(vec![
        Disposition::Block,
        Disposition::Reject,
        Disposition::Prohibited,
        Disposition::Review,
    ])
}

fn rule_spec(fragment: Fragment) -> BoxedStrategy<RuleSpec> {
    let mono = fragment == Fragment::Monotone;
    (0u8..10)
        .prop_flat_map(move |kind| {
            let prohibition = kind < 6;
            let is_override = kind == 9;
            // What each kind may read (see `Fragment`).
            let when_status = !mono || prohibition || is_override;
            let no_party_status = !mono;
            (
                (
                    Just(kind),
                    opt(if is_override { 1.0 } else { 0.7 }, any::<Index>()),
                    cond_spec(when_status, mono, no_party_status),
                    opt(0.15, cond_spec(!mono, false, !mono)),
                    opt(0.6, clause_spec(!mono || prohibition, mono)),
                    opt(0.85, disposition()),
                    prop::collection::vec(any::<Index>(), 0..=2),
                ),
                (
                    prop::collection::vec(any::<Index>(), 0..=1),
                    opt(0.6, idx_set(2)),
                    opt(0.2, prop::collection::vec(disposition(), 1..=2)),
                    opt(0.2, any::<Index>()),
                    opt(0.15, idx_set(1)),
                    prop::collection::vec(any::<Index>(), 1..=2),
                    opt(0.1, (0i64..3000, 1i64..2000)),
                ),
            )
        })
        .prop_map(
            |(
                (kind, program, when, unless, actor, disposition, obligations),
                (
                    exposures,
                    sel_programs,
                    sel_dispositions,
                    sel_basis,
                    sel_rules,
                    overrides,
                    window,
                ),
            )| RuleSpec {
                kind,
                program,
                when,
                unless,
                actor,
                disposition,
                obligations,
                exposures,
                sel_programs,
                sel_dispositions,
                sel_basis,
                sel_rules,
                overrides,
                window,
            },
        )
        .boxed()
}

pub fn pack_spec(fragment: Fragment) -> impl Strategy<Value = PackSpec> {
    (
        (
            opt(0.85, prop::sample::select(vec![25u32, 50, 51, 75, 100])),
            any::<bool>(),
            prop::bool::weighted(0.3),
            prop::bool::weighted(0.3),
            prop::collection::vec(any::<Index>(), 0..=2),
        ),
        prop::collection::vec(rule_spec(fragment), 1..=7),
    )
        .prop_map(
            |((threshold, more_than, joint_only, control_blocks, bases), rules)| PackSpec {
                doctrine: DoctrineSpec {
                    threshold,
                    more_than,
                    joint_only,
                    control_blocks,
                    bases,
                },
                rules,
            },
        )
}

fn money(amount: u64, c: usize) -> Money {
    Money::new(Decimal::from(amount), currency(CURRENCIES[c]))
}

/// Random packs draw on the first few programs only, so their rules meet each other.
pub const PACK_PROGRAMS: usize = 3;

fn build_pred(p: &PredSpec, rs: &RuleSet) -> PartyPredicate {
    // Programs of the pack's jurisdiction (the first): a rule's program decides its
    // jurisdiction, so a rule of jurisdiction 0 must take one of these.
    let progs: Vec<usize> = rs
        .programs
        .iter()
        .enumerate()
        .filter(|(_, p)| p.jurisdiction == JurisdictionIdx(0))
        .map(|(i, _)| i)
        .take(PACK_PROGRAMS)
        .collect();
    let np = progs.len().max(1);
    let prog = |i: usize| progs.get(i).copied().unwrap_or(0);
    let nt = rs.person_tests.len();
    let nc = rs.vocabulary.party_categories.len();
    let programs = |v: &Vec<Index>| -> Bits { v.iter().map(|i| prog(i.index(np))).collect() };
    let tests = |v: &Vec<Index>| -> Option<Bits> {
        (nt > 0).then(|| v.iter().map(|i| i.index(nt)).collect())
    };
    PartyPredicate {
        kinds: p
            .kinds
            .as_ref()
            .map(|k| k.iter().map(|x| x.bit()).collect()),
        categories: p
            .categories
            .as_ref()
            .filter(|_| nc > 0)
            .map(|c| c.iter().map(|i| i.index(nc)).collect()),
        citizenship: p
            .citizenship
            .as_ref()
            .map(|c| c.iter().map(|x| country(x)).collect()),
        permanent_residence: None,
        residence: None,
        incorporated_in: p
            .incorporated_in
            .as_ref()
            .map(|c| c.iter().map(|x| country(x)).collect()),
        located_in: p
            .located_in
            .as_ref()
            .map(|c| c.iter().map(|x| country(x)).collect()),
        branch_of: None,
        is_branch: p.is_branch,
        tests: p.tests.as_ref().and_then(tests),
        not_tests: p.not_tests.as_ref().and_then(tests),
        designated: p.designated.as_ref().map(programs),
        blocked: p.blocked,
        blocked_under: p.blocked_under.as_ref().map(programs),
        ownership_undetermined: p.undetermined,
        blocked_minority_owner: p.minority,
        controlled_by_blocked: p.controlled,
        knowing: p.knowing,
        fuzzy_list_match: None,
    }
}

fn build_clause(c: &ClauseSpec, rs: &RuleSet) -> PartyClause {
    PartyClause {
        roles: c.roles.iter().map(|r| r.bit()).collect(),
        pred: build_pred(&c.pred, rs),
        loc: loc(),
    }
}

fn build_cond(c: &CondSpec, rs: &RuleSet) -> Conditions {
    let v = &rs.vocabulary;
    let terms =
        |set: &Vec<Index>, n: usize| -> Bits { set.iter().map(|i| i.index(n.max(1))).collect() };
    Conditions {
        transaction_types: c
            .types
            .as_ref()
            .map(|t| terms(t, v.transaction_types.len())),
        goods_any: c.goods_any.as_ref().map(|t| terms(t, v.goods.len())),
        goods_only: c.goods_only.as_ref().map(|t| terms(t, v.goods.len())),
        currencies: c
            .currencies
            .as_ref()
            .map(|cs| cs.iter().map(|&i| currency(CURRENCIES[i])).collect()),
        amount_at_least: c.at_least.map(|(a, k)| money(a, k)),
        amount_below: c.below.map(|(a, k)| money(a, k)),
        date_from: c.date_from.map(day),
        date_before: c.date_before.map(day),
        personal_use: c.personal_use,
        cross_border: c.cross_border,
        transfers_value: c.transfers_value,
        any: Vec::new(),
        parties: c.parties.iter().map(|x| build_clause(x, rs)).collect(),
        no_party: c.no_party.iter().map(|x| build_clause(x, rs)).collect(),
    }
}

/// The embedded packs with their rules replaced by `spec`'s and a random doctrine.
pub fn build_pack(spec: &PackSpec, base: &RuleSet) -> RuleSet {
    let mut rs = base.clone();
    rs.invariants.clear();
    let j = JurisdictionIdx(0);
    if let Some(jur) = rs.jurisdictions.get_mut(j) {
        let d = &spec.doctrine;
        // The random doctrine applies on every date (the pack's periods would shadow it).
        jur.doctrine_periods.clear();
        jur.doctrine.threshold = d.threshold.map(Decimal::from);
        jur.doctrine.comparison = if d.more_than {
            Comparison::MoreThan
        } else {
            Comparison::AtLeast
        };
        jur.doctrine.aggregation = if d.joint_only {
            Aggregation::JointArrangementOnly
        } else {
            Aggregation::All
        };
        jur.doctrine.control = if d.control_blocks {
            ControlEffect::Blocks
        } else {
            ControlEffect::Flag
        };
        let nb = rs.vocabulary.control_bases.len().max(1);
        jur.doctrine.control_bases = d.bases.iter().map(|b| b.index(nb)).collect();
    }
    let kinds: Vec<RuleKind> = spec
        .rules
        .iter()
        .map(|r| match r.kind {
            0..=5 => RuleKind::Prohibition,
            6 | 7 => RuleKind::Exemption,
            8 => RuleKind::License,
            _ => RuleKind::Override,
        })
        .collect();
    let idx_of = |k: &dyn Fn(RuleKind) -> bool| -> Vec<RuleIdx> {
        kinds
            .iter()
            .enumerate()
            .filter(|(_, x)| k(**x))
            .map(|(i, _)| RuleIdx::try_from_usize(i).unwrap())
            .collect()
    };
    let prohibitions = idx_of(&|k| k == RuleKind::Prohibition);
    let exceptions = idx_of(&|k| k.is_exception());
    // Programs of the pack's jurisdiction (the first): a rule's program decides its
    // jurisdiction, so a rule of jurisdiction 0 must take one of these.
    let progs: Vec<usize> = rs
        .programs
        .iter()
        .enumerate()
        .filter(|(_, p)| p.jurisdiction == j)
        .map(|(i, _)| i)
        .take(PACK_PROGRAMS)
        .collect();
    let np = progs.len().max(1);
    let prog = |i: usize| progs.get(i).copied().unwrap_or(0);
    let bases: Vec<String> = rs.programs.iter().filter_map(|p| p.basis.clone()).collect();
    let no = rs.obligations.len();
    let npen = rs.penalties.len();
    let mut rules = Vec::new();
    for (i, (r, &kind)) in spec.rules.iter().zip(&kinds).enumerate() {
        let program = r
            .program
            .as_ref()
            .map(|p| ProgramIdx::try_from_usize(prog(p.index(np))).unwrap());
        let mut kind = kind;
        let overrides: Vec<RuleIdx> = if kind == RuleKind::Override {
            r.overrides
                .iter()
                .filter(|_| !exceptions.is_empty())
                .map(|x| exceptions[x.index(exceptions.len())])
                .collect()
        } else {
            Vec::new()
        };
        if kind == RuleKind::Override && overrides.is_empty() {
            kind = RuleKind::Prohibition;
        }
        let actor = r.actor.as_ref().map(|a| build_clause(a, &rs));
        let with_actor = kind == RuleKind::Prohibition && actor.is_some();
        // A prohibition needs an effect: a disposition, or consequences for its actor.
        let consequences = with_actor && (!r.obligations.is_empty() || !r.exposures.is_empty());
        let disposition = match kind {
            RuleKind::Prohibition if r.disposition.is_none() && !consequences => {
                Some(Disposition::Review)
            }
            RuleKind::Prohibition => r.disposition,
            _ => None,
        };
        let defeats = match kind {
            RuleKind::Exemption | RuleKind::License | RuleKind::Override => {
                let mut s = Selector {
                    rules: r
                        .sel_rules
                        .as_ref()
                        .filter(|_| !prohibitions.is_empty())
                        .map(|v| {
                            v.iter()
                                .map(|x| prohibitions[x.index(prohibitions.len())])
                                .collect()
                        }),
                    programs: r
                        .sel_programs
                        .as_ref()
                        .map(|v| v.iter().map(|x| prog(x.index(np))).collect()),
                    basis: r
                        .sel_basis
                        .as_ref()
                        .filter(|_| !bases.is_empty())
                        .map(|b| vec![bases[b.index(bases.len())].clone()]),
                    dispositions: r.sel_dispositions.clone(),
                };
                if s == Selector::default() {
                    s.programs = Some(match program {
                        Some(p) => Bits::single(p.idx()),
                        None => Bits::single(prog(0)),
                    });
                }
                s
            }
            RuleKind::Prohibition => Selector::default(),
        };
        rules.push(Rule {
            id: format!("gen.r{i}"),
            title: format!("generated rule {i}"),
            kind,
            jurisdiction: j,
            program: if kind == RuleKind::Override {
                program.or(Some(ProgramIdx::try_from_usize(prog(0)).unwrap()))
            } else {
                program
            },
            when: build_cond(&r.when, &rs),
            unless: r
                .unless
                .as_ref()
                .map(|u| build_cond(u, &rs))
                .filter(|u| !u.is_empty()),
            actor: if kind == RuleKind::Prohibition {
                actor
            } else {
                None
            },
            disposition,
            defeats,
            overrides,
            obligations: if with_actor && no > 0 {
                r.obligations
                    .iter()
                    .map(|o| ObligationIdx::try_from_usize(o.index(no)).unwrap())
                    .collect()
            } else {
                Vec::new()
            },
            exposures: if with_actor && npen > 0 {
                r.exposures
                    .iter()
                    .map(|o| PenaltyIdx::try_from_usize(o.index(npen)).unwrap())
                    .collect()
            } else {
                Vec::new()
            },
            citation: Citation {
                text: format!("Generated Act, section {i}"),
                url: None,
            },
            note: None,
            valid_from: r.window.map(|(f, _)| day(f)),
            valid_until: r.window.map(|(f, l)| day(f + l)),
            requires_claim: false,
            advisory: false,
            loc: loc(),
        });
    }
    rs.rules = IndexVec::try_from_vec(rules).unwrap();
    rs.index.rules = rs
        .rules
        .iter_enumerated()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();
    interdict::rules::lower::index_rules(&mut rs);
    rs
}

/// An extra exemption or license, to add to a rule set.
pub fn exception_spec() -> impl Strategy<Value = (bool, RuleSpec)> {
    (any::<bool>(), rule_spec(Fragment::Any))
}

pub fn add_exception(rs: &RuleSet, license: bool, r: &RuleSpec) -> RuleSet {
    let mut spec = r.clone();
    spec.kind = if license { 8 } else { 6 };
    let one = PackSpec {
        doctrine: DoctrineSpec {
            threshold: None,
            more_than: false,
            joint_only: false,
            control_blocks: false,
            bases: Vec::new(),
        },
        rules: vec![spec],
    };
    // Build the rule against `rs` (selectors may name its prohibitions), then append it.
    let built = build_pack(&one, rs);
    let mut rule = built.rules[RuleIdx(0)].clone();
    let prohibitions: Vec<RuleIdx> = rs
        .rules
        .iter_enumerated()
        .filter(|(_, x)| x.kind == RuleKind::Prohibition)
        .map(|(i, _)| i)
        .collect();
    rule.defeats.rules = r
        .sel_rules
        .as_ref()
        .filter(|_| !prohibitions.is_empty())
        .map(|v| {
            v.iter()
                .map(|x| prohibitions[x.index(prohibitions.len())])
                .collect()
        });
    if rule.defeats == Selector::default() {
        rule.defeats.programs = Some(Bits::single(0));
    }
    rule.id = format!("gen.extra.{}", rs.rules.len());
    let mut out = rs.clone();
    let id = rule.id.clone();
    let r = out.rules.push(rule).unwrap();
    out.index.rules.insert(id, r);
    interdict::rules::lower::index_rules(&mut out);
    out
}

/// A person test index (for callers that need one).
pub fn test_idx(i: usize) -> PersonTestIdx {
    PersonTestIdx::try_from_usize(i).unwrap()
}
