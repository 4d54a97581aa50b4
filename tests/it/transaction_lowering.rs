//! One transaction lowering: a record of a batch input and a scenario's `[[transaction]]`
//! with the same fields report the same problems, with the same codes and words.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::Path;
use std::sync::Arc;

use interdict::batch::InputFormat;
use interdict::diagnostic::Code;
use interdict::source::SourceFile;

const WORLD: &str = r#"
[[party]]
id = "acme"
kind = "organization"
incorporated_in = "US"

[[party]]
id = "sea-star"
kind = "vessel"
"#;

/// Every field wrong in its own way.
const BROKEN: &str = r#"
[[transaction]]
id = "t1"
date = "2025-02-30"
type = "wyre"
goods = ["nothing-such"]
amount = "-5"
currency = "USX"
originator = "nobody"
vessel = "acme"
licenses = ["no.such.license"]
knowing = ["ghost"]
"#;

const RECORD: &str = r#"{"id":"t1","date":"2025-02-30","type":"wyre","goods":["nothing-such"],"amount":"-5","currency":"USX","originator":"nobody","vessel":"acme","licenses":["no.such.license"],"knowing":["ghost"]}"#;

type Problems = Vec<(Code, String, Option<String>)>;

#[test]
fn a_record_and_a_scenario_transaction_report_the_same_problems() {
    let rules = Arc::new(interdict::rules::load_embedded().unwrap().0);
    let path = Path::new("lowering.toml");
    let world =
        interdict::scenario::load(SourceFile::new("world.toml", WORLD), path, &rules).unwrap();
    let text = format!("{WORLD}{BROKEN}");
    let Err(diags) = interdict::scenario::load(SourceFile::new("s.toml", text), path, &rules)
    else {
        panic!("the broken transaction fails the scenario");
    };
    let mut scenario: Problems = diags
        .iter()
        .map(|d| (d.code, d.message.clone(), d.help.clone()))
        .collect();

    let (txs, errors) = interdict::batch::read_transactions(
        RECORD.as_bytes(),
        "r.ndjson",
        InputFormat::Ndjson,
        &world.rules,
        &world.world,
    );
    assert!(txs.is_empty());
    assert_eq!(errors.len(), 1, "{errors:?}");
    let mut batch: Problems = errors[0]
        .problems
        .iter()
        .map(|p| (p.code, p.message.clone(), p.help.clone()))
        .collect();
    // A party id is suggested only in a scenario (a batch world may hold a million parties).
    for p in &mut scenario {
        if p.1.starts_with("unknown party") {
            p.2 = None;
        }
    }
    scenario.sort();
    batch.sort();
    assert_eq!(scenario, batch);
    let codes: Vec<Code> = batch.iter().map(|p| p.0).collect();
    for code in [
        Code::InvalidValue,
        Code::UnknownReference,
        Code::NegativeAmount,
    ] {
        assert!(codes.contains(&code), "{batch:?}");
    }
    assert_eq!(batch.len(), 9, "{batch:?}");
}
