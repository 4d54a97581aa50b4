//! Property: for random worlds and a random added designation, the transactions `diff`
//! reports as changed are exactly those whose decisions differ when both worlds are built and
//! evaluated in full, independently of the overlay and diff code.
//!
//! World B is built here by appending a `[[designation]]` to the scenario text and loading it
//! again; world B of the diff is built by the overlay machinery from a `--designate` value.
//! The independent comparison evaluates every transaction under both loaded scenarios and
//! compares the decisions as plain values.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use interdict::eval::{Engine, EvalOptions};
use interdict::model::pack::Pack;
use interdict::render::diagnostic::DiagnosticText as _;
use interdict::scenario::Scenario;
use interdict::source::SourceFile;
use interdict::whatif::overlay::Flag;
use interdict::whatif::{PairDiffer, Side, apply_all, compare, compare_with, parse_flag};
use proptest::prelude::*;

use crate::common::cases;

fn rules() -> Pack {
    crate::common::pack()
}

const PROGRAMS: &[&str] = &[
    "us.sdgt",
    "us.fto",
    "us.kingpin",
    "us.glomag",
    "us.illicit-drugs",
    "us.tco",
];
const DATES: &[&str] = &[
    "2024-06-03",
    "2025-01-15",
    "2025-02-20",
    "2025-03-12",
    "2025-07-01",
];
const SHARES: &[&str] = &["25", "50", "\"30-60\"", "\"unknown\"", "10"];
/// Parties of the packs' reference world that scenarios may use.
const REFERENCE: &[&str] = &["cjng", "carteles-unidos", "ms-13"];

#[derive(Debug, Clone)]
struct Party {
    kind: usize,
    country: usize,
}

#[derive(Debug, Clone)]
struct Tx {
    date: usize,
    kind: usize,
    usd: bool,
    amount: u32,
    /// Indices into all parties (scenario parties, then reference parties).
    originator: usize,
    bank: Option<usize>,
    correspondent: Option<usize>,
    beneficiary: usize,
    goods: usize,
}

/// (owned entity, owners with share indices, from date): at most two owners per entity.
type Holding = (usize, Vec<(usize, usize)>, Option<usize>);

#[derive(Debug, Clone)]
struct World {
    parties: Vec<Party>,
    /// (party, program, listed date or none, delisted after listing)
    designations: Vec<(usize, usize, Option<usize>, bool)>,
    holdings: Vec<Holding>,
    txs: Vec<Tx>,
}

fn world() -> impl Strategy<Value = World> {
    (3usize..7).prop_flat_map(|n| {
        let all = n + REFERENCE.len();
        let party = (0usize..3, 0usize..3).prop_map(|(kind, country)| Party { kind, country });
        let designation = (
            0..all,
            0..PROGRAMS.len(),
            prop::option::of(0..DATES.len()),
            any::<bool>(),
        );
        let holding = (
            0..n,
            prop::collection::vec((0..all, 0..SHARES.len()), 1..3),
            prop::option::of(0..DATES.len()),
        );
        let tx = (
            (
                0..DATES.len(),
                0usize..4,
                prop::bool::weighted(0.75),
                1u32..500_000,
            ),
            (
                0..all,
                prop::option::of(0..all),
                prop::option::of(0..all),
                0..all,
                0usize..3,
            ),
        )
            .prop_map(
                |(
                    (date, kind, usd, amount),
                    (originator, bank, correspondent, beneficiary, goods),
                )| Tx {
                    date,
                    kind,
                    usd,
                    amount,
                    originator,
                    bank,
                    correspondent,
                    beneficiary,
                    goods,
                },
            );
        (
            prop::collection::vec(party, n),
            prop::collection::vec(designation, 0..5),
            prop::collection::vec(holding, 0..4),
            prop::collection::vec(tx, 1..7),
        )
            .prop_map(|(parties, designations, holdings, txs)| World {
                parties,
                designations,
                holdings,
                txs,
            })
    })
}

fn pid(w: &World, i: usize) -> String {
    if i < w.parties.len() {
        format!("p{i}")
    } else {
        REFERENCE[(i - w.parties.len()) % REFERENCE.len()].to_string()
    }
}

