//! The HTML reports in a real browser (Debian's Chromium through playwright-core; both set up
//! by `scripts/test.d/browser.sh`): the graph of each transaction has the parties, links and
//! highlighted proof path the report model says it should, a reason opens from the keyboard
//! and its citation link leads to the official text's address, the page loads nothing from
//! the network and fits a phone's width. Screenshots are kept in `target/browser-artifacts/`.
//!
//! What the page should show is computed here from the JSON report (`--format json`, the same
//! model the page is rendered from), by walking the witnesses directly, not by the renderer's
//! code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::common::external::external;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn interdict(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "interdict {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A witness's steps: its head (flattened into it) and the steps it rests on.
fn steps(w: &Value) -> Vec<&Value> {
    let mut v = vec![w];
    v.extend(w["because"].as_array().into_iter().flatten());
    v
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// A link: from, to, kind, label.
type EdgeKey = (String, String, String, String);

/// What the page should draw for one decision of the JSON report.
fn expected_graph(d: &Value) -> Value {
    let mut nodes: Vec<String> = Vec::new();
    let add = |nodes: &mut Vec<String>, id: &str| {
        if !nodes.iter().any(|n| n == id) {
            nodes.push(id.to_string());
        }
    };
    // (from, to, kind, label) -> jurisdictions whose blocking proof uses the link
    let mut edges: Vec<(EdgeKey, Vec<String>)> = Vec::new();
    let mut link = |from: &str, to: &str, kind: &str, label: &str, j: Option<&str>| {
        let key = (from.into(), to.into(), kind.into(), label.into());
        let i = match edges.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                edges.push((key, Vec::new()));
                edges.len() - 1
            }
        };
        if let Some(j) = j
            && !edges[i].1.iter().any(|x| x == j)
        {
            edges[i].1.push(j.to_string());
        }
    };
    let parties = d["parties"].as_array().unwrap();
    for (i, p) in parties.iter().enumerate() {
        add(&mut nodes, str_of(&p["party"]));
        if i > 0 && parties[i - 1]["party"] != p["party"] {
            link(
                str_of(&parties[i - 1]["party"]),
                str_of(&p["party"]),
                "flow",
                str_of(&p["role"]),
                None,
            );
        }
    }
    let mut marks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut reason = Value::Null;
    for o in d["jurisdictions"].as_array().unwrap() {
        let j = str_of(&o["jurisdiction"]);
        for r in o["reasons"].as_array().unwrap() {
            if reason.is_null()
                && let Some(url) = r["citation"]["url"].as_str()
            {
                reason = json!({ "jurisdiction": j, "rule": r["rule"], "url": url });
            }
            for f in r["facts"].as_array().unwrap() {
                for s in steps(&f["status"]) {
                    let party = str_of(&s["party"]);
                    let status = match str_of(&s["kind"]) {
                        "owned" | "controlled" => "blocked",
                        other => other,
                    };
                    let m = marks.entry(party.to_string()).or_default();
                    if !m.iter().any(|x| x.starts_with(&format!("{j}:"))) {
                        m.push(format!("{j}:{status}"));
                    }
                    add(&mut nodes, party);
                    let blocking = matches!(str_of(&s["kind"]), "owned" | "controlled");
                    for h in s["holdings"]
                        .as_array()
                        .into_iter()
                        .chain(s["blocked_holdings"].as_array())
                        .flatten()
                    {
                        add(&mut nodes, str_of(&h["owner"]));
                        let w = blocking.then_some(j);
                        link(str_of(&h["owner"]), party, "owns", str_of(&h["share"]), w);
                    }
                    if let Some(c) = s["controller"].as_str() {
                        add(&mut nodes, c);
                        link(c, party, "controls", str_of(&s["basis"]), Some(j));
                    }
                    for c in s["controlled_by"].as_array().into_iter().flatten() {
                        add(&mut nodes, str_of(c));
                        link(str_of(c), party, "controls", "control", None);
                    }
                }
            }
        }
    }
    let edge_names: Vec<String> = edges
        .iter()
        .map(|((f, t, k, _), _)| format!("{f}>{t}:{k}"))
        .collect();
    let witness: Vec<String> = edges
        .iter()
        .filter(|(_, w)| !w.is_empty())
        .map(|((f, t, _, _), w)| format!("{f}>{t}:{}", w.join(" ")))
        .collect();
    let marks: BTreeMap<String, String> =
        marks.into_iter().map(|(p, m)| (p, m.join(" "))).collect();
    let mut out = json!({
        "transaction": d["transaction"],
        "nodes": nodes,
        "edges": edge_names,
        "witness": witness,
        "marks": marks,
    });
    if !reason.is_null() {
        out["reason"] = reason;
    }
    out
}

fn artifacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let dir = target.join("browser-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the HTML report of `scenario` and what it should show, runs the browser check, and
/// returns the expectations (for the caller's own assertions about the scenario).
fn check_in_browser(name: &str, scenario: &str, dir: &Path) -> Vec<Value> {
    let html = dir.join(format!("{name}.html"));
    std::fs::write(&html, interdict(&["eval", scenario, "--format", "html"])).unwrap();
    let report: Value =
        serde_json::from_slice(&interdict(&["eval", scenario, "--format", "json"])).unwrap();
    let transactions: Vec<Value> = report["scenarios"][0]["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(expected_graph)
        .collect();
    let expected = dir.join(format!("{name}.expected.json"));
    let doc = json!({ "transactions": transactions });
    std::fs::write(&expected, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let out = Command::new("node")
        .arg(root().join("tests/browser/check.js"))
        .args([&html, &expected, dir])
        .arg(name)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the {name} report in Chromium:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.join(format!("{name}.png")).is_file());
    transactions
}

#[test]
fn html_reports_in_chromium() {
    let Some(_) = external("INTERDICT_TEST_CHROMIUM", "Chromium") else {
        return;
    };
    let Some(_) = external("INTERDICT_TEST_NODE_MODULES", "playwright-core") else {
        return;
    };
    let dir = artifacts();
    let seed = check_in_browser("seed", "tests/scenarios/us/seed-cartels-2025.toml", &dir);
    // The seed's wire after the designation: Cárteles Unidos designated under U.S. law, and
    // a reason whose citation links to the official text.
    let after = seed
        .iter()
        .find(|t| t["transaction"] == "wire-after")
        .unwrap();
    assert!(
        after["marks"]["carteles-unidos"]
            .as_str()
            .unwrap()
            .contains("us:designated")
    );
    assert!(after["reason"]["url"].as_str().is_some());
    let cross = check_in_browser(
        "cross",
        "tests/scenarios/cross/thirty-plus-twenty-five.toml",
        &dir,
    );
    // 30% + 25%: the U.S. and the EU add the holdings up, the UK does not, so both holdings
    // are highlighted for the U.S. and the EU only.
    let witness: Vec<&str> = cross[0]["witness"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert_eq!(witness.len(), 2, "{witness:?}");
    assert!(witness.iter().all(|w| w.ends_with(":eu us")), "{witness:?}");
}
