//! The ownership scenarios (tests/scenarios/ownership/) state, besides their transaction
//! expectations (run by tests/it/scenarios.rs), the status of parties in `# status:` comments and
//! the exact witness text in `# witness:` comments:
//!
//! ```text
//! # status: <party> <jurisdiction> <blocked|not_blocked|undetermined> [@YYYY-MM-DD]
//! # witness: <party> <jurisdiction> [@YYYY-MM-DD] <the text `interdict explain party` prints>
//! ```
//!
//! The date defaults to the scenario's `as_of`. A witness text may end in `...` to match a
//! prefix. This test checks every such line against `ownership::witness::explain`, and that
//! every ownership scenario states at least one status. The doctrine contrasts
//! (tests/fixtures/doctrines/*.toml: one world under the U.S., EU, UK and Canadian packs) are
//! checked the same way.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::PathBuf;

use interdict::expectations::run::collect_files;
use interdict::model::values::{Date, parse_date};
use interdict::ownership::witness::{Witness, explain};
use interdict::render::diagnostic::DiagnosticText as _;

struct Claim {
    line: usize,
    party: String,
    jurisdiction: String,
    date: Option<Date>,
    status: Option<String>,
    text: Option<String>,
}

fn claims(text: &str) -> Vec<Claim> {
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let (rest, is_status) = if let Some(r) = l.strip_prefix("# status: ") {
            (r, true)
        } else if let Some(r) = l.strip_prefix("# witness: ") {
            (r, false)
        } else {
            continue;
        };
        let mut words = rest.splitn(3, ' ');
        let party = words.next().unwrap().to_string();
        let jurisdiction = words.next().unwrap().to_string();
        let mut tail = words.next().unwrap_or("").to_string();
        let mut date = None;
        if let Some(d) = tail.strip_prefix('@') {
            let (d, r) = d.split_once(' ').unwrap_or((d, ""));
            date = Some(parse_date(d).unwrap());
            tail = r.to_string();
        }
        let mut tail = tail.trim().to_string();
        if is_status && let Some((word, d)) = tail.clone().split_once(" @") {
            date = Some(parse_date(d.trim()).unwrap());
            tail = word.to_string();
        }
        out.push(Claim {
            line: i + 1,
            party,
            jurisdiction,
            date,
            status: is_status.then(|| tail.clone()),
            text: (!is_status).then_some(tail),
        });
    }
    out
}

fn manifest(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(p)
}

#[test]
fn ownership_scenarios_state_statuses_and_witnesses_that_hold() {
    let (pack, _) = interdict::scenario::pack::load_embedded().expect("embedded packs load");
    let files = collect_files(&[manifest("tests/scenarios/ownership")]);
    assert!(files.len() >= 12, "the ownership corpus is missing");
    check_claims(&files, pack);
}

#[test]
fn doctrine_contrasts_state_statuses_and_witnesses_that_hold() {
    let (pack, _) = interdict::scenario::pack::load_embedded().expect("embedded packs load");
    let files = collect_files(&[manifest("tests/fixtures/doctrines")]);
    assert!(!files.is_empty(), "the contrast worlds are missing");
    check_claims(&files, pack);
}

fn check_claims(files: &[PathBuf], rules: interdict::model::pack::Pack) {
    let mut problems = Vec::new();
    let mut checked = 0;
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        let cs = claims(&text);
        if !cs.iter().any(|c| c.status.is_some()) {
            problems.push(format!("{} states no `# status:` line", f.display()));
        }
        let s = match interdict::scenario::load_path(f, &rules) {
            Ok(s) => s,
            Err(d) => {
                problems.push(format!(
                    "{} does not load: {:?}",
                    f.display(),
                    d.iter().map(|x| x.render()).collect::<Vec<_>>()
                ));
                continue;
            }
        };
        for c in cs {
            let at = format!("{}:{}", f.display(), c.line);
            let Some(p) = s.world.party_by_id(&c.party) else {
                problems.push(format!("{at}: no party `{}`", c.party));
                continue;
            };
            let Some(j) = s.rules.jurisdiction_by_id(&c.jurisdiction) else {
                problems.push(format!("{at}: no jurisdiction `{}`", c.jurisdiction));
                continue;
            };
            let date = c.date.or(s.as_of).expect("a date or the scenario's as_of");
            let w: Witness = explain(&s.rules, &s.world, j, date, p);
            checked += 1;
            if let Some(want) = &c.status
                && w.status() != want
            {
                problems.push(format!(
                    "{at}: `{}` is {} on {date}, not {want}: {}",
                    c.party,
                    w.status(),
                    interdict::report::witness::text(&w)
                ));
            }
            if let Some(want) = &c.text {
                // Locations in witnesses name the file as it was opened; compare them relative
                // to the crate, as `interdict` prints them when run from it.
                let root = format!("{}/", env!("CARGO_MANIFEST_DIR"));
                let got = interdict::report::witness::text(&w).replace(&root, "");
                let ok = match want.strip_suffix("...") {
                    Some(prefix) => got.starts_with(prefix),
                    None => &got == want,
                };
                if !ok {
                    problems.push(format!(
                        "{at}: witness of `{}` on {date}\n  want: {want}\n  got:  {got}",
                        c.party
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    eprintln!(
        "{} ownership scenarios, {checked} status and witness claims",
        files.len()
    );
}
