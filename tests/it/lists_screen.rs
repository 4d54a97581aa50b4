//! Screening across lists (`interdict::lists::screen`, `interdict screen`) on real files of the
//! lists folder (each test prints SKIPPED and returns when the folder is absent). What a hit
//! should be is read here independently: the SDN CSV with the `csv` crate, the UN XML with a
//! plain text scan; the index itself is checked against a scan of every name (property).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use interdict::lists::config;
use interdict::lists::dir;
use interdict::lists::screen::evidence::{Evidence, GivenIdentifier};
use interdict::lists::screen::{Method, Outcome, Query, Screen, ScreenHit, Source, sources};
use proptest::prelude::*;

fn source(path: &Path, list: &str) -> Source {
    let bytes = std::fs::read(path).unwrap();
    let (s, import) = sources::from_file(
        &bytes,
        &path.display().to_string(),
        &config::embedded_list(list).unwrap(),
    );
    assert!(import.errors.is_empty(), "{:?}", import.errors.first());
    s
}

fn query(name: &str) -> Query {
    Query {
        name: Some(name.into()),
        threshold: 0.9,
        limit: 50,
        ..Query::default()
    }
}

fn hit<'a>(hits: &'a [ScreenHit], record: &str) -> Option<&'a ScreenHit> {
    hits.iter().find(|h| h.record == record)
}

/// SDN rows `(ent_num, name, remarks)` read with the `csv` crate.
fn sdn_rows(path: &Path) -> Vec<(String, String, String)> {
    let bytes = std::fs::read(path).unwrap();
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    let text = text.trim_end_matches(['\u{1a}', '\r', '\n']);
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    rd.records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string(), r[11].to_string())
        })
        .collect()
}

#[test]
fn a_short_query_finds_the_long_transliterated_name() {
    let Some(p) = dir::for_test(
        "us_ofac/sdn_2024-05-03.csv",
        "a_short_query_finds_the_long_transliterated_name",
    ) else {
        return;
    };
    let rows = sdn_rows(&p);
    let (id, name, _) = rows
        .iter()
        .find(|(_, n, _)| n.starts_with("BIN LADIN, Usama"))
        .unwrap();
    let screen = Screen::build(vec![source(&p, "us-ofac-sdn-csv")]);
    let hits = screen.search(&query("Usama bin Laden"));
    let h = hit(&hits, id).unwrap_or_else(|| panic!("{name} not found: {hits:#?}"));
    assert_eq!(
        h.outcome,
        Outcome::Review,
        "a fuzzy match is a review, never a match"
    );
    assert_eq!(h.method, Method::Fuzzy);
    assert!(
        h.words
            .iter()
            .any(|w| w.query == "LADEN" && w.name == "LADIN")
    );
    // A single common word of that name alone finds nothing of it.
    assert!(hit(&screen.search(&query("Muhammad")), id).is_none());
}

/// UN aliases the list marks `Low`, of two words or more, whose normalised form is no `Good`
/// alias and no primary name anywhere in the file (read with a text scan).
fn un_weak_only_aliases(text: &str) -> Vec<String> {
    let norm = |s: &str| interdict::lists::normalize::normalize(s).sorted;
    let mut strong = BTreeSet::new();
    let mut weak = Vec::new();
    for block in text.split("<INDIVIDUAL_ALIAS>").skip(1) {
        let quality = block
            .split("<QUALITY>")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .unwrap_or("");
        let name = block
            .split("<ALIAS_NAME>")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .unwrap_or("");
        if quality == "Low" {
            weak.push(name.to_string())
        } else {
            strong.insert(norm(name));
        }
    }
    weak.retain(|w| w.split_whitespace().count() >= 2 && !strong.contains(&norm(w)));
    weak
}

