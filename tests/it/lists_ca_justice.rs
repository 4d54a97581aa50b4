//! The Canada Justice Laws XML importer (`ca-criminal-code`, `ca-jvcfoa`, format
//! `ca-justice-xml`) on both Justice Laws files of the lists folder, against an independent
//! reading (the `<Item ` start tags and their `lims:inforce-start-date` attributes found by a
//! plain split), and on its broken-file corpus (`tests/data/ca-justice-xml-broken/`).

use std::collections::BTreeMap;

use interdict::diagnostic::Severity;
use interdict::lists::config;
use interdict::lists::dir;
use interdict::lists::import::import_path;

use crate::common::list_corpus::{Case, check_corpus, no_errors, round_trip};

/// The in-force date of every `<Item ...>` start tag, by a plain split of the text.
fn item_dates(text: &str) -> Vec<String> {
    text.split("<Item ")
        .skip(1)
        .map(|s| {
            let tag = s.split('>').next().unwrap();
            tag.split("lims:inforce-start-date=\"")
                .nth(1)
                .and_then(|d| d.split('"').next())
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn justice_laws_lists_count_like_their_items() {
    for (rel, list, ty, tag, n, published) in [
        (
            "ca/SOR-2002-284_listed_entities_2026-06-15.xml",
            "ca-criminal-code",
            "entity",
            "CA-LISTED-ENTITY",
            89,
            "2026-06-15",
        ),
        (
            "ca/SOR-2017-233_jvcfoa_magnitsky.xml",
            "ca-jvcfoa",
            "individual",
            "CA-JVCFOA",
            80,
            "2025-07-25",
        ),
    ] {
        let Some(p) = dir::for_test(rel, "justice_laws_lists") else {
            return;
        };
        let text = std::fs::read_to_string(&p).unwrap();
        let i = import_path(&p, &config::embedded_list(list).unwrap());
        no_errors(&i);
        let dates = item_dates(&text);
        assert_eq!(i.records.len(), dates.len(), "{rel}");
        assert_eq!(i.records.len(), n, "{rel}");
        assert_eq!(i.by_type().get(ty), Some(&n), "{rel}");
        assert!(i.records.iter().all(|r| r.tags == [tag]), "{rel}");
        assert!(i.unmapped_regimes.is_empty());
        assert_eq!(
            i.published.map(|d| d.to_string()).as_deref(),
            Some(published)
        );
        // Listing dates by year equal the items' in-force dates by year.
        let mut want: BTreeMap<String, usize> = BTreeMap::new();
        for d in &dates {
            *want.entry(d[..4].to_string()).or_insert(0) += 1;
        }
        let mut got: BTreeMap<String, usize> = BTreeMap::new();
        for r in &i.records {
            *got.entry(r.listed_on.unwrap().to_string()[..4].to_string())
                .or_insert(0) += 1;
        }
        assert_eq!(got, want, "{rel}");
        let ids: std::collections::BTreeSet<&str> =
            i.records.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), n, "ids are unique");
        assert_eq!(i.unparsed(), 0);
        round_trip(&i);
    }
}

#[test]
fn aliases_come_out_of_the_item_text() {
    let Some(p) = dir::for_test(
        "ca/SOR-2002-284_listed_entities_2026-06-15.xml",
        "justice_laws_aliases",
    ) else {
        return;
    };
    let i = import_path(&p, &config::embedded_list("ca-criminal-code").unwrap());
    let aqim = i
        .records
        .iter()
        .find(|r| r.name == "Al Qaeda in the Islamic Maghreb (AQIM)")
        .unwrap();
    let names: Vec<&str> = aqim.aliases.iter().map(|a| a.name.as_str()).collect();
    // The French names inside `<Language>` are read in their place.
    assert!(
        names.contains(&"Groupe salafiste pour la prédication et le combat"),
        "{names:?}"
    );
    assert_eq!(
        names.last(),
        Some(&"Salafist Group for Preaching and Combat")
    );
    assert_eq!(names.len(), 10);
    // Items listed in 2025 carry their own in-force date.
    assert!(i.records.iter().any(|r| r.name == "Maniac Murder Cult"
        && r.listed_on.map(|d| d.to_string()).as_deref() == Some("2025-12-08")));
}

const E: Severity = Severity::Error;

#[test]
fn the_broken_justice_laws_corpus_gives_located_errors() {
    let imports = check_corpus(
        "ca-justice-xml-broken",
        "ca-criminal-code",
        &[
            Case {
                file: "no-instrument.xml",
                records: 0,
                seen: 0,
                diagnostics: &[(E, 2, "no `<Identification><InstrumentNumber>`")],
            },
            Case {
                file: "no-items.xml",
                records: 0,
                seen: 0,
                diagnostics: &[(E, 2, "no `<Item>`")],
            },
            Case {
                file: "bad-items.xml",
                records: 2,
                seen: 6,
                diagnostics: &[
                    (E, 7, "an `<Item>` without `<Text>`"),
                    (E, 8, "`23/05/2018` is not a date"),
                    (E, 9, "an `<Item>` with an empty text"),
                    (E, 10, "without a label or `lims:id`"),
                ],
            },
        ],
    );
    let bad = &imports[2];
    assert_eq!(bad.records[0].name, "Good Group");
    let a: Vec<&str> = bad.records[0]
        .aliases
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(
        a,
        ["Bon Groupe and GG"],
        "one alias without a comma is not split at `and`"
    );
    assert_eq!(bad.records[1].unparsed, ["Note(kept)"]);
}
