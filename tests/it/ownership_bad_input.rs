//! Bad ownership input: every problem is a located error (code, line, column), nothing is
//! silently dropped, every problem of a file is reported, and nothing panics.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use std::path::Path;

use interdict::model::pack::Pack;
use interdict::source::SourceFile;

fn rules() -> Pack {
    crate::common::pack()
}

/// A world with a designated person `x`, a non-designated person `p` and entities `a`, `b`,
/// followed by `rest`. The header takes lines 1-22; `rest` starts on line 23.
fn scenario(rest: &str) -> String {
    format!(
        r#"[scenario]
name = "bad ownership input"

[[party]]
id = "x"
kind = "individual"

[[party]]
id = "p"
kind = "individual"

[[party]]
id = "a"
kind = "organization"

[[party]]
id = "b"
kind = "organization"

[[designation]]
party = "x"
program = "us.sdgt"
{rest}"#
    )
}

/// (code, line, column, message) of every error, sorted by position.
fn errors(text: &str) -> Vec<(String, u32, u32, String)> {
    let file = SourceFile::new("bad.toml", text.to_string());
    match interdict::scenario::load(file, Path::new("bad.toml"), &rules()) {
        Ok(_) => Vec::new(),
        Err(d) => {
            let mut v: Vec<_> = d
                .iter()
                .filter(|x| x.is_error())
                .map(|x| {
                    (
                        x.code.as_str().to_string(),
                        x.line,
                        x.column,
                        x.message.clone(),
                    )
                })
                .collect();
            v.sort();
            v
        }
    }
}

#[track_caller]
fn expect_one(rest: &str, code: &str, line: u32, column: u32, message: &str) {
    let text = scenario(rest);
    let errs = errors(&text);
    assert_eq!(
        errs.len(),
        1,
        "want exactly one error, got {errs:#?}\nin\n{text}"
    );
    let (c, l, col, m) = &errs[0];
    assert_eq!((c.as_str(), *l, *col), (code, line, column), "{m}");
    assert!(
        m.contains(message),
        "message `{m}` does not contain `{message}`"
    );
}

#[test]
fn shares_outside_0_to_100_are_located() {
    expect_one(
        "\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = -5\n",
        "INVALID_SHARE",
        27,
        9,
        "share `-5` is outside 0..100 percent",
    );
    expect_one(
        "\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = \"-0.5\"\n",
        "INVALID_SHARE",
        27,
        9,
        "outside 0..100 percent",
    );
    expect_one(
        "\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = 100.5\n",
        "INVALID_SHARE",
        27,
        9,
        "share `100.5` is outside 0..100 percent",
    );
    expect_one(
        "\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = \"40-101\"\n",
        "INVALID_SHARE",
        27,
        9,
        "outside 0..100 percent",
    );
}

#[test]
fn malformed_shares_and_ranges_are_located() {
    for (share, message) in [
        ("\"30-\"", "`30-` is not a share range"),
        ("\"a-b\"", "`a-b` is not a share range"),
        ("\"30-60-90\"", "`30-60-90` is not a share range"),
        (
            "\"60-30\"",
            "share range `60-30` has its lower bound above its upper bound",
        ),
        ("\"half\"", "`half` is not a share"),
        ("\"\"", "is not a share"),
        ("\"12.12345678901234567\"", "more than 16 decimal places"),
    ] {
        expect_one(
            &format!("\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = {share}\n"),
            "INVALID_SHARE",
            27,
            9,
            message,
        );
    }
    expect_one(
        "\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = true\n",
        "INVALID_TYPE",
        27,
        9,
        "",
    );
}