#[test]
fn a_weak_alias_never_matches_alone() {
    let Some(p) = dir::for_test(
        "un/un_consolidated_2026-02-27.xml",
        "a_weak_alias_never_matches_alone",
    ) else {
        return;
    };
    let text = std::fs::read_to_string(&p).unwrap();
    let src = source(&p, "un");
    let primaries: BTreeSet<String> = src
        .records
        .iter()
        .map(|r| interdict::lists::normalize::normalize(&r.name).sorted)
        .collect();
    let weak: Vec<String> = un_weak_only_aliases(&text)
        .into_iter()
        .filter(|w| !primaries.contains(&interdict::lists::normalize::normalize(w).sorted))
        .collect();
    assert!(
        weak.len() >= 20,
        "the file has weak aliases: {}",
        weak.len()
    );
    let screen = Screen::build(vec![src]);
    let mut discarded = 0;
    let mut supported = 0;
    for w in weak.iter().take(40) {
        let hits = screen.search(&query(w));
        // A record is found on its weak alias only when none of its strong names reaches the
        // threshold (then the strong name stands for it, and says so).
        for h in hits
            .iter()
            .filter(|h| h.strength == interdict::lists::record::Strength::Weak)
        {
            assert_eq!(h.outcome, Outcome::Discarded, "`{w}` alone: {h:#?}");
            assert!(h.alias);
            discarded += 1;
            // The same weak alias with the record's own year of birth is a review.
            let rec = screen.sources()[0]
                .records
                .iter()
                .find(|r| r.id == h.record)
                .unwrap();
            let years = interdict::lists::screen::evidence::birth_years(&rec.dates_of_birth);
            if let Some(&y) = years.first() {
                let again = screen.search(&Query {
                    birth_year: Some(y),
                    ..query(w)
                });
                let h2 = hit(&again, &h.record).unwrap();
                assert_eq!(
                    (h2.outcome, h2.strength),
                    (Outcome::Review, h.strength),
                    "{h2:#?}"
                );
                supported += 1;
            }
        }
        for h in hits.iter().filter(|h| h.outcome == Outcome::Match) {
            assert_eq!(
                h.strength,
                interdict::lists::record::Strength::Strong,
                "{h:#?}"
            );
        }
    }
    assert!(
        discarded >= 10 && supported >= 5,
        "weak aliases found alone: {discarded}, with a year: {supported}"
    );
}

#[test]
fn identifiers_confirm_and_exclude() {
    let Some(p) = dir::for_test(
        "us_ofac/sdn_2024-05-03.csv",
        "identifiers_confirm_and_exclude",
    ) else {
        return;
    };
    // Rows with exactly one passport in their remarks, read here: `Passport X (country)`.
    let rows = sdn_rows(&p);
    let cases: Vec<(String, String, String)> = rows
        .iter()
        .filter(|(_, _, r)| r.matches("Passport ").count() == 1 && !r.contains("alt. Passport"))
        .filter_map(|(id, name, r)| {
            let v = r
                .split("Passport ")
                .nth(1)?
                .split([' ', ';'])
                .next()?
                .to_string();
            (v.len() >= 6 && v.chars().any(|c| c.is_ascii_digit()))
                .then(|| (id.clone(), name.clone(), v))
        })
        .take(25)
        .collect();
    assert!(cases.len() >= 10);
    let screen = Screen::build(vec![source(&p, "us-ofac-sdn-csv")]);
    for (id, name, passport) in &cases {
        let with = |v: &str| Query {
            identifiers: vec![GivenIdentifier::parse(&format!("passport:{v}")).unwrap()],
            ..query(name)
        };
        let same = screen.search(&with(passport));
        let h = hit(&same, id).unwrap();
        assert_eq!(h.outcome, Outcome::Match, "{name}: {h:#?}");
        assert!(
            h.evidence
                .iter()
                .any(|e| matches!(e, Evidence::IdentifierConfirms { .. }))
        );
        let other = screen.search(&with("ZZ0000001"));
        let h = hit(&other, id).unwrap();
        assert_eq!(
            h.outcome,
            Outcome::Excluded,
            "{name}: an exact name, another passport"
        );
        // The passport alone finds the record.
        let only = screen.search(&Query {
            name: None,
            ..with(passport)
        });
        assert!(
            only.iter().any(|h| h.record == *id
                && h.method == Method::Identifier
                && h.outcome == Outcome::Match),
            "{passport}: {only:#?}"
        );
    }
}

#[test]
fn the_store_screens_the_lists_in_force_on_a_date_and_names_them() {
    let (Some(a), Some(b)) = (
        dir::for_test(
            "us_ofac/sdn_2024-05-02.csv",
            "the_store_screens_the_lists_in_force",
        ),
        dir::for_test(
            "un/un_consolidated_2026-02-27.xml",
            "the_store_screens_the_lists_in_force",
        ),
    ) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("s.sqlite");
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_interdict"))
            .args(args)
            .arg("--store")
            .arg(&store)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    run(&[
        "lists",
        "add",
        a.to_str().unwrap(),
        "--list",
        "us-ofac-sdn-csv",
        "--published",
        "2024-05-02",
    ]);
    run(&["lists", "add", b.to_str().unwrap(), "--list", "un"]);
    let json: serde_json::Value =
        serde_json::from_str(&run(&["screen", "--format", "json", "Usama bin Laden"])).unwrap();
    let lists: BTreeSet<&str> = json["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["list"].as_str().unwrap())
        .collect();
    assert_eq!(lists, BTreeSet::from(["un", "us-ofac-sdn-csv"]));
    let from: BTreeSet<&str> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["source"]["list"].as_str().unwrap())
        .collect();
    assert!(
        from.contains("un") && from.contains("us-ofac-sdn-csv"),
        "{json:#}"
    );
    for h in json["hits"].as_array().unwrap() {
        assert!(
            h["source"]["sha256"].as_str().unwrap().len() == 64 && h["source"]["snapshot"].is_i64()
        );
    }
    // Before the UN file was published only the SDN list was in force.
    let json: serde_json::Value = serde_json::from_str(&run(&[
        "screen",
        "--format",
        "json",
        "--as-of",
        "2025-01-01",
        "Usama bin Laden",
    ]))
    .unwrap();
    assert_eq!(json["lists"].as_array().unwrap().len(), 1);
    assert_eq!(json["lists_without_snapshot"], serde_json::json!(["un"]));
}

