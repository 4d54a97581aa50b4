//! The generic engine concepts the U.S. pack needed: condition alternatives (`any`), limitation
//! periods dated by the violation, and programs no exemption or license may defeat
//! (`licensable = false`). Each is tested on a small pack of its own, on top of the embedded
//! vocabulary, so nothing here depends on the law in the U.S. pack.

use std::path::Path;

use interdict::eval::EvalOptions;
use interdict::eval::decision::ConsequenceKind;
use interdict::model::Disposition;
use interdict::model::pack::Pack;
use interdict::render::diagnostic::DiagnosticText as _;
use interdict::source::SourceFile;

const BASE: &str = r#"
[jurisdiction]
id = "xx"
name = "Testland"
currency = "USD"
calendar = "xx.cal"
[jurisdiction.ownership]
threshold = 50
comparison = ">="
aggregation = "all"
control = "flag"
citation = "test doctrine"

[[calendar]]
id = "xx.cal"
name = "test calendar"
weekend = ["saturday", "sunday"]
covers_from = 2015-01-01
covers_until = 2030-12-31

[[nexus]]
id = "xx.nexus.any"
title = "always"
jurisdiction = "xx"
citation = "test"
when.transfers_value = true

[[program]]
id = "xx.crime"
title = "A crime"
jurisdiction = "xx"
authorities = "Test Code 1"
blocking = false
licensable = false
basis = "crime"

[[program]]
id = "xx.sanctions"
title = "Sanctions"
jurisdiction = "xx"
authorities = "Test Code 2"
blocking = true
basis = "sanctions"

[[penalty]]
id = "xx.fine"
title = "A fine"
kind = "civil"
jurisdiction = "xx"
citation = "Test Code 3"
[[penalty.period]]
cap = "1000 USD"
[[penalty.limitation]]
years = 5
[[penalty.limitation]]
from = 2020-01-01
years = 10

[[rule]]
id = "xx.crime.giving"
program = "xx.crime"
title = "Giving anything to a listed group is a crime, except medicine or a letter without value"
disposition = "prohibited"
citation = "Test Code 1"
actor = { roles = ["originator"] }
when.party = [{ roles = ["beneficiary"], designated = ["xx.sanctions"] }]
unless.any = [
  { goods_only = ["medicine"] },
  { transaction_type = ["personal_communication"], transfers_value = false },
]
exposures = ["xx.fine"]
"#;

fn load_pack(extra: &str) -> Result<Pack, String> {
    let mut files = interdict::rules::embedded_files();
    files.retain(|f| f.name().ends_with("rules/vocabulary.toml"));
    files.push(SourceFile::new("test/base.toml", BASE));
    if !extra.is_empty() {
        files.push(SourceFile::new("test/extra.toml", extra));
    }
    interdict::scenario::pack::load(files)
        .map(|(rs, _)| rs)
        .map_err(|d| d.iter().map(|x| x.render()).collect::<Vec<_>>().join("\n"))
}

const WORLD: &str = r#"
[scenario]
name = "t"

[[party]]
id = "giver"
kind = "organization"

[[party]]
id = "group"
kind = "organization"

[[designation]]
party = "group"
program = "xx.sanctions"
listed = 2018-01-01
"#;

fn scenario(rs: &Pack, txs: &str) -> Result<interdict::scenario::Scenario, String> {
    let text = format!("{WORLD}\n{txs}");
    interdict::scenario::load(
        SourceFile::new("test/scenario.toml", text),
        Path::new("test/scenario.toml"),
        rs,
    )
    .map_err(|d| d.iter().map(|x| x.render()).collect::<Vec<_>>().join("\n"))
}

fn outcome(s: &interdict::scenario::Scenario) -> Vec<(Disposition, Vec<ConsequenceKind>)> {
    let (_, ds) = interdict::expectations::run::decisions(s, &EvalOptions::default());
    ds.into_iter()
        .map(|d| {
            let o = &d.outcomes[0];
            (
                o.disposition,
                o.consequences.iter().map(|c| c.kind.clone()).collect(),
            )
        })
        .collect()
}

