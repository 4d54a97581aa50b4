//! Worlds and transactions built in code (`WorldBuilder`, `TransactionBuilder`): the corpus
//! rebuilt call by call gives the same worlds, transactions and decisions as the files, and
//! every kind of bad input comes back as its coded, located diagnostic.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use interdict::{Code, Diagnostics, Engine, EvalOptions, Pack, TransactionBuilder, WorldBuilder};
use toml::{Table, Value};

use crate::common::pack;

fn scenario_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            scenario_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
}

/// A value as a builder takes it: the text a file writes.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Datetime(d) => d.to_string(),
        Value::Boolean(b) => b.to_string(),
        other => panic!("no text for {other:?}"),
    }
}

fn texts(v: Option<&Value>) -> Vec<String> {
    match v {
        None => Vec::new(),
        Some(Value::Array(a)) => a.iter().map(text).collect(),
        Some(other) => panic!("not an array: {other:?}"),
    }
}

fn tables<'a>(doc: &'a Table, key: &str) -> impl Iterator<Item = &'a Table> {
    doc.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|v| v.as_table().unwrap())
}

/// Keys of a record the builders do not take (lists, notes, expectations): a record with
/// one of the first kind cannot be rebuilt.
const PARTY_KEYS: &[&str] = &[
    "id",
    "name",
    "kind",
    "citizenship",
    "permanent_residence",
    "residence",
    "incorporated_in",
    "located_in",
    "branch_of",
    "category",
    "aliases",
    "note",
];

/// The scenario's world records, replayed through a `WorldBuilder`; `None` when the file
/// uses what a builder does not take (lists, specific licenses).
fn rebuild_world(doc: &Table) -> Option<WorldBuilder> {
    if doc.contains_key("lists") || doc.contains_key("license") {
        return None;
    }
    let mut w = WorldBuilder::new();
    for p in tables(doc, "party") {
        if p.keys().any(|k| !PARTY_KEYS.contains(&k.as_str())) {
            return None;
        }
        let mut b = w.party(&text(&p["id"]), &text(&p["kind"]));
        if let Some(n) = p.get("name") {
            b.name(&text(n));
        }
        for c in texts(p.get("citizenship")) {
            b.citizenship(&c);
        }
        for c in texts(p.get("permanent_residence")) {
            b.permanent_residence(&c);
        }
        for c in texts(p.get("residence")) {
            b.residence(&c);
        }
        if let Some(c) = p.get("incorporated_in") {
            b.incorporated_in(&text(c));
        }
        if let Some(c) = p.get("located_in") {
            b.located_in(&text(c));
        }
        if let Some(c) = p.get("branch_of") {
            b.branch_of(&text(c));
        }
        for c in texts(p.get("category")) {
            b.category(&c);
        }
        for a in texts(p.get("aliases")) {
            b.alias(&a);
        }
    }
    for d in tables(doc, "designation") {
        let mut b = w.designation(&text(&d["party"]), &text(&d["program"]));
        if let Some(x) = d.get("listed") {
            b.listed(&text(x));
        }
        if let Some(x) = d.get("delisted") {
            b.delisted(&text(x));
        }
        if let Some(x) = d.get("source") {
            b.source(&text(x));
        }
    }
    for o in tables(doc, "ownership") {
        let share = o.get("share").map_or("unknown".to_string(), text);
        let mut b = w.ownership(&text(&o["owner"]), &text(&o["owned"]), share);
        if let Some(x) = o.get("from") {
            b.from(&text(x));
        }
        if let Some(x) = o.get("until") {
            b.until(&text(x));
        }
    }
    for c in tables(doc, "control") {
        let mut b = w.control(
            &text(&c["controller"]),
            &text(&c["controlled"]),
            &text(&c["basis"]),
        );
        if let Some(x) = c.get("from") {
            b.from(&text(x));
        }
        if let Some(x) = c.get("until") {
            b.until(&text(x));
        }
    }
    for j in tables(doc, "joint_arrangement") {
        let members = texts(j.get("members"));
        let members: Vec<&str> = members.iter().map(String::as_str).collect();
        let mut b = w.joint_arrangement(&members, &text(&j["entity"]));
        if let Some(x) = j.get("from") {
            b.from(&text(x));
        }
        if let Some(x) = j.get("until") {
            b.until(&text(x));
        }
    }
    for r in tables(doc, "exchange_rate") {
        w.exchange_rate(&text(&r["from"]), &text(&r["to"]), text(&r["rate"]));
    }
    Some(w)
}

