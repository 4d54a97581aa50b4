//! The list store (`interdict::lists::store`, `interdict lists ...`) on real files of the lists
//! folder (`INTERDICT_LISTS_DIR` or `../shared/data/lists`; each test prints SKIPPED and
//! returns only when the folder is absent). Diffs and first-seen dates are checked against an
//! independent reading done here: the SDN CSV rows compared column by column with the `csv`
//! crate, and the change log's `ADD` operations read directly.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::NaiveDate;
use interdict::lists::config::{self, ListConfig};
use interdict::lists::dir;
use interdict::lists::store::diff::SnapshotDiff;
use interdict::lists::store::history::{ListingDate, State};
use interdict::lists::store::{AddOutcome, Snapshot, Store, StoreError};

const SDN: &str = "us-ofac-sdn-csv";

fn conf(id: &str) -> ListConfig {
    config::embedded_list(id).unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn add(st: &mut Store, path: &Path, list: &str, published: Option<&str>) -> AddOutcome {
    let bytes = std::fs::read(path).unwrap();
    st.add_bytes(
        &bytes,
        &path.display().to_string(),
        &conf(list),
        published.map(date),
    )
    .unwrap()
}

fn added(o: AddOutcome) -> Snapshot {
    match o {
        AddOutcome::Added(s) => s,
        AddOutcome::AlreadyStored(s) => panic!("expected a new snapshot, got {s:?}"),
    }
}

/// The SDN CSV's rows by `ent_num`, the twelve columns as written, read here with the `csv`
/// crate (Windows-1252 decoded, the Ctrl-Z line dropped): independent of the list reader.
fn raw_rows(path: &Path) -> BTreeMap<String, Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    let text = text.trim_end_matches(['\u{1a}', '\r', '\n']);
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    rd.records()
        .map(|r| {
            let r = r.unwrap();
            let cols: Vec<String> = r.iter().map(str::to_string).collect();
            (cols[0].clone(), cols)
        })
        .collect()
}

fn ids(v: &[interdict::lists::store::diff::EntryRef]) -> BTreeSet<String> {
    v.iter().map(|e| e.id.clone()).collect()
}

/// The store's diff equals the rows compared by `ent_num`: added, removed, changed; a changed
/// entry's `name` field changed exactly when its name column did, its `regimes` exactly when
/// its program column did.
fn check_diff_against_rows(d: &SnapshotDiff, a: &Path, b: &Path) {
    let (ra, rb) = (raw_rows(a), raw_rows(b));
    let added: BTreeSet<String> = rb
        .keys()
        .filter(|k| !ra.contains_key(*k))
        .cloned()
        .collect();
    let removed: BTreeSet<String> = ra
        .keys()
        .filter(|k| !rb.contains_key(*k))
        .cloned()
        .collect();
    let changed: BTreeSet<String> = rb
        .iter()
        .filter(|(k, row)| ra.get(*k).is_some_and(|old| old != *row))
        .map(|(k, _)| k.clone())
        .collect();
    assert_eq!(ids(&d.added), added, "added");
    assert_eq!(ids(&d.removed), removed, "removed");
    let got: BTreeSet<String> = d.changed.iter().map(|c| c.entry.id.clone()).collect();
    assert_eq!(got, changed, "changed");
    let common = rb.keys().filter(|k| ra.contains_key(*k)).count();
    assert_eq!(d.unchanged + d.changed.len(), common);
    for c in &d.changed {
        let (old, new) = (&ra[&c.entry.id], &rb[&c.entry.id]);
        let fields: BTreeSet<&str> = c.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields.contains("name"),
            old[1] != new[1],
            "{}: {fields:?}",
            c.entry.id
        );
        assert_eq!(
            fields.contains("regimes"),
            old[3] != new[3],
            "{}: {fields:?}",
            c.entry.id
        );
        assert!(!fields.is_empty() && !fields.contains("line"));
    }
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let st = Store::open(&dir.path().join("sub/lists.sqlite")).unwrap();
    (dir, st)
}

