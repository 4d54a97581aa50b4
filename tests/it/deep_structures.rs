//! Deep structures (issue 13.1, 13.9; issue 20, item 3): a chain of a million owners or
//! controllers is decided, explained, evaluated, rendered and diffed without recursion; a
//! what-if report over a chain whose every level changes costs one step per party (a
//! structural bound, not a timing); long branch chains settle every person test.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use crate::common;

use std::path::Path;
use std::sync::Arc;

use interdict::eval::{Engine, EvalOptions};
use interdict::model::JurisdictionIdx;
use interdict::model::values::Share;
use interdict::model::world::{Designation, World};
use interdict::ownership::witness::{Step, explain_in};
use interdict::scenario::Scenario;
use interdict::source::{Loc, SourceFile};
use interdict::whatif::parties::DatePair;
use interdict::whatif::{
    DiffReport, PairDiffer, PairScratch, ScenarioDiff, Side, WorldSpec, compare,
};

const MILLION: usize = 1_000_000;

/// Two payments (one to the chain's last party, one to a party off the chain), the chain's
/// root designated under a U.S. and an EU program; the chain itself is added through the API.
const BASE: &str = r#"
[scenario]
name = "deep chain"
as_of = 2025-03-03

[[party]]
id = "root"
kind = "organization"
incorporated_in = "MX"

[[party]]
id = "tail"
kind = "organization"
incorporated_in = "MX"

[[party]]
id = "other"
kind = "organization"
incorporated_in = "MX"

[[party]]
id = "us-supplier"
kind = "organization"
incorporated_in = "US"

[[party]]
id = "us-bank"
kind = "financial_institution"
incorporated_in = "US"

[[designation]]
party = "root"
program = "us.sdgt"
listed = 2020-01-01

[[designation]]
party = "root"
program = "eu.terrorism"
listed = 2020-01-01

[[transaction]]
id = "pays-tail"
date = 2025-03-03
type = "wire"
amount = "10000"
currency = "USD"
originator = "us-supplier"
originator_bank = "us-bank"
beneficiary = "tail"

[[transaction]]
id = "pays-other"
date = 2025-03-03
type = "wire"
amount = "10000"
currency = "USD"
originator = "us-supplier"
originator_bank = "us-bank"
beneficiary = "other"
"#;

#[derive(Clone, Copy, PartialEq)]
enum Link {
    Own,
    Control,
}

/// The base scenario with a chain of `levels` links from `root` down to `tail`.
fn deep(levels: usize, link: Link) -> Scenario {
    let rules = common::pack();
    let mut s = interdict::scenario::load(
        SourceFile::new("deep.toml", BASE),
        Path::new("deep.toml"),
        &rules,
    )
    .unwrap();
    let w = Arc::make_mut(&mut s.world);
    let (root, tail) = (
        w.party_by_id("root").unwrap(),
        w.party_by_id("tail").unwrap(),
    );
    // Room for the chain up front: a million parties grown by doubling would be copied
    // about twice over.
    w.parties.reserve(levels);
    w.index.reserve(levels);
    match link {
        Link::Own => w.ownership.reserve(levels),
        Link::Control => w.control.reserve(levels),
    }
    let whole = Share::parse("100").unwrap();
    let mut prev = root;
    for i in 1..=levels {
        let next = if i == levels {
            tail
        } else {
            common::entity(w, &format!("c{i}"))
        };
        match link {
            Link::Own => common::own_share(w, prev, next, whole),
            Link::Control => common::control(w, &s.rules, prev, next, "board_appointment"),
        }
        prev = next;
    }
    s
}

fn jur(s: &Scenario, id: &str) -> JurisdictionIdx {
    s.rules.jurisdiction_by_id(id).unwrap()
}

fn only(j: JurisdictionIdx) -> EvalOptions {
    EvalOptions {
        trace: true,
        as_of: None,
        jurisdictions: Some(vec![j]),
        ..EvalOptions::default()
    }
}

/// Bytes written, nothing kept: a million-step JSON document is checked by its size without
/// holding hundreds of megabytes.
#[derive(Default)]
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn json_len(value: &impl serde::Serialize) -> usize {
    let mut c = Counter::default();
    serde_json::to_writer(&mut c, value).unwrap();
    c.0
}

