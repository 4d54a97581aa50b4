//! Name resolution against the SDN snapshot and lists in scenarios: one party per listed
//! person, designations from `list_tags`, scenario dates winning, exact and identifier matches
//! making a party the listed person, fuzzy matches only ever flagging it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test and benchmark helpers fail loudly"
)]

use std::path::{Path, PathBuf};

use interdict::diagnostic::Code;
use interdict::eval::{Engine, EvalOptions};
use interdict::lists::SdnList;
use interdict::lists::index::{DEFAULT_THRESHOLD, score_decimal};
use interdict::lists::resolve::{self, PartyNames};
use interdict::model::pack::Pack;
use interdict::render::diagnostic::DiagnosticText as _;
use interdict::scenario::{self, Scenario};
use interdict::source::SourceFile;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rules() -> Pack {
    crate::common::pack()
}

/// Whether the lists folder holding the SDN snapshot is present (prints SKIPPED if not).
fn lists_present(test: &str) -> bool {
    interdict::lists::dir::for_test(interdict::lists::dir::SDN_SNAPSHOT, test).is_some()
}

fn snapshot() -> SdnList {
    SdnList::from_path(
        &interdict::lists::dir::lists_dir().join(interdict::lists::dir::SDN_SNAPSHOT),
    )
    .unwrap()
}

fn load(rel: &str) -> Scenario {
    scenario::load_path(&root().join(rel), &rules())
        .unwrap_or_else(|d| panic!("{:?}", d.iter().map(|x| x.render()).collect::<Vec<_>>()))
}

/// Load scenario text as if it were the file `tests/scenarios/lists/<name>`.
fn load_text(name: &str, text: &str) -> Result<Scenario, Vec<String>> {
    let path = root().join("tests/scenarios/lists").join(name);
    scenario::load(
        SourceFile::new(path.display().to_string(), text),
        &path,
        &rules(),
    )
    .map_err(|d| d.iter().map(|x| x.render()).collect())
}

