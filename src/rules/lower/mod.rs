//! Lowering raw rule-pack records into a [`RuleSet`], collecting every problem of every file.
//!
//! Lowering runs in named phases (`lower`): the vocabulary, then every id registered (so
//! references may point forward and across files), then each kind of definition lowered in
//! an order where each only needs what came before, then the rules, the checks over the whole
//! set and the invariants. The world records the files carry are kept for the reference world
//! (lowered beside the rule set by `scenario::pack`). Each kind is registered and lowered by the
//! same two generic steps (`register`, `lower_registered`).

mod calendar;
mod consequence;
pub(crate) mod context;
mod definitions;
mod doctrine;
mod invariant;
pub(crate) mod rule;

use std::collections::{BTreeMap, HashMap};

use toml::Spanned;

use crate::diagnostic::{Code, Diagnostics};
use crate::model::ruleset::*;
use crate::model::{Idx, IndexVec, MAX_TABLE_LEN};
use crate::rules::raw::*;
use crate::rules::world_records::WorldRecords;
use crate::source::SourceFile;
use crate::toml_input::{self, Record};
use consequence::{lower_obligation, lower_penalty};
use context::{Cx, check_capacity};
use definitions::{lower_jurisdiction, lower_nexus, lower_person_test, lower_program};

/// The records of one file, deserialized.
pub struct FileRecords {
    /// The file they were read from (for locations).
    pub file: SourceFile,
    /// The vocabulary terms, by kind: `transaction_type`, `goods`, `party_category`,
    /// `control_basis`.
    pub terms: [Vec<Record<RawTerm>>; 4],
    /// `[jurisdiction]` / `[[jurisdiction]]` tables.
    pub jurisdictions: Vec<Record<RawJurisdiction>>,
    /// `[[calendar]]` tables.
    pub calendars: Vec<Record<RawCalendar>>,
    /// `[[person_test]]` tables.
    pub person_tests: Vec<Record<RawPersonTest>>,
    /// `[[nexus]]` tables.
    pub nexus: Vec<Record<RawNexus>>,
    /// `[[program]]` tables.
    pub programs: Vec<Record<RawProgram>>,
    /// `[[rule]]` tables.
    pub rules: Vec<Record<RawRule>>,
    /// `[[obligation]]` tables.
    pub obligations: Vec<Record<RawObligation>>,
    /// `[[penalty]]` tables.
    pub penalties: Vec<Record<RawPenalty>>,
    /// `[[invariant]]` tables.
    pub invariants: Vec<Record<RawInvariant>>,
    /// The reference-world records (`[[party]]`, `[[designation]]`, ...), lowered into the
    /// pack's world by `scenario::pack`.
    pub world: WorldRecords,
}

const TERM_KEYS: [(&str, &str); 4] = [
    ("transaction_type", "transaction type"),
    ("goods", "goods category"),
    ("party_category", "party category"),
    ("control_basis", "control basis"),
];

/// Parse one rule-pack file into raw records.
pub fn read_file(file: SourceFile, diags: &mut Diagnostics) -> Option<FileRecords> {
    let mut out = FileRecords {
        file,
        terms: Default::default(),
        jurisdictions: Vec::new(),
        calendars: Vec::new(),
        person_tests: Vec::new(),
        nexus: Vec::new(),
        programs: Vec::new(),
        rules: Vec::new(),
        obligations: Vec::new(),
        penalties: Vec::new(),
        invariants: Vec::new(),
        world: WorldRecords::default(),
    };
    let mut local = Diagnostics::new();
    let Some(doc) = toml_input::parse(&out.file, &mut local) else {
        diags.extend(local);
        return None;
    };
    doc.check_keys(RULE_FILE_KEYS, "rule-pack file", &mut local);
    out.terms = TERM_KEYS.map(|(k, _)| doc.records::<RawTerm>(k, &mut local));
    out.world.party = values(&doc, "party", &mut local);
    out.world.designation = values(&doc, "designation", &mut local);
    out.world.ownership = values(&doc, "ownership", &mut local);
    out.world.control = values(&doc, "control", &mut local);
    out.world.joint_arrangement = values(&doc, "joint_arrangement", &mut local);
    out.jurisdictions = doc.records("jurisdiction", &mut local);
    out.calendars = doc.records("calendar", &mut local);
    out.person_tests = doc.records("person_test", &mut local);
    out.nexus = doc.records("nexus", &mut local);
    out.programs = doc.records("program", &mut local);
    out.rules = doc.records("rule", &mut local);
    out.obligations = doc.records("obligation", &mut local);
    out.penalties = doc.records("penalty", &mut local);
    out.invariants = doc.records("invariant", &mut local);
    diags.extend(local);
    Some(out)
}

