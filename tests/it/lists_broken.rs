//! Broken SDN CSV inputs (tests/data/sdn-broken/): each gives located errors or counted,
//! reported skips, never a panic; arbitrary bytes never make the reader panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test and benchmark helpers fail loudly"
)]

use std::path::PathBuf;
use std::process::Command;

use interdict::diagnostic::{Code, Severity};
use interdict::lists::read::read;
use interdict::render::diagnostic::DiagnosticText as _;
use proptest::prelude::*;

fn corpus(name: &str) -> (PathBuf, Vec<u8>) {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/sdn-broken")
        .join(name);
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    (p, bytes)
}

/// What reading one corpus file must give.
struct Case {
    file: &'static str,
    entries: usize,
    skipped: usize,
    /// (severity, line, words the message contains); in order.
    diagnostics: &'static [(Severity, u32, &'static str)],
}

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

const CASES: &[Case] = &[
    Case {
        file: "empty.csv",
        entries: 0,
        skipped: 0,
        diagnostics: &[(E, 0, "empty")],
    },
    Case {
        file: "eof-marker-only.csv",
        entries: 0,
        skipped: 0,
        diagnostics: &[(E, 0, "empty")],
    },
    Case {
        file: "truncated-last-row.csv",
        entries: 2,
        skipped: 1,
        diagnostics: &[(W, 0, "end-of-file marker"), (E, 3, "has 4 field(s)")],
    },
    Case {
        file: "unclosed-quote.csv",
        entries: 2,
        skipped: 1,
        diagnostics: &[(E, 2, "field(s); an SDN row has 12")],
    },
    Case {
        file: "stray-quote.csv",
        entries: 2,
        skipped: 1,
        diagnostics: &[(E, 2, "stray quote")],
    },
    Case {
        file: "extra-column.csv",
        entries: 2,
        skipped: 1,
        diagnostics: &[(E, 2, "has 13 field(s)")],
    },
    Case {
        file: "missing-column.csv",
        entries: 2,
        skipped: 1,
        diagnostics: &[(E, 2, "has 11 field(s)")],
    },
    Case {
        file: "bad-entry-number.csv",
        entries: 2,
        skipped: 2,
        diagnostics: &[
            (E, 2, "`x12` is not an entry number"),
            (E, 3, "`0` is not an entry number"),
        ],
    },
    Case {
        file: "duplicate-entry-number.csv",
        entries: 2,
        skipped: 1,
        diagnostics: &[(E, 3, "entry number 1 appears twice")],
    },
    Case {
        file: "unknown-type.csv",
        entries: 1,
        skipped: 1,
        diagnostics: &[(E, 2, "unknown type `ship`")],
    },
    Case {
        file: "no-program.csv",
        entries: 1,
        skipped: 1,
        diagnostics: &[(E, 2, "no program tag")],
    },
    Case {
        file: "no-name.csv",
        entries: 1,
        skipped: 1,
        diagnostics: &[(E, 2, "has no name")],
    },
    Case {
        file: "ctrl-z-in-the-middle.csv",
        entries: 3,
        skipped: 0,
        diagnostics: &[(E, 2, "end-of-file marker (Ctrl-Z) in the middle")],
    },
    Case {
        file: "control-character.csv",
        entries: 1,
        skipped: 1,
        diagnostics: &[(E, 2, "control character 0x07")],
    },
    Case {
        file: "utf16-without-bom.csv",
        entries: 0,
        skipped: 0,
        diagnostics: &[(E, 1, "NUL bytes")],
    },
    Case {
        file: "utf16-with-bom.csv",
        entries: 2,
        skipped: 0,
        diagnostics: &[(W, 0, "UTF-16LE")],
    },
    Case {
        file: "utf8-not-windows-1252.csv",
        entries: 2,
        skipped: 0,
        diagnostics: &[(W, 2, "UTF-8, not Windows-1252")],
    },
    Case {
        file: "windows-1252.csv",
        entries: 2,
        skipped: 0,
        diagnostics: &[],
    },
    Case {
        file: "blank-lines.csv",
        entries: 2,
        skipped: 0,
        diagnostics: &[],
    },
    Case {
        file: "lf-line-ends.csv",
        entries: 2,
        skipped: 0,
        diagnostics: &[],
    },
    Case {
        file: "no-eof-marker.csv",
        entries: 2,
        skipped: 0,
        diagnostics: &[(W, 0, "end-of-file marker")],
    },
];

