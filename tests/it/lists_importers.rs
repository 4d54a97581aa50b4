//! The list importers on every real file of their formats in the lists folder
//! (`INTERDICT_LISTS_DIR` or `../shared/data/lists`; each test prints SKIPPED and returns only
//! when the folder is absent). Counts are checked against an independent reading: a byte-level
//! tag count in the test, or Python (the snippet is in the comment).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use interdict::lists::config::{self, ListConfig};
use interdict::lists::dir;
use interdict::lists::import::{import_bytes, import_path};
use interdict::lists::record::{ListImport, Strength};
use interdict::render::diagnostic::DiagnosticText as _;

fn file(rel: &str, test: &str) -> Option<PathBuf> {
    dir::for_test(rel, test)
}

fn conf(id: &str) -> ListConfig {
    config::embedded_list(id).unwrap()
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

fn no_errors(i: &ListImport) {
    let e: Vec<String> = i.errors.iter().map(|d| d.render()).collect();
    assert!(e.is_empty(), "{e:#?}");
    assert_eq!(i.seen, i.records.len(), "every record accounted for");
}

#[test]
fn un_consolidated_list_counts_equal_a_tag_count() {
    let Some(p) = file("un/un_consolidated_2026-02-27.xml", "un_consolidated_list") else {
        return;
    };
    let text = std::fs::read_to_string(&p).unwrap();
    let i = import_path(&p, &conf("un"));
    no_errors(&i);
    // Independent reading: the start tags themselves.
    let by_type = i.by_type();
    assert_eq!(
        by_type.get("individual"),
        Some(&count(&text, "<INDIVIDUAL>"))
    );
    assert_eq!(by_type.get("entity"), Some(&count(&text, "<ENTITY>")));
    assert_eq!(i.records.len(), 730 + 273);
    // Every record has one regime: the counts by regime are those of `<UN_LIST_TYPE>X<`.
    for (regime, n) in i.by_regime() {
        assert_eq!(
            n,
            count(&text, &format!("<UN_LIST_TYPE>{regime}</UN_LIST_TYPE>")),
            "{regime}"
        );
    }
    assert_eq!(i.by_regime().get("Al-Qaida"), Some(&341));
    // Every record carries its listing date; every regime is mapped to a tag.
    assert!(i.records.iter().all(|r| r.listed_on.is_some()));
    assert!(i.unmapped_regimes.is_empty(), "{:?}", i.unmapped_regimes);
    assert_eq!(
        i.published.map(|d| d.to_string()).as_deref(),
        Some("2026-02-27")
    );
    // Low-quality aliases are weak; their number is that of the non-empty `Low` aliases.
    let weak = i
        .records
        .iter()
        .flat_map(|r| &r.aliases)
        .filter(|a| a.strength == Strength::Weak)
        .count();
    assert_eq!(weak, count(&text, "<QUALITY>Low</QUALITY>"));
    // Documents: one identifier per `<NUMBER>`.
    let ids: usize = i.records.iter().map(|r| r.identifiers.len()).sum();
    assert_eq!(ids, count(&text, "<NUMBER>"));
    let badege = i.records.iter().find(|r| r.id == "6907993").unwrap();
    assert_eq!(badege.name, "ERIC BADEGE");
    assert_eq!(badege.tags, ["UN-DRC"]);
    assert_eq!(badege.listed_on.unwrap().to_string(), "2012-12-31");
    assert_eq!(i.unparsed(), 0, "every element of this file is understood");
}

#[test]
fn ofsi_conlist_groups_rows_into_targets() {
    let Some(p) = file("uk/ofsi_conlist_2025-04-14.from-xlsx.csv", "ofsi_conlist") else {
        return;
    };
    let i = import_path(&p, &conf("uk-ofsi"));
    no_errors(&i);
    // Python, independently:
    //   f = open(FILE, newline='', encoding='utf-8-sig'); f.readline()
    //   rows = list(csv.DictReader(f)); len(rows) == 18798
    //   len({r['Group ID'] for r in rows}) == 4688
    //   Counter(r for _, r in {(x['Group ID'], x['Regime']) for x in rows})
    assert_eq!(i.records.len(), 4688);
    let types: BTreeMap<&str, usize> = i.by_type();
    assert_eq!(types.get("individual"), Some(&3663));
    assert_eq!(types.get("entity"), Some(&1010));
    assert_eq!(types.get("vessel"), Some(&15));
    let regimes = i.by_regime();
    for (regime, n) in [
        ("Russia", 2181),
        ("Global Human Rights", 143),
        ("Global Anti-Corruption", 66),
        ("Counter-Terrorism (International)", 63),
        ("Counter-Terrorism (Domestic)", 6),
        ("ISIL (Da'esh) and Al-Qaida", 344),
        ("Syria", 360),
        ("Chemical Weapons", 29),
        ("Mali", 3),
    ] {
        assert_eq!(regimes.get(regime), Some(&n), "{regime}");
    }
    assert_eq!(regimes.len(), 31);
    assert!(i.unmapped_regimes.is_empty(), "{:?}", i.unmapped_regimes);
    assert_eq!(
        i.published.map(|d| d.to_string()).as_deref(),
        Some("2025-04-14")
    );
    assert!(i.records.iter().all(|r| r.listed_on.is_some()));
    // Group 15672 (GHR0086): primary name HAQ, with its variants as aliases.
    let haq = i.records.iter().find(|r| r.id == "15672").unwrap();
    assert_eq!(haq.tags, ["UK-GHR"]);
    assert!(
        haq.aliases.iter().any(|a| a.name == "Mian MITHOO"),
        "{haq:?}"
    );
    assert!(haq.attributes.iter().any(|a| a.value.contains("GHR0086")));
}

#[test]
fn ofsi_2020_layout_reports_its_regimes_as_unmapped() {
    let Some(p) = file("uk/ofsi_conlist_sample_2020-04-27.csv", "ofsi_2020") else {
        return;
    };
    let i = import_path(&p, &conf("uk-ofsi"));
    no_errors(&i);
    // Python: 23 rows, 6 Group IDs; regimes by (group, regime) pair as below.
    assert_eq!(i.records.len(), 6);
    let expected: BTreeMap<String, usize> = [
        ("ISIL (Da'esh) and Al-Qaida", 1),
        ("Iran (nuclear proliferation)", 1),
        ("North Korea (Democratic People's Republic of Korea)", 1),
        ("Syria", 1),
        ("Ukraine (Sovereignty)", 2),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(i.by_regime(), expected);
    // The 2020 names of three regimes are not the configuration's: counted, never dropped.
    assert_eq!(
        i.unmapped_regimes.keys().cloned().collect::<Vec<_>>(),
        [
            "Iran (nuclear proliferation)",
            "North Korea (Democratic People's Republic of Korea)",
            "Ukraine (Sovereignty)"
        ]
    );
    assert_eq!(i.unmapped_regimes.get("Ukraine (Sovereignty)"), Some(&2));
}

// Broken files: each damage is a located error, and the other records are still read.

#[test]
fn a_cut_un_file_is_one_located_error() {
    let xml = "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST dateGenerated=\"2026-01-01T00:00:00Z\">\n<INDIVIDUALS>\n<INDIVIDUAL><DATAID>1</DATAID>";
    let i = import_bytes(xml.as_bytes(), "cut.xml", &conf("un"));
    assert_eq!(i.errors.len(), 1);
    let e = i.errors[0].render();
    assert!(e.contains("cut.xml:4"), "{e}");
    assert!(e.contains("cut short"), "{e}");
}

#[test]
fn bad_un_records_are_refused_one_by_one() {
    let xml = r#"<CONSOLIDATED_LIST>
<INDIVIDUALS>
<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE><LISTED_ON>2020-01-01</LISTED_ON></INDIVIDUAL>
<INDIVIDUAL><DATAID>2</DATAID><UN_LIST_TYPE>DPRK</UN_LIST_TYPE></INDIVIDUAL>
<INDIVIDUAL><DATAID>3</DATAID><FIRST_NAME>C</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE><LISTED_ON>1.1.2020</LISTED_ON></INDIVIDUAL>
<INDIVIDUAL><DATAID>4</DATAID><FIRST_NAME>D</FIRST_NAME><UN_LIST_TYPE>Mars</UN_LIST_TYPE><NEW_THING>x</NEW_THING></INDIVIDUAL>
</INDIVIDUALS>
</CONSOLIDATED_LIST>"#;
    let i = import_bytes(xml.as_bytes(), "bad.xml", &conf("un"));
    assert_eq!(i.seen, 4);
    assert_eq!(i.records.len(), 2);
    let e: Vec<String> = i.errors.iter().map(|d| d.render()).collect();
    assert!(
        e[0].contains("bad.xml:4:") && e[0].contains("record 2 has no name"),
        "{e:?}"
    );
    assert!(
        e[1].contains("bad.xml:5:") && e[1].contains("`1.1.2020` is not a date"),
        "{e:?}"
    );
    // An unknown regime is counted; an unknown element is kept verbatim.
    assert_eq!(i.unmapped_regimes.get("Mars"), Some(&1));
    assert_eq!(i.records[1].unparsed, ["NEW_THING(x)"]);
}

#[test]
fn bad_ofsi_rows_are_located() {
    let csv = "Last Updated,01/02/2025\nName 6,Name 1,Group Type,Alias Type,Alias Quality,Regime,Listed On,Group ID\n\
X,A,Individual,Primary name,,Russia,01/01/2023,1\n\
Y,B,Robot,Primary name,,Russia,01/01/2023,2\n\
Z,C,Entity,Primary name,,Russia,2023-01-01,3\n\
W,D,Entity,Primary name,,Russia\n\
V,E,Entity,Primary name,,Russia,01/01/2023,\n";
    let i = import_bytes(csv.as_bytes(), "bad.csv", &conf("uk-ofsi"));
    let e: Vec<String> = i.errors.iter().map(|d| d.render()).collect();
    assert_eq!(i.records.len(), 1);
    assert_eq!(i.seen, 5, "{e:?}");
    assert!(
        e.iter()
            .any(|m| m.contains("bad.csv:6:") && m.contains("6 fields, the header has 8")),
        "{e:?}"
    );
    assert!(
        e.iter()
            .any(|m| m.contains("bad.csv:7:") && m.contains("without a `Group ID`")),
        "{e:?}"
    );
    assert!(
        e.iter()
            .any(|m| m.contains("bad.csv:4:") && m.contains("unknown `Group Type` `Robot`")),
        "{e:?}"
    );
    assert!(
        e.iter()
            .any(|m| m.contains("bad.csv:5:") && m.contains("`2023-01-01` is not a date")),
        "{e:?}"
    );
    assert_eq!(
        i.published.map(|d| d.to_string()).as_deref(),
        Some("2025-02-01")
    );
}

#[test]
fn records_round_trip_through_json() {
    let Some(p) = file("un/un_consolidated_2026-02-27.xml", "records_round_trip") else {
        return;
    };
    let i = import_path(&p, &conf("un"));
    let json = serde_json::to_string(&i.records).unwrap();
    let back: Vec<interdict::lists::record::ListRecord> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, i.records);
}

#[test]
fn canada_sema_counts_equal_a_tag_count() {
    let Some(p) = file("ca/sema-lmes_2025-05.xml", "canada_sema") else {
        return;
    };
    let text = std::fs::read_to_string(&p).unwrap();
    let i = import_path(&p, &conf("ca-sema"));
    no_errors(&i);
    assert_eq!(i.records.len(), count(&text, "<record>"));
    assert_eq!(i.records.len(), 4759);
    // Independent reading: individuals have `<LastName>`, ships an IMO number.
    let t = i.by_type();
    assert_eq!(t.get("individual"), Some(&count(&text, "<LastName>")));
    assert_eq!(t.get("vessel"), Some(&count(&text, "<ShipIMONumber>")));
    assert_eq!(t.get("entity"), Some(&(4759 - 3334 - 109)));
    // Python: Counter(r.findtext('Country').strip() for r in root)
    let g = i.by_regime();
    assert_eq!(g.len(), 19);
    assert_eq!(g.get("Russia / Russie"), Some(&2426));
    assert_eq!(
        g.get("Venezuela"),
        Some(&123),
        "the trailing space is not part of it"
    );
    assert_eq!(
        g.get("Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR) / Règlement relatif à la justice pour les victimes de dirigeants étrangers corrompus (RJVDEC)"),
        Some(&80)
    );
    assert!(i.unmapped_regimes.is_empty(), "{:?}", i.unmapped_regimes);
    assert!(i.records.iter().all(|r| r.listed_on.is_some()));
    assert_eq!(
        i.records.iter().filter(|r| r.tags == ["CA-JVCFOA"]).count(),
        80
    );
    let ids: std::collections::BTreeSet<&str> = i.records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids.len(),
        4759,
        "(regime, schedule, item) identifies a record"
    );
    assert_eq!(i.unparsed(), 0);
}

