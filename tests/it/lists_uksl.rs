//! The FCDO UK Sanctions List XML importer (`uk-sl`, format `uksl-xml`) on the UKSL file of the
//! lists folder, against an independent reading (plain counts of tags and of their texts in
//! the file), and on its broken-file corpus (`tests/data/uksl-xml-broken/`).

use std::collections::BTreeMap;

use interdict::diagnostic::Severity;
use interdict::lists::config;
use interdict::lists::dir;
use interdict::lists::import::import_path;
use interdict::lists::record::{LinkKind, Strength};

use crate::common::list_corpus::{Case, check_corpus, no_errors, round_trip};

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The texts of every `<tag>...</tag>` in the file, by a plain split.
fn texts<'a>(text: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    text.split(open.as_str())
        .skip(1)
        .filter_map(|s| s.split(close.as_str()).next())
        .collect()
}

#[test]
fn the_uksl_sample_counts_like_its_tags() {
    let Some(p) = dir::for_test("uk/uksl_xml_sample_2026-09-10.xml", "uksl_sample") else {
        return;
    };
    let text = std::fs::read_to_string(&p).unwrap();
    let i = import_path(&p, &config::embedded_list("uk-sl").unwrap());
    no_errors(&i);
    assert!(i.warnings.is_empty(), "{:?}", i.warnings);
    assert_eq!(i.records.len(), count(&text, "<Designation>"));
    assert_eq!(i.records.len(), 5);
    assert_eq!(
        i.published.map(|d| d.to_string()).as_deref(),
        Some("2026-09-10")
    );
    let mut types: BTreeMap<&str, usize> = BTreeMap::new();
    for t in texts(&text, "IndividualEntityShip") {
        let ty = match t {
            "Individual" => "individual",
            "Entity" => "entity",
            _ => "vessel",
        };
        *types.entry(ty).or_insert(0) += 1;
    }
    assert_eq!(i.by_type(), types);
    let mut regimes: BTreeMap<String, usize> = BTreeMap::new();
    for t in texts(&text, "RegimeName") {
        *regimes.entry(t.replace("&apos;", "'")).or_insert(0) += 1;
    }
    assert_eq!(i.by_regime(), regimes);
    assert!(i.unmapped_regimes.is_empty(), "{:?}", i.unmapped_regimes);
    assert_eq!(
        i.records.iter().filter(|r| r.listed_on.is_some()).count(),
        count(&text, "<DateDesignated>")
    );
    // Parent companies and subsidiaries, by name.
    let links: Vec<_> = i.records.iter().flat_map(|r| &r.links).collect();
    assert_eq!(
        links
            .iter()
            .filter(|l| l.kind == LinkKind::SubsidiaryOf)
            .count(),
        count(&text, "<ParentCompany>")
    );
    assert_eq!(
        links
            .iter()
            .filter(|l| l.kind == LinkKind::ParentOf)
            .count(),
        count(&text, "<Subsidiary>")
    );
    let bnk = i.records.iter().find(|r| r.id == "BEL0107").unwrap();
    assert_eq!(
        bnk.links[0].to_name.as_deref(),
        Some("CJSC Belarusian Oil Company")
    );
    // Weak aliases are the `Low quality` ones; identifiers one per number element.
    let weak = i
        .records
        .iter()
        .flat_map(|r| &r.aliases)
        .filter(|a| a.strength == Strength::Weak)
        .count();
    assert_eq!(weak, count(&text, "<AliasStrength>Low quality"));
    let ids: usize = i.records.iter().map(|r| r.identifiers.len()).sum();
    let numbers = count(&text, "<PassportNumber>")
        + count(&text, "<NationalIdentifierNumber>")
        + count(&text, "<BusinessRegistrationNumber>")
        + count(&text, "<IMONumber>");
    assert_eq!(ids, numbers);
    assert_eq!(i.unparsed(), 0, "every element of this file is understood");
    round_trip(&i);
}

const E: Severity = Severity::Error;

#[test]
fn the_broken_uksl_corpus_gives_located_errors() {
    let imports = check_corpus(
        "uksl-xml-broken",
        "uk-sl",
        &[
            Case {
                file: "mismatched-tag.xml",
                records: 0,
                seen: 0,
                diagnostics: &[(E, 5, "not well-formed XML")],
            },
            Case {
                file: "bad-designations.xml",
                records: 2,
                seen: 8,
                diagnostics: &[
                    (E, 15, "without `<UniqueID>`"),
                    (E, 20, "unknown `<IndividualEntityShip>` `Robot`"),
                    (E, 26, "designation GHR0004 has no name"),
                    (E, 32, "designation GHR0005 has no regime"),
                    (E, 37, "`2021-01-01` is not a date dd/mm/yyyy"),
                    (E, 44, "`<Entry>` in `<Designations>`"),
                ],
            },
        ],
    );
    let bad = &imports[1];
    assert_eq!(bad.records[0].tags, ["UK-GHR"]);
    assert_eq!(bad.records[0].aliases[0].strength, Strength::Weak);
    assert_eq!(bad.records[0].links[0].kind, LinkKind::SubsidiaryOf);
    assert_eq!(
        bad.unmapped_regimes
            .get("The Mars (Sanctions) Regulations 2030"),
        Some(&1)
    );
    assert_eq!(bad.records[1].unparsed, ["FavouriteColour(red)"]);
}