/// A scenario's `[[transaction]]`, replayed through a `TransactionBuilder`.
fn rebuild_transaction(t: &Table) -> TransactionBuilder {
    let mut b = TransactionBuilder::new(&text(&t["id"]), &text(&t["date"]), &text(&t["type"]));
    if let Some(a) = t.get("amount") {
        b.amount(text(a), &text(&t["currency"]));
    }
    for g in texts(t.get("goods")) {
        b.goods(&g);
    }
    // Roles in any order: the transaction lists them in the one role order.
    for (key, role) in [
        ("vessel", "vessel"),
        ("beneficiary", "beneficiary"),
        ("originator", "originator"),
        ("originator_bank", "originator_bank"),
        ("beneficiary_bank", "beneficiary_bank"),
        ("signatory", "signatory"),
        ("agent", "agent"),
        ("shipper", "shipper"),
        ("aircraft", "aircraft"),
    ] {
        if let Some(p) = t.get(key) {
            b.party(role, &text(p));
        }
    }
    for p in texts(t.get("intermediaries")) {
        b.party("intermediary", &p);
    }
    for p in texts(t.get("others")) {
        b.party("other", &p);
    }
    for l in texts(t.get("licenses")) {
        b.license(&l);
    }
    for k in texts(t.get("knowing")) {
        b.knowing(&k);
    }
    if let Some(Value::Boolean(p)) = t.get("personal_use") {
        b.personal_use(*p);
    }
    if let Some(d) = t.get("description") {
        b.description(&text(d));
    }
    if let Some(c) = t.get("license_claim") {
        b.license_claim(&text(c));
    }
    b
}

#[test]
fn the_corpus_rebuilt_in_code_decides_the_same() {
    let pack = pack();
    let mut files = Vec::new();
    scenario_files(Path::new("tests/scenarios"), &mut files);
    let mut rebuilt = 0;
    for path in &files {
        let Ok(scenario) = interdict::load_scenario(path, &pack) else {
            continue;
        };
        let doc: Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
        let Some(w) = rebuild_world(&doc) else {
            continue;
        };
        let world = w
            .build(&pack)
            .unwrap_or_else(|d| panic!("{}: {d}", path.display()));
        // Locations never take part in equality: the same parties, links and indices.
        assert_eq!(world, *scenario.world, "{}", path.display());
        let world = Arc::new(world);
        let opts = EvalOptions {
            as_of: scenario.as_of,
            trace: true,
            ..EvalOptions::default()
        };
        let from_file = Engine::new(Arc::clone(&scenario.rules), Arc::clone(&scenario.world));
        let in_code = Engine::new(Arc::clone(&pack.rules), Arc::clone(&world));
        let raw: Vec<&Table> = tables(&doc, "transaction").collect();
        assert_eq!(raw.len(), scenario.transactions.len(), "{}", path.display());
        for (t, expected) in raw.iter().zip(&scenario.transactions) {
            let tx = rebuild_transaction(t)
                .build(&pack.rules, &world)
                .unwrap_or_else(|d| panic!("{}: {d}", path.display()));
            assert_eq!(tx, *expected, "{} {}", path.display(), tx.id);
            assert_eq!(
                in_code.evaluate(&tx, &opts),
                from_file.evaluate(expected, &opts),
                "{} {}",
                path.display(),
                tx.id
            );
        }
        rebuilt += 1;
    }
    assert!(rebuilt >= 80, "only {rebuilt} scenarios rebuilt");
}

/// (code, line, message) of every diagnostic; each must name its builder and its call.
fn problems(d: &Diagnostics, source: &str) -> Vec<(Code, u32, String)> {
    d.iter()
        .map(|x| {
            assert_eq!(x.file, source, "{x:?}");
            assert!(x.line > 0 && x.column > 0, "{x:?}");
            assert!(x.snippet.is_some(), "a caret for {x:?}");
            (x.code, x.line, x.message.clone())
        })
        .collect()
}

fn world_problems(pack: &Pack, w: &WorldBuilder) -> Vec<(Code, u32, String)> {
    let Err(d) = w.build(pack) else {
        panic!("the world should not build");
    };
    problems(&d, "<world builder>")
}

