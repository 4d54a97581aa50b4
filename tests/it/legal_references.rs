//! Every citation of the legal reference in the rule packs and the docs ("legal.md 4.2",
//! "legal.md section 6", "legal.md §§ 2, 3.2", and source keys such as "S42") names a section
//! or a source that `docs/legal.md` really has: a reader following a rule's note lands on the
//! text it relies on.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn reference() -> String {
    std::fs::read_to_string(root().join("docs/legal.md")).unwrap()
}

/// Section numbers of the reference: "## 4. The OFAC 50 Percent Rule" gives "4",
/// "### 4.2 The FAQs" gives "4.2".
fn sections(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter(|l| l.starts_with("## ") || l.starts_with("### "))
        .filter_map(|l| {
            let n = l.trim_start_matches('#').trim_start();
            let num: String = n
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let num = num.trim_end_matches('.').to_string();
            (!num.is_empty()).then_some(num)
        })
        .collect()
}

/// Source keys defined in the sources section: lines starting "- **S42**".
fn sources(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("- **S"))
        .filter_map(|r| r.split_once("**").map(|(n, _)| format!("S{n}")))
        .filter(|k| k.len() > 1 && k[1..].chars().all(|c| c.is_ascii_digit()))
        .collect()
}

fn files_under(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, exts, out);
        } else if p.extension().is_some_and(|x| exts.iter().any(|e| x == *e)) {
            out.push(p);
        }
    }
}

/// The section numbers cited right after each "legal.md" in `text`: "legal.md 4.2",
/// "legal.md` §§ 2, 3.2, 5.3", "legal.md section 6", "legal.md 1.0, 7 item 4" (the 7).
fn cited_sections(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("legal.md") {
        let rest = &text[i + "legal.md".len()..];
        let rest = rest.trim_start_matches(['`', ' ']);
        // The citation ends at a semicolon or a closing parenthesis ("legal.md 1.9; 87 FR").
        let rest = rest.split([';', ')', '\n']).next().unwrap_or("");
        let rest = rest
            .strip_prefix("sections")
            .or_else(|| rest.strip_prefix("section"))
            .or_else(|| rest.strip_prefix("§§"))
            .or_else(|| rest.strip_prefix('§'))
            .unwrap_or(rest);
        // A list of numbers separated by commas or "and"; stops at the first other word
        // (after "item N", whose number is not a section).
        let mut words = rest
            .split([' ', ',', ';', ')', '(', ':', ']'])
            .filter(|w| !w.is_empty());
        while let Some(w) = words.next() {
            let w = w.trim_end_matches('.');
            if w == "and" {
                continue;
            }
            if w == "item" || w == "items" || w == "row" || w == "rule" {
                words.next();
                continue;
            }
            if !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == '.') {
                out.push(w.to_string());
            } else {
                break;
            }
        }
    }
    out
}

/// Source keys cited in `text`: "S42" as a word of its own.
fn cited_sources(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            w.len() >= 2 && w.starts_with('S') && w[1..].chars().all(|c| c.is_ascii_digit())
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn the_reference_has_its_sections_and_sources() {
    let r = reference();
    let s = sections(&r);
    for n in ["1.0", "1.9", "2", "4.2", "5.3", "6", "10"] {
        assert!(s.contains(n), "section {n} missing: {s:?}");
    }
    let src = sources(&r);
    assert!(src.contains("S42") && src.len() > 40, "{src:?}");
}

#[test]
fn every_citation_of_the_reference_resolves() {
    let r = reference();
    let sections = sections(&r);
    let sources = sources(&r);
    let mut files = Vec::new();
    files_under(&root().join("rules"), &["toml"], &mut files);
    files_under(&root().join("docs"), &["md"], &mut files);
    files_under(&root().join("src"), &["rs"], &mut files);
    files.push(root().join("README.md"));
    let mut bad = Vec::new();
    let mut cited = 0;
    for f in &files {
        if f.ends_with("docs/legal.md") {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap();
        for n in cited_sections(&text) {
            cited += 1;
            if !sections.contains(&n) {
                bad.push(format!("{}: legal.md {n}", f.display()));
            }
        }
        // Source keys are checked in the packs, where they stand for the reference's sources.
        if f.extension().is_some_and(|e| e == "toml") {
            for k in cited_sources(&text) {
                cited += 1;
                if !sources.contains(&k) {
                    bad.push(format!("{}: source {k}", f.display()));
                }
            }
        }
    }
    assert!(
        cited > 50,
        "only {cited} citations found: the scan is broken"
    );
    assert!(
        bad.is_empty(),
        "citations naming nothing in docs/legal.md:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_scan_reads_the_forms_the_packs_use() {
    assert_eq!(cited_sections("(legal.md 5.3, S42)"), ["5.3"]);
    assert_eq!(
        cited_sections("`legal.md` §§ 2, 3.2, 5.3. UNCONFIRMED"),
        ["2", "3.2", "5.3"]
    );
    assert_eq!(cited_sections("legal.md section 6 (S37"), ["6"]);
    assert_eq!(cited_sections("legal.md 1.0, 7 item 4"), ["1.0", "7"]);
    assert_eq!(cited_sections("legal.md 9 item 7 and"), ["9"]);
    assert_eq!(cited_sections("(legal.md 1.9; 87 FR 78470)"), ["1.9"]);
    assert_eq!(cited_sources("legal.md 5.3, S42; S1x SDN"), ["S42"]);
}