#[test]
fn holdings_above_100_percent_are_located_at_the_last_holding() {
    let rest = "\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = 60\n\n[[ownership]]\nowner = \"p\"\nowned = \"a\"\nshare = \"40.01-50\"\n";
    expect_one(
        rest,
        "OWNERSHIP_OVER_100",
        30,
        9,
        "holdings in `a` sum to 100.01%, above 100%",
    );
    // Only at the dates where they overlap: sold on 2025-06-01, bought on 2025-06-01.
    let rest = "\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = 60\nuntil = 2025-06-01\n\n[[ownership]]\nowner = \"p\"\nowned = \"a\"\nshare = 60\nfrom = 2025-06-01\n";
    assert!(errors(&scenario(rest)).is_empty());
    let rest = "\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = 60\nuntil = 2025-06-02\n\n[[ownership]]\nowner = \"p\"\nowned = \"a\"\nshare = 60\nfrom = 2025-06-01\n";
    expect_one(
        rest,
        "OWNERSHIP_OVER_100",
        31,
        9,
        "holdings in `a` sum to 120% on 2025-06-01, above 100%",
    );
}

#[test]
fn self_ownership_and_self_control_are_located() {
    expect_one(
        "\n[[ownership]]\nowner = \"a\"\nowned = \"a\"\nshare = 10\n",
        "SELF_OWNERSHIP",
        26,
        9,
        "`a` is recorded as owning itself",
    );
    expect_one(
        "\n[[control]]\ncontroller = \"a\"\ncontrolled = \"a\"\nbasis = \"board_appointment\"\n",
        "SELF_OWNERSHIP",
        26,
        14,
        "`a` is recorded as controlling itself",
    );
}

#[test]
fn unknown_parties_and_bases_are_located_with_suggestions() {
    expect_one(
        "\n[[ownership]]\nowner = \"xx\"\nowned = \"a\"\nshare = 10\n",
        "UNKNOWN_REFERENCE",
        25,
        9,
        "`xx`",
    );
    expect_one(
        "\n[[ownership]]\nowner = \"x\"\nowned = \"nobody\"\nshare = 10\n",
        "UNKNOWN_REFERENCE",
        26,
        9,
        "`nobody`",
    );
    expect_one(
        "\n[[control]]\ncontroller = \"x\"\ncontrolled = \"a\"\nbasis = \"bribery\"\n",
        "UNKNOWN_REFERENCE",
        27,
        9,
        "unknown control basis `bribery`",
    );
    expect_one(
        "\n[[joint_arrangement]]\nmembers = [\"x\", \"ghost\"]\nentity = \"a\"\n",
        "UNKNOWN_REFERENCE",
        25,
        17,
        "`ghost`",
    );
}

#[test]
fn individuals_cannot_be_owned() {
    expect_one(
        "\n[[ownership]]\nowner = \"x\"\nowned = \"p\"\nshare = 10\n",
        "INVALID_VALUE",
        26,
        9,
        "`p` is a individual and cannot be owned through shares",
    );
    expect_one(
        "\n[[joint_arrangement]]\nmembers = [\"x\", \"b\"]\nentity = \"p\"\n",
        "INVALID_VALUE",
        26,
        10,
        "`p` is a individual and cannot be held under a joint arrangement",
    );
}

#[test]
fn duplicate_edges_are_located_at_the_second() {
    let rest = "\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = 20\n\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = 25\nfrom = 2024-01-01\n";
    expect_one(
        rest,
        "DUPLICATE_ID",
        30,
        9,
        "`x` already holds a share of `a` at this time",
    );
    // Successive holdings of the same owner are one holding changing over time: fine.
    let rest = "\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = 20\nuntil = 2024-01-01\n\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = 25\nfrom = 2024-01-01\n";
    assert!(errors(&scenario(rest)).is_empty());
}