/// The scenario text of a random world. Holdings are kept valid: one record per owner and
/// entity, no self-ownership, at most two owners with lower bounds summing to at most 100.
fn scenario_text(w: &World) -> String {
    let mut s = String::from("[scenario]\nname = \"random\"\n");
    let kinds = ["organization", "financial_institution", "organization"];
    let countries = ["US", "MX", "GB"];
    for (i, p) in w.parties.iter().enumerate() {
        let _ = write!(
            s,
            "\n[[party]]\nid = \"p{i}\"\nkind = \"{}\"\nincorporated_in = \"{}\"\n",
            kinds[p.kind], countries[p.country]
        );
        if p.kind == 2 {
            s.push_str("category = [\"ngo\"]\n");
        }
    }
    // One designation per party and program: two would overlap, which the loader refuses.
    let mut designated = BTreeSet::new();
    for &(party, program, listed, delisted) in &w.designations {
        if !designated.insert((pid(w, party), program)) {
            continue;
        }
        let _ = write!(
            s,
            "\n[[designation]]\nparty = \"{}\"\nprogram = \"{}\"\n",
            pid(w, party),
            PROGRAMS[program]
        );
        if let Some(l) = listed {
            let _ = writeln!(s, "listed = {}", DATES[l]);
            if delisted && l + 1 < DATES.len() {
                let _ = writeln!(s, "delisted = {}", DATES[l + 1]);
            }
        }
    }
    let mut done = BTreeSet::new();
    for (owned, owners, from) in &w.holdings {
        if !done.insert(*owned) {
            continue;
        }
        let mut seen = BTreeSet::new();
        for &(owner, share) in owners {
            if owner == *owned || !seen.insert(owner) {
                continue;
            }
            let _ = write!(
                s,
                "\n[[ownership]]\nowner = \"{}\"\nowned = \"p{owned}\"\nshare = {}\n",
                pid(w, owner),
                SHARES[share]
            );
            if let Some(f) = from {
                let _ = writeln!(s, "from = {}", DATES[*f]);
            }
        }
    }
    let types = ["wire", "payment", "donation", "goods"];
    let goods = ["medicine", "food", "vehicles"];
    for (i, t) in w.txs.iter().enumerate() {
        let _ = write!(
            s,
            "\n[[transaction]]\nid = \"t{i}\"\ndate = {}\ntype = \"{}\"\namount = \"{}\"\ncurrency = \"{}\"\noriginator = \"{}\"\nbeneficiary = \"{}\"\n",
            DATES[t.date],
            types[t.kind],
            t.amount,
            if t.usd { "USD" } else { "MXN" },
            pid(w, t.originator),
            pid(w, t.beneficiary)
        );
        // Only a financial institution can be a bank of the payment (the loader refuses
        // another kind): a drawn bank of another kind is left out.
        let is_bank = |i: usize| w.parties.get(i).is_some_and(|p| p.kind == 1);
        if let Some(b) = t.bank.filter(|&b| is_bank(b)) {
            let _ = writeln!(s, "originator_bank = \"{}\"", pid(w, b));
        }
        if let Some(c) = t.correspondent.filter(|&c| is_bank(c)) {
            let _ = writeln!(s, "intermediaries = [\"{}\"]", pid(w, c));
        }
        if t.kind >= 2 {
            let _ = writeln!(s, "goods = [\"{}\"]", goods[t.goods]);
        }
    }
    s
}

fn load(text: &str) -> Scenario {
    match interdict::scenario::load(
        SourceFile::new("random.toml", text),
        Path::new("random.toml"),
        &rules(),
    ) {
        Ok(s) => s,
        Err(d) => panic!(
            "generated scenario does not load:\n{}\n{text}",
            d.iter().map(|x| x.render()).collect::<Vec<_>>().join("\n")
        ),
    }
}