/// `explain party tail`: the witness is the whole chain, one step per party, each pointing at
/// the next; its text nests a proof per level, closed as often as opened.
fn check_chain_witness(s: &Scenario, engine: &Engine, j: JurisdictionIdx, levels: usize) {
    let date = s.as_of.unwrap();
    let world = engine.world();
    let tail = world.party_by_id("tail").unwrap();
    let table = engine.statuses(j, date);
    assert!(table.get(tail).blocked, "the end of the chain is blocked");
    let w = explain_in(&s.rules, world, j, date, &table.closure, tail);
    assert_eq!(w.status(), "blocked");
    assert_eq!(w.because.len(), levels, "one step per owner up the chain");
    let next = |step: &Step| match step {
        Step::Owned { holdings, .. } => holdings[0].proof,
        Step::Controlled { proof, .. } => *proof,
        other => panic!("unexpected step {other:?}"),
    };
    assert_eq!(next(&w.head), Some(0));
    for (k, step) in w.because[..levels - 1].iter().enumerate() {
        assert_eq!(next(step), Some(k as u32 + 1), "step {k}");
    }
    assert!(matches!(w.because.last(), Some(Step::Designated { party, .. }) if party == "root"));
    let text = interdict::report::witness::text(&w);
    assert!(text.starts_with("tail is blocked: "), "{}", &text[..200]);
    assert!(text.contains("(root is designated"));
    assert_eq!(text.matches('(').count(), text.matches(')').count());
}

/// The chain through every command the issue names, each once: `explain party` (the witness
/// and its text), `eval` and `explain transaction` (one decision and its report, whose fact is
/// the same witness, in text and JSON) and `diff` with no transaction touching the chain. The
/// chain is built once and never copied: the diff reads the one world on two dates
/// (`diff --as-of-a --as-of-b`), between which the tail is designated.
#[test]
fn a_million_level_ownership_chain_is_decided_explained_evaluated_and_diffed() {
    let mut s = deep(MILLION, Link::Own);
    let us = jur(&s, "us");
    let (on, next_day) = (s.as_of.unwrap(), common::date("2025-03-04"));
    let tail = s.world.party_by_id("tail").unwrap();
    Arc::make_mut(&mut s.world).designations.push(Designation {
        party: tail,
        program: s.rules.program_by_id("us.kingpin").unwrap(),
        listed: Some(next_day),
        delisted: None,
        source: None,
        date_assumed: false,
        loc: Loc::builtin("test"),
    });
    let engine = Engine::new(s.rules.clone(), s.world.clone());
    check_chain_witness(&s, &engine, us, MILLION);

    // eval and explain transaction: the decision and its report with the witness.
    let tx = &s.transactions[0];
    let d = engine.evaluate(tx, &only(us));
    let report = interdict::report::build(&engine, tx, &d);
    let mut text = String::new();
    interdict::render::report::render(&report, &mut text);
    assert!(text.contains("BLOCK"), "{}", &text[..text.len().min(2000)]);
    // The proof is a tree: the root's designation is its deepest line, past the indentation
    // limit, so it says its level.
    let root = text
        .lines()
        .find(|l| l.contains("root is designated us.sdgt"))
        .expect("the root's line");
    assert!(root.trim_start().starts_with("(level "), "{root}");
    assert!(json_len(&report) > MILLION * 50);
    drop((report, text));

    // diff: only the tail changes, and its witness on the first date is the whole chain (no
    // party of the chain is reported on its own). No transaction compared touches the chain
    // (the case that aborted).
    let side = |as_of| Side {
        engine: &engine,
        transactions: &s.transactions[1..],
        options: EvalOptions {
            as_of: Some(as_of),
            ..only(us)
        },
    };
    let dates = DatePair { a: on, b: next_day };
    let c = compare(&side(on), &side(next_day), Some(dates));
    assert_eq!(c.parties.len(), 1, "only the tail changes");
    let change = &c.parties[0];
    assert_eq!(change.party, "tail");
    assert_eq!(change.dates, vec![dates]);
    let before = change.before.witness.as_ref().unwrap();
    assert_eq!(before.because.len(), MILLION);
    assert!(matches!(
        change.after.witness.as_ref().unwrap().head,
        Step::Designated { .. }
    ));
    let diff = DiffReport::new(
        WorldSpec::default(),
        WorldSpec::default(),
        vec![ScenarioDiff {
            scenario: s.name.clone(),
            path: "deep.toml".into(),
            edits_a: Vec::new(),
            edits_b: Vec::new(),
            comparison: c,
        }],
    );
    assert!(interdict::render::whatif::render(&diff).contains("(root is designated"));
    assert!(json_len(&diff) > MILLION * 50);
}

