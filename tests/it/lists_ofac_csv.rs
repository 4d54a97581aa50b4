//! OFAC's legacy CSV sets (`us-ofac-sdn-csv`, `us-ofac-cons-csv`, format `ofac-csv`): the main
//! file merged with the ADD, ALT and comments companions found beside it, against an
//! independent reading of the four files with the `csv` crate in the test (Python counts in
//! comments), and a broken companion corpus (`tests/data/ofac-csv-broken/`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use interdict::diagnostic::Severity;
use interdict::lists::config;
use interdict::lists::dir;
use interdict::lists::import::import_path;

use interdict::render::diagnostic::DiagnosticText as _;

use crate::common::list_corpus::{no_errors, round_trip};

/// The rows of an OFAC CSV file (Windows-1252, a final Ctrl-Z), `-0-` kept as written.
fn rows(p: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(p).unwrap();
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    let text = text.replace('\u{1a}', "");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .filter(|r: &Vec<String>| !(r.len() == 1 && r[0].is_empty()))
        .collect()
}

fn check_set(main: &str, list: &str, add: &str, alt: &str, comments: Option<&str>, n: usize) {
    let Some(p) = dir::for_test(main, "ofac_csv_set") else {
        return;
    };
    let folder = p.parent().unwrap();
    let i = import_path(&p, &config::embedded_list(list).unwrap());
    no_errors(&i);
    let m = rows(&p);
    assert_eq!(i.records.len(), m.len());
    assert_eq!(i.records.len(), n);
    // Types: an empty type column (`-0-`) is an entity.
    let mut types: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &m {
        let t = if r[2].trim() == "-0-" {
            "entity"
        } else {
            r[2].as_str()
        };
        *types.entry(t).or_insert(0) += 1;
    }
    let got = i.by_type();
    assert_eq!(got.len(), types.len());
    for (t, k) in &types {
        assert_eq!(got.get(t), Some(k), "{t}");
    }
    // Programs, as the column writes them joined by `] [`.
    let mut programs: BTreeMap<String, usize> = BTreeMap::new();
    for r in &m {
        for t in r[3].split("] [") {
            *programs.entry(t.to_string()).or_insert(0) += 1;
        }
    }
    assert_eq!(i.by_regime(), programs);
    assert!(i.unmapped_regimes.is_empty());
    let by_id: HashMap<&str, _> = i.records.iter().map(|r| (r.id.as_str(), r)).collect();
    // Every ALT name is an alias of its entry.
    for a in rows(&folder.join(alt)) {
        let r = by_id[a[0].as_str()];
        assert!(
            r.aliases.iter().any(|x| x.name == a[3]),
            "{} lacks {}",
            a[0],
            a[3]
        );
    }
    // One address attribute per ADD row with any address text.
    let addresses = rows(&folder.join(add))
        .iter()
        .filter(|r| r[2..5].iter().any(|f| f.trim() != "-0-"))
        .count();
    let got: usize = i
        .records
        .iter()
        .map(|r| r.attributes.iter().filter(|a| a.label == "Address").count())
        .sum();
    assert_eq!(got, addresses);
    // A remark cut at 1,000 characters continues in the comments: joined, then parsed.
    if let Some(c) = comments {
        let main_rows: HashMap<&str, &Vec<String>> = m.iter().map(|r| (r[0].as_str(), r)).collect();
        for c in rows(&folder.join(c)) {
            let r = by_id[c[0].as_str()];
            let remarks = r.attributes.iter().find(|a| a.label == "Remarks").unwrap();
            let head = &main_rows[c[0].as_str()][11];
            assert_eq!(head.chars().count(), 1000, "{}", c[0]);
            assert_eq!(remarks.value, format!("{head}{}", c[1]), "{}", c[0]);
        }
    }
    round_trip(&i);
}

#[test]
fn the_non_sdn_csv_set_merges_its_companions() {
    // Python: 442 rows (79 individuals, 363 entities), 574 ADD rows (522 with text), 1,073 ALT
    // rows and 10 comments, every companion row naming an entry of the main file.
    check_set(
        "us_ofac/cons_prim_2025-12.csv",
        "us-ofac-cons-csv",
        "cons_add_2025-12.csv",
        "cons_alt_2025-12.csv",
        Some("cons_comments_2025-12.csv"),
        442,
    );
}

#[test]
fn the_sdn_csv_set_merges_its_companions() {
    // Python: 13,821 rows; 18,990 ADD rows (16,338 with text); 17,091 ALT rows. This set has
    // no SDN_COMMENTS of its date.
    check_set(
        "us_ofac/sdn_2023-12-28.csv",
        "us-ofac-sdn-csv",
        "add_2023-12-28.csv",
        "alt_2023-12-28.csv",
        None,
        13821,
    );
}

const E: Severity = Severity::Error;

#[test]
fn broken_companions_give_located_errors() {
    let folder =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/ofac-csv-broken");
    let i = import_path(
        &folder.join("sdn_broken.csv"),
        &config::embedded_list("us-ofac-sdn-csv").unwrap(),
    );
    let got: Vec<(Severity, u32, String)> = i
        .errors
        .iter()
        .chain(&i.warnings)
        .map(|d| (d.severity, d.line, d.render()))
        .collect();
    let want: &[(Severity, u32, &str, &str)] = &[
        (
            E,
            2,
            "sdn_comments_broken.csv",
            "entry `abc` is not in the main file",
        ),
        (E, 3, "alt_broken.csv", "a row of 3 field(s), expected 5"),
        (E, 2, "alt_broken.csv", "entry `99` is not in the main file"),
        (E, 2, "add_broken.csv", "entry `98` is not in the main file"),
    ];
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for ((sev, line, text), (ws, wl, file, words)) in got.iter().zip(want) {
        assert_eq!((sev, line), (ws, wl), "{text}");
        assert!(
            text.contains(&format!("{file}:{wl}")) && text.contains(words),
            "{text}"
        );
    }
    assert_eq!((i.records.len(), i.seen), (2, 2));
    let a = &i.records[0];
    assert!(a.aliases.iter().any(|x| x.name == "ALPHA TWO"), "{a:?}");
    assert!(
        a.attributes
            .iter()
            .any(|x| x.label == "Address" && x.value == "1 Main St, Town, Testland"),
        "{a:?}"
    );
    let b = &i.records[1];
    assert!(
        b.attributes
            .iter()
            .any(|x| x.label == "Remarks" && x.value == "Gender Male."),
        "{b:?}"
    );
}
