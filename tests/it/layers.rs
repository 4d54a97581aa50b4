//! The library's layers, enforced: a module may name (`crate::x`) only the modules its layer
//! allows (docs/architecture.md, "Layers"). A lower layer importing a higher one, a new
//! top-level module nobody placed, or an exception that is no longer needed all fail here.
//!
//! The scan reads `src/**/*.rs` as text: every `crate::NAME` outside comments and outside
//! `#[cfg(test)]` modules counts as an edge from the file's top-level module to NAME.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::rust_source::{rust_files, strip};

/// Each top-level module of the library, its layer, and the modules it may use. Read bottom-up:
/// the foundation, the domain model, ownership and status, evaluation, explanation; the
/// language and loading branch beside them (it sees only the model); analysis and throughput
/// above both; presentation on top. The command line is the binary, outside the library.
const LAYERS: &[(&str, &str, &[&str])] = &[
    // Source text and the located diagnostics about it are one foundation: reading a file
    // yields a diagnostic when it fails, and a diagnostic points into a source.
    ("source", "foundation", &["diagnostic"]),
    ("diagnostic", "foundation", &["source"]),
    ("model", "model", &["source", "diagnostic"]),
    // The audit trail stores decisions as text; it reads the law's record-keeping periods.
    ("audit", "storage", &["source", "diagnostic", "model"]),
    (
        "ownership",
        "ownership and status",
        &["source", "diagnostic", "model"],
    ),
    (
        "eval",
        "evaluation",
        &["source", "diagnostic", "model", "ownership"],
    ),
    (
        "report",
        "explanation",
        &["source", "diagnostic", "model", "ownership", "eval"],
    ),
    (
        "toml_input",
        "language and loading",
        &["source", "diagnostic", "model"],
    ),
    (
        "rules",
        "language and loading",
        &["source", "diagnostic", "model", "toml_input"],
    ),
    (
        "lists",
        "language and loading",
        &["source", "diagnostic", "model", "toml_input", "rules"],
    ),
    (
        "scenario",
        "language and loading",
        &[
            "source",
            "diagnostic",
            "model",
            "toml_input",
            "rules",
            "lists",
        ],
    ),
    // `check --deep` runs the counterexample scenarios it writes, to verify them.
    (
        "check",
        "analysis",
        &[
            "source",
            "diagnostic",
            "model",
            "ownership",
            "eval",
            "report",
            "toml_input",
            "rules",
            "lists",
            "scenario",
            "expectations",
        ],
    ),
    ("whatif", "analysis", BELOW_ANALYSIS),
    ("expectations", "analysis", BELOW_ANALYSIS),
    ("batch", "throughput", BELOW_ANALYSIS),
    // Builders for tests and library users' tests (the `test-util` feature): worlds and
    // doctrines built in code, read with the ownership closure.
    ("test_util", "test support", BELOW_ANALYSIS),
    (
        "render",
        "presentation",
        &[
            "source",
            "diagnostic",
            "model",
            "ownership",
            "eval",
            "report",
            "toml_input",
            "rules",
            "lists",
            "scenario",
            "check",
            "whatif",
            "expectations",
            "batch",
            "audit",
        ],
    ),
];

const BELOW_ANALYSIS: &[&str] = &[
    "audit",
    "source",
    "diagnostic",
    "model",
    "ownership",
    "eval",
    "report",
    "toml_input",
    "rules",
    "lists",
    "scenario",
];

/// Edges that break the layering today and are being removed (issue 12). Each must still
/// occur: when one is fixed, delete it here, or this test fails.
const KNOWN: &[(&str, &str, &str)] = &[];

#[test]
fn no_module_imports_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = edges(&src);
    let layers: BTreeMap<&str, &[&str]> = LAYERS.iter().map(|(m, _, a)| (*m, *a)).collect();
    let mut known_used = BTreeSet::new();
    let mut problems = Vec::new();
    for ((from, to), files) in &edges {
        if from == to {
            continue;
        }
        let allowed = layers
            .get(from.as_str())
            .is_some_and(|a| a.contains(&to.as_str()));
        if allowed {
            continue;
        }
        let known = KNOWN
            .iter()
            .position(|(f, t, _)| f == from && (t == to || *t == "*"));
        match known {
            Some(k) => {
                known_used.insert(k);
            }
            None => problems.push(format!(
                "`{from}` ({}) uses `{to}` ({}) in {}",
                layer_of(from),
                layer_of(to),
                files.join(", ")
            )),
        }
    }
    for (m, files) in modules(&src) {
        let placed = layers.contains_key(m.as_str()) || KNOWN.iter().any(|(f, _, _)| *f == m);
        if !placed && m != "lib" && m != "main" {
            problems.push(format!(
                "top-level module `{m}` ({}) has no layer: add it to LAYERS in tests/it/layers.rs and to docs/architecture.md",
                files.join(", ")
            ));
        }
    }
    for (k, (from, to, why)) in KNOWN.iter().enumerate() {
        if !known_used.contains(&k) {
            problems.push(format!(
                "the known exception `{from}` -> `{to}` ({why}) no longer occurs: delete it from KNOWN"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "layering:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_scan_sees_imports_and_ignores_comments_and_tests() {
    let text = "//! uses crate::eval in a comment\nuse crate::model::world::World;\nuse crate::{source::Loc, diagnostic};\nfn f() { crate::ownership::closure(); } // crate::batch\n#[cfg(test)]\nmod tests {\n    use crate::check;\n    fn g() { let _ = \"}\"; }\n}\nfn h() -> crate::report::X {}\n";
    let found: BTreeSet<String> = referenced(text).into_iter().collect();
    let want: BTreeSet<String> = ["model", "source", "diagnostic", "ownership", "report"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(found, want);
}

fn layer_of(m: &str) -> &'static str {
    LAYERS
        .iter()
        .find(|(n, _, _)| *n == m)
        .map_or("no layer", |(_, l, _)| l)
}

/// Top-level module of every library source file. The binary's `main.rs` and the modules it
/// declares (`cli/`) are left out: they name the library as `interdict::`, from outside.
fn modules(src: &Path) -> BTreeMap<String, Vec<String>> {
    let binary = binary_modules(src);
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in rust_files(src) {
        let rel = file.strip_prefix(src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if binary.contains(&module) {
            continue;
        }
        out.entry(module)
            .or_default()
            .push(rel.display().to_string());
    }
    out
}

/// The modules `src/main.rs` declares (`mod cli;`): they belong to the binary.
fn binary_modules(src: &Path) -> BTreeSet<String> {
    let main = std::fs::read_to_string(src.join("main.rs")).unwrap();
    strip(&main)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("mod "))
        .map(ident)
        .collect()
}

fn edges(src: &Path) -> BTreeMap<(String, String), Vec<String>> {
    let mut out: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (module, files) in modules(src) {
        if module == "main" || module == "lib" {
            continue;
        }
        for rel in files {
            let text = std::fs::read_to_string(src.join(&rel)).unwrap();
            for to in referenced(&text) {
                let entry = out.entry((module.clone(), to)).or_default();
                if !entry.contains(&rel) {
                    entry.push(rel.clone());
                }
            }
        }
    }
    out
}

/// The top-level modules a file names through `crate::`, outside comments, string literals
/// and `#[cfg(test)]` modules.
fn referenced(text: &str) -> Vec<String> {
    let code = strip(text);
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `$crate::`, `mycrate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name = ident(part.trim_start());
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}