/// The reference: evaluate every transaction under both worlds and compare the decisions.
fn changed_in_full(a: &Scenario, b: &Scenario) -> BTreeSet<String> {
    let ea = Engine::new(a.rules.clone(), a.world.clone());
    let eb = Engine::new(b.rules.clone(), b.world.clone());
    let opts = EvalOptions::default();
    a.transactions
        .iter()
        .zip(&b.transactions)
        .filter(|(ta, tb)| {
            assert_eq!(ta.id, tb.id);
            ea.evaluate(ta, &opts) != eb.evaluate(tb, &opts)
        })
        .map(|(t, _)| t.id.clone())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

    #[test]
    fn diff_reports_exactly_the_transactions_whose_decisions_change(
        w in world(),
        party in 0usize..10,
        pick in 0usize..3,
        program in 0..PROGRAMS.len(),
        // Mostly early enough to matter; sometimes after every transaction.
        date in prop::option::of(prop_oneof![3 => 0usize..3, 1 => 0..DATES.len()]),
    ) {
        // Designate a random party, a beneficiary, or an owner (to reach companies it owns).
        let all = w.parties.len() + REFERENCE.len();
        let chosen = match pick {
            1 => w.txs.get(party % w.txs.len()).map(|t| t.beneficiary),
            2 => w.holdings.get(party % w.holdings.len().max(1)).and_then(|h| h.1.first().map(|o| o.0)),
            _ => None,
        };
        let party = pid(&w, chosen.unwrap_or(party) % all);
        // A second designation under the same program would overlap the first (refused).
        prop_assume!(!w.designations.iter().any(|d| pid(&w, d.0) == party && d.1 == program));
        let program = PROGRAMS[program];
        let text_a = scenario_text(&w);
        let mut text_b = text_a.clone();
        let _ = write!(text_b, "\n[[designation]]\nparty = \"{party}\"\nprogram = \"{program}\"\n");
        if let Some(d) = date {
            let _ = writeln!(text_b, "listed = {}", DATES[d]);
        }
        let expected = changed_in_full(&load(&text_a), &load(&text_b));

        // The same change through an overlay and the diff core.
        let s = load(&text_a);
        let value = match date {
            Some(d) => format!("{party}={program}@{}", DATES[d]),
            None => format!("{party}={program}"),
        };
        let overlay = parse_flag(Flag::Designate, &value).expect("the overlay parses");
        let mut world_b = interdict::model::world::World::clone(&s.world);
        apply_all(&[overlay], &s.rules, &mut world_b).expect("the overlay applies");
        let ea = Engine::new(s.rules.clone(), s.world.clone());
        let opts = EvalOptions::default();
        let side = |engine| Side { engine, transactions: &s.transactions, options: opts.clone() };
        // Same rule set: decisions compare as plain values.
        let eb = Engine::new(s.rules.clone(), Arc::new(world_b.clone()));
        let fast = compare(&side(&ea), &side(&eb), None);
        // A copy of the rule set: decisions compare by name.
        let copy = Arc::new((*s.rules).clone());
        let eb_named = Engine::new(copy, Arc::new(world_b));
        let named = compare(&side(&ea), &side(&eb_named), None);

        for c in [&fast, &named] {
            let got: BTreeSet<String> = c.changed.iter().map(|t| t.transaction.clone()).collect();
            prop_assert_eq!(&got, &expected, "designating {} in\n{}", value, text_a);
            prop_assert_eq!(c.compared, s.transactions.len());
            prop_assert_eq!(c.changed.len() + c.unchanged.len(), c.compared);
            // A transaction changes only through a party whose status changed.
            for t in &c.changed {
                prop_assert!(
                    t.jurisdictions.iter().any(|j| !j.parties.is_empty()),
                    "{} changed with no party status change", t.transaction
                );
            }
        }
        prop_assert_eq!(&fast.parties, &named.parties);
    }
}

/// Overlay values for the flags: fragments of the syntax mixed with noise.
fn flag_value() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("cjng".to_string()),
        Just("p0".to_string()),
        Just("transportes-del-pacifico".to_string()),
        Just("us.fto".to_string()),
        Just("us.sdgt".to_string()),
        Just("=".to_string()),
        Just(">".to_string()),
        Just("@".to_string()),
        Just("..".to_string()),
        Just(",".to_string()),
        Just("2025-02-20".to_string()),
        Just("2025-02-30".to_string()),
        Just("50".to_string()),
        Just("30-60".to_string()),
        Just("é".to_string()),
        "\\PC{0,6}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

    #[test]
    fn any_overlay_value_is_applied_or_refused_with_a_located_error(
        flag in 0usize..4,
        value in flag_value(),
    ) {
        let flag = [Flag::Designate, Flag::Delist, Flag::Own, Flag::Disown][flag];
        let s = load(
            "[scenario]\nname = \"x\"\n[[party]]\nid = \"p0\"\nkind = \"organization\"\n\
             [[ownership]]\nowner = \"cjng\"\nowned = \"p0\"\nshare = 50\n",
        );
        let diags = match parse_flag(flag, &value) {
            Err(d) => Some(d),
            Ok(o) => {
                let mut world = interdict::model::world::World::clone(&s.world);
                apply_all(&[o], &s.rules, &mut world).err()
            }
        };
        if let Some(d) = diags {
            prop_assert!(d.has_errors());
            for x in d.iter() {
                prop_assert_eq!(&x.file, flag.as_str(), "{}", x.render());
                prop_assert!(x.line >= 1, "{}", x.render());
            }
        }
    }

    #[test]
    fn any_overlay_file_is_applied_or_refused_with_a_located_error(text in "\\PC{0,300}") {
        let s = load("[scenario]\nname = \"x\"\n");
        let file = SourceFile::new("o.toml", format!("[[designate]]\n{text}"));
        let diags = match interdict::whatif::parse_file(file) {
            Err(d) => Some(d),
            Ok(o) => {
                let mut world = interdict::model::world::World::clone(&s.world);
                apply_all(&[o], &s.rules, &mut world).err()
            }
        };
        if let Some(d) = diags {
            for x in d.iter() {
                prop_assert_eq!(x.file.as_str(), "o.toml");
            }
        }
    }
}