#[test]
fn every_bad_world_input_is_a_coded_diagnostic_at_its_call() {
    let pack = pack();
    let mut w = WorldBuilder::new();
    w.party("ivan", "individual").citizenship("RU"); // 1-2
    w.party("acme", "organization").incorporated_in("CY"); // 3-4
    w.party("beta", "organization"); // 5
    w.party("bad id!", "individual"); // 6
    w.party("boat", "ship"); // 7
    w.party("ivan", "individual"); // 8
    w.party("zed", "individual").citizenship("Russia"); // 9-10
    w.designation("ivan", "us.sdgtx"); // 11
    w.designation("nobody", "us.sdgt"); // 12
    w.designation("ivan", "us.sdgt")
        .listed("2022-03-01")
        .delisted("2021-01-01"); // 13-15
    w.designation("acme", "us.sdgt").listed("2022-02-30"); // 16-17
    w.designation("beta", "us.sdgt").listed("2020-01-01"); // 18-19
    w.designation("beta", "us.sdgt").listed("2021-01-01"); // 20-21
    w.ownership("ivan", "acme", "150"); // 22
    w.ownership("ivan", "beta", "abc"); // 23
    w.ownership("acme", "acme", "10"); // 24
    w.ownership("acme", "ivan", "10"); // 25
    w.control("ivan", "acme", "telepathy"); // 26
    w.control("ivan", "acme", "board_appointment")
        .from("2024-01-01")
        .until("2023-01-01"); // 27-29
    w.joint_arrangement(&["ivan"], "acme"); // 30
    w.exchange_rate("USD", "EUR", "0"); // 31
    w.exchange_rate("USD", "XXQ", "1.1"); // 32
    let got = world_problems(&pack, &w);
    let expect = |code: Code, line: u32| {
        assert!(
            got.iter().any(|(c, l, _)| *c == code && *l == line),
            "no {code} at line {line} in {got:#?}"
        );
    };
    expect(Code::InvalidValue, 6); // a malformed id
    expect(Code::InvalidValue, 7); // an unknown kind
    expect(Code::DuplicateId, 8);
    expect(Code::InvalidValue, 10); // not a country code
    expect(Code::UnknownReference, 11); // unknown program
    expect(Code::UnknownReference, 12); // unknown party
    expect(Code::ImpossibleDate, 15); // delisted before listed
    expect(Code::InvalidValue, 17); // not a date
    expect(Code::DuplicateId, 20); // overlapping designations, at the record
    expect(Code::InvalidShare, 22); // over 100%
    expect(Code::InvalidShare, 23); // not a share
    expect(Code::SelfOwnership, 24);
    expect(Code::InvalidValue, 25); // an individual held through shares
    expect(Code::UnknownReference, 26); // unknown control basis
    expect(Code::ImpossibleDate, 29); // a window ending before it starts
    expect(Code::InvalidValue, 30); // one member
    expect(Code::InvalidValue, 31); // a rate of zero
    expect(Code::InvalidValue, 32); // not a currency

    // Holdings summing above 100%, branches in a cycle, overlapping control.
    let mut w = WorldBuilder::new();
    w.party("a", "individual");
    w.party("b", "individual");
    w.party("co", "organization");
    w.ownership("a", "co", "60");
    w.ownership("b", "co", dec("45.5"));
    w.party("x", "organization").branch_of("y"); // 6-7
    w.party("y", "organization").branch_of("x"); // 8-9
    w.control("a", "co", "board_appointment"); // 10
    w.control("a", "co", "board_appointment"); // 11
    let got = world_problems(&pack, &w);
    let codes: Vec<Code> = got.iter().map(|p| p.0).collect();
    assert!(codes.contains(&Code::OwnershipOver100), "{got:#?}");
    assert!(
        got.iter()
            .any(|(c, _, m)| *c == Code::InvalidValue && m.contains("cycle")),
        "{got:#?}"
    );
    assert!(
        got.iter()
            .any(|(c, l, _)| *c == Code::DuplicateId && *l == 11),
        "{got:#?}"
    );
}

fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap()
}

