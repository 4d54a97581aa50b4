//! docs/what-if.md cannot go stale: every ```sh block is an `interdict` command that this test
//! runs with the real binary, and the fenced block right after it is what the command must
//! print: ```text for stdout, ```text stderr for stderr, with `exit=N` for a non-zero exit code.
//! Every ```toml overlay block is an overlay file that must parse and apply to the study.
//!
//! When the rule packs change on purpose, regenerate the outputs with
//! `INTERDICT_BLESS=1 cargo test --test it what_if_doc::` and read the diff of the document.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use interdict::render::diagnostic::DiagnosticText as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const DOC: &str = "docs/what-if.md";

/// A fenced block: info string, the line numbers of its fences (0-based), and its body.
#[derive(Debug, Clone)]
struct Block {
    info: String,
    open: usize,
    close: usize,
    body: String,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for (i, line) in text.lines().enumerate() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => {
                current = Some(Block {
                    info: info.trim().to_string(),
                    open: i,
                    close: i,
                    body: String::new(),
                })
            }
            (Some(_), Some(_)) => {
                let mut b = current.take().unwrap();
                b.close = i;
                out.push(b);
            }
            (Some(b), None) => {
                b.body.push_str(line);
                b.body.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(current.is_none(), "{DOC} has an unclosed code block");
    out
}

/// Split a command line the way a POSIX shell would for the simple cases the document uses:
/// words, single and double quotes, and backslash-newline continuations.
fn words(cmd: &str) -> Vec<String> {
    let cmd = cmd.replace("\\\n", " ");
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in cmd.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            None => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    assert!(quote.is_none(), "unbalanced quote in `{cmd}`");
    if in_word {
        out.push(cur);
    }
    out
}

struct Run {
    exit: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &str) -> Run {
    let w = words(cmd);
    assert_eq!(
        w.first().map(String::as_str),
        Some("interdict"),
        "a ```sh block in {DOC} must run interdict: `{cmd}`"
    );
    let o = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(&w[1..])
        .output()
        .unwrap();
    Run {
        exit: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// What an output block's info string says: `text [stderr] [exit=N]`.
fn expectation(info: &str) -> (bool, i32) {
    let mut stderr = false;
    let mut exit = 0;
    for part in info.split_whitespace().skip(1) {
        if part == "stderr" {
            stderr = true;
        } else if let Some(n) = part.strip_prefix("exit=") {
            exit = n.parse().unwrap();
        } else {
            panic!("unknown output block attribute `{part}` in {DOC}");
        }
    }
    (stderr, exit)
}

fn first_difference(expected: &str, actual: &str) -> String {
    for (i, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            return format!(
                "first difference at output line {}:\n  doc:    {e}\n  actual: {a}",
                i + 1
            );
        }
    }
    format!(
        "the doc has {} lines, the command printed {}",
        expected.lines().count(),
        actual.lines().count()
    )
}

fn doc_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(DOC)
}

#[test]
fn every_command_in_the_what_if_guide_prints_what_the_guide_shows() {
    let text = std::fs::read_to_string(doc_path()).unwrap();
    let all = blocks(&text);
    let bless = std::env::var_os("INTERDICT_BLESS").is_some();
    let mut replacements: Vec<(usize, usize, String, String)> = Vec::new();
    let mut problems = Vec::new();
    let mut commands = 0;
    for (i, b) in all.iter().enumerate() {
        if b.info != "sh" {
            continue;
        }
        commands += 1;
        let out = all.get(i + 1).filter(|o| o.info.starts_with("text"));
        let Some(out) = out else {
            problems.push(format!(
                "{DOC}:{}: a ```sh block must be followed by a ```text block with its output",
                b.open + 1
            ));
            continue;
        };
        let (on_stderr, exit) = expectation(&out.info);
        let r = run(b.body.trim());
        let printed = if on_stderr { &r.stderr } else { &r.stdout };
        if bless {
            // Keep the stream the doc shows, unless the command now fails or succeeds.
            let stream_err = on_stderr || (r.stdout.is_empty() && !r.stderr.is_empty());
            let mut info = String::from("text");
            if stream_err {
                info.push_str(" stderr");
            }
            if r.exit != 0 {
                info.push_str(&format!(" exit={}", r.exit));
            }
            let body = if stream_err { &r.stderr } else { &r.stdout };
            replacements.push((out.open, out.close, info, body.clone()));
            continue;
        }
        if r.exit != exit {
            problems.push(format!(
                "{DOC}:{}: `{}` exited with {}, the doc says {exit}\n{}",
                b.open + 1,
                b.body.trim(),
                r.exit,
                r.stderr
            ));
        }
        if *printed != out.body {
            problems.push(format!(
                "{DOC}:{}: `{}` prints something else than the doc shows; {}",
                b.open + 1,
                b.body.trim(),
                first_difference(&out.body, printed)
            ));
        }
        if !on_stderr && r.stderr.contains("panicked") {
            problems.push(format!("{DOC}:{}: the command panicked", b.open + 1));
        }
    }
    assert!(commands >= 5, "{DOC} should walk through its commands");
    if bless {
        let lines: Vec<&str> = text.lines().collect();
        let mut new = String::new();
        let mut next = 0;
        for (open, close, info, body) in replacements {
            for l in &lines[next..open] {
                new.push_str(l);
                new.push('\n');
            }
            new.push_str(&format!("```{info}\n{body}```\n"));
            next = close + 1;
        }
        for l in &lines[next..] {
            new.push_str(l);
            new.push('\n');
        }
        std::fs::write(doc_path(), new).unwrap();
        return;
    }
    assert!(
        problems.is_empty(),
        "{}\n\nIf the change is intended, regenerate the outputs: INTERDICT_BLESS=1 cargo test --test it what_if_doc::",
        problems.join("\n\n")
    );
}

#[test]
fn overlay_examples_in_the_guide_parse_and_apply() {
    let text = std::fs::read_to_string(doc_path()).unwrap();
    let (pack, _) = interdict::scenario::pack::load_embedded().unwrap();
    let study = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios/whatif/cartels-2025-study.toml");
    let mut n = 0;
    for b in blocks(&text).iter().filter(|b| b.info.starts_with("toml")) {
        assert_eq!(b.info, "toml overlay", "{DOC}:{}", b.open + 1);
        n += 1;
        let file =
            interdict::source::SourceFile::new(format!("{DOC}:{}", b.open + 2), b.body.clone());
        let overlay = interdict::whatif::parse_file(file)
            .unwrap_or_else(|d| panic!("{:?}", d.iter().map(|x| x.render()).collect::<Vec<_>>()));
        let mut s = interdict::scenario::load_path(&study, &pack).unwrap();
        if let Err(d) = interdict::whatif::apply_all(
            &[overlay],
            &s.rules,
            std::sync::Arc::make_mut(&mut s.world),
        ) {
            panic!("{:?}", d.iter().map(|x| x.render()).collect::<Vec<_>>());
        }
    }
    assert!(n >= 1, "{DOC} should show an overlay file");
}

#[test]
fn the_shell_splitter_handles_quotes_and_continuations() {
    assert_eq!(
        words("interdict diff a.toml \\\n  --own 'x>y=50@2025-01-01' --designate \"a=b\""),
        [
            "interdict",
            "diff",
            "a.toml",
            "--own",
            "x>y=50@2025-01-01",
            "--designate",
            "a=b"
        ]
    );
}