/// The records under `key`, without their spans (world records keep spans of their own).
fn values<T: serde::de::DeserializeOwned>(
    doc: &toml_input::TomlDoc,
    key: &str,
    diags: &mut Diagnostics,
) -> Vec<T> {
    doc.records(key, diags)
        .into_iter()
        .map(|r| r.value)
        .collect()
}

/// Lower all files into one rule set. Problems go to `diags`; `None` when errors stop lowering
/// before the rule set is whole. The invariants' errors leave it whole, so the reference world
/// can still be lowered against it and report its own problems: a rule set loaded with errors
/// in `diags` must not be evaluated (`scenario::pack::load` refuses it).
pub(crate) fn lower(files: &[FileRecords], diags: &mut Diagnostics) -> Option<RuleSet> {
    let mut rs = RuleSet::default();
    let mut seen = Seen::default();
    vocabulary(files, &mut rs, &mut seen, diags);
    register_ids(files, &mut rs, &mut seen, diags);
    definitions(files, &mut rs, diags);
    nexus_tests(files, &mut rs, diags);
    rules(files, &mut rs, diags);
    limits(&rs, files, diags);
    if diags.has_errors() {
        return None;
    }
    index_rules(&mut rs);
    rule::check_rule_references(&rs, diags);
    invariants(files, &mut rs, diags);
    Some(rs)
}

/// Every id defined so far, with where it was first defined: ids are one namespace across
/// kinds and files.
type Seen = HashMap<String, String>;

/// Run `step` over each file with a lowering context for it.
fn each_file(
    files: &[FileRecords],
    diags: &mut Diagnostics,
    mut step: impl FnMut(&mut Cx, &FileRecords),
) {
    for f in files {
        let mut cx = Cx {
            file: &f.file,
            diags,
        };
        step(&mut cx, f);
    }
}

/// Phase 1: the vocabulary (everything else refers to it).
fn vocabulary(files: &[FileRecords], rs: &mut RuleSet, seen: &mut Seen, diags: &mut Diagnostics) {
    each_file(files, diags, |cx, f| {
        for ((recs, (_, what)), i) in f.terms.iter().zip(TERM_KEYS).zip(0..) {
            for r in recs {
                let id = &r.value.id;
                if !claim(cx, seen, id, what) {
                    continue;
                }
                let term = Term {
                    id: id.get_ref().clone(),
                    description: r.value.description.clone().unwrap_or_default(),
                    loc: cx.loc(id.span()),
                };
                let v = &mut rs.vocabulary;
                // At most BITS_CAPACITY terms of a kind are accepted (`limits`), far below
                // what an index holds; a push refused here is reported there too.
                let fits = match i {
                    0 => v.transaction_types.push(term).is_ok(),
                    1 => {
                        v.goods.push(term);
                        true
                    }
                    2 => {
                        v.party_categories.push(term);
                        true
                    }
                    _ => v.control_bases.push(term).is_ok(),
                };
                if !fits {
                    cx.error(
                        Code::LimitExceeded,
                        id.span(),
                        format!("more than {MAX_TABLE_LEN} terms of kind {what}"),
                    );
                }
            }
        }
    });
}

/// Phase 2: the ids of every definition, so references resolve in any order. Within a file
/// the kinds are registered in this order (which decides the indices, and which of two
/// clashing definitions is reported).
fn register_ids(files: &[FileRecords], rs: &mut RuleSet, seen: &mut Seen, diags: &mut Diagnostics) {
    let ix = &mut rs.index;
    each_file(files, diags, |cx, f| {
        register(cx, seen, &f.calendars, "calendar", &mut ix.calendars);
        register(
            cx,
            seen,
            &f.jurisdictions,
            "jurisdiction",
            &mut ix.jurisdictions,
        );
        register(cx, seen, &f.programs, "program", &mut ix.programs);
        register(
            cx,
            seen,
            &f.person_tests,
            "person test",
            &mut ix.person_tests,
        );
        register(cx, seen, &f.obligations, "obligation", &mut ix.obligations);
        register(cx, seen, &f.penalties, "penalty", &mut ix.penalties);
        register(cx, seen, &f.rules, "rule", &mut ix.rules);
        for r in &f.invariants {
            claim(cx, seen, &r.value.id, "invariant");
        }
        for r in &f.programs {
            register(cx, seen, &r.value.overrides, "rule", &mut ix.rules);
        }
    });
}