#[test]
fn a_million_level_control_chain_is_decided_and_explained() {
    let s = deep(MILLION, Link::Control);
    let eu = jur(&s, "eu");
    let engine = Engine::new(s.rules.clone(), s.world.clone());
    check_chain_witness(&s, &engine, eu, MILLION);
}

/// Issue 20, item 3: when every level of a chain changes, each changed party's witness is its
/// own step, naming (not re-explaining) the changed owner above it: the report holds one step
/// per changed party, where a path per party would hold levels^2 / 2.
#[test]
fn a_diff_over_a_chain_whose_every_level_changes_holds_one_step_per_party() {
    let levels = 20_000;
    let s = deep(levels, Link::Own);
    let us = jur(&s, "us");
    let engine = Engine::new(s.rules.clone(), s.world.clone());
    let mut wb = World::clone(&s.world);
    let root = wb.party_by_id("root").unwrap();
    let sdgt = s.rules.program_by_id("us.sdgt").unwrap();
    wb.designations
        .retain(|d| d.party != root || d.program != sdgt);
    let engine_b = Engine::new(s.rules.clone(), Arc::new(wb));
    let side = |engine| Side {
        engine,
        transactions: &s.transactions[1..],
        options: only(us),
    };
    let c = compare(&side(&engine), &side(&engine_b), None);
    // root, c1 .. c(levels-1), tail
    assert_eq!(c.parties.len(), levels + 1);
    let steps: usize = c
        .parties
        .iter()
        .flat_map(|p| [&p.before, &p.after])
        .map(|side| 1 + side.witness.as_ref().map_or(0, |w| w.because.len()))
        .sum();
    assert_eq!(steps, 2 * (levels + 1), "one step per party and side");
    let c5 = c.parties.iter().find(|p| p.party == "c5").unwrap();
    assert_eq!(
        c5.before.explanation,
        "c5 is blocked: c4 holds 100% = 100% >= 50%"
    );
    assert_eq!(c5.after.explanation, "c5 is not blocked");
}

/// Issue 20, item 3, for a stream of records: over a 100,000-level chain whose every level
/// changes, a transaction's change names the changed parties without a proof (no path is
/// built per party and level), the summary's count of changed parties builds no witness at
/// all, and a transaction off the chain is decided once: the reach (the parties whose state
/// differs) is the chain and nothing else.
#[test]
fn a_streamed_diff_over_a_deep_chain_builds_no_path_and_decides_off_chain_records_once() {
    let levels = 100_000;
    let s = deep(levels, Link::Own);
    let us = jur(&s, "us");
    let engine = Engine::new(s.rules.clone(), s.world.clone());
    let mut wb = World::clone(&s.world);
    let root = wb.party_by_id("root").unwrap();
    let sdgt = s.rules.program_by_id("us.sdgt").unwrap();
    wb.designations
        .retain(|d| d.party != root || d.program != sdgt);
    let engine_b = Engine::new(s.rules.clone(), Arc::new(wb));
    let side = |engine| Side {
        engine,
        transactions: &s.transactions,
        options: EvalOptions {
            trace: false,
            ..only(us)
        },
    };
    let (a, b) = (side(&engine), side(&engine_b));
    let differ = PairDiffer::new(&a, &b);
    let reach = differ.reach().expect("one rule set and one party list");
    let date = s.transactions[0].date;
    assert_eq!(
        reach.parties_on(us, date).len(),
        levels + 1,
        "root and every level"
    );

    let mut scratch = PairScratch::default();
    let (to_tail, to_other) = (&s.transactions[0], &s.transactions[1]);
    let r = differ.pair(&mut scratch, to_tail, to_tail);
    assert!(r.decided_twice);
    let change = r.change.expect("the payment to the tail changes");
    assert_eq!(change.jurisdictions[0].parties, ["tail"]);
    assert!(json_len(&change) < 20_000, "{} bytes", json_len(&change));
    let r = differ.pair(&mut scratch, to_other, to_other);
    assert!(!r.decided_twice, "no party of it is reached");
    assert!(r.change.is_none());

    let dates = [r.evaluated].into_iter().collect();
    assert_eq!(differ.party_change_count(&dates), levels + 1);
}