/// One overlay edit drawn at random: (flag, party, other party, program, date, share).
type Edit = (usize, usize, usize, usize, Option<usize>, usize);

/// The `--designate`/`--delist`/`--own`/`--disown` value of an edit.
fn edit_value(w: &World, &(flag, x, y, program, date, share): &Edit) -> (Flag, String) {
    let all = w.parties.len() + REFERENCE.len();
    let (x, y) = (pid(w, x % all), pid(w, y % all));
    let at = date.map(|d| format!("@{}", DATES[d])).unwrap_or_default();
    let share = ["50", "25", "30-60", "unknown", "100"][share % 5];
    match flag % 4 {
        0 => (Flag::Designate, format!("{x}={}{at}", PROGRAMS[program])),
        1 => (Flag::Delist, format!("{x}={}{at}", PROGRAMS[program])),
        2 => (Flag::Own, format!("{y}>{x}={share}{at}")),
        _ => (Flag::Disown, format!("{y}>{x}{at}")),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

    /// Deciding under world B only the transactions whose parties the overlay reaches gives
    /// exactly what deciding every transaction in both worlds gives. The independent
    /// reference evaluates every transaction under both engines and compares the decisions
    /// as values; the diff's own answer without the reach must also be identical, entry for
    /// entry.
    #[test]
    fn deciding_twice_only_what_the_overlay_reaches_equals_deciding_all_twice(
        w in world(),
        edits in prop::collection::vec(
            (0usize..4, 0usize..10, 0usize..10, 0..PROGRAMS.len(),
             prop::option::of(0..DATES.len()), 0usize..5),
            1..5,
        ),
        as_of in prop::option::of(0..DATES.len()),
    ) {
        let s = load(&scenario_text(&w));
        // Each edit that applies is kept; one the world refuses (removing what it does not
        // record, holdings over 100%) is left out.
        let mut world_b = interdict::model::world::World::clone(&s.world);
        let mut applied = Vec::new();
        for e in &edits {
            let (flag, value) = edit_value(&w, e);
            let Ok(o) = parse_flag(flag, &value) else { continue };
            let mut next = world_b.clone();
            if apply_all(&[o], &s.rules, &mut next).is_ok() {
                world_b = next;
                applied.push(value);
            }
        }
        let ea = Engine::new(s.rules.clone(), s.world.clone());
        let eb = Engine::new(s.rules.clone(), Arc::new(world_b));
        let opts = EvalOptions {
            as_of: as_of.map(|d| interdict::model::values::parse_date(DATES[d]).expect("a date")),
            ..EvalOptions::default()
        };
        let expected: BTreeSet<String> = s
            .transactions
            .iter()
            .filter(|t| ea.evaluate(t, &opts) != eb.evaluate(t, &opts))
            .map(|t| t.id.clone())
            .collect();

        let side = |engine| Side { engine, transactions: &s.transactions, options: opts.clone() };
        let (a, b) = (side(&ea), side(&eb));
        let reaching = PairDiffer::new(&a, &b);
        prop_assert!(reaching.reach().is_some(), "one rule set and one party list: the reach applies");
        let got = compare_with(&reaching, None);
        let changed: BTreeSet<String> = got.changed.iter().map(|t| t.transaction.clone()).collect();
        prop_assert_eq!(&changed, &expected, "edits {:?}", applied);
        let all_twice = compare_with(&PairDiffer::new(&a, &b).deciding_all_twice(), None);
        prop_assert_eq!(&got, &all_twice, "edits {:?}", applied);
        // The reach skips no transaction it should decide: each decided once has no party
        // whose state differs on its date.
        let mut scratch = interdict::whatif::PairScratch::default();
        for t in &s.transactions {
            let r = reaching.pair(&mut scratch, t, t);
            if !r.decided_twice {
                prop_assert!(!expected.contains(&t.id), "{} skipped but changes", t.id);
            }
        }
    }
}