#[test]
fn ofac_xml_files_count_like_their_tags() {
    for (rel, list, n) in [
        (
            "us_ofac/consolidated_nonsdn_2024-05-06.xml",
            "us-ofac-cons",
            443,
        ),
        ("us_ofac/sdn_xml_sample_2020-04-22.xml", "us-ofac-sdn", 8),
    ] {
        let Some(p) = file(rel, "ofac_xml_files") else {
            return;
        };
        let text = std::fs::read_to_string(&p).unwrap();
        let i = import_path(&p, &conf(list));
        no_errors(&i);
        // The 2020 file is an 8-entry subset of a list of 8,197: the header says so.
        let w: Vec<String> = i.warnings.iter().map(|d| d.render()).collect();
        if n == 8 {
            assert!(
                w[0].contains("declares 8197 records, the file has 8"),
                "{w:?}"
            );
        } else {
            assert!(w.is_empty(), "Record_Count agrees: {w:?}");
        }
        assert_eq!(i.records.len(), n);
        assert_eq!(i.records.len(), count(&text, "<sdnEntry>"));
        for (ty, tag) in [("individual", "Individual"), ("entity", "Entity")] {
            assert_eq!(
                i.by_type().get(ty).copied().unwrap_or(0),
                count(&text, &format!("<sdnType>{tag}</sdnType>")),
                "{rel} {ty}"
            );
        }
        for (program, k) in i.by_regime() {
            assert_eq!(
                k,
                count(&text, &format!("<program>{program}</program>")),
                "{program}"
            );
        }
        // Tags are the programs themselves; weak aliases as in `<category>weak`.
        assert!(i.records.iter().all(|r| r.tags == r.regimes));
        let weak = i
            .records
            .iter()
            .flat_map(|r| &r.aliases)
            .filter(|a| a.strength == Strength::Weak)
            .count();
        assert_eq!(weak, count(&text, "<category>weak</category>"));
        let ids: usize = i.records.iter().map(|r| r.identifiers.len()).sum();
        assert_eq!(ids, count(&text, "<idType>"));
        assert_eq!(i.unparsed(), 0);
    }
}

