//! Importing the OFAC SDN snapshot of 3 May 2024 (read from the lists folder,
//! `INTERDICT_LISTS_DIR` or `../shared/data/lists`; every test prints SKIPPED and returns only
//! when that folder is absent): every row accounted for, counts checked against
//! an independent byte-level scan of the file, lossless round trips, and the CLI.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test and benchmark helpers fail loudly"
)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use interdict::lists::SdnList;
use interdict::lists::export::{ListDocument, Syntax, read_document};
use interdict::lists::read::read;
use interdict::lists::summary::summarize;

/// The snapshot's path, or `None` (after printing SKIPPED) when the lists folder is absent.
fn snapshot_path(test: &str) -> Option<PathBuf> {
    interdict::lists::dir::for_test(interdict::lists::dir::SDN_SNAPSHOT, test)
}

fn snapshot(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).expect("the SDN snapshot is in the lists folder")
}

/// An independent scan: split the raw bytes into CRLF lines, drop the final Ctrl-Z line, and
/// split each line into fields at commas outside double quotes. Returns the fields per row.
fn scan(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for line in bytes.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() || line == b"\x1a" {
            continue;
        }
        let mut fields = vec![Vec::new()];
        let mut quoted = false;
        for &b in line {
            match b {
                b'"' => quoted = !quoted,
                b',' if !quoted => fields.push(Vec::new()),
                _ => fields.last_mut().unwrap().push(b),
            }
        }
        // Every byte of the file is ASCII, so each byte is one character.
        rows.push(
            fields
                .into_iter()
                .map(|f| f.into_iter().map(char::from).collect())
                .collect(),
        );
    }
    rows
}

#[test]
fn every_row_of_the_snapshot_becomes_an_entry() {
    let Some(path) = snapshot_path("every_row_of_the_snapshot_becomes_an_entry") else {
        return;
    };
    let bytes = snapshot(&path);
    let rows = scan(&bytes);
    assert_eq!(
        rows.len(),
        14_965,
        "the independent scan finds the rows the README announces"
    );
    assert!(rows.iter().all(|r| r.len() == 12));

    let r = read(&bytes, "sdn.csv");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.stats.rows, rows.len());
    assert_eq!(r.stats.entries, rows.len());
    assert_eq!(r.stats.skipped, 0);
    assert_eq!(r.stats.blank_lines, 0);
    assert!(r.stats.eof_marker);
    assert_eq!(r.stats.encoding, "windows-1252");

    // Entry numbers, in file order, as the scan reads them.
    let nums: Vec<u32> = rows.iter().map(|f| f[0].parse().unwrap()).collect();
    assert_eq!(
        r.entries.iter().map(|e| e.ent_num).collect::<Vec<_>>(),
        nums
    );

    // By type: the scan's third column (`-0- ` is an entity).
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &rows {
        *by_type
            .entry(if f[2] == "-0- " {
                "entity"
            } else {
                f[2].as_str()
            })
            .or_default() += 1;
    }
    let mut ours: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &r.entries {
        *ours.entry(e.entry_type.as_str()).or_default() += 1;
    }
    assert_eq!(ours, by_type);
    assert_eq!(by_type["individual"], 6854);
    assert_eq!(by_type["entity"], 6884);
    assert_eq!(by_type["vessel"], 851);
    assert_eq!(by_type["aircraft"], 376);

    // By tag: the scan's fourth column split on `] [`; the README's published counts.
    let published = [
        ("FTO", 70),
        ("SDGT", 2386),
        ("GLOMAG", 694),
        ("MAGNIT", 64),
        ("SDNTK", 1439),
        ("ILLICIT-DRUGS-EO14059", 293),
        ("TCO", 149),
    ];
    for (tag, count) in published {
        let scanned = rows
            .iter()
            .filter(|f| f[3].split("] [").any(|t| t == tag))
            .count();
        let read_count = r
            .entries
            .iter()
            .filter(|e| e.tags.iter().any(|t| t == tag))
            .count();
        assert_eq!(scanned, count, "scan count for {tag}");
        assert_eq!(read_count, count, "reader count for {tag}");
    }
}