#[test]
fn screening_without_a_store_says_how_to_add_a_list() {
    let tmp = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .args(["screen", "Usama bin Laden", "--store"])
        .arg(tmp.path().join("none.sqlite"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no list has been added") && err.contains("interdict lists add"),
        "{err}"
    );
}

// The index finds exactly what scoring every name finds: generated lists of names made of a
// small vocabulary with spelling variants, and queries from the same words.
const WORDS: &[&str] = &[
    "USAMA", "OSAMA", "LADIN", "LADEN", "BIN", "AL", "MUHAMMAD", "MOHAMMED", "HASSAN", "HASAN",
    "TRADING", "TRADNG", "GUZMAN", "GUSMAN", "LOERA", "ABU", "KHALID", "KHALED", "NORTE", "NORTH",
];

fn record(id: usize, names: &[Vec<usize>], weak: &[bool]) -> interdict::lists::record::ListRecord {
    let text = |n: &Vec<usize>| {
        n.iter()
            .map(|&i| WORDS[i % WORDS.len()])
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut r: interdict::lists::record::ListRecord = serde_json::from_value(serde_json::json!({
        "id": id.to_string(), "type": "individual", "name": text(&names[0]), "regimes": [], "line": 1
    })).unwrap();
    for (n, w) in names.iter().skip(1).zip(weak) {
        r.aliases.push(interdict::lists::record::ListName {
            name: text(n),
            kind: serde_json::from_value(serde_json::json!("aka")).unwrap(),
            strength: if *w {
                interdict::lists::record::Strength::Weak
            } else {
                interdict::lists::record::Strength::Strong
            },
            script: None,
        });
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::common::cases(64)))]
    #[test]
    fn the_index_finds_what_a_full_scan_finds(
        recs in prop::collection::vec(
            (prop::collection::vec(prop::collection::vec(0usize..40, 1..5), 1..4), prop::collection::vec(any::<bool>(), 3)),
            1..30),
        q in prop::collection::vec(0usize..40, 1..4),
        threshold in 0.6f64..1.0,
    ) {
        let records = recs.iter().enumerate().map(|(i, (n, w))| record(i, n, w)).collect();
        let screen = Screen::build(vec![Source {
            snapshot: interdict::lists::screen::SnapshotRef { list: "t".into(), snapshot: None, published: None, sha256: String::new() },
            records,
        }]);
        let name = q.iter().map(|&i| WORDS[i % WORDS.len()]).collect::<Vec<_>>().join(" ");
        let query = Query { name: Some(name), threshold, limit: usize::MAX, ..Query::default() };
        prop_assert_eq!(screen.search(&query), screen.search_full_scan(&query));
    }
}

/// Words of a documented command line: split on spaces, double quotes keep a name whole.
fn shell_words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The `screen-example` block of docs/lists.md, run against a fresh store: the screens print
/// the `screen-output` block.
#[test]
fn the_documented_screens_print_what_the_docs_show() {
    if dir::for_test("us_ofac", "the_documented_screens_print_what_the_docs_show").is_none() {
        return;
    }
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lists.md"))
        .unwrap();
    let block = |marker: &str| {
        doc.split(marker)
            .nth(1)
            .and_then(|rest| rest.split_once("```").map(|(_, r)| r))
            .and_then(|rest| rest.split_once('\n').map(|(_, r)| r))
            .and_then(|rest| rest.split("```").next())
            .unwrap_or_else(|| panic!("docs/lists.md has a {marker} block"))
            .to_string()
    };
    let lists = dir::lists_dir().display().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let mut printed = String::new();
    for line in block("<!-- screen-example -->")
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let words: Vec<String> = shell_words(line)
            .iter()
            .map(|w| w.replace("$LISTS", &lists))
            .collect();
        assert_eq!(words[0], "interdict", "{line}");
        let o = Command::new(env!("CARGO_BIN_EXE_interdict"))
            .args(&words[1..])
            .env("INTERDICT_STORE", tmp.path().join("s.sqlite"))
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{line}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        if words[1] == "screen" {
            printed.push_str(&String::from_utf8(o.stdout).unwrap());
        }
    }
    assert_eq!(printed, block("<!-- screen-output -->"));
}