/// Phase 3: calendars, jurisdictions, programs, then person tests, obligations and penalties,
/// each filling the indices registered for it.
fn definitions(files: &[FileRecords], rs: &mut RuleSet, diags: &mut Diagnostics) {
    let calendars = lower_registered(
        files,
        diags,
        &rs.index.calendars,
        |f| &f.calendars,
        calendar::lower_calendar,
    );
    rs.calendars = calendars;
    let jurisdictions = lower_registered(
        files,
        diags,
        &rs.index.jurisdictions,
        |f| &f.jurisdictions,
        |cx, r| lower_jurisdiction(cx, rs, r),
    );
    rs.jurisdictions = jurisdictions;
    let programs = lower_registered(
        files,
        diags,
        &rs.index.programs,
        |f| &f.programs,
        |cx, r| lower_program(cx, rs, r),
    );
    rs.programs = programs;
    // None of these three reads another's definitions: they are filled together.
    let tests = lower_registered(
        files,
        diags,
        &rs.index.person_tests,
        |f| &f.person_tests,
        |cx, r| lower_person_test(cx, rs, r),
    );
    let obligations = lower_registered(
        files,
        diags,
        &rs.index.obligations,
        |f| &f.obligations,
        |cx, r| lower_obligation(cx, rs, r),
    );
    let penalties = lower_registered(
        files,
        diags,
        &rs.index.penalties,
        |f| &f.penalties,
        |cx, r| lower_penalty(cx, rs, r),
    );
    rs.person_tests = tests;
    rs.obligations = obligations;
    rs.penalties = penalties;
}

/// Phase 4: nexus tests, attached to their jurisdictions (they have no index of their own).
fn nexus_tests(files: &[FileRecords], rs: &mut RuleSet, diags: &mut Diagnostics) {
    each_file(files, diags, |cx, f| {
        for r in &f.nexus {
            let Some(j) = cx.resolve(
                &rs.index.jurisdictions,
                &r.value.jurisdiction,
                "jurisdiction",
            ) else {
                continue;
            };
            let test = lower_nexus(cx, rs, r);
            // A jurisdiction whose own record failed to lower (an error already reported,
            // the rule set will not be used) has no entry: its registered index may be past
            // the end.
            let Some(jur) = rs.jurisdictions.get_mut(j) else {
                continue;
            };
            if jur.nexus.push(test).is_err() {
                cx.error(
                    Code::LimitExceeded,
                    r.value.id.span(),
                    format!("more than {MAX_TABLE_LEN} nexus tests in one jurisdiction"),
                );
            }
        }
    });
}

/// Phase 5: the rules, and the overrides programs declare inline (one index space).
fn rules(files: &[FileRecords], rs: &mut RuleSet, diags: &mut Diagnostics) {
    let mut rules = BTreeMap::new();
    each_file(files, diags, |cx, f| {
        lower_each(cx, &f.rules, &rs.index.rules, &mut rules, |cx, r| {
            rule::lower_rule(cx, rs, r)
        });
        for p in &f.programs {
            lower_each(
                cx,
                &p.value.overrides,
                &rs.index.rules,
                &mut rules,
                |cx, o| rule::lower_program_override(cx, rs, &p.value, o),
            );
        }
    });
    rs.rules = fill(rules);
}

/// Phase 6 (on a rule set without errors): the invariants the packs declare.
fn invariants(files: &[FileRecords], rs: &mut RuleSet, diags: &mut Diagnostics) {
    let mut found = Vec::new();
    each_file(files, diags, |cx, f| {
        found.extend(
            f.invariants
                .iter()
                .filter_map(|r| invariant::lower_invariant(cx, rs, r)),
        );
    });
    rs.invariants = found;
}

/// After lowering: per-jurisdiction rule lists and list-tag lookups.
pub fn index_rules(rs: &mut RuleSet) {
    rs.rules_by_jurisdiction = IndexVec::filled_like(Vec::new(), &rs.jurisdictions);
    for (i, r) in rs.rules.iter_enumerated() {
        rs.rules_by_jurisdiction[r.jurisdiction].push(i);
    }
    rs.index.list_tags.clear();
    for (i, p) in rs.programs.iter_enumerated() {
        for t in &p.list_tags {
            rs.index.list_tags.entry(t.clone()).or_default().push(i);
        }
    }
}

