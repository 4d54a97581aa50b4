//! Shared checks for the list importers' tests: the broken-file corpora
//! (`tests/data/<format>-broken/`, each file with its expected located diagnostics), the
//! round trip of records through JSON, and the accounting of every record.

use std::path::PathBuf;

use interdict::diagnostic::Severity;
use interdict::lists::config;
use interdict::lists::import::import_path;
use interdict::lists::record::{ListImport, ListRecord};
use interdict::render::diagnostic::DiagnosticText as _;

/// What importing one corpus file must give.
pub struct Case {
    /// The file in the corpus folder.
    pub file: &'static str,
    /// Records read.
    pub records: usize,
    /// Records in the file (read or refused).
    pub seen: usize,
    /// (severity, line, words the rendered message contains), in order: errors, then warnings.
    pub diagnostics: &'static [(Severity, u32, &'static str)],
}

/// Import every case of `tests/data/<dir>/` with list `list` and compare with its expectation;
/// every file of the folder must have a case.
pub fn check_corpus(dir: &str, list: &str, cases: &[Case]) -> Vec<ListImport> {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(dir);
    let mut on_disk: Vec<String> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut named: Vec<String> = cases.iter().map(|c| c.file.to_string()).collect();
    named.sort();
    assert_eq!(on_disk, named, "every corpus file has a case in the test");
    let conf = config::embedded_list(list).unwrap();
    let mut out = Vec::new();
    for c in cases {
        let i = import_path(&folder.join(c.file), &conf);
        let got: Vec<(Severity, u32, String)> = i
            .errors
            .iter()
            .chain(&i.warnings)
            .map(|d| (d.severity, d.line, d.render()))
            .collect();
        assert_eq!(
            got.len(),
            c.diagnostics.len(),
            "{}: diagnostics {got:#?}",
            c.file
        );
        for ((sev, line, text), (want_sev, want_line, words)) in got.iter().zip(c.diagnostics) {
            assert_eq!((sev, line), (want_sev, want_line), "{}: {text}", c.file);
            assert!(text.contains(words), "{}: `{words}` not in {text}", c.file);
            assert!(
                text.contains(&format!("{}:{line}", c.file)),
                "{}: located: {text}",
                c.file
            );
        }
        assert_eq!(
            (i.records.len(), i.seen),
            (c.records, c.seen),
            "{}: records, seen",
            c.file
        );
        out.push(i);
    }
    out
}

/// No record refused, every record accounted for.
pub fn no_errors(i: &ListImport) {
    let e: Vec<String> = i.errors.iter().map(|d| d.render()).collect();
    assert!(e.is_empty(), "{}: {e:#?}", i.file);
    assert_eq!(i.seen, i.records.len(), "every record accounted for");
}

/// The records written as JSON and read back are the same records.
pub fn round_trip(i: &ListImport) {
    let json = serde_json::to_string(&i.records).unwrap();
    let back: Vec<ListRecord> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, i.records, "{}", i.file);
}
