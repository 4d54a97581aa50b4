//! Large scenario and world files are parsed a piece at a time (cut before `[[table]]`
//! headers) to bound memory. Cutting must never change what a file means: every scenario of
//! the corpus, every broken one, the benchmark's world file and files written to defeat the
//! cutting load exactly as they do when parsed whole.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::{Path, PathBuf};

use interdict::diagnostic::Diagnostic;
use interdict::model::pack::Pack;
use interdict::scenario::{Scenario, load_in_pieces};
use interdict::source::SourceFile;

fn rules() -> Pack {
    crate::common::pack()
}

/// Diagnostics in a stable order, as text (pieces report in file order, a whole parse by key).
fn sorted(d: &[Diagnostic]) -> Vec<String> {
    let mut v: Vec<String> = d.iter().map(|x| format!("{x:?}")).collect();
    v.sort();
    v
}

/// What a load gives, comparable: the world, transactions and expectations, or the problems.
fn outcome(r: Result<Scenario, interdict::diagnostic::Diagnostics>) -> Result<String, Vec<String>> {
    match r {
        Ok(s) => Ok(format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            s.name,
            s.as_of,
            s.world,
            s.transactions,
            s.expectations,
            sorted(&s.warnings)
        )),
        Err(d) => Err(sorted(&d.into_vec())),
    }
}

fn load(rs: &Pack, path: &Path, text: &str, pieces: Option<usize>) -> Result<String, Vec<String>> {
    let file = SourceFile::new(path.display().to_string(), text);
    outcome(load_in_pieces(file, path, rs, pieces))
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            toml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

#[test]
fn every_corpus_file_loads_the_same_cut_before_every_header() {
    let rs = rules();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for d in ["tests/scenarios", "tests/broken/scenarios", "tests/whatif"] {
        toml_files(&root.join(d), &mut files);
    }
    assert!(files.len() > 100, "{} files", files.len());
    let mut failures = 0;
    for path in &files {
        // The not-UTF-8 file of the broken corpus is refused before parsing; skip it here.
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let whole = load(&rs, path, &text, None);
        for size in [1, 200] {
            let cut = load(&rs, path, &text, Some(size));
            if cut != whole {
                failures += 1;
                eprintln!(
                    "{} cut every {size} bytes differs:\n{whole:?}\n---\n{cut:?}",
                    path.display()
                );
            }
        }
    }
    assert_eq!(failures, 0);
}

#[test]
fn the_benchmark_world_file_loads_the_same_in_pieces() {
    use interdict::batch::workload::{self, Spec};
    let rs = rules();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scenario-pieces-world");
    std::fs::create_dir_all(&dir).unwrap();
    let sdn = dir.join("sdn.csv");
    let Some(shared) =
        interdict::lists::dir::for_test(interdict::lists::dir::SDN_SNAPSHOT, module_path!())
    else {
        return;
    };
    std::fs::copy(shared, &sdn).unwrap();
    let spec = Spec {
        seed: 5,
        entities: 3_000,
        edges: 4_500,
        transactions: 0,
    };
    let list = interdict::lists::load_cached(&sdn).unwrap();
    let syn = workload::synthetic(&spec, &rs.rules, &list);
    let text = workload::world_toml(&spec, &syn, "sdn.csv");
    let path = dir.join("world.toml");
    std::fs::write(&path, &text).unwrap();
    let whole = load(&rs, &path, &text, None);
    assert!(whole.is_ok(), "{whole:?}");
    for size in [4 << 10, 64 << 10] {
        assert!(
            load(&rs, &path, &text, Some(size)) == whole,
            "pieces of {size} bytes"
        );
    }
}

#[test]
fn files_the_cutting_would_misread_are_parsed_whole() {
    let rs = rules();
    let path = Path::new("cut.toml");
    let party = |id: &str| format!("[[party]]\nid = \"{id}\"\nkind = \"organization\"\n\n");
    let cases = [
        // A second `[scenario]` table in another piece: a duplicate only the whole file shows.
        format!(
            "[scenario]\nname = \"a\"\n\n{}[scenario]\nname = \"b\"\n",
            party("p1")
        ),
        // A sub-table of the last party written after another array's header.
        format!(
            "{}[[designation]]\nparty = \"p1\"\nprogram = \"us.sdgt\"\n\n[party.extra]\nx = 1\n",
            party("p1")
        ),
        // A multi-line string holding a line that looks like a header.
        format!(
            "{}[[transaction]]\nid = \"t\"\ndate = 2025-03-01\ntype = \"wire\"\noriginator = \"p1\"\ndescription = \"\"\"\n[[party]]\nid = \\\"p9\\\"\n\"\"\"\n",
            party("p1")
        ),
        // An inline array of tables in one piece and headers in another.
        format!(
            "party = [{{ id = \"p0\", kind = \"individual\" }}]\n\n{}",
            party("p1")
        ),
        // Parties across pieces, with a misspelt top-level key in two of them: reported once.
        format!(
            "{}[[partys]]\nid = \"x\"\n\n{}[[partys]]\nid = \"y\"\n",
            party("p1"),
            party("p2")
        ),
    ];
    for (i, text) in cases.iter().enumerate() {
        let whole = load(&rs, path, text, None);
        let cut = load(&rs, path, text, Some(1));
        assert_eq!(cut, whole, "case {i}:\n{text}");
    }
}

#[test]
fn pieces_are_read_when_the_cut_is_safe() {
    // The same problems either way; read in pieces they come in file order (a whole parse
    // reports them key by key), which shows that the pieces were used.
    let rs = rules();
    let text = "[[designation]]\nparty = \"p1\"\nprogram = \"us.sdgt\"\nbogus = 1\n\n\
                [[party]]\nid = \"p1\"\nkind = \"organisation\"\n";
    let path = Path::new("order.toml");
    let lines = |pieces| -> Vec<u32> {
        let file = SourceFile::new("order.toml", text);
        let d = load_in_pieces(file, path, &rs, pieces).unwrap_err();
        d.iter().map(|x| x.line).collect()
    };
    let whole = lines(None);
    let cut = lines(Some(1));
    assert_eq!(whole.len(), 2, "{whole:?}");
    assert_eq!(cut, vec![4, 8], "file order");
    assert_eq!(
        whole,
        vec![8, 4],
        "key order: parties are read before designations"
    );
}

/// The pack digest names the law by its texts: the embedded packs read twice agree, the same
/// texts under other names agree, and one changed byte changes it.
#[test]
fn pack_digest_follows_the_texts_not_the_names() {
    use interdict::source::{SourceFile, digest_files};
    let embedded = interdict::rules::embedded_files();
    let a = interdict::scenario::pack::load_embedded().unwrap().0.digest;
    assert_eq!(a.len(), 64);
    assert_eq!(&*a, digest_files(&embedded).as_str());
    let renamed: Vec<SourceFile> = embedded
        .iter()
        .enumerate()
        .map(|(i, f)| SourceFile::new(format!("elsewhere/{i}.toml"), f.text().to_owned()))
        .collect();
    assert_eq!(digest_files(&renamed), *a);
    let mut changed = renamed.clone();
    let last = changed.len() - 1;
    changed[last] = SourceFile::new("x.toml", format!("{} ", changed[last].text()));
    assert_ne!(digest_files(&changed), *a);
}
