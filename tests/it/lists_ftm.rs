//! The OpenSanctions FollowTheMoney importer (`opensanctions`, format `ftm-json`) on every FtM
//! file of the lists folder, against an independent reading: plain string scans of the lines
//! (schemas, operations, percentages) and a generic `serde_json::Value` walk for regimes, with
//! the Python counts in comments; and on its broken-file corpus (`tests/data/ftm-json-broken/`).

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use interdict::diagnostic::Severity;
use interdict::lists::config;
use interdict::lists::dir;
use interdict::lists::import::import_path;
use interdict::lists::record::{LinkKind, ListImport, Operation, Strength};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::common::list_corpus::{Case, check_corpus, no_errors, round_trip};

fn import(rel: &str, test: &str) -> Option<(String, ListImport)> {
    let p = dir::for_test(rel, test)?;
    let text = std::fs::read_to_string(&p).unwrap();
    Some((
        text,
        import_path(&p, &config::embedded_list("opensanctions").unwrap()),
    ))
}

/// Lines naming `schema`, however the file spaces its JSON.
fn lines_of(text: &str, schema: &str) -> usize {
    let a = format!("\"schema\": \"{schema}\"");
    let b = format!("\"schema\":\"{schema}\"");
    text.lines()
        .filter(|l| l.contains(&a) || l.contains(&b))
        .count()
}

/// Regimes by the number of targets they name, read with `Value` pointers: a sanction's
/// `programId`, else `program`, else `authority`; a target counted once per regime.
fn regimes(text: &str, held: &BTreeSet<String>) -> BTreeMap<String, usize> {
    let mut pairs = BTreeSet::new();
    for l in text.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        let e = v.get("entity").unwrap_or(&v);
        if e.pointer("/schema").and_then(Value::as_str) != Some("Sanction") {
            continue;
        }
        let target = e
            .pointer("/properties/entity/0")
            .and_then(Value::as_str)
            .unwrap();
        let regime = ["programId", "program", "authority"].iter().find_map(|k| {
            e.pointer(&format!("/properties/{k}/0"))
                .and_then(Value::as_str)
        });
        if let (true, Some(g)) = (held.contains(target), regime) {
            pairs.insert((target.to_string(), g.to_string()));
        }
    }
    let mut m = BTreeMap::new();
    for (_, g) in pairs {
        *m.entry(g).or_insert(0) += 1;
    }
    m
}

fn by_type_scan(text: &str) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for (ty, schemas) in [
        ("individual", &["Person"][..]),
        (
            "entity",
            &["Organization", "Company", "LegalEntity", "PublicBody"][..],
        ),
        ("vessel", &["Vessel"][..]),
        ("aircraft", &["Airplane"][..]),
    ] {
        let n: usize = schemas.iter().map(|s| lines_of(text, s)).sum();
        if n > 0 {
            m.insert(ty, n);
        }
    }
    m
}

#[test]
fn zala_entities_count_like_a_line_scan() {
    let Some((text, i)) = import("opensanctions/zala_entities.ftm.json", "ftm_zala") else {
        return;
    };
    no_errors(&i);
    assert!(i.warnings.is_empty(), "{:?}", i.warnings);
    // Python: Counter(json.loads(l)['schema'] for l in open(F)): Company 11, Person 6.
    assert_eq!(i.records.len(), 17);
    assert_eq!(i.by_type(), by_type_scan(&text));
    let held: BTreeSet<String> = i.records.iter().map(|r| r.id.clone()).collect();
    assert_eq!(i.by_regime(), regimes(&text, &held));
    assert_eq!(i.by_regime().get("EU-UKR"), Some(&2));
    // Every link statement lands on its subject's record.
    let links: Vec<_> = i.records.iter().flat_map(|r| &r.links).collect();
    for (kind, schema, n) in [
        (LinkKind::Owns, "Ownership", 14),
        (LinkKind::DirectorOf, "Directorship", 3),
        (LinkKind::FamilyOf, "Family", 4),
    ] {
        let got = links.iter().filter(|l| l.kind == kind).count();
        assert_eq!(got, lines_of(&text, schema), "{schema}");
        assert_eq!(got, n, "{schema}");
    }
    // Percentages: those written `"percentage": ["N"]`, summed as decimals.
    let written: Vec<Decimal> = text
        .split("\"percentage\": [\"")
        .skip(1)
        .map(|s| Decimal::from_str(s.split('"').next().unwrap()).unwrap())
        .collect();
    let shares: Vec<Decimal> = links.iter().filter_map(|l| l.share).collect();
    assert_eq!(shares.len(), written.len());
    assert_eq!(shares.len(), 10);
    assert_eq!(
        shares.iter().sum::<Decimal>(),
        written.iter().sum::<Decimal>()
    );
    // Every sanction is folded into its target; the earliest listing date is kept.
    let sanctions: usize = i
        .records
        .iter()
        .map(|r| {
            r.attributes
                .iter()
                .filter(|a| a.label == "Sanction")
                .count()
        })
        .sum();
    assert_eq!(sanctions, lines_of(&text, "Sanction"));
    assert!(i.loose.is_empty());
    assert_eq!(i.unparsed(), 0);
    round_trip(&i);
}

