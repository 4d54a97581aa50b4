//! Input and output of the command line on hostile input (issue 13): a CSV quote cannot
//! swallow records, an output never destroys an input nor looks complete when it is not, a
//! write error names its file, a bad byte is one located record, standard input streams, a
//! rules directory with looping links is walked once, and one exit-code rule holds.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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

/// The world of these tests: the seed scenario's parties (its own transactions are not decided).
const WORLD: &str = "tests/scenarios/us/seed-cartels-2025.toml";

/// A fresh directory for one test.
fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("io-cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const CSV_HEADER: &str = "id,date,type,amount,currency,originator,beneficiary\n";

fn csv_row(id: &str, beneficiary: &str) -> String {
    format!("{id},2025-02-24,wire,100.00,USD,agro-mx,{beneficiary}\n")
}

fn ids(out: &str) -> Vec<String> {
    out.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["id"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn an_unclosed_csv_quote_is_an_error_of_its_line_and_swallows_nothing() {
    let d = dir("quote");
    let p = d.join("payments.csv");
    let text = format!(
        "{CSV_HEADER}{}t2,2025-02-24,wire,\"100.00,USD,agro-mx,frontier-clinic\n{}{}",
        csv_row("t1", "frontier-clinic"),
        csv_row("t3", "carteles-unidos"),
        csv_row("t4", "carteles-unidos"),
    );
    std::fs::write(&p, text).unwrap();
    let o = interdict(&[
        "batch",
        "--world",
        WORLD,
        "--transactions",
        s(&p),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    // The payments to the blocked party after the bad line are decided, not swallowed.
    assert_eq!(ids(&stdout(&o)), ["t1", "t3", "t4"]);
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{}:3:1: error", p.display())) && err.contains("not closed"),
        "{err}"
    );
    assert!(
        err.contains("batch: 4 records read, 3 decided, 1 skipped"),
        "{err}"
    );
    // A field holding a line break is refused on both of its lines.
    let p2 = d.join("newline.csv");
    std::fs::write(
        &p2,
        format!(
            "{CSV_HEADER}t1,2025-02-24,wire,100.00,USD,agro-mx,\"frontier\nclinic\"\n{}",
            csv_row("t2", "carteles-unidos")
        ),
    )
    .unwrap();
    let o = interdict(&[
        "batch",
        "--world",
        WORLD,
        "--transactions",
        s(&p2),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(ids(&stdout(&o)), ["t2"]);
    assert!(
        stderr(&o).contains("3 records read, 1 decided, 2 skipped"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn diff_transactions_reads_csv_records_one_per_line() {
    let d = dir("diff-quote");
    let p = d.join("payments.csv");
    std::fs::write(
        &p,
        format!(
            "{CSV_HEADER}{}t2,2025-02-24,wire,\"1.00,USD,agro-mx,frontier-clinic\n{}",
            csv_row("t1", "frontier-clinic"),
            csv_row("t3", "carteles-unidos")
        ),
    )
    .unwrap();
    let o = interdict(&["diff", WORLD, "--transactions", s(&p)]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(":3:1: error") && stderr(&o).contains("1 malformed record(s)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_output_that_is_an_input_is_refused_and_left_intact() {
    let d = dir("out-is-input");
    let tx = d.join("payments.ndjson");
    let line = r#"{"id":"t1","date":"2025-02-24","type":"wire","originator":"agro-mx","beneficiary":"carteles-unidos"}"#;
    std::fs::write(&tx, format!("{line}\n")).unwrap();
    let world = d.join("world.toml");
    std::fs::copy(WORLD, &world).unwrap();
    let world_text = std::fs::read(&world).unwrap();
    let link = d.join("link.ndjson");
    let hard = d.join("hard.ndjson");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&tx, &link).unwrap();
    #[cfg(not(unix))]
    std::fs::copy(&tx, &link).unwrap();
    std::fs::hard_link(&tx, &hard).unwrap();
    for out in [&tx, &link, &hard, &world] {
        let o = interdict(&[
            "batch",
            "--world",
            s(&world),
            "--transactions",
            s(&tx),
            "--out",
            s(out),
        ]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("it would be overwritten"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(std::fs::read_to_string(&tx).unwrap(), format!("{line}\n"));
    assert_eq!(std::fs::read(&world).unwrap(), world_text);
}

#[test]
fn a_run_that_fails_or_stops_leaves_the_previous_output() {
    let d = dir("staged");
    let out = d.join("decisions.ndjson");
    std::fs::write(&out, "previous run\n").unwrap();
    // A bad header: nothing is decided, the previous output stays.
    let bad = d.join("bad.csv");
    std::fs::write(&bad, "id,date,tipe\nt1,2025-03-03,wire\n").unwrap();
    let o = interdict(&[
        "batch",
        "--world",
        WORLD,
        "--transactions",
        s(&bad),
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous run\n");
    // --on-error stop: the decisions before the bad record go to a `.partial` file.
    let tx = d.join("payments.csv");
    std::fs::write(
        &tx,
        format!(
            "{CSV_HEADER}{}t2,2025-02-30,wire,1.00,USD,agro-mx,frontier-clinic\n{}",
            csv_row("t1", "frontier-clinic"),
            csv_row("t3", "carteles-unidos")
        ),
    )
    .unwrap();
    let args = [
        "batch",
        "--world",
        WORLD,
        "--transactions",
        s(&tx),
        "--out",
        s(&out),
    ];
    let mut stop = args.to_vec();
    stop.extend(["--on-error", "stop"]);
    let o = interdict(&stop);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous run\n");
    let partial = d.join("decisions.ndjson.partial");
    assert_eq!(ids(&std::fs::read_to_string(&partial).unwrap()), ["t1"]);
    assert!(stderr(&o).contains("was not written"), "{}", stderr(&o));
    // A complete run replaces it, and leaves no temporary file behind.
    let o = interdict(&args);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(ids(&std::fs::read_to_string(&out).unwrap()), ["t1", "t3"]);
    let left: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".incomplete"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_write_to_a_full_disk_names_the_file() {
    let d = dir("full");
    let tx = d.join("payments.csv");
    std::fs::write(
        &tx,
        format!("{CSV_HEADER}{}", csv_row("t1", "frontier-clinic")),
    )
    .unwrap();
    let o = interdict(&[
        "batch",
        "--world",
        WORLD,
        "--transactions",
        s(&tx),
        "--out",
        "/dev/full",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot write /dev/full: No space left on device"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn standard_input_streams_one_decision_per_record() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["batch", "--world", WORLD, "--transactions", "-", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let mut output = BufReader::new(child.stdout.take().unwrap());
    for (i, beneficiary) in ["frontier-clinic", "carteles-unidos", "frontier-clinic"]
        .iter()
        .enumerate()
    {
        writeln!(
            input,
            r#"{{"id":"s{i}","date":"2025-02-24","type":"wire","originator":"agro-mx","intermediaries":["hudson-trust"],"beneficiary":"{beneficiary}"}}"#
        )
        .unwrap();
        input.flush().unwrap();
        // The decision comes back before the next record is written.
        let mut line = String::new();
        output.read_line(&mut line).unwrap();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["id"], format!("s{i}"));
        if i == 1 {
            assert_eq!(v["overall"], "block", "{line}");
        }
    }
    drop(input);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut output, &mut rest).unwrap();
    assert_eq!(rest, "");
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn a_bad_byte_in_diff_transactions_is_one_located_record() {
    let d = dir("diff-utf8");
    let p = d.join("payments.ndjson");
    let good = r#"{"id":"t1","date":"2025-02-14","type":"wire","originator":"agro-mx","intermediaries":["hudson-trust"],"beneficiary":"carteles-unidos"}"#;
    let mut bytes = format!("{good}\n").into_bytes();
    bytes.extend_from_slice(b"{\"id\":\"t\xff2\"}\n");
    bytes.extend_from_slice(format!("{good}\n").as_bytes());
    std::fs::write(&p, bytes).unwrap();
    let o = interdict(&["diff", WORLD, "--transactions", s(&p)]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{}:2:1: error", p.display()))
            && err.contains("not UTF-8 text (invalid byte at column 9)"),
        "{err}"
    );
    assert!(err.contains("1 malformed record(s)"), "{err}");
}

#[test]
fn diff_of_a_batch_names_only_changes_and_ends_ndjson_with_a_summary() {
    let d = dir("diff-ndjson");
    let p = d.join("payments.ndjson");
    let mut text = String::new();
    for i in 0..20 {
        let beneficiary = if i == 7 {
            "carteles-unidos"
        } else {
            "frontier-clinic"
        };
        text.push_str(&format!(
            "{{\"id\":\"p{i}\",\"date\":\"2025-02-14\",\"type\":\"wire\",\"amount\":\"10.00\",\"currency\":\"USD\",\"originator\":\"agro-mx\",\"intermediaries\":[\"hudson-trust\"],\"beneficiary\":\"{beneficiary}\"}}\n"
        ));
    }
    std::fs::write(&p, text).unwrap();
    let designate = "carteles-unidos=us.sdgt@2025-02-10";
    // Batch input is NDJSON by default: the changed record, then the summary.
    let o = interdict(&[
        "diff",
        WORLD,
        "--transactions",
        s(&p),
        "--designate",
        designate,
    ]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let kinds: Vec<String> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["record"].to_string())
        .collect();
    assert_eq!(kinds, ["\"change\"", "\"summary\""]);
    let o = interdict(&[
        "diff",
        WORLD,
        "--transactions",
        s(&p),
        "--designate",
        designate,
        "--format",
        "text",
    ]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("1 of 20 transactions changes"), "{out}");
    assert!(!out.contains("unchanged:"), "{out}");
    let o = interdict(&[
        "diff",
        WORLD,
        "--transactions",
        s(&p),
        "--designate",
        designate,
        "--list-unchanged",
    ]);
    assert!(stdout(&o).contains("unchanged: p0, p1"), "{}", stdout(&o));

    let o = interdict(&[
        "diff",
        WORLD,
        "--transactions",
        s(&p),
        "--designate",
        designate,
        "--format",
        "ndjson",
    ]);
    assert_eq!(o.status.code(), Some(5));
    let records: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2, "{}", stdout(&o));
    assert_eq!(records[0]["record"], "change");
    assert_eq!(records[0]["transaction"], "p7");
    let sum = &records[1];
    assert_eq!(sum["record"], "summary");
    assert_eq!(sum["compared"], 20);
    assert_eq!(sum["changed"], 1);
    assert_eq!(sum["unchanged"], 19);
    assert_eq!(sum["by_jurisdiction"]["us"]["permitted->block"], 1, "{sum}");
    assert_eq!(sum["overall"]["permitted->block"], 1, "{sum}");
    // Carteles Unidos owns and controls none of the other parties: only the one record naming
    // it is decided in world B.
    assert_eq!(sum["decided_twice"], 1, "{sum}");
}

#[test]
fn the_readme_showcase_diff_changes_a_decision() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let cmd = readme
        .lines()
        .find(|l| l.starts_with("interdict diff tests/scenarios/us/seed-cartels-2025.toml"))
        .expect("the README shows a diff of the seed");
    let args: Vec<&str> = cmd.split_whitespace().skip(1).collect();
    let o = interdict(&args);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("1 of 3 transactions changes"), "{out}");
    assert!(out.contains("[us] permitted -> block"), "{out}");
}

#[test]
fn a_million_records_with_one_bad_line_is_counted_and_located() {
    let d = dir("million");
    let p = d.join("payments.ndjson");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
    for i in 0..1_000_000u32 {
        if i == 500_000 {
            writeln!(
                w,
                r#"{{"id":"bad","date":"2025-02-24","type":"wire","originator":"nobody"}}"#
            )
            .unwrap();
        } else {
            writeln!(
                w,
                r#"{{"id":"m{i}","date":"2025-02-24","type":"payment","originator":"agro-mx","beneficiary":"frontier-clinic"}}"#
            )
            .unwrap();
        }
    }
    w.flush().unwrap();
    drop(w);
    let o = interdict(&[
        "batch",
        "--world",
        WORLD,
        "--transactions",
        s(&p),
        "--out",
        s(&d.join("decisions.ndjson")),
        "--jurisdiction",
        "us",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{}:500001:1: error", p.display()))
            && err.contains("unknown party `nobody`"),
        "{err}"
    );
    assert!(
        err.contains("batch: 1000000 records read, 999999 decided, 1 skipped (malformed)"),
        "{err}"
    );
    let out = std::fs::read_to_string(d.join("decisions.ndjson")).unwrap();
    assert_eq!(out.lines().count(), 999_999);
}

#[test]
fn a_ten_megabyte_line_gives_a_bounded_error() {
    let d = dir("long-line");
    let huge = "x".repeat(10 << 20);
    let ndjson = d.join("long.ndjson");
    std::fs::write(
        &ndjson,
        format!(
            "{{\"id\":\"l1\",\"date\":\"2025-02-24\",\"type\":\"wire\",\"originator\":\"{huge}\"}}\n"
        ),
    )
    .unwrap();
    let csv = d.join("long.csv");
    std::fs::write(
        &csv,
        format!("{CSV_HEADER}l1,2025-02-24,wire,1.00,USD,agro-mx,{huge}\n"),
    )
    .unwrap();
    let header = d.join("header.csv");
    std::fs::write(&header, format!("id,date,{huge}\n")).unwrap();
    for p in [&ndjson, &csv, &header] {
        let o = interdict(&["batch", "--world", WORLD, "--transactions", s(p), "--quiet"]);
        assert_eq!(o.status.code(), Some(3), "{}", p.display());
        assert!(
            o.stderr.len() < 8_000,
            "{} bytes of errors for {}",
            o.stderr.len(),
            p.display()
        );
        assert!(
            stderr(&o).contains("more bytes not shown"),
            "{}",
            stderr(&o)
        );
    }
}

#[cfg(unix)]
#[test]
fn a_rules_directory_with_looping_links_is_walked_once() {
    let d = dir("rules-loop");
    let packs = d.join("packs");
    std::fs::create_dir_all(packs.join("sub")).unwrap();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    std::os::unix::fs::symlink(&rules, packs.join("embedded")).unwrap();
    std::os::unix::fs::symlink(&rules, packs.join("again")).unwrap();
    std::os::unix::fs::symlink("..", packs.join("sub").join("up")).unwrap();
    std::os::unix::fs::symlink("../..", packs.join("sub").join("upup")).unwrap();
    let o = interdict(&["check", s(&packs)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("a link that loops back"), "{err}");
    assert!(!err.contains("DUPLICATE"), "{err}");
}

#[test]
fn a_missing_file_exits_1_for_every_command() {
    let missing = "no/such/file.toml";
    let cases: Vec<Vec<&str>> = vec![
        vec!["eval", missing],
        vec!["test", missing],
        vec!["explain", "party", "x", "--scenario", missing],
        vec!["explain", "transaction", "x", "--scenario", missing],
        vec!["diff", missing, "--designate", "a=us.sdgt"],
        vec!["diff", WORLD, "--transactions", "no/such.ndjson"],
        vec!["batch", "--world", missing, "--transactions", "x.ndjson"],
        vec![
            "batch",
            "--world",
            WORLD,
            "--transactions",
            "no/such.ndjson",
        ],
        vec!["check", "no/such/dir"],
        vec!["eval", "--rules", "no/such/dir", WORLD],
    ];
    for args in cases {
        let o = interdict(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
    }
    for cmd in [
        "eval", "test", "check", "diff", "batch", "lookup", "workload", "explain", "import",
    ] {
        let o = interdict(&[cmd, "--help"]);
        assert!(
            stdout(&o).contains("The same rule holds for every command"),
            "{cmd}: {}",
            stdout(&o)
        );
    }
}

#[test]
fn eval_takes_as_of_today() {
    let o = interdict(&["eval", "--as-of", "today", WORLD]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = interdict(&["eval", "--as-of", "yesterday", WORLD]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn workload_outside_the_repository_names_the_missing_list() {
    let d = dir("workload-elsewhere");
    let o = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(&d)
        .env_remove("INTERDICT_LISTS_DIR")
        .args(["workload", "--out", "w", "--transactions", "10"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("us_ofac/sdn_2024-05-03.csv")
            && err.contains("INTERDICT_LISTS_DIR")
            && err.contains("--sdn"),
        "{err}"
    );
}

#[test]
fn diff_ndjson_streams_a_batch_in_chunks_from_standard_input() {
    let mut text = String::new();
    for i in 0..20_000 {
        if i == 10_000 {
            text.push_str("{\"id\":\"broken\"\n");
            continue;
        }
        let beneficiary = if i == 7 || i == 16_000 {
            "carteles-unidos"
        } else {
            "frontier-clinic"
        };
        text.push_str(&format!(
            "{{\"id\":\"p{i}\",\"date\":\"2025-02-14\",\"type\":\"wire\",\"originator\":\"agro-mx\",\"intermediaries\":[\"hudson-trust\"],\"beneficiary\":\"{beneficiary}\"}}\n"
        ));
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "diff",
            WORLD,
            "--transactions",
            "-",
            "--format",
            "ndjson",
            "--designate",
            "carteles-unidos=us.sdgt@2025-02-10",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || input.write_all(text.as_bytes()));
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("<stdin>:10001:1: error"),
        "{}",
        stderr(&o)
    );
    let records: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let changed: Vec<&str> = records
        .iter()
        .filter(|r| r["record"] == "change")
        .map(|r| r["transaction"].as_str().unwrap())
        .collect();
    assert_eq!(changed, ["p7", "p16000"]);
    let sum = records.last().unwrap();
    assert_eq!(sum["record"], "summary");
    assert_eq!(sum["compared"], 19_999);
    assert_eq!(sum["changed"], 2);
    assert_eq!(sum["malformed"], 1);
    assert_eq!(sum["by_jurisdiction"]["us"]["permitted->block"], 2, "{sum}");
}