#[test]
fn every_bad_transaction_input_is_a_coded_diagnostic_at_its_call() {
    let pack = pack();
    let mut w = WorldBuilder::new();
    w.party("acme", "organization").incorporated_in("US");
    w.party("sea-star", "vessel");
    let world = w.build(&pack).unwrap();

    let mut t = TransactionBuilder::new("t 1", "2025-02-30", "wyre"); // 1
    t.amount("-5", "USD") // 2
        .goods("nothing-such") // 3
        .party("payer", "acme") // 4
        .party("originator", "nobody") // 5
        .party("originator", "acme") // 6
        .party("vessel", "acme") // 7
        .license("no.such.license") // 8
        .license("us.sdgt.block") // 9
        .knowing("ghost"); // 10
    let Err(d) = t.build(&pack.rules, &world) else {
        panic!("the transaction should not build");
    };
    let got = problems(&d, "<transaction builder>");
    let expect = |code: Code, line: u32, column: u32| {
        let found = d
            .iter()
            .any(|x| x.code == code && x.line == line && x.column == column);
        assert!(found, "no {code} at {line}:{column} in {got:#?}");
    };
    expect(Code::InvalidValue, 1, 13); // a malformed id
    expect(Code::InvalidValue, 1, 20); // not a date
    expect(Code::UnknownReference, 1, 34); // unknown type
    expect(Code::NegativeAmount, 2, 13);
    expect(Code::UnknownReference, 3, 12); // unknown goods
    expect(Code::InvalidValue, 4, 12); // unknown role
    expect(Code::UnknownReference, 5, 26); // unknown party
    expect(Code::DuplicateId, 6, 12); // a single role twice
    expect(Code::InvalidValue, 7, 22); // role misfit
    expect(Code::UnknownReference, 8, 14); // unknown license
    expect(Code::InvalidValue, 9, 14); // not a license
    expect(Code::UnknownReference, 10, 14); // unknown knowing party

    let mut t = TransactionBuilder::new("t2", "2025-03-01", "wire");
    t.amount("5", "USX");
    let Err(d) = t.build(&pack.rules, &world) else {
        panic!("no parties, a bad currency");
    };
    let codes: Vec<Code> = problems(&d, "<transaction builder>")
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert!(codes.contains(&Code::InvalidValue), "{codes:?}");
    assert!(codes.contains(&Code::MissingKey), "{codes:?}");
}

/// The builder says what a scenario file says about the same transaction: one lowering.
#[test]
fn a_built_transaction_and_a_file_transaction_report_the_same_problems() {
    let pack = pack();
    let world_text = r#"
[[party]]
id = "acme"
kind = "organization"
incorporated_in = "US"

[[party]]
id = "sea-star"
kind = "vessel"
"#;
    let broken = r#"
[[transaction]]
id = "t1"
date = "2025-02-30"
type = "wyre"
goods = ["nothing-such"]
amount = "-5"
currency = "USX"
originator = "nobody"
vessel = "acme"
licenses = ["no.such.license"]
knowing = ["ghost"]
"#;
    let file = interdict::source::SourceFile::new("s.toml", format!("{world_text}{broken}"));
    let Err(from_file) = interdict::scenario::load(file, Path::new("s.toml"), &pack) else {
        panic!("the broken transaction fails the scenario");
    };
    let mut w = WorldBuilder::new();
    w.party("acme", "organization").incorporated_in("US");
    w.party("sea-star", "vessel");
    let world = w.build(&pack).unwrap();
    let mut t = TransactionBuilder::new("t1", "2025-02-30", "wyre");
    t.goods("nothing-such")
        .amount("-5", "USX")
        .party("originator", "nobody")
        .party("vessel", "acme")
        .license("no.such.license")
        .knowing("ghost");
    let Err(in_code) = t.build(&pack.rules, &world) else {
        panic!("the broken transaction fails the builder");
    };
    let words = |d: &Diagnostics| {
        let mut v: Vec<(Code, String, Option<String>)> = d
            .iter()
            .map(|x| (x.code, x.message.clone(), x.help.clone()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(words(&in_code), words(&from_file));
}

#[test]
fn a_world_without_the_reference_parties_and_its_warnings() {
    let pack = pack();
    let mut w = WorldBuilder::new();
    w.party("ivan", "individual").incorporated_in("RU");
    let (world, warnings) = w
        .build_on(&pack.rules, interdict::World::default())
        .unwrap();
    assert_eq!(world.parties.len(), 1);
    let codes: Vec<Code> = warnings.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::InvalidValue]);
}
