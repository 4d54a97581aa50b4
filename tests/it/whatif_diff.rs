//! `interdict diff` end to end, on worlds where the answer is known by construction: adding a
//! designation changes exactly the transactions touching the party or the companies it blocks
//! by ownership; a no-op overlay and a world diffed against itself report nothing; bad
//! overlays get located errors with suggestions.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

const WORLD: &str = "tests/whatif/construction.toml";
const STUDY: &str = "tests/scenarios/whatif/cartels-2025-study.toml";

fn interdict(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Run `diff --format json` with `args`, check the exit code, return the report.
fn diff_json(args: &[&str], code: i32) -> Value {
    let mut all = vec!["diff", "--format", "json"];
    all.extend_from_slice(args);
    let o = interdict(&all);
    assert_eq!(
        o.status.code(),
        Some(code),
        "{}\n{}",
        stdout(&o),
        stderr(&o)
    );
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

fn ids(v: &Value, key: &str, field: &str) -> BTreeSet<String> {
    v["scenarios"][0][key]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            if field.is_empty() {
                x.as_str().unwrap().to_string()
            } else {
                x[field].as_str().unwrap().to_string()
            }
        })
        .collect()
}

/// The U.S. part of a transaction's change (jurisdictions are sorted by id).
fn us_change(t: &Value) -> Value {
    t["jurisdictions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["jurisdiction"] == "us")
        .cloned()
        .unwrap_or(Value::Null)
}

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("interdict-whatif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_designation_changes_exactly_the_transactions_of_the_party_and_what_it_owns() {
    let v = diff_json(&[WORLD, "--designate", "target=us.sdgt@2025-03-01"], 5);
    assert_eq!(v["changed"], true);
    assert_eq!(
        ids(&v, "changed", "transaction"),
        set(&["pay-target", "pay-sub", "pay-subsub", "from-target"])
    );
    assert_eq!(
        ids(&v, "unchanged", ""),
        set(&["pay-bystander", "pay-target-early", "pay-cjng"]),
        "an unrelated party, a date before the designation, an already blocked party"
    );
    assert_eq!(
        ids(&v, "parties", "party"),
        set(&["target", "target-sub", "target-subsub"])
    );
    // The change carries the rules and facts responsible.
    let changed = v["scenarios"][0]["changed"].as_array().unwrap();
    let sub = changed
        .iter()
        .find(|t| t["transaction"] == "pay-subsub")
        .unwrap();
    let us = &us_change(sub);
    assert_eq!(us["disposition"]["before"], "permitted");
    assert_eq!(us["disposition"]["after"], "block");
    assert_eq!(us["parties"][0], "target-subsub");
    let block = us["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "us.sdgt.block")
        .unwrap();
    assert_eq!(block["change"], "added");
    assert_eq!(block["after"]["facts"][0], "target-subsub");
    let report = us["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["obligation"] == "us.report.blocking")
        .unwrap();
    assert_eq!(report["after"]["due"]["date"], "2025-05-19");
    assert_eq!(report["actor"], "ny-bank");
    // The ownership witness, before and after.
    let parties = v["scenarios"][0]["parties"].as_array().unwrap();
    let subsub = parties
        .iter()
        .find(|p| p["party"] == "target-subsub")
        .unwrap();
    assert_eq!(subsub["before"]["status"], "not_blocked");
    assert_eq!(subsub["after"]["status"], "blocked");
    assert_eq!(subsub["after"]["witness"]["kind"], "owned");
    assert!(
        subsub["after"]["explanation"]
            .as_str()
            .unwrap()
            .contains("target-sub holds 50%")
    );
}

#[test]
fn ownership_overlays_extend_and_cut_what_a_designation_reaches() {
    // A new holding brings the bystander under the designation.
    let v = diff_json(
        &[
            WORLD,
            "--designate",
            "target=us.sdgt@2025-03-01",
            "--own",
            "target>bystander=50@2025-01-01",
        ],
        5,
    );
    let changed = ids(&v, "changed", "transaction");
    assert!(changed.contains("pay-bystander"), "{changed:?}");
    // With the designation in both worlds, removing target's holding unblocks the chain below.
    let designated = temp_file(
        "designated.toml",
        "[[designate]]\nparty = \"target\"\nprogram = \"us.sdgt\"\nlisted = 2025-03-01\n",
    );
    let d = designated.to_str().unwrap();
    let v = diff_json(
        &[
            WORLD,
            "--overlay-a",
            d,
            "--overlay-b",
            d,
            "--disown",
            "target>target-sub",
        ],
        5,
    );
    assert_eq!(
        ids(&v, "changed", "transaction"),
        set(&["pay-sub", "pay-subsub"])
    );
    assert_eq!(
        ids(&v, "parties", "party"),
        set(&["target-sub", "target-subsub"])
    );
    // Ending the holding after every transaction changes nothing.
    diff_json(
        &[
            WORLD,
            "--overlay-a",
            d,
            "--overlay-b",
            d,
            "--disown",
            "target>target-sub@2026-01-01",
        ],
        0,
    );
}

#[test]
fn no_op_overlays_and_self_diffs_report_nothing() {
    for args in [
        // Designated after every transaction.
        vec![WORLD, "--designate", "target=us.sdgt@2026-01-01"],
        // Designated again under a program it is already designated under.
        vec![WORLD, "--designate", "cjng=us.kingpin"],
        // Delisted after every transaction.
        vec![WORLD, "--delist", "cjng=us.kingpin@2026-01-01"],
        // A world against itself.
        vec![WORLD],
        vec![STUDY],
        // The same packs loaded from the directory rather than the embedded copy: the
        // decisions compare by name.
        vec![STUDY, "--rules-b", "rules"],
        vec![STUDY, "--as-of-a", "2025-03-01", "--as-of-b", "2025-03-01"],
    ] {
        let v = diff_json(&args, 0);
        assert_eq!(v["changed"], false, "{args:?}");
        let s = &v["scenarios"][0];
        assert!(s["changed"].as_array().unwrap().is_empty(), "{args:?}");
        assert!(s["parties"].as_array().unwrap().is_empty(), "{args:?}");
    }
    let o = interdict(&["diff", WORLD]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).ends_with("No changes.\n"), "{}", stdout(&o));
}

#[test]
fn removing_a_designation_is_the_mirror_of_adding_it() {
    let add = diff_json(&[WORLD, "--designate", "target=us.sdgt@2025-03-01"], 5);
    let file = temp_file(
        "target.toml",
        "[[designate]]\nparty = \"target\"\nprogram = \"us.sdgt\"\nlisted = 2025-03-01\n",
    );
    let f = file.to_str().unwrap();
    let remove = diff_json(
        &[
            WORLD,
            "--overlay-a",
            f,
            "--overlay-b",
            f,
            "--delist",
            "target=us.sdgt",
        ],
        5,
    );
    assert_eq!(
        ids(&add, "changed", "transaction"),
        ids(&remove, "changed", "transaction")
    );
    let swap = |v: &Value| -> Vec<(String, String, String)> {
        v["scenarios"][0]["changed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let d = &us_change(t)["disposition"];
                (
                    t["transaction"].as_str().unwrap().to_string(),
                    d["before"].as_str().unwrap().to_string(),
                    d["after"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let mirrored: Vec<_> = swap(&remove)
        .into_iter()
        .map(|(t, b, a)| (t, a, b))
        .collect();
    assert_eq!(swap(&add), mirrored);
    // Delisting on a date ends the designation from then on.
    let v = diff_json(
        &[
            WORLD,
            "--overlay-a",
            f,
            "--overlay-b",
            f,
            "--delist",
            "target=us.sdgt@2025-05-03",
        ],
        5,
    );
    assert_eq!(
        ids(&v, "changed", "transaction"),
        set(&["pay-subsub", "from-target"]),
        "only the transactions dated on or after the delisting"
    );
}

#[test]
fn the_seed_study_changes_what_the_debate_is_about() {
    let k = "tests/whatif/kingpin-eo14059-only.toml";
    let g = "tests/whatif/glomag-instead.toml";
    let v = diff_json(&[STUDY, "--overlay-a", k], 5);
    assert_eq!(ids(&v, "unchanged", ""), set(&["sinaloa-wire-feb-18"]));
    let by_tx = |v: &Value, id: &str| -> Value {
        v["scenarios"][0]["changed"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["transaction"] == id)
            .map(us_change)
            .unwrap_or(Value::Null)
    };
    // The blocking already in force does not change; the FTO duties and exposures are added.
    let wire = by_tx(&v, "sinaloa-wire-apr-02");
    assert_eq!(wire["disposition"]["before"], "block");
    assert_eq!(wire["disposition"]["after"], "block");
    let added = |j: &Value, key: &str, field: &str| -> BTreeSet<String> {
        j[key]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["change"] == "added")
            .map(|x| x[field].as_str().unwrap().to_string())
            .collect()
    };
    assert!(added(&wire, "exposures", "penalty").contains("us.ata.civil-liability"));
    assert!(added(&wire, "exposures", "penalty").contains("us.2339b.criminal"));
    assert!(added(&wire, "obligations", "obligation").contains("us.fto.retain-and-report"));
    // Material support reaches a peso payment with no U.S. nexus.
    assert_eq!(
        by_tx(&v, "cuota-payment")["disposition"]["before"],
        "out_of_scope"
    );
    assert_eq!(
        by_tx(&v, "cuota-payment")["disposition"]["after"],
        "prohibited"
    );
    // Secondary sanctions exposure for the foreign banks.
    let peso = by_tx(&v, "peso-transfer");
    assert_eq!(peso["disposition"]["before"], "out_of_scope");
    assert_ne!(peso["disposition"]["after"], "out_of_scope");
    assert!(added(&peso, "exposures", "penalty").contains("us.sdgt.secondary-sanctions"));
    // Medicine is not material support; food is.
    assert!(
        !added(&by_tx(&v, "medicine-donation"), "reasons", "rule")
            .contains("us.material-support.provision")
    );
    assert!(
        added(&by_tx(&v, "food-donation"), "reasons", "rule")
            .contains("us.material-support.provision")
    );

    // Global Magnitsky instead: no material support, no secondary sanctions, no ATA liability.
    let v = diff_json(
        &[STUDY, "--overlay-a", k, "--overlay-b", k, "--overlay-b", g],
        5,
    );
    assert_eq!(
        ids(&v, "changed", "transaction"),
        set(&[
            "freight-wire",
            "medicine-donation",
            "food-donation",
            "sinaloa-wire-apr-02"
        ])
    );
    let text = serde_json::to_string(&v).unwrap();
    for absent in [
        "us.fto.",
        "us.sdgt.",
        "us.ata.civil-liability",
        "us.2339b.criminal",
    ] {
        assert!(
            !text.contains(absent),
            "{absent} in a Global Magnitsky world"
        );
    }
}

#[test]
fn replay_compares_a_past_decision_with_todays() {
    // Read world A as the lists stood the day before the designations took effect.
    let v = diff_json(&[STUDY, "--as-of-a", "2025-02-19"], 5);
    let t = v["scenarios"][0]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["transaction"] == "sinaloa-wire-apr-02")
        .unwrap()
        .clone();
    assert_eq!(t["evaluated"]["a"], "2025-02-19");
    assert_eq!(t["evaluated"]["b"], "2025-04-02");
    // Record retention was 5 years before 12 March 2025 and 10 years since.
    let records = us_change(&t)["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["obligation"] == "us.records")
        .unwrap()
        .clone();
    assert_eq!(records["before"]["due"]["date"], "2030-04-02");
    assert_eq!(records["after"]["due"]["date"], "2035-04-02");
    assert_eq!(v["a"]["as_of"], "2025-02-19");
    // Both worlds as of one date: party statuses are compared on that date too.
    let v = diff_json(
        &[
            WORLD,
            "--designate",
            "target=us.sdgt@2025-03-01",
            "--as-of",
            "2025-04-01",
        ],
        5,
    );
    assert_eq!(
        ids(&v, "changed", "transaction"),
        set(&["pay-target", "pay-sub", "pay-subsub", "from-target"])
    );
}

#[test]
fn output_is_deterministic_and_sorted() {
    let args = [
        STUDY,
        "--overlay-a",
        "tests/whatif/kingpin-eo14059-only.toml",
    ];
    let mut all = vec!["diff"];
    all.extend_from_slice(&args);
    let first = stdout(&interdict(&all));
    let second = stdout(&interdict(&all));
    assert_eq!(first, second);
    let v = diff_json(&args, 5);
    let s = &v["scenarios"][0];
    let dates: Vec<(String, String)> = s["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["date"].as_str().unwrap().to_string(),
                t["transaction"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    let parties: Vec<String> = s["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p["jurisdiction"].as_str().unwrap(),
                p["party"].as_str().unwrap()
            )
        })
        .collect();
    let mut sorted = parties.clone();
    sorted.sort();
    assert_eq!(parties, sorted);
    for t in s["changed"].as_array().unwrap() {
        for j in t["jurisdictions"].as_array().unwrap() {
            let keys: Vec<(String, String)> = j["reasons"]
                .as_array()
                .unwrap_or(&Vec::new())
                .iter()
                .map(|r| {
                    (
                        r["rule"].as_str().unwrap().to_string(),
                        r["actor"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect();
            let mut sorted = keys.clone();
            sorted.sort();
            assert_eq!(keys, sorted);
        }
    }
}

#[test]
fn bad_overlays_get_located_errors_with_suggestions() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--designate", "cjng=us.ftoo@2025-02-20"],
            "--designate:1:6: error[UNKNOWN_REFERENCE]: unknown program `us.ftoo`",
        ),
        (
            &["--designate", "cjng=us.ftoo@2025-02-20"],
            "did you mean `us.fto`?",
        ),
        (&["--designate", "targt=us.fto"], "did you mean `target`?"),
        (
            &["--designate", "sinaloa=us.fto"],
            "did you mean `sinaloa-cartel`?",
        ),
        (&["--designate", "cjng=fto"], "did you mean `us.fto`?"),
        (
            &["--designate", "cjng=us.fto@2025-02-30"],
            "`2025-02-30` is not a valid calendar date",
        ),
        (&["--designate", "cjng"], "names no program"),
        (
            &["--delist", "cjng=us.glomag"],
            "`cjng` has no `us.glomag` designation to remove",
        ),
        (&["--delist", "cjng=us.glomag"], "its designations: "),
        (&["--delist", "cjng=us.glomag"], "us.fto (from 2025-02-20)"),
        (
            &["--delist", "cjng=us.fto@2025-01-01"],
            "`cjng` is not designated under `us.fto` on 2025-01-01",
        ),
        (
            &["--delist", "cjng=us.fto@2025-02-20"],
            "give no date: `cjng=us.fto`",
        ),
        (&["--own", "target"], "the shell reads `>` as a redirection"),
        (&["--own", "target>bystander=150"], "error[INVALID_SHARE]"),
        (&["--own", "target>target=10"], "error[SELF_OWNERSHIP]"),
        (
            &[
                "--own",
                "target>bystander=60",
                "--own",
                "us-buyer>bystander=50",
            ],
            "error[OWNERSHIP_OVER_100]",
        ),
        (
            &["--disown", "bystander>target-sub"],
            "holders of `target-sub`: target 60% from 2020-01-01",
        ),
        (&["--overlay-b", "no/such/overlay.toml"], "error[NOT_FOUND]"),
        (&["--as-of-a", "2025-13-01"], "not a valid calendar date"),
    ];
    for (args, expected) in cases {
        let mut all = vec!["diff", WORLD];
        all.extend_from_slice(args);
        let o = interdict(&all);
        // One rule for every command: a file that cannot be read is 1, invalid input 3.
        let code = match args[0] {
            "--as-of-a" => 2,
            "--overlay-b" => 1,
            _ => 3,
        };
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(expected),
            "{args:?}: expected `{expected}` in\n{}",
            stderr(&o)
        );
        assert!(
            stdout(&o).is_empty(),
            "{args:?}: no report on invalid input"
        );
        assert!(!stderr(&o).contains("panicked"));
    }
    let bad = temp_file(
        "bad.toml",
        "[overlay]\nname = \"x\"\n\n[[designate]]\npartys = [\"target\"]\nprogram = \"us.sdgt\"\n",
    );
    let o = interdict(&["diff", WORLD, "--overlay", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains("bad.toml:5:1: error[UNKNOWN_KEY]: unknown key `partys`"),
        "{err}"
    );
    assert!(err.contains("did you mean `party`?"), "{err}");
}

/// Copy the rule packs to a fresh directory, editing one file.
fn edited_rules(name: &str, file: &str, from: &str, to: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules");
    let dir = std::env::temp_dir().join(format!("interdict-rules-{}-{name}", std::process::id()));
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.path().is_dir() {
                copy(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), target).unwrap();
            }
        }
    }
    copy(&root, &dir);
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} no longer holds `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    dir
}

#[test]
fn worlds_may_differ_by_rule_packs_and_by_list_data() {
    // A new inflation adjustment of the IEEPA civil maximum changes exactly the exposures it
    // reaches, and nothing else.
    let dir = edited_rules(
        "penalty",
        "us/penalties.toml",
        "cap = \"377700 USD\"",
        "cap = \"400000 USD\"",
    );
    let v = diff_json(&[STUDY, "--rules-b", dir.to_str().unwrap()], 5);
    let s = &v["scenarios"][0];
    assert!(s["parties"].as_array().unwrap().is_empty());
    for t in s["changed"].as_array().unwrap() {
        for j in t["jurisdictions"].as_array().unwrap() {
            assert_eq!(j["disposition"]["before"], j["disposition"]["after"]);
            assert!(
                j.get("reasons").is_none() && j.get("obligations").is_none(),
                "{j}"
            );
            for e in j["exposures"].as_array().unwrap() {
                assert_eq!(e["penalty"], "us.ieepa.civil");
                assert_eq!(e["before"]["max_amount"]["amount"], "377700");
                assert_eq!(e["after"]["max_amount"]["amount"], "400000");
            }
        }
    }
    assert!(ids(&v, "changed", "transaction").contains("medicine-donation"));
    // List data as a pack: an added designation of a reference-world party.
    let list = std::env::temp_dir().join(format!("interdict-list-{}", std::process::id()));
    std::fs::create_dir_all(&list).unwrap();
    std::fs::write(
        list.join("update.toml"),
        "[[designation]]\nparty = \"carteles-unidos\"\nprogram = \"us.glomag\"\nlisted = 2025-02-01\n",
    )
    .unwrap();
    let v = diff_json(
        &[
            "tests/scenarios/us/seed-cartels-2025.toml",
            "--add-rules-b",
            list.to_str().unwrap(),
        ],
        5,
    );
    assert_eq!(
        ids(&v, "changed", "transaction"),
        set(&["wire-before", "wire-after", "medicine-donation"])
    );
    assert_eq!(v["b"]["rules"][1], list.to_str().unwrap());
}

#[test]
fn transactions_may_come_from_a_batch_file() {
    // The same construction as above, the payments given as NDJSON and CSV records: the
    // scenario supplies the world only.
    let ndjson = temp_file(
        "batch.ndjson",
        concat!(
            r#"{"id":"b-sub","date":"2025-04-01","type":"wire","amount":"100","currency":"USD","originator":"us-buyer","originator_bank":"ny-bank","beneficiary":"target-sub"}"#,
            "\n\n",
            r#"{"id":"b-bystander","date":"2025-04-01","type":"wire","amount":"100","currency":"USD","originator":"us-buyer","originator_bank":"ny-bank","beneficiary":"bystander"}"#,
            "\n",
        ),
    );
    let ndjson = ndjson.to_str().unwrap();
    let v = diff_json(
        &[
            WORLD,
            "--transactions",
            ndjson,
            "--designate",
            "target=us.sdgt@2025-03-01",
        ],
        5,
    );
    assert_eq!(ids(&v, "changed", "transaction"), set(&["b-sub"]));
    assert_eq!(ids(&v, "unchanged", ""), set(&["b-bystander"]));

    let csv = temp_file(
        "batch.csv",
        "id,date,type,amount,currency,originator,beneficiary\n\
         c-target,2025-04-01,wire,100,USD,us-buyer,target\n\
         c-early,2025-02-01,wire,100,USD,us-buyer,target\n",
    );
    let csv = csv.to_str().unwrap();
    let v = diff_json(
        &[
            WORLD,
            "--transactions",
            csv,
            "--designate",
            "target=us.sdgt@2025-03-01",
        ],
        5,
    );
    assert_eq!(ids(&v, "changed", "transaction"), set(&["c-target"]));
    assert_eq!(ids(&v, "unchanged", ""), set(&["c-early"]));

    // A malformed record fails the comparison, located, rather than being left out.
    let bad = temp_file(
        "bad.csv",
        "id,date,type,originator,beneficiary\n\
         ok,2025-04-01,wire,us-buyer,target\n\
         bad,2025-04-01,wire,us-buyer,nobody\n",
    );
    let o = interdict(&["diff", WORLD, "--transactions", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("bad.csv:3:1") && stderr(&o).contains("unknown party `nobody`"),
        "{}",
        stderr(&o)
    );
}