#[test]
fn two_sdn_snapshots_diff_as_their_rows_do() {
    let (Some(a), Some(b)) = (
        dir::for_test("us_ofac/sdn_2024-05-02.csv", "two_sdn_snapshots_diff"),
        dir::for_test("us_ofac/sdn_2024-05-03.csv", "two_sdn_snapshots_diff"),
    ) else {
        return;
    };
    let (_d, mut st) = temp_store();
    let sa = added(add(&mut st, &a, SDN, Some("2024-05-02")));
    // The same bytes again: nothing stored, the snapshot named.
    match add(&mut st, &a, SDN, Some("2024-05-02")) {
        AddOutcome::AlreadyStored(s) => assert_eq!(s, sa),
        other => panic!("{other:?}"),
    }
    let sb = added(add(&mut st, &b, SDN, Some("2024-05-03")));
    assert_eq!(st.snapshots().unwrap().len(), 2);
    assert_eq!(sa.records, raw_rows(&a).len());
    assert_eq!(sb.records, raw_rows(&b).len());
    assert_eq!(st.snapshot("us-ofac-sdn-csv@2024-05-03").unwrap(), sb);
    let d = st.diff(&sa, &sb).unwrap();
    check_diff_against_rows(&d, &a, &b);
    assert_eq!(
        d.removed.len(),
        8,
        "the lists README: 8 removed the next day"
    );
    // The records read back are the records imported.
    let import = interdict::lists::store::import_any(
        &std::fs::read(&b).unwrap(),
        &b.display().to_string(),
        &conf(SDN),
    );
    let mut back = st.records(sb.id).unwrap();
    let mut orig = import.records;
    back.sort_by(|x, y| x.id.cmp(&y.id));
    orig.sort_by(|x, y| x.id.cmp(&y.id));
    assert!(back == orig, "records read back differ from the import");
}

#[test]
fn a_diff_over_months_names_changed_fields() {
    let (Some(a), Some(b)) = (
        dir::for_test("us_ofac/sdn_2023-12-28.csv", "a_diff_over_months"),
        dir::for_test("us_ofac/sdn_2024-05-03.csv", "a_diff_over_months"),
    ) else {
        return;
    };
    let (_d, mut st) = temp_store();
    let sa = added(add(&mut st, &a, SDN, Some("2023-12-28")));
    let sb = added(add(&mut st, &b, SDN, Some("2024-05-03")));
    let d = st.diff(&sa, &sb).unwrap();
    assert!(!d.added.is_empty() && !d.removed.is_empty() && !d.changed.is_empty());
    check_diff_against_rows(&d, &a, &b);
}

#[test]
fn publication_dates_are_given_or_read_never_guessed() {
    let Some(sdn) = dir::for_test("us_ofac/sdn_2024-05-02.csv", "publication_dates") else {
        return;
    };
    let Some(un) = dir::for_test("un/un_consolidated_2026-02-27.xml", "publication_dates") else {
        return;
    };
    let (_d, mut st) = temp_store();
    let bytes = std::fs::read(&sdn).unwrap();
    let e = st.add_bytes(&bytes, "sdn_2024-05-02.csv", &conf(SDN), None);
    assert!(
        matches!(&e, Err(StoreError::NoPublicationDate { .. })),
        "{e:?}"
    );
    assert!(e.unwrap_err().to_string().contains("--published"));
    assert!(st.snapshots().unwrap().is_empty());
    // The UN file says when it was generated: no date needed, a contradicting one refused.
    let s = added(add(&mut st, &un, "un", None));
    assert_eq!(s.published_from, interdict::lists::store::DateFrom::File);
    let text = std::fs::read_to_string(&un).unwrap();
    let generated = text.split("dateGenerated=\"").nth(1).unwrap();
    assert_eq!(s.published.to_string(), &generated[..10]);
    let (_d2, mut st2) = temp_store();
    let e = st2.add_bytes(
        text.as_bytes(),
        "un.xml",
        &conf("un"),
        Some(date("2000-01-01")),
    );
    assert!(
        matches!(e, Err(StoreError::PublicationDateConflict { .. })),
        "{e:?}"
    );
}

#[test]
fn a_file_with_refused_records_is_not_stored() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sdn-broken/bad-entry-number.csv");
    let (_d, mut st) = temp_store();
    let bytes = std::fs::read(&path).unwrap();
    let e = st.add_bytes(
        &bytes,
        "bad-entry-number.csv",
        &conf(SDN),
        Some(date("2024-01-01")),
    );
    assert!(matches!(e, Err(StoreError::ImportFailed { .. })), "{e:?}");
    assert!(st.snapshots().unwrap().is_empty());
}

