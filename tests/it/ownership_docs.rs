//! docs/ownership.md shows real output: every ```console block starts with `$ interdict ...`,
//! which this test runs with the real binary from the crate directory, and the rest of the
//! block must be exactly its standard output. In a ```console excerpt block, every line must
//! appear in the output, in order (for decisions whose other parts belong to other packs).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use std::path::Path;
use std::process::Command;

struct Block {
    line: usize,
    excerpt: bool,
    command: Vec<String>,
    expected: Vec<String>,
}

fn console_blocks(doc: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<(usize, bool, Vec<String>)> = None;
    for (i, line) in doc.lines().enumerate() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) if info.trim().starts_with("console") => {
                current = Some((i + 2, info.trim() == "console excerpt", Vec::new()))
            }
            (None, Some(_)) => current = Some((i + 2, false, vec!["<not console>".into()])),
            (Some(_), Some(_)) => {
                let (line, excerpt, body) = current.take().unwrap();
                if body.first().is_some_and(|l| l == "<not console>") {
                    continue;
                }
                let command = body
                    .first()
                    .and_then(|l| l.strip_prefix("$ interdict "))
                    .unwrap_or_else(|| {
                        panic!(
                            "docs/ownership.md:{line}: a console block starts with `$ interdict`"
                        )
                    });
                out.push(Block {
                    line,
                    excerpt,
                    command: command.split_whitespace().map(str::to_string).collect(),
                    expected: body[1..].to_vec(),
                });
            }
            (Some((_, _, body)), None) => body.push(line.to_string()),
            (None, None) => {}
        }
    }
    out
}

#[test]
fn every_console_block_of_the_ownership_doc_is_real_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/ownership.md")).unwrap();
    let blocks = console_blocks(&doc);
    assert!(blocks.len() >= 8, "docs/ownership.md lost its examples");
    assert!(
        blocks.iter().any(|b| b.command.join(" ") == "explain party subsidiary --scenario tests/scenarios/ownership/three-level-chain.toml --jurisdiction us"),
        "the three-level chain example is missing"
    );
    for b in &blocks {
        let out = Command::new(env!("CARGO_BIN_EXE_interdict"))
            .args(&b.command)
            .current_dir(root)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            out.status.success(),
            "docs/ownership.md:{}: `interdict {}` failed: {}",
            b.line,
            b.command.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        if b.excerpt {
            let mut lines = stdout.lines();
            for want in &b.expected {
                assert!(
                    lines.any(|l| l == want),
                    "docs/ownership.md:{}: `{want}` is not in the output (in order) of `interdict {}`:\n{stdout}",
                    b.line,
                    b.command.join(" ")
                );
            }
        } else {
            let got: Vec<&str> = stdout.lines().collect();
            assert_eq!(
                got,
                b.expected,
                "docs/ownership.md:{}: the output of `interdict {}` changed",
                b.line,
                b.command.join(" ")
            );
        }
    }
}