#[test]
fn every_corpus_file_gives_located_errors_or_counted_skips() {
    let listed: Vec<&str> = CASES.iter().map(|c| c.file).collect();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sdn-broken");
    for f in std::fs::read_dir(&dir).unwrap() {
        let name = f.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".csv") {
            assert!(listed.contains(&name.as_str()), "{name} has no expectation");
        }
    }
    for c in CASES {
        let (path, bytes) = corpus(c.file);
        let name = path.display().to_string();
        let r = read(&bytes, &name);
        let got: Vec<String> = r.diagnostics.iter().map(|d| d.render()).collect();
        assert_eq!(r.entries.len(), c.entries, "{}: {got:?}", c.file);
        assert_eq!(r.stats.skipped, c.skipped, "{}: {got:?}", c.file);
        assert_eq!(
            r.stats.rows,
            r.entries.len() + r.stats.skipped,
            "{}",
            c.file
        );
        assert_eq!(
            r.diagnostics.len(),
            c.diagnostics.len(),
            "{}: {got:?}",
            c.file
        );
        for (d, (sev, line, words)) in r.diagnostics.iter().zip(c.diagnostics) {
            assert_eq!(d.code, Code::ListRow, "{}: {}", c.file, d.render());
            assert_eq!(
                (d.severity, d.line),
                (*sev, *line),
                "{}: {}",
                c.file,
                d.render()
            );
            assert_eq!(d.file, name, "every diagnostic names the file");
            assert!(d.message.contains(words), "{}: {}", c.file, d.render());
        }
        // Every refused row is an error; an error-free read refuses nothing.
        assert!(r.stats.skipped <= r.diagnostics.error_count(), "{}", c.file);
    }
}

#[test]
fn the_corpus_decodes_text_as_written() {
    for f in [
        "windows-1252.csv",
        "utf8-not-windows-1252.csv",
        "utf16-with-bom.csv",
    ] {
        let (_, bytes) = corpus(f);
        let r = read(&bytes, f);
        assert_eq!(r.entries[1].name, "CAFÉ NOIR", "{f}");
    }
    let (_, bytes) = corpus("blank-lines.csv");
    let r = read(&bytes, "blank-lines.csv");
    assert_eq!(r.stats.blank_lines, 2);
    assert_eq!((r.entries[0].line, r.entries[1].line), (1, 4));
    let (_, bytes) = corpus("unclosed-quote.csv");
    let r = read(&bytes, "unclosed-quote.csv");
    let help = r
        .diagnostics
        .iter()
        .next()
        .and_then(|d| d.help.clone())
        .unwrap_or_default();
    assert!(
        help.contains("quote is not closed") && help.contains("to line 3"),
        "{help}"
    );
    assert_eq!(
        r.entries.iter().map(|e| e.ent_num).collect::<Vec<_>>(),
        vec![1, 4]
    );
}

#[test]
fn import_refuses_a_broken_file_with_exit_code_3_and_the_line() {
    let (path, _) = corpus("duplicate-entry-number.csv");
    let out = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .args(["import", "ofac-sdn"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        out.stdout.is_empty(),
        "nothing is written without --skip-bad-rows"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "duplicate-entry-number.csv:3:1: error[LIST_ROW]: entry number 1 appears twice"
        ),
        "{err}"
    );
    assert!(err.contains("rows: 3 (2 entries, 1 skipped)"), "{err}");

    let out = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .args(["import", "ofac-sdn", "--skip-bad-rows", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["entry"].as_array().map(Vec::len), Some(2));

    let out = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .args(["import", "ofac-sdn", "no/such/file.csv"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "an unreadable file is an operational error"
    );
}

fn row(fields: &[String]) -> String {
    fields.join(",")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic_and_every_row_is_counted(bytes in proptest::collection::vec(any::<u8>(), 0..4000)) {
        let r = read(&bytes, "fuzz.csv");
        prop_assert_eq!(r.stats.rows, r.entries.len() + r.stats.skipped);
        prop_assert!(r.stats.skipped <= r.diagnostics.error_count());
        for d in r.diagnostics.iter() {
            prop_assert_eq!(&d.file, "fuzz.csv");
        }
    }

    #[test]
    fn almost_valid_rows_never_panic(
        rows in proptest::collection::vec(
            proptest::collection::vec(prop_oneof![
                Just("-0- ".to_string()),
                "[0-9]{1,6}",
                "\"[A-Z ,.'\\]\\[-]{0,20}\"",
                "[\"\r\n\x1a;, a-z]{0,8}",
            ], 10..14),
            0..20),
        crlf in any::<bool>(),
        marker in any::<bool>(),
    ) {
        let sep = if crlf { "\r\n" } else { "\n" };
        let mut text = rows.iter().map(|r| row(r)).collect::<Vec<_>>().join(sep);
        if marker {
            text.push_str(sep);
            text.push('\u{1a}');
        }
        let r = read(text.as_bytes(), "fuzz.csv");
        prop_assert_eq!(r.stats.rows, r.entries.len() + r.stats.skipped);
        for e in &r.entries {
            prop_assert!(e.line >= 1);
            prop_assert!(!e.tags.is_empty());
        }
    }
}