#[test]
fn corrupt_foreign_and_newer_stores_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    // Not SQLite at all.
    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, vec![0x5a_u8; 8192]).unwrap();
    let e = Store::open(&junk).unwrap_err();
    assert!(matches!(e, StoreError::Open { .. }), "{e:?}");
    // A store whose pages were overwritten after its header.
    let cut = dir.path().join("cut.sqlite");
    drop(Store::open(&cut).unwrap());
    let mut bytes = std::fs::read(&cut).unwrap();
    for b in bytes.iter_mut().skip(100) {
        *b = 0xff;
    }
    std::fs::write(&cut, &bytes).unwrap();
    let e = Store::open(&cut).and_then(|s| s.snapshots().map(|_| ()));
    assert!(e.is_err(), "{e:?}");
    // SQLite, but someone else's.
    let foreign = dir.path().join("foreign.sqlite");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x);")
        .unwrap();
    let e = Store::open(&foreign).unwrap_err();
    assert!(matches!(e, StoreError::NotAStore { .. }), "{e:?}");
    // Written by a newer interdict.
    let newer = dir.path().join("newer.sqlite");
    drop(Store::open(&newer).unwrap());
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute("UPDATE meta SET value = '99' WHERE key = 'schema'", [])
        .unwrap();
    let e = Store::open(&newer).unwrap_err();
    assert!(
        matches!(e, StoreError::NewerSchema { found: 99, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("newer interdict"));
    // A current store opens again unchanged.
    let ok = dir.path().join("ok.sqlite");
    drop(Store::open(&ok).unwrap());
    assert!(Store::open(&ok).unwrap().snapshots().unwrap().is_empty());
}

/// The first `ADD` of each record in the change log, read here from the CSV directly: the
/// date part of `committed_utc`, and whether it was the log's first version.
fn first_adds(changes: &Path) -> BTreeMap<String, (String, bool)> {
    let mut rd = csv::Reader::from_path(changes).unwrap();
    let mut out = BTreeMap::new();
    let mut first_commit = None;
    for r in rd.records() {
        let r = r.unwrap();
        let commit = r[1].to_string();
        let first = first_commit.get_or_insert_with(|| commit.clone()) == &commit;
        if &r[2] == "ADD" {
            out.entry(r[3].to_string())
                .or_insert_with(|| (r[0][..10].to_string(), first));
        }
    }
    out
}

#[test]
fn first_seen_dates_come_from_the_change_log() {
    let Some(hist) = dir::for_test("us_ofac/sdn_history", "first_seen_dates") else {
        return;
    };
    let snap = dir::for_test("us_ofac/sdn_2024-05-03.csv", "first_seen_dates").unwrap();
    let (_d, mut st) = temp_store();
    let r = st.add_log(&hist, &conf(SDN)).unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let versions = std::fs::read_to_string(hist.join("sdn_versions.csv")).unwrap();
    assert_eq!(r.versions_added, versions.lines().count() - 1);
    // Ingesting it again stores nothing.
    let again = st.add_log(&hist, &conf(SDN)).unwrap();
    assert_eq!(
        (again.versions_added, again.versions_known),
        (0, r.versions)
    );
    let s = added(add(&mut st, &snap, SDN, Some("2024-05-03")));
    let adds = first_adds(&hist.join("sdn_changes.csv"));
    let rows = raw_rows(&snap);
    // Every 250th entry of the snapshot, and three named ones: 36 (in the first version),
    // 7489 (modified in March 2024), 38556 (added in 2022, deleted on 2024-05-03).
    let mut sample: Vec<&String> = rows.keys().step_by(250).collect();
    let named = ["36".to_string(), "7489".to_string(), "38556".to_string()];
    sample.extend(named.iter());
    for id in sample {
        let h = st.history(SDN, id).unwrap();
        let (day, first) = &adds[id];
        match &h.listing {
            Some(ListingDate::FirstSeen {
                date,
                on_or_before,
                seen_in,
            }) => {
                assert_eq!(&date.to_string(), day, "{id}");
                assert_eq!(on_or_before, first, "{id}: {seen_in}");
                assert!(seen_in.contains("change log"), "{id}: {seen_in}");
            }
            other => panic!("{id}: {other:?}"),
        }
    }
    let h = st.history(SDN, "38556").unwrap();
    let ops: Vec<&str> = h.log.iter().map(|l| l.op.as_str()).collect();
    assert_eq!(ops, ["add", "delete"]);
    assert_eq!(h.name.as_deref(), Some("EMPEROR AVIATION LTD"));
    assert_eq!(h.snapshots.len(), 1);
    assert_eq!(h.snapshots[0].state, State::Absent);
    assert_eq!(h.snapshots[0].snapshot, s);
    let h = st.history(SDN, "7489").unwrap();
    let modify = h.log.iter().find(|l| l.op == "modify").unwrap();
    assert!(modify.at.starts_with("2024-03-04"), "{modify:?}");
    assert!(modify.fields.iter().any(|f| f == "regimes"), "{modify:?}");
}

#[test]
fn history_without_a_log_uses_snapshots() {
    let (Some(a), Some(b)) = (
        dir::for_test("us_ofac/sdn_2024-05-02.csv", "history_without_a_log"),
        dir::for_test("us_ofac/sdn_2024-05-03.csv", "history_without_a_log"),
    ) else {
        return;
    };
    let (_d, mut st) = temp_store();
    added(add(&mut st, &b, SDN, Some("2024-05-03")));
    added(add(&mut st, &a, SDN, Some("2024-05-02")));
    let h = st.history(SDN, "38556").unwrap();
    let states: Vec<State> = h.snapshots.iter().map(|s| s.state).collect();
    assert_eq!(states, [State::Appeared, State::Disappeared]);
    assert!(matches!(
        h.listing,
        Some(ListingDate::FirstSeen { on_or_before: true, date, .. }) if date == self::date("2024-05-02")
    ));
}

fn interdict(args: &[&str], store: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .arg("--store")
        .arg(store)
        .output()
        .expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn lists_commands_end_to_end() {
    let (Some(a), Some(b)) = (
        dir::for_test("us_ofac/sdn_2024-05-02.csv", "lists_commands_end_to_end"),
        dir::for_test("us_ofac/sdn_2024-05-03.csv", "lists_commands_end_to_end"),
    ) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let store: PathBuf = tmp.path().join("lists.sqlite");
    // Nothing added yet: said so, and no store created.
    let o = interdict(&["lists", "ls"], &store);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("no list has been added"));
    assert!(!store.exists());
    let (a, b) = (a.display().to_string(), b.display().to_string());
    let o = interdict(&["lists", "add", &a, "--list", SDN], &store);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("--published"));
    for (f, d) in [(&a, "2024-05-02"), (&b, "2024-05-03")] {
        let o = interdict(
            &["lists", "add", f, "--list", SDN, "--published", d],
            &store,
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        assert!(text(&o.stdout).starts_with("added:"));
    }
    let o = interdict(
        &[
            "lists",
            "add",
            &a,
            "--list",
            SDN,
            "--published",
            "2024-05-02",
        ],
        &store,
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("already stored, nothing changed"));
    let o = interdict(&["lists", "ls", "--format", "json"], &store);
    let ls: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(ls.as_array().unwrap().len(), 2);
    let o = interdict(
        &[
            "lists",
            "diff",
            "us-ofac-sdn-csv@2024-05-02",
            "2",
            "--format",
            "json",
        ],
        &store,
    );
    assert_eq!(
        o.status.code(),
        Some(5),
        "changes found: {}",
        text(&o.stderr)
    );
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let removed: BTreeSet<String> = d["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    let (ra, rb) = (raw_rows(Path::new(&a)), raw_rows(Path::new(&b)));
    let expect: BTreeSet<String> = ra
        .keys()
        .filter(|k| !rb.contains_key(*k))
        .cloned()
        .collect();
    assert_eq!(removed, expect);
    let o = interdict(&["lists", "diff", "1", "1"], &store);
    assert_eq!(o.status.code(), Some(0));
    let o = interdict(&["lists", "diff", "1", "9"], &store);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("no snapshot `9`"));
    let o = interdict(&["lists", "history", "38556"], &store);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("@2024-05-02 (snapshot 1): appeared: EMPEROR AVIATION LTD"),
        "{out}"
    );
    assert!(
        out.contains("@2024-05-03 (snapshot 2): disappeared"),
        "{out}"
    );
    assert!(out.contains("on or before 2024-05-02 (first_seen"), "{out}");
}

/// The command lines of the `store-example` block in docs/lists.md, run in order against a
/// fresh store named by `INTERDICT_STORE`, `$LISTS` being the lists folder: each exits 0
/// (`lists diff`, which finds changes, 5).
#[test]
fn the_documented_store_commands_run() {
    if dir::for_test("us_ofac", "the_documented_store_commands_run").is_none() {
        return;
    }
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lists.md"))
        .unwrap();
    let block = doc
        .split("<!-- store-example -->\n```\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/lists.md has a store-example block");
    let lists = dir::lists_dir().display().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("docs.sqlite");
    let mut ran = 0;
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let words: Vec<String> = line
            .split_whitespace()
            .map(|w| w.replace("$LISTS", &lists))
            .collect();
        assert_eq!(words[0], "interdict", "{line}");
        let o = Command::new(env!("CARGO_BIN_EXE_interdict"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(&words[1..])
            .env("INTERDICT_STORE", &store)
            .output()
            .unwrap();
        let want = if words[2] == "diff" { 5 } else { 0 };
        assert_eq!(o.status.code(), Some(want), "{line}: {}", text(&o.stderr));
        ran += 1;
    }
    assert_eq!(ran, 8);
}