/// Person tests settle along branch chains of any length (they stopped after 64 levels).
#[test]
fn a_branch_chain_of_a_thousand_levels_passes_its_head_offices_tests() {
    let rules = common::pack();
    let mut text = String::from(
        "[scenario]\nname = \"branches\"\n\n[[party]]\nid = \"b0\"\nkind = \"organization\"\nincorporated_in = \"US\"\n",
    );
    for i in 1..=1000 {
        text.push_str(&format!(
            "\n[[party]]\nid = \"b{i}\"\nkind = \"organization\"\nincorporated_in = \"MX\"\nbranch_of = \"b{}\"\n",
            i - 1
        ));
    }
    let s = interdict::scenario::load(SourceFile::new("b.toml", text), Path::new("b.toml"), &rules)
        .unwrap();
    let engine = Engine::new(s.rules.clone(), s.world.clone());
    let t = s
        .rules
        .person_tests
        .iter()
        .position(|t| t.id == "us.person")
        .unwrap();
    for i in [1, 64, 65, 66, 1000] {
        let p = s.world.party_by_id(&format!("b{i}")).unwrap();
        assert!(
            engine.party_tests(p).contains(t),
            "b{i} is a branch of a U.S. person"
        );
    }
}

/// The one-pass world checks report what the pairwise ones did: a branch cycle (and the
/// parties leading into it), overlapping duplicate holdings, and a sum above 100% on the one
/// date it occurs (a holding ended before another started does not count).
#[test]
fn world_checks_find_cycles_duplicates_and_sums_above_100_on_a_date() {
    let rules = common::pack();
    let text = r#"
[scenario]
name = "checks"

[[party]]
id = "a"
kind = "organization"
branch_of = "b"

[[party]]
id = "b"
kind = "organization"
branch_of = "a"

[[party]]
id = "c"
kind = "organization"
branch_of = "a"

[[party]]
id = "d"
kind = "organization"

[[party]]
id = "x"
kind = "individual"

[[party]]
id = "y"
kind = "individual"

[[party]]
id = "z"
kind = "individual"

[[ownership]]
owner = "x"
owned = "d"
share = 60
from = 2020-01-01
until = 2021-01-01

[[ownership]]
owner = "y"
owned = "d"
share = 50
from = 2021-01-01

[[ownership]]
owner = "z"
owned = "d"
share = 55
from = 2022-01-01

[[ownership]]
owner = "x"
owned = "d"
share = 10
from = 2020-06-01
until = 2020-09-01
"#;
    let err = match interdict::scenario::load(
        SourceFile::new("c.toml", text),
        Path::new("c.toml"),
        &rules,
    ) {
        Ok(_) => panic!("the checks find nothing"),
        Err(d) => d,
    };
    let msgs: Vec<String> = err.iter().map(|d| d.message.clone()).collect();
    for p in ["a", "b", "c"] {
        assert!(
            msgs.contains(&format!("party `{p}` is in a cycle of `branch_of` links")),
            "{msgs:?}"
        );
    }
    assert!(msgs.contains(&"`x` already holds a share of `d` at this time".to_string()));
    assert!(
        msgs.contains(&"holdings in `d` sum to 105% on 2022-01-01, above 100%".to_string()),
        "{msgs:?}"
    );
    assert_eq!(msgs.len(), 5, "{msgs:?}");
}