#[test]
fn any_alternative_of_unless_stops_the_rule() {
    let rs = load_pack("").expect("pack loads");
    let s = scenario(
        &rs,
        r#"
[[transaction]]
id = "cash"
date = 2024-01-10
type = "donation"
amount = "5"
currency = "USD"
originator = "giver"
beneficiary = "group"

[[transaction]]
id = "medicine"
date = 2024-01-10
type = "donation"
goods = ["medicine"]
amount = "5"
currency = "USD"
originator = "giver"
beneficiary = "group"

[[transaction]]
id = "letter"
date = 2024-01-10
type = "personal_communication"
originator = "giver"
beneficiary = "group"

[[transaction]]
id = "letter-with-cash"
date = 2024-01-10
type = "personal_communication"
amount = "5"
currency = "USD"
originator = "giver"
beneficiary = "group"
"#,
    )
    .expect("scenario loads");
    let got = outcome(&s);
    let d: Vec<Disposition> = got.iter().map(|(d, _)| *d).collect();
    // Neither alternative holds for cash; the first holds for medicine, the second for a
    // letter without value; a letter with cash meets neither.
    assert_eq!(
        d,
        vec![
            Disposition::Prohibited,
            Disposition::Permitted,
            Disposition::OutOfScope,
            Disposition::Prohibited
        ]
    );
}

#[test]
fn an_empty_alternative_is_a_located_error() {
    let err = load_pack(
        r#"
[[rule]]
id = "xx.bad"
program = "xx.sanctions"
disposition = "review"
citation = "x"
when.any = [{}, { transaction_type = ["wire"] }]
"#,
    )
    .expect_err("an empty alternative must be refused");
    assert!(err.contains("test/extra.toml:7"), "{err}");
    assert!(err.contains("always holds"), "{err}");
}

#[test]
fn limitation_runs_from_the_violation_date() {
    let rs = load_pack("").expect("pack loads");
    let s = scenario(
        &rs,
        r#"
[[transaction]]
id = "old"
date = 2019-12-31
type = "wire"
amount = "5"
currency = "USD"
originator = "giver"
beneficiary = "group"

[[transaction]]
id = "new"
date = 2020-01-01
type = "wire"
amount = "5"
currency = "USD"
originator = "giver"
beneficiary = "group"
"#,
    )
    .expect("scenario loads");
    let got = outcome(&s);
    let until: Vec<Option<String>> = got
        .iter()
        .map(|(_, cs)| {
            cs.iter().find_map(|c| match c {
                ConsequenceKind::Exposure {
                    enforceable_until, ..
                } => enforceable_until.map(|d| d.to_string()),
                _ => None,
            })
        })
        .collect();
    assert_eq!(
        until,
        vec![
            Some("2024-12-31".to_string()),
            Some("2030-01-01".to_string())
        ]
    );
}

#[test]
fn a_zero_year_limitation_is_refused() {
    let err = load_pack(
        r#"
[[penalty]]
id = "xx.bad-fine"
title = "bad"
kind = "civil"
jurisdiction = "xx"
citation = "x"
[[penalty.limitation]]
years = 0
"#,
    )
    .expect_err("zero years must be refused");
    assert!(err.contains("0 years"), "{err}");
}

#[test]
fn no_exemption_may_defeat_an_unlicensable_program() {
    let err = load_pack(
        r#"
[[rule]]
id = "xx.too-broad"
kind = "exemption"
jurisdiction = "xx"
citation = "x"
defeats = { dispositions = ["prohibited"] }
when.transaction_type = ["donation"]
"#,
    )
    .expect_err("an exemption reaching the crime must be refused");
    assert!(
        err.contains("xx.too-broad")
            && err.contains("xx.crime.giving")
            && err.contains("no exemption or license may defeat"),
        "{err}"
    );

    // Narrowed to the sanctions program, the same exemption is fine.
    load_pack(
        r#"
[[rule]]
id = "xx.narrow"
kind = "exemption"
jurisdiction = "xx"
citation = "x"
defeats = { programs = ["xx.sanctions"] }
when.transaction_type = ["donation"]
"#,
    )
    .expect("a narrow exemption loads");
}

#[test]
fn a_specific_license_may_not_name_an_unlicensable_program() {
    let rs = load_pack("").expect("pack loads");
    let err = scenario(
        &rs,
        r#"
[[license]]
id = "xx.sl.1"
jurisdiction = "xx"
programs = ["xx.crime"]
"#,
    )
    .expect_err("the license must be refused");
    assert!(
        err.contains("xx.sl.1") && err.contains("no exemption or license may defeat"),
        "{err}"
    );
}
