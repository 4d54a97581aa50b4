//! The EU Financial Sanctions Files XML importer (`eu-fsf`) on every FSF file of the lists
//! folder, against an independent reading of the same file with `quick_xml` events (no element
//! tree, no importer code), and on its broken-file corpus (`tests/data/eu-fsf-xml-broken/`).

use std::collections::BTreeMap;

use interdict::diagnostic::Severity;
use interdict::lists::config;
use interdict::lists::dir;
use interdict::lists::import::import_path;
use interdict::lists::record::Strength;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

use crate::common::list_corpus::{Case, check_corpus, no_errors, round_trip};

/// What a plain event scan of an FSF file counts.
#[derive(Default, Debug)]
struct Scan {
    entities: usize,
    by_code: BTreeMap<String, usize>,
    /// Per programme, the entities with at least one regulation under it.
    by_programme: BTreeMap<String, usize>,
    designation_dates: usize,
    /// Named `nameAlias` elements beyond the first of each entity, and those marked weak.
    aliases: usize,
    weak_aliases: usize,
    identifications: usize,
}

fn scan(text: &str) -> Scan {
    let mut r = Reader::from_str(text);
    let mut s = Scan::default();
    let mut names_here = 0;
    let mut programmes_here: Vec<String> = Vec::new();
    loop {
        let ev = r.read_event().unwrap();
        let (e, is_start) = match &ev {
            Event::Start(e) => (e.clone(), true),
            Event::Empty(e) => (e.clone(), false),
            Event::End(e) if e.local_name().as_ref() == b"sanctionEntity" => {
                for p in programmes_here.drain(..) {
                    *s.by_programme.entry(p).or_default() += 1;
                }
                s.aliases += names_here.max(1) - 1;
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let _ = is_start;
        let attr = |k: &str| {
            e.attributes()
                .flatten()
                .find(|a| a.key.local_name().as_ref() == k.as_bytes())
                .map(|a| String::from_utf8_lossy(&a.value).into_owned())
        };
        match e.local_name().as_ref() {
            b"sanctionEntity" => {
                s.entities += 1;
                names_here = 0;
                if attr("designationDate").is_some() {
                    s.designation_dates += 1;
                }
            }
            b"subjectType" => *s.by_code.entry(attr("code").unwrap()).or_default() += 1,
            b"regulation" => {
                let p = attr("programme").unwrap();
                if !programmes_here.contains(&p) {
                    programmes_here.push(p);
                }
            }
            b"nameAlias" if attr("wholeName").is_some_and(|w| !w.is_empty()) => {
                if names_here > 0 && attr("strong").as_deref() == Some("false") {
                    s.weak_aliases += 1;
                }
                names_here += 1;
            }
            b"identification" => s.identifications += 1,
            _ => {}
        }
    }
    s
}

#[test]
fn fsf_files_count_like_an_event_scan() {
    let conf = config::embedded_list("eu-fsf").unwrap();
    for (rel, n, published) in [
        ("eu/fsf_xml_sample_2026-08-05.xml", 5, "2026-08-05"),
        ("eu/fsf_xml_sample_2020-04-15.xml", 7, "2020-04-15"),
    ] {
        let Some(p) = dir::for_test(rel, "fsf_files") else {
            return;
        };
        let text = std::fs::read_to_string(&p).unwrap();
        let s = scan(&text);
        let i = import_path(&p, &conf);
        no_errors(&i);
        assert!(i.warnings.is_empty(), "{:?}", i.warnings);
        assert_eq!(i.records.len(), n, "{rel}");
        assert_eq!(i.records.len(), s.entities, "{rel}");
        assert_eq!(
            i.published.map(|d| d.to_string()).as_deref(),
            Some(published)
        );
        let by_type = i.by_type();
        for (code, ty) in [("person", "individual"), ("enterprise", "entity")] {
            assert_eq!(
                by_type.get(ty).copied().unwrap_or(0),
                s.by_code.get(code).copied().unwrap_or(0),
                "{rel} {code}"
            );
        }
        let by_regime: BTreeMap<String, usize> = i.by_regime();
        assert_eq!(by_regime, s.by_programme, "{rel}");
        assert_eq!(
            i.records.iter().filter(|r| r.listed_on.is_some()).count(),
            s.designation_dates,
            "{rel}"
        );
        let aliases: Vec<_> = i.records.iter().flat_map(|r| &r.aliases).collect();
        assert_eq!(aliases.len(), s.aliases, "{rel}");
        assert_eq!(
            aliases
                .iter()
                .filter(|a| a.strength == Strength::Weak)
                .count(),
            s.weak_aliases,
            "{rel}"
        );
        let ids: usize = i.records.iter().map(|r| r.identifiers.len()).sum();
        assert_eq!(ids, s.identifications, "{rel}");
        // Every programme of these files is configured; every record names its regulation.
        assert!(i.unmapped_regimes.is_empty(), "{:?}", i.unmapped_regimes);
        assert!(
            i.records
                .iter()
                .all(|r| r.attributes.iter().any(|a| a.label == "Regulation"))
        );
        assert_eq!(i.unparsed(), 0, "{rel}: every element understood");
        round_trip(&i);
    }
}

#[test]
fn an_fsf_entity_keeps_its_names_dates_and_regulation() {
    let Some(p) = dir::for_test("eu/fsf_xml_sample_2026-08-05.xml", "fsf_entity") else {
        return;
    };
    let i = import_path(&p, &config::embedded_list("eu-fsf").unwrap());
    let r = i.records.iter().find(|r| r.id == "191").unwrap();
    assert_eq!(r.name, "Bin Khalid Fahd Bin Adballah");
    assert_eq!(r.regimes, ["TERR"]);
    assert_eq!(r.tags, ["EU-TERRORISM"]);
    assert_eq!(r.listed_on, None, "entity 191 has no designationDate");
    assert_eq!(r.dates_of_birth, ["1965-04-14", "1964-03-01"]);
    assert_eq!(r.aliases[0].script.as_deref(), Some("FR"));
    let reg = r
        .attributes
        .iter()
        .find(|a| a.label == "Regulation")
        .unwrap();
    assert_eq!(
        reg.value,
        "2025/206 (L 202500206), amendment by the council, published 2025-01-31, in force 2025-02-01"
    );
    assert_eq!(r.identifiers[0].value, "488555");
    assert_eq!(r.identifiers[0].country, None, "UNKNOWN is no country");
}

const E: Severity = Severity::Error;

#[test]
fn the_broken_fsf_corpus_gives_located_errors() {
    let imports = check_corpus(
        "eu-fsf-xml-broken",
        "eu-fsf",
        &[
            Case {
                file: "empty.xml",
                records: 0,
                seen: 0,
                diagnostics: &[(E, 1, "no root element")],
            },
            Case {
                file: "cut-short.xml",
                records: 0,
                seen: 0,
                diagnostics: &[(E, 7, "cut short")],
            },
            Case {
                file: "wrong-root.xml",
                records: 0,
                seen: 0,
                diagnostics: &[(E, 2, "not `<export>`")],
            },
            Case {
                file: "bad-entity.xml",
                records: 0,
                seen: 0,
                diagnostics: &[(E, 3, "unrecognized entity `unknown`")],
            },
            Case {
                file: "bad-records.xml",
                records: 2,
                seen: 8,
                diagnostics: &[
                    (E, 9, "without `logicalId`"),
                    (E, 14, "unknown `subjectType` code `robot`"),
                    (E, 19, "entity 4 has no name"),
                    (E, 24, "entity 5 has no regime"),
                    (E, 28, "`1.1.2020` is not a date"),
                    (E, 33, "`<somethingElse>` in `<export>`"),
                ],
            },
        ],
    );
    let bad = &imports[4];
    assert_eq!(bad.records[0].aliases[0].strength, Strength::Weak);
    assert_eq!(bad.records[0].tags, ["EU-TERRORISM"]);
    // An unknown programme is counted; an unknown element is kept verbatim.
    assert_eq!(bad.unmapped_regimes.get("MARS"), Some(&1));
    assert_eq!(bad.records[1].unparsed, ["newElement[kind=x](kept)"]);
}