#[test]
fn every_remark_fragment_is_parsed_or_kept() {
    let Some(path) = snapshot_path("every_remark_fragment_is_parsed_or_kept") else {
        return;
    };
    let r = read(&snapshot(&path), "sdn.csv");
    let mut alias_marks = 0;
    for e in &r.entries {
        let Some(rem) = &e.remarks else {
            assert!(e.unparsed.is_empty() && e.aliases.is_empty());
            continue;
        };
        // Fragments as the file separates them; each is a parsed fact or kept verbatim.
        let fragments = rem
            .strip_suffix('.')
            .unwrap_or(rem)
            .split("; ")
            .filter(|f| !f.trim().is_empty())
            .count();
        let accounted = e.aliases.len()
            + e.dates_of_birth.len()
            + e.places_of_birth.len()
            + e.nationalities.len()
            + e.citizenships.len()
            + e.identifiers.len()
            + e.linked_to.len()
            + e.secondary_sanctions.len()
            + e.attributes.len()
            + e.unparsed.len();
        assert_eq!(accounted, fragments, "entry {} remarks {rem:?}", e.ent_num);
        alias_marks += ["a.k.a. '", "f.k.a. '", "n.k.a. '"]
            .iter()
            .map(|m| rem.matches(m).count())
            .sum::<usize>();
    }
    // Every alias marker in the file is an alias or a kept fragment (three are cut short at
    // the 1,000-character limit of the column).
    let aliases: usize = r.entries.iter().map(|e| e.aliases.len()).sum();
    let cut: usize = r
        .entries
        .iter()
        .flat_map(|e| &e.unparsed)
        .filter(|u| u.contains(".k.a. '"))
        .count();
    assert_eq!(aliases + cut, alias_marks);
    assert_eq!(cut, 3);

    let hizballah = r.entries.iter().find(|e| e.ent_num == 4697).unwrap();
    assert_eq!(hizballah.tags, vec!["FTO", "SDGT", "SYRIA"]);
    assert_eq!(hizballah.aliases.len(), 8);
    assert_eq!(hizballah.secondary_sanctions.len(), 1);
    let nasrallah = r.entries.iter().find(|e| e.ent_num == 2686).unwrap();
    assert_eq!(nasrallah.linked_to, vec!["HIZBALLAH"]);
    let mnangagwa = r.entries.iter().find(|e| e.ent_num == 7513).unwrap();
    assert_eq!(mnangagwa.dates_of_birth, vec!["15 Sep 1946", "15 Sep 1942"]);
    assert_eq!(
        mnangagwa
            .identifiers
            .iter()
            .filter(|i| i.kind == "Passport")
            .count(),
        2
    );
    let sarak = r.entries.iter().find(|e| e.ent_num == 27279).unwrap();
    assert_eq!(sarak.vessel_type.as_deref(), Some("Crude Oil Tanker"));
    assert_eq!(sarak.vessel_flag.as_deref(), Some("Iran"));
}