#[test]
fn an_ofac_xml_file_shorter_than_its_header_is_flagged() {
    let xml = "<sdnList><publshInformation><Publish_Date>05/06/2024</Publish_Date><Record_Count>2</Record_Count></publshInformation>\n<sdnEntry><uid>1</uid><lastName>A</lastName><sdnType>Entity</sdnType><programList><program>SDGT</program></programList></sdnEntry>\n<sdnEntry><uid>2</uid><lastName>B</lastName><sdnType>Robot</sdnType><programList><program>SDGT</program></programList></sdnEntry>\n<sdnEntry><uid>3</uid><lastName>C</lastName><sdnType>Entity</sdnType><programList/></sdnEntry></sdnList>";
    let i = import_bytes(xml.as_bytes(), "short.xml", &conf("us-ofac-sdn"));
    assert_eq!((i.seen, i.records.len()), (3, 1));
    let e: Vec<String> = i.errors.iter().map(|d| d.render()).collect();
    assert!(
        e[0].contains("short.xml:3:") && e[0].contains("unknown `<sdnType>` `Robot`"),
        "{e:?}"
    );
    assert!(
        e[1].contains("short.xml:4:") && e[1].contains("entry 3 has no program"),
        "{e:?}"
    );
    assert!(
        i.warnings[0]
            .render()
            .contains("declares 2 records, the file has 3")
    );
    assert_eq!(
        i.published.map(|d| d.to_string()).as_deref(),
        Some("2024-05-06")
    );
}