#[test]
fn the_delta_feed_counts_its_operations() {
    let Some((text, i)) = import("opensanctions/entities.delta_2024-07.json", "ftm_delta") else {
        return;
    };
    no_errors(&i);
    // Independent reading: the `op` written at the start of each line.
    let mut ops: BTreeMap<Operation, usize> = BTreeMap::new();
    for o in &i.operations {
        *ops.entry(o.op).or_insert(0) += 1;
    }
    for (op, word) in [
        (Operation::Add, "ADD"),
        (Operation::Modify, "MOD"),
        (Operation::Delete, "DEL"),
    ] {
        let n = text
            .lines()
            .filter(|l| l.starts_with(&format!("{{\"op\":\"{word}\"")))
            .count();
        assert_eq!(ops.get(&op).copied().unwrap_or(0), n, "{word}");
    }
    assert_eq!(i.operations.len(), text.lines().count());
    assert_eq!(i.operations.len(), 1700);
    // Python: 451 Person, 97 Organization, 27 LegalEntity, 1 Company (no id repeats).
    assert_eq!(i.by_type(), by_type_scan(&text));
    assert_eq!(i.records.len(), 576);
    let held: BTreeSet<String> = i.records.iter().map(|r| r.id.clone()).collect();
    assert_eq!(i.by_regime(), regimes(&text, &held));
    assert_eq!(i.by_regime().get("DTTOT"), Some(&473));
    // Statements about entities the feed does not carry are kept, each with a warning:
    // Python: 8 sanctions and 1 ownership whose subject is not in the file.
    assert_eq!(i.loose.len(), 9);
    assert_eq!(i.warnings.len(), 9);
    round_trip(&i);
}

#[test]
fn the_eu_fsf_sample_in_ftm_reads() {
    let Some((text, i)) = import("opensanctions/t1_eu_fsf_entities.ftm.json", "ftm_t1") else {
        return;
    };
    no_errors(&i);
    assert_eq!(i.by_type(), by_type_scan(&text));
    assert_eq!(i.records.len(), 6);
    // Its one address belongs to no record of the sample: kept, with a warning.
    assert_eq!(i.loose.len(), lines_of(&text, "Address"));
    round_trip(&i);
}

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

#[test]
fn the_broken_ftm_corpus_gives_located_errors() {
    let imports = check_corpus(
        "ftm-json-broken",
        "opensanctions",
        &[
            Case {
                file: "empty.json",
                records: 0,
                seen: 0,
                diagnostics: &[(E, 1, "the file is empty")],
            },
            Case {
                file: "latin1.json",
                records: 0,
                seen: 0,
                diagnostics: &[(E, 1, "not UTF-8")],
            },
            Case {
                file: "bad-lines.json",
                records: 1,
                seen: 9,
                diagnostics: &[
                    (E, 2, "not a JSON entity"),
                    (E, 3, "not a JSON object"),
                    (E, 4, "unknown operation `REPLACE`"),
                    (E, 5, "without its `id`"),
                    (E, 6, "entity `p4` has no `schema`"),
                    (E, 7, "entity `p5` has no name"),
                    (E, 9, "Ownership `o1` lacks one of the parties"),
                    (E, 10, "percentage `half` is not a number"),
                    (W, 12, "about `p9`, which this file does not hold"),
                    (W, 14, "schema `Position` is not a list target"),
                ],
            },
        ],
    );
    let bad = &imports[2];
    let p1 = &bad.records[0];
    assert_eq!(p1.aliases[0].strength, Strength::Weak);
    assert_eq!(p1.links[0].share, Some(Decimal::new(505, 1)));
    assert_eq!(p1.links[0].to_id.as_deref(), Some("c1"));
    assert_eq!(p1.regimes, ["XX-1"]);
    assert_eq!(
        p1.listed_on.map(|d| d.to_string()).as_deref(),
        Some("2022-03-01")
    );
    assert_eq!(bad.unmapped_regimes.get("XX-1"), Some(&1));
    assert_eq!(bad.loose.len(), 2);
    assert!(
        bad.operations.is_empty(),
        "the REPLACE and the DEL without id are refused, not operations"
    );
}