/// Write entries back in OFAC's own CSV layout (test code, independent of the reader).
fn write_sdn_csv(doc: &ListDocument) -> Vec<u8> {
    let q = |v: &Option<String>| {
        v.as_ref()
            .map_or_else(|| "-0- ".to_string(), |s| format!("\"{s}\""))
    };
    let mut out = String::new();
    for e in &doc.entry {
        let fields = [
            e.ent_num.to_string(),
            format!("\"{}\"", e.name),
            q(&e.entry_type.column().map(str::to_string)),
            format!("\"{}\"", e.program_column()),
            q(&e.title),
            q(&e.call_sign),
            q(&e.vessel_type),
            q(&e.tonnage),
            q(&e.grt),
            q(&e.vessel_flag),
            q(&e.vessel_owner),
            q(&e.remarks),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out.push('\u{1a}');
    out.into_bytes()
}

#[test]
fn round_trips_lose_nothing() {
    let Some(path) = snapshot_path("round_trips_lose_nothing") else {
        return;
    };
    let bytes = snapshot(&path);
    let r = read(&bytes, "sdn.csv");
    let doc = ListDocument::new("sdn.csv", r.entries);

    let json = doc.to_json().unwrap();
    let back = read_document(&json, "sdn.json", Syntax::Json).unwrap();
    assert_eq!(back, doc, "JSON round trip");

    let toml = doc.to_toml().unwrap();
    let back = read_document(&toml, "sdn.toml", Syntax::Toml).unwrap();
    assert_eq!(back, doc, "TOML round trip");

    // The entries hold every column as written: OFAC's layout rebuilt from them is the file,
    // byte for byte.
    assert_eq!(write_sdn_csv(&back), bytes);
}

#[test]
fn the_summary_maps_tags_through_the_rule_packs() {
    let Some(path) = snapshot_path("the_summary_maps_tags_through_the_rule_packs") else {
        return;
    };
    let (pack, _) = interdict::scenario::pack::load_embedded().unwrap();
    let rules = &*pack.rules;
    let list = SdnList::from_path(&path).unwrap();
    let s = summarize(rules, &list.entries, &list.stats);
    let expected = [
        ("us.fto", 70),
        ("us.sdgt", 2386),
        ("us.glomag", 694),
        ("us.magnit", 64),
        ("us.kingpin", 1439),
        ("us.illicit-drugs", 293),
        ("us.tco", 149),
    ];
    for (p, n) in expected {
        assert_eq!(s.by_program.get(p), Some(&n), "{p}");
    }
    // Unmapped tags are counted, never dropped: every tag listing is mapped or unmapped.
    let listings: usize = list.entries.iter().map(|e| e.tags.len()).sum();
    let mapped: usize = s
        .by_tag
        .iter()
        .filter(|(t, _)| rules.index.list_tags.contains_key(t.as_str()))
        .map(|(_, n)| n)
        .sum();
    let unmapped: usize = s.unmapped_tags.iter().map(|(_, n)| n).sum();
    assert_eq!(mapped + unmapped, listings);
    assert!(
        s.unmapped_tags
            .iter()
            .any(|(t, n)| t == "NS-PLC" && *n == 2),
        "NS-PLC (a non-SDN list) is the one tag the packs deliberately leave unmapped"
    );
    assert!(
        list.entries
            .iter()
            .find(|e| e.ent_num == 4697)
            .unwrap()
            .tags
            .contains(&"SYRIA".to_string())
    );
    assert!(s.unparsed_fragments > 0 && s.parsed_fragments > 50 * s.unparsed_fragments);
}

#[test]
fn import_cli_writes_the_document_and_a_summary() {
    let Some(path) = snapshot_path("import_cli_writes_the_document_and_a_summary") else {
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .args(["import", "ofac-sdn", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("rows: 14965 (14965 entries, 0 skipped)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("entries by program: us.fto 70,"),
        "{stderr}"
    );
    assert!(stderr.contains("unmapped tags (1 tags"), "{stderr}");
    assert!(
        stderr.contains("unparsed fragments kept verbatim"),
        "{stderr}"
    );
    let doc = read_document(
        std::str::from_utf8(&out.stdout).unwrap(),
        "stdout",
        Syntax::Json,
    )
    .unwrap();
    assert_eq!(doc.entry.len(), 14_965);
}

#[test]
fn a_list_document_loads_like_the_csv() {
    let Some(path) = snapshot_path("a_list_document_loads_like_the_csv") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("interdict-lists-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = SdnList::from_path(&path).unwrap();
    let path = dir.join("sdn.toml");
    std::fs::write(
        &path,
        ListDocument::new("sdn.csv", csv.entries.clone())
            .to_toml()
            .unwrap(),
    )
    .unwrap();
    let doc = SdnList::from_path(&path).unwrap();
    assert_eq!(doc.entries, csv.entries);
    assert_eq!(doc.exact("CARTEL DE JALISCO NUEVA GENERACION").len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}