#[test]
fn impossible_dates_are_located() {
    expect_one(
        "\n[[designation]]\nparty = \"p\"\nprogram = \"us.glomag\"\nlisted = 2025-02-20\ndelisted = 2025-01-01\n",
        "IMPOSSIBLE_DATE",
        28,
        12,
        "delisted on 2025-01-01, not after being listed on 2025-02-20",
    );
    expect_one(
        "\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = 10\nfrom = 2025-06-01\nuntil = 2025-01-01\n",
        "IMPOSSIBLE_DATE",
        29,
        9,
        "this window ends on 2025-01-01, not after it starts on 2025-06-01",
    );
    // An empty window (ends the day it starts) holds on no date: an error, not a silent no-op.
    expect_one(
        "\n[[control]]\ncontroller = \"x\"\ncontrolled = \"a\"\nbasis = \"signatory\"\nfrom = 2025-06-01\nuntil = 2025-06-01\n",
        "IMPOSSIBLE_DATE",
        29,
        9,
        "ends on 2025-06-01",
    );
    expect_one(
        "\n[[joint_arrangement]]\nmembers = [\"x\", \"p\"]\nentity = \"a\"\nfrom = 2025-06-01\nuntil = 2024-06-01\n",
        "IMPOSSIBLE_DATE",
        28,
        9,
        "ends on 2024-06-01",
    );
    // A TOML date literal that is no date is a TOML syntax error; the same as a string is a
    // value error.
    expect_one(
        "\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = 10\nfrom = 2025-02-30\n",
        "TOML_SYNTAX",
        28,
        8,
        "invalid date",
    );
    expect_one(
        "\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = 10\nfrom = \"2025-02-30\"\n",
        "INVALID_VALUE",
        28,
        8,
        "2025-02-30",
    );
}

#[test]
fn malformed_joint_arrangements_are_located() {
    expect_one(
        "\n[[joint_arrangement]]\nmembers = [\"x\"]\nentity = \"a\"\n",
        "INVALID_VALUE",
        26,
        10,
        "at least two members",
    );
    expect_one(
        "\n[[joint_arrangement]]\nmembers = [\"x\", \"x\"]\nentity = \"a\"\n",
        "DUPLICATE_ID",
        25,
        17,
        "`x` is listed twice among the members",
    );
    expect_one(
        "\n[[joint_arrangement]]\nmembers = [\"x\", \"a\"]\nentity = \"a\"\n",
        "SELF_OWNERSHIP",
        25,
        17,
        "`a` cannot be a member of a joint arrangement over itself",
    );
}

#[test]
fn every_problem_of_a_file_is_reported() {
    let rest = r#"
[[ownership]]
owner = "x"
owned = "a"
share = 120

[[ownership]]
owner = "b"
owned = "b"
share = 10

[[ownership]]
owner = "ghost"
owned = "a"
share = "30-"

[[control]]
controller = "x"
controlled = "b"
basis = "bribery"
from = 2025-01-01
until = 2024-01-01

[[joint_arrangement]]
members = ["x", "x"]
entity = "b"
"#;
    let errs = errors(&scenario(rest));
    let codes: Vec<(&str, u32)> = errs.iter().map(|(c, l, _, _)| (c.as_str(), *l)).collect();
    assert_eq!(
        codes,
        vec![
            ("DUPLICATE_ID", 47),
            ("IMPOSSIBLE_DATE", 44),
            ("INVALID_SHARE", 27),
            ("INVALID_SHARE", 37),
            ("SELF_OWNERSHIP", 31),
            ("UNKNOWN_REFERENCE", 35),
            ("UNKNOWN_REFERENCE", 42),
        ],
        "{errs:#?}"
    );
}

#[test]
fn the_binary_reports_bad_ownership_as_invalid_input_without_panicking() {
    let dir = std::env::temp_dir().join(format!("interdict-bad-ownership-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(
        &path,
        scenario("\n[[ownership]]\nowner = \"x\"\nowned = \"a\"\nshare = \"70-50\"\n"),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_interdict"))
        .args(["explain", "party", "a", "--scenario"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("bad.toml:27:9: error[INVALID_SHARE]: share range `70-50` has its lower bound above its upper bound"), "{stderr}");
    assert!(!stderr.contains("panicked"));
    let _ = std::fs::remove_dir_all(&dir);
}