fn programs_of(s: &Scenario, party: &str) -> Vec<(String, Option<String>, bool)> {
    let p = s.world.party_by_id(party).unwrap();
    let mut v: Vec<_> = s
        .world
        .designations
        .iter()
        .filter(|d| d.party == p)
        .map(|d| {
            (
                s.rules.program(d.program).id.clone(),
                d.listed.map(|x| x.to_string()),
                d.date_assumed,
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn exact_matching_normalises_case_diacritics_punctuation_order_and_legal_forms() {
    if !lists_present("exact_matching_normalises_case_diacritics_punctuation_order_and_legal_forms")
    {
        return;
    }
    let list = snapshot();
    for (query, ent) in [
        ("HIZBALLAH", 4697),
        ("hizballah", 4697),
        ("Foreign Relations Department", 4697),
        ("Joaquín Guzmán Loera", 6861),
        ("guzman-loera, joaquin", 6861),
        ("Cártel de Jalisco Nueva Generación", 17671),
        ("Sinaloa Cartel", 11440),
        ("Mexican Federation", 11440),
        // Another script, transliterated: `DERIPASKA, Oleg Vladimirovich`.
        ("Дерипаска Олег Владимирович", 24283),
    ] {
        let hits = list.exact(query);
        assert_eq!(
            hits.iter()
                .map(|h| list.entries[h.entry].ent_num)
                .collect::<Vec<_>>(),
            vec![ent],
            "{query}"
        );
    }
    // Legal forms: `ANGLO-CARIBBEAN CO., LTD.` (entry 173) without its legal form.
    assert_eq!(
        list.entries[list.exact("Anglo Caribbean").first().unwrap().entry].ent_num,
        173
    );
    assert!(list.exact("Jalisco Cartel").is_empty());
    // `CJNG` is no alias on the list; the U.S. pack's reference party gives it.
    assert!(list.exact("CJNG").is_empty());
    let names = PartyNames::from_world(&rules().reference, &list);
    let hits = resolve::exact(&list, &names, "CJNG");
    assert_eq!(hits.len(), 1);
    assert_eq!(list.entries[hits[0].entry].ent_num, 17671);
    // Identifiers: letters and digits only.
    assert_eq!(
        list.entries[list.by_identifier("ad-005 831")[0].entry].ent_num,
        7513
    );
    assert!(
        list.by_identifier("365").is_empty(),
        "short numbers are not looked up"
    );
}

#[test]
fn fuzzy_scores_are_deterministic_and_misspellings_only_become_candidates() {
    if !lists_present("fuzzy_scores_are_deterministic_and_misspellings_only_become_candidates") {
        return;
    }
    let list = snapshot();
    let hits = list.fuzzy("Cartel de Jalisco Nueva Generation", DEFAULT_THRESHOLD, 5);
    assert_eq!(list.entries[hits[0].entry].ent_num, 17671);
    assert_eq!(score_decimal(hits[0].score).to_string(), "0.988");
    assert!(!hits[0].exact);
    let hits = list.fuzzy("Hizbalah", DEFAULT_THRESHOLD, 5);
    assert_eq!(list.entries[hits[0].entry].ent_num, 4697);
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(
        list.fuzzy("Agroexportadora del Valle", DEFAULT_THRESHOLD, 5)
            .is_empty()
    );
}

/// A deterministic misspelling: one of a swap, a drop or a substitution, chosen by `seed`.
fn misspell(name: &str, seed: usize) -> String {
    let mut c: Vec<char> = name.chars().collect();
    if c.len() < 4 {
        return name.to_string();
    }
    let i = 1 + seed % (c.len() - 2);
    match seed % 3 {
        0 => c.swap(i, i + 1),
        1 => {
            c.remove(i);
        }
        _ => c[i] = if c[i] == 'E' { 'A' } else { 'E' },
    }
    c.into_iter().collect()
}

#[test]
fn the_trigram_prefilter_finds_what_a_full_scan_finds() {
    if !lists_present("the_trigram_prefilter_finds_what_a_full_scan_finds") {
        return;
    }
    let list = snapshot();
    let mut checked = 0;
    for (i, e) in list.entries.iter().enumerate().step_by(149) {
        let q = misspell(&e.name, i);
        let fast = list.index.fuzzy(&list.entries, &q, DEFAULT_THRESHOLD, 10);
        let full = list
            .index
            .fuzzy_full_scan(&list.entries, &q, DEFAULT_THRESHOLD, 10);
        assert_eq!(fast, full, "query {q:?} (from {:?})", e.name);
        checked += 1;
    }
    assert!(checked >= 100);
}

#[test]
fn list_entries_become_parties_without_duplicating_reference_parties() {
    if !lists_present("list_entries_become_parties_without_duplicating_reference_parties") {
        return;
    }
    let s = load("tests/scenarios/lists/cartels-2025.toml");
    let list = snapshot();
    let w = &s.world;
    // `ofac:11440` is the pack's `sinaloa-cartel`, not a second party.
    assert_eq!(w.party_by_id("ofac:11440"), w.party_by_id("sinaloa-cartel"));
    assert_eq!(w.party_by_id("ofac:17671"), w.party_by_id("cjng"));
    assert_eq!(
        w.parties
            .iter()
            .filter(|p| p.list_entry.as_deref() == Some("ofac:11440"))
            .count(),
        1
    );
    let reference = rules().reference.parties.len();
    let claimed = rules()
        .reference
        .parties
        .iter()
        .filter(|p| p.list_entry.is_some())
        .count();
    let scenario_parties = 3;
    assert_eq!(
        w.parties.len(),
        reference + list.entries.len() - claimed + scenario_parties
    );
    // The list's designations join the pack's; the restated FTO/SDGT ones are kept once.
    assert_eq!(
        programs_of(&s, "sinaloa-cartel"),
        vec![
            (
                "ca.criminal-code-listed".into(),
                Some("2025-02-20".into()),
                false
            ),
            ("us.fto".into(), Some("2025-02-20".into()), false),
            ("us.illicit-drugs".into(), Some("2021-12-15".into()), false),
            ("us.kingpin".into(), None, true),
            ("us.sdgt".into(), Some("2025-02-20".into()), false),
        ]
    );
    let sinaloa = w.party(w.party_by_id("sinaloa-cartel").unwrap());
    assert!(sinaloa.aliases.iter().any(|a| a == "GUADALAJARA CARTEL"));
    // An entry nobody claims is a party of its own, of the entry's kind.
    let sarak = w.party(w.party_by_id("ofac:27279").unwrap());
    assert_eq!(
        (sarak.name.as_str(), sarak.kind),
        ("SARAK", interdict::model::PartyKind::Vessel)
    );
    assert_eq!(
        programs_of(&s, "ofac:4697"),
        vec![
            ("us.fto".into(), None, true),
            ("us.sdgt".into(), None, true),
            // Its SYRIA tag maps to the catch-all blocking program of the other SDN programs.
            ("us.sdn-other".into(), None, true)
        ]
    );
    // A tag of a program the packs do not model in detail maps to the catch-all blocking
    // program: no SDN comes out permitted.
    assert_eq!(
        programs_of(&s, "ofac:306"),
        vec![("us.sdn-other".into(), None, true)],
        "BANCO NACIONAL DE CUBA: CUBA"
    );
    // Unmapped tags give no designation but are reported: NS-PLC (a non-SDN list) is the one.
    assert!(
        s.warnings
            .iter()
            .any(|d| d.message.contains("map to no program")
                && d.help.as_deref().unwrap_or("").contains("NS-PLC (2)"))
    );
    assert!(
        s.warnings
            .iter()
            .any(|d| d.message.contains("date assumed"))
    );
}

#[test]
fn linked_to_relations_are_in_the_designations_sources() {
    if !lists_present("linked_to_relations_are_in_the_designations_sources") {
        return;
    }
    let s = load("tests/scenarios/lists/hizballah.toml");
    let nasrallah = s.world.party_by_id("ofac:2686").unwrap();
    let d = s
        .world
        .designations
        .iter()
        .find(|d| d.party == nasrallah)
        .unwrap();
    let source = d.source.as_deref().unwrap_or_default();
    assert_eq!(
        source,
        "OFAC SDN list entry 2686 (SDGT), sdn_2024-05-03.csv; Linked To: HIZBALLAH (ofac:4697)"
    );
    let list = snapshot();
    let pos = list.position(2686).unwrap();
    assert_eq!(
        list.links_text(pos).as_deref(),
        Some("Linked To: HIZBALLAH (ofac:4697)")
    );
}

#[test]
fn a_scenario_designation_replaces_the_lists_and_assume_listed_dates_the_rest() {
    if !lists_present("a_scenario_designation_replaces_the_lists_and_assume_listed_dates_the_rest")
    {
        return;
    }
    let s = load("tests/scenarios/lists/glomag-individual.toml");
    assert_eq!(
        programs_of(&s, "ofac:7489"),
        vec![("us.glomag".into(), Some("2024-03-04".into()), false)]
    );
    let text = r#"
[scenario]
name = "assumed dates"
[lists]
ofac = "lists:us_ofac/sdn_2024-05-03.csv"
assume_listed = 2020-01-01
"#;
    let s = load_text("assumed.toml", text).unwrap();
    assert_eq!(
        programs_of(&s, "ofac:7489"),
        vec![("us.glomag".into(), Some("2020-01-01".into()), true)]
    );
    assert!(
        s.warnings
            .iter()
            .any(|d| d.message.contains("assumed listed on 2020-01-01"))
    );
}

#[test]
fn resolution_makes_exact_matches_the_listed_person_and_fuzzy_ones_candidates() {
    if !lists_present("resolution_makes_exact_matches_the_listed_person_and_fuzzy_ones_candidates")
    {
        return;
    }
    let s = load("tests/scenarios/lists/resolution.toml");
    let w = &s.world;
    let cjng = w.party(w.party_by_id("payee-cjng").unwrap());
    assert_eq!(cjng.list_entry.as_deref(), Some("ofac:17671"));
    assert!(cjng.fuzzy_candidates.is_empty());
    assert_eq!(
        programs_of(&s, "payee-cjng")
            .into_iter()
            .map(|p| p.0)
            .collect::<Vec<_>>(),
        vec![
            "ca.criminal-code-listed",
            "us.fto",
            "us.illicit-drugs",
            "us.kingpin",
            "us.sdgt"
        ]
    );
    let misspelt = w.party(w.party_by_id("payee-misspelt").unwrap());
    assert_eq!(misspelt.list_entry, None);
    assert!(
        programs_of(&s, "payee-misspelt").is_empty(),
        "a fuzzy match designates nothing"
    );
    assert_eq!(misspelt.fuzzy_candidates.len(), 1);
    let c = &misspelt.fuzzy_candidates[0];
    assert_eq!(
        (c.entry.as_str(), c.score.to_string().as_str()),
        ("ofac:17671", "0.988")
    );
    assert_eq!(c.programs, vec!["SDNTK", "ILLICIT-DRUGS-EO14059"]);
    // Every resolution is on record, located at the `resolve_*` key.
    let matched: Vec<&str> = s
        .warnings
        .iter()
        .filter(|d| d.code == Code::ListMatch)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(matched.len(), 4, "{matched:?}");
    assert!(
        matched
            .iter()
            .any(|m| m.contains("`payee-misspelt` may be a listed person"))
    );
    assert!(s.warnings.iter().any(|d| d.code == Code::DateAssumed));
    let traveller = w.party(w.party_by_id("traveller").unwrap());
    assert_eq!(traveller.list_entry.as_deref(), Some("ofac:7513"));

    let v = load("tests/scenarios/lists/vessel.toml");
    assert_eq!(
        v.world
            .party(v.world.party_by_id("tanker").unwrap())
            .list_entry
            .as_deref(),
        Some("ofac:27279")
    );
    assert_eq!(
        programs_of(&v, "tanker")
            .into_iter()
            .map(|p| p.0)
            .collect::<Vec<_>>(),
        vec!["us.sdgt"]
    );
}

#[test]
fn fuzzy_candidates_and_scores_are_in_the_decision_facts() {
    if !lists_present("fuzzy_candidates_and_scores_are_in_the_decision_facts") {
        return;
    }
    let s = load("tests/scenarios/lists/resolution.toml");
    let engine = Engine::new(s.rules.clone(), s.world.clone());
    let i = s
        .transactions
        .iter()
        .position(|t| t.id == "to-misspelt-name")
        .unwrap();
    let d = engine.evaluate(&s.transactions[i], &EvalOptions::default());
    let report = interdict::report::build(&engine, &s.transactions[i], &d);
    let json = serde_json::to_value(&report).unwrap();
    let us = json["jurisdictions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["jurisdiction"] == "us")
        .unwrap();
    let reasons = us["reasons"].as_array().unwrap();
    let review = reasons
        .iter()
        .find(|r| r["rule"] == "us.list.fuzzy-match-review")
        .unwrap();
    let cand = &review["facts"][0]["list_candidates"][0];
    assert_eq!(cand["entry"], "ofac:17671");
    assert_eq!(cand["score"], "0.988");
    let mut text = String::new();
    interdict::render::report::render(&report, &mut text);
    assert!(text.contains("list candidate for payee-misspelt: ofac:17671 CARTEL DE JALISCO NUEVA GENERACION (score 0.988"), "{text}");
}

#[test]
fn list_problems_in_scenarios_are_located_errors() {
    if !lists_present("list_problems_in_scenarios_are_located_errors") {
        return;
    }
    let missing = "[scenario]\nname = \"x\"\n[lists]\nofac = \"no-such-list.csv\"\n";
    let e = load_text("missing.toml", missing).unwrap_err();
    assert!(
        e.iter().any(|m| m.contains(
            "missing.toml:4:8: error[INVALID_VALUE]: the list `no-such-list.csv` cannot be used"
        )),
        "{e:?}"
    );
    assert!(e.iter().any(|m| m.contains("error[NOT_FOUND]")), "{e:?}");

    let broken = "[scenario]\nname = \"x\"\n[lists]\nofac = \"../../data/sdn-broken/duplicate-entry-number.csv\"\n";
    let e = load_text("broken.toml", broken).unwrap_err();
    assert!(
        e.iter()
            .any(|m| m.contains("duplicate-entry-number.csv:3:1: error[LIST_ROW]")),
        "{e:?}"
    );

    let no_list = "[scenario]\nname = \"x\"\n[[party]]\nid = \"p\"\nkind = \"organization\"\nresolve_name = \"CJNG\"\n";
    let e = load_text("nolist.toml", no_list).unwrap_err();
    assert!(
        e.iter().any(
            |m| m.contains("nolist.toml:6:16: error[MISSING_KEY]: `resolve_name` needs a list")
        ),
        "{e:?}"
    );

    let list = "[lists]\nofac = \"lists:us_ofac/sdn_2024-05-03.csv\"\n";
    let unknown = format!(
        "{list}[[party]]\nid = \"p\"\nkind = \"organization\"\nlist_entry = \"ofac:99999999\"\n"
    );
    let e = load_text("unknown.toml", &unknown).unwrap_err();
    assert!(
        e.iter()
            .any(|m| m.contains("error[UNKNOWN_REFERENCE]: the list")
                && m.contains("has no entry `ofac:99999999`")),
        "{e:?}"
    );

    let twice = format!(
        "{list}[[party]]\nid = \"p\"\nkind = \"organization\"\nlist_entry = \"ofac:17671\"\n"
    );
    let e = load_text("twice.toml", &twice).unwrap_err();
    assert!(
        e.iter()
            .any(|m| m.contains("list entry `ofac:17671` is already the reference party `cjng`")),
        "{e:?}"
    );

    let threshold = format!("{list}fuzzy_threshold = \"1.5\"\n");
    let e = load_text("threshold.toml", &threshold).unwrap_err();
    assert!(
        e.iter()
            .any(|m| m.contains("`fuzzy_threshold` must be a number above 0 and at most 1")),
        "{e:?}"
    );
}

#[test]
fn a_scenario_party_may_stand_for_an_entry_itself() {
    if !lists_present("a_scenario_party_may_stand_for_an_entry_itself") {
        return;
    }
    let text = r#"
[lists]
ofac = "lists:us_ofac/sdn_2024-05-03.csv"
[[party]]
id = "hezbollah"
name = "Hezbollah"
kind = "organization"
list_entry = "ofac:4697"
[[designation]]
party = "hezbollah"
program = "us.fto"
listed = 1997-10-08
source = "FTO designation, 8 Oct 1997 (62 FR 52650)"
"#;
    let s = load_text("claim.toml", text).unwrap();
    let w = &s.world;
    assert_eq!(w.party_by_id("ofac:4697"), w.party_by_id("hezbollah"));
    assert_eq!(
        w.parties
            .iter()
            .filter(|p| p.list_entry.as_deref() == Some("ofac:4697"))
            .count(),
        1
    );
    assert_eq!(
        programs_of(&s, "hezbollah"),
        vec![
            ("us.fto".into(), Some("1997-10-08".into()), false),
            ("us.sdgt".into(), None, true),
            ("us.sdn-other".into(), None, true)
        ]
    );
    assert!(Path::new(&root().join("tests/scenarios/lists")).is_dir());
    assert!(s.warnings.iter().all(|d| d.code != Code::DuplicateId));
}