#[test]
fn import_list_cli_writes_records_and_reports_unmapped_regimes() {
    let Some(p) = file("uk/ofsi_conlist_sample_2020-04-27.csv", "import_list_cli") else {
        return;
    };
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_interdict"))
        .args(["import", "list", "--list", "uk-ofsi"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["records"].as_array().map(Vec::len), Some(6));
    assert_eq!(doc["published"], "2020-04-27");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("6 records read of 6 (0 refused)"), "{err}");
    assert!(
        err.contains("regimes the list configuration does not map: Iran (nuclear proliferation) (1), North Korea (Democratic People's Republic of Korea) (1), Ukraine (Sovereignty) (2)"),
        "{err}"
    );

    // A refused record: exit 3, nothing on stdout, the line in the error.
    let bad = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bad-conlist.csv");
    std::fs::write(&bad, "Last Updated,01/02/2025\nName 6,Group Type,Alias Type,Regime,Listed On,Group ID\nX,Robot,Primary name,Russia,01/01/2023,1\n").unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_interdict"))
        .args(["import", "list", "--list", "uk-ofsi"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad-conlist.csv:3:") && err.contains("Robot"),
        "{err}"
    );

    let o = std::process::Command::new(env!("CARGO_BIN_EXE_interdict"))
        .args(["import", "list", "--list", "mars"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains(
        "known lists: ca-criminal-code, ca-jvcfoa, ca-sema, eu-fsf, opensanctions, uk-ofsi, uk-sl, un, us-ofac-cons, us-ofac-cons-csv, us-ofac-sdn, us-ofac-sdn-csv"
    ));
}

#[test]
fn the_list_configuration_example_in_docs_lists_md_is_the_embedded_one() {
    let doc =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/lists.md"))
            .unwrap();
    let body = doc
        .split("```toml\n[list]")
        .nth(1)
        .and_then(|b| b.split_once("\n```"))
        .map(|(b, _)| format!("[list]{b}\n"))
        .unwrap();
    let example =
        config::parse(&interdict::source::SourceFile::new("docs/lists.md", body)).unwrap();
    let embedded = conf(&example.id);
    assert_eq!(
        (&example.name, &example.format, &example.url),
        (&embedded.name, &embedded.format, &embedded.url)
    );
    for (regime, tags) in &example.regimes {
        assert_eq!(embedded.regimes.get(regime), Some(tags), "{regime}");
    }
}