fn limits(rs: &RuleSet, files: &[FileRecords], diags: &mut Diagnostics) {
    let Some(first) = files.first() else { return };
    let loc = first.file.whole();
    let v = &rs.vocabulary;
    check_capacity(v.transaction_types.len(), "transaction types", &loc, diags);
    check_capacity(v.goods.len(), "goods categories", &loc, diags);
    check_capacity(v.party_categories.len(), "party categories", &loc, diags);
    check_capacity(v.control_bases.len(), "control bases", &loc, diags);
    check_capacity(rs.programs.len(), "programs", &loc, diags);
    check_capacity(rs.person_tests.len(), "person tests", &loc, diags);
}

/// A pack record that defines something under an id.
pub(crate) trait Defines {
    /// The id it defines, where it is written.
    fn id(&self) -> &Spanned<String>;
}

macro_rules! defines {
    ($($raw:ty),*) => {
        $(impl Defines for $raw {
            fn id(&self) -> &Spanned<String> {
                &self.id
            }
        })*
        $(impl Defines for Record<$raw> {
            fn id(&self) -> &Spanned<String> {
                &self.value.id
            }
        })*
    };
}
defines!(
    RawCalendar,
    RawJurisdiction,
    RawProgram,
    RawPersonTest,
    RawObligation,
    RawPenalty,
    RawRule,
    RawProgramOverride
);

/// The generic register step: each record's id gets the next index of `index`, unless it is
/// malformed or already defined (both reported).
fn register<R: Defines, I: Idx>(
    cx: &mut Cx,
    seen: &mut Seen,
    records: &[R],
    what: &str,
    index: &mut HashMap<String, I>,
) {
    for r in records {
        if !claim(cx, seen, r.id(), what) {
            continue;
        }
        // The cap of every table: an index that does not fit is refused here, where it has a
        // location, so no later step can truncate one.
        match I::try_from_usize(index.len()) {
            Ok(i) => {
                index.insert(r.id().get_ref().clone(), i);
            }
            Err(_) => cx.error(
                Code::LimitExceeded,
                r.id().span(),
                format!("more than {MAX_TABLE_LEN} definitions of kind {what}"),
            ),
        }
    }
}

/// The generic lower step over every file: each record whose id was registered in `index`
/// is lowered, and the definitions come back in index order.
fn lower_registered<R: Defines, T, I: Idx>(
    files: &[FileRecords],
    diags: &mut Diagnostics,
    index: &HashMap<String, I>,
    records: impl Fn(&FileRecords) -> &[R],
    mut lower: impl FnMut(&mut Cx, &R) -> Option<T>,
) -> IndexVec<I, T> {
    let mut out = BTreeMap::new();
    each_file(files, diags, |cx, f| {
        lower_each(cx, records(f), index, &mut out, &mut lower);
    });
    fill(out)
}

/// Lower the registered records of one file into `out`, keyed by index.
fn lower_each<R: Defines, T, I: Idx>(
    cx: &mut Cx,
    records: &[R],
    index: &HashMap<String, I>,
    out: &mut BTreeMap<I, T>,
    mut lower: impl FnMut(&mut Cx, &R) -> Option<T>,
) {
    for r in records {
        // A duplicate's second definition reaches here too and replaces the first; the
        // duplicate was reported, so the rule set will not be used.
        if let Some(i) = index.get(r.id().get_ref())
            && let Some(v) = lower(cx, r)
        {
            out.insert(*i, v);
        }
    }
}

/// Record an id; a second definition is a located error naming the first.
fn claim(cx: &mut Cx, seen: &mut Seen, id: &Spanned<String>, what: &str) -> bool {
    let name = id.get_ref();
    if !cx.id(id, what) {
        return false;
    }
    let here = cx.loc(id.span()).to_string();
    if let Some(first) = seen.get(name) {
        cx.error_help(
            Code::DuplicateId,
            id.span(),
            format!("`{name}` is defined twice"),
            Some(format!("first defined at {first}")),
        );
        return false;
    }
    seen.insert(name.clone(), here);
    true
}

fn fill<I: Idx, T>(map: BTreeMap<I, T>) -> IndexVec<I, T> {
    // Every registered index is filled unless its record failed to lower, in which case an
    // error was reported and the rule set will not be used; keep indices dense regardless.
    // Registration minted at most MAX_TABLE_LEN indices, so every push fits.
    let mut out = IndexVec::new();
    for (_, v) in map {
        if out.push(v).is_err() {
            break;
        }
    }
    out
}
