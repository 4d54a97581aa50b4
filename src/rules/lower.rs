//! Lowering raw rule-pack records into a [`RuleSet`], collecting every problem of every file.
//!
//! Ids are registered first (so references may point forward and across files), then each
//! record is lowered with its references resolved.

use std::collections::{BTreeMap, HashMap};

use toml::Spanned;

use super::lower_consequence::{lower_obligation, lower_penalty};
use super::lower_doctrine::{current, lower_doctrine, lower_doctrine_periods};
use super::names::{
    ClauseUse, Cx, check_capacity, join_citations, lower_conditions, lower_party_clause,
};
use super::raw::*;
use crate::diagnostic::{Code, Diagnostics};
use crate::model::calendar::Calendar;
use crate::model::ruleset::*;
use crate::model::{
    CalendarIdx, JurisdictionIdx, ObligationIdx, PenaltyIdx, PersonTestIdx, ProgramIdx, RuleIdx,
};
use crate::scenario::raw::WorldRecords;
use crate::source::SourceFile;
use crate::toml_input::{self, Record};

/// The records of one file, deserialized.
pub struct FileRecords {
    pub file: SourceFile,
    pub terms: [Vec<Record<RawTerm>>; 4],
    pub jurisdictions: Vec<Record<RawJurisdiction>>,
    pub calendars: Vec<Record<RawCalendar>>,
    pub person_tests: Vec<Record<RawPersonTest>>,
    pub nexus: Vec<Record<RawNexus>>,
    pub programs: Vec<Record<RawProgram>>,
    pub rules: Vec<Record<RawRule>>,
    pub obligations: Vec<Record<RawObligation>>,
    pub penalties: Vec<Record<RawPenalty>>,
    pub invariants: Vec<Record<RawInvariant>>,
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
    let mut local = Diagnostics::new();
    let records = {
        let Some(doc) = toml_input::parse(&file, &mut local) else {
            diags.extend(local);
            return None;
        };
        doc.check_keys(RULE_FILE_KEYS, "rule-pack file", &mut local);
        let terms = TERM_KEYS.map(|(k, _)| doc.records::<RawTerm>(k, &mut local));
        let world = WorldRecords {
            party: doc
                .records("party", &mut local)
                .into_iter()
                .map(|r| r.value)
                .collect(),
            designation: doc
                .records("designation", &mut local)
                .into_iter()
                .map(|r| r.value)
                .collect(),
            ownership: doc
                .records("ownership", &mut local)
                .into_iter()
                .map(|r| r.value)
                .collect(),
            control: doc
                .records("control", &mut local)
                .into_iter()
                .map(|r| r.value)
                .collect(),
            joint_arrangement: doc
                .records("joint_arrangement", &mut local)
                .into_iter()
                .map(|r| r.value)
                .collect(),
            exchange_rate: Vec::new(),
        };
        (
            terms,
            doc.records("jurisdiction", &mut local),
            doc.records("calendar", &mut local),
            doc.records("person_test", &mut local),
            doc.records("nexus", &mut local),
            doc.records("program", &mut local),
            doc.records("rule", &mut local),
            doc.records("obligation", &mut local),
            doc.records("penalty", &mut local),
            doc.records("invariant", &mut local),
            world,
        )
    };
    diags.extend(local);
    let (
        terms,
        jurisdictions,
        calendars,
        person_tests,
        nexus,
        programs,
        rules,
        obligations,
        penalties,
        invariants,
        world,
    ) = records;
    Some(FileRecords {
        file,
        terms,
        jurisdictions,
        calendars,
        person_tests,
        nexus,
        programs,
        rules,
        obligations,
        penalties,
        invariants,
        world,
    })
}

/// Lower all files into one rule set. Problems go to `diags`; `None` when any error was found
/// (in these files or already in `diags`), since a partial rule set must not be evaluated.
pub fn lower(files: &[FileRecords], diags: &mut Diagnostics) -> Option<RuleSet> {
    let mut rs = RuleSet::default();
    let mut seen: HashMap<String, String> = HashMap::new();

    // Vocabulary first: everything else refers to it.
    for f in files {
        let mut cx = Cx {
            file: &f.file,
            diags,
        };
        for (i, recs) in f.terms.iter().enumerate() {
            for r in recs {
                let id = &r.value.id;
                if !register(&mut cx, &mut seen, id, TERM_KEYS[i].1) {
                    continue;
                }
                let term = Term {
                    id: id.get_ref().clone(),
                    description: r.value.description.clone().unwrap_or_default(),
                    loc: cx.loc(id.span()),
                };
                let v = &mut rs.vocabulary;
                match i {
                    0 => v.transaction_types.push(term),
                    1 => v.goods.push(term),
                    2 => v.party_categories.push(term),
                    _ => v.control_bases.push(term),
                }
            }
        }
    }

    // Register ids (calendars, jurisdictions, programs, person tests, obligations, penalties,
    // rules) so references can resolve in any order.
    for f in files {
        let mut cx = Cx {
            file: &f.file,
            diags,
        };
        for r in &f.calendars {
            if register(&mut cx, &mut seen, &r.value.id, "calendar") {
                rs.index.calendars.insert(
                    r.value.id.get_ref().clone(),
                    CalendarIdx::from_usize(rs.index.calendars.len()),
                );
            }
        }
        for r in &f.jurisdictions {
            if register(&mut cx, &mut seen, &r.value.id, "jurisdiction") {
                rs.index.jurisdictions.insert(
                    r.value.id.get_ref().clone(),
                    JurisdictionIdx::from_usize(rs.index.jurisdictions.len()),
                );
            }
        }
        for r in &f.programs {
            if register(&mut cx, &mut seen, &r.value.id, "program") {
                rs.index.programs.insert(
                    r.value.id.get_ref().clone(),
                    ProgramIdx::from_usize(rs.index.programs.len()),
                );
            }
        }
        for r in &f.person_tests {
            if register(&mut cx, &mut seen, &r.value.id, "person test") {
                rs.index.person_tests.insert(
                    r.value.id.get_ref().clone(),
                    PersonTestIdx::from_usize(rs.index.person_tests.len()),
                );
            }
        }
        for r in &f.obligations {
            if register(&mut cx, &mut seen, &r.value.id, "obligation") {
                rs.index.obligations.insert(
                    r.value.id.get_ref().clone(),
                    ObligationIdx::from_usize(rs.index.obligations.len()),
                );
            }
        }
        for r in &f.penalties {
            if register(&mut cx, &mut seen, &r.value.id, "penalty") {
                rs.index.penalties.insert(
                    r.value.id.get_ref().clone(),
                    PenaltyIdx::from_usize(rs.index.penalties.len()),
                );
            }
        }
        for r in &f.rules {
            if register(&mut cx, &mut seen, &r.value.id, "rule") {
                rs.index.rules.insert(
                    r.value.id.get_ref().clone(),
                    RuleIdx::from_usize(rs.index.rules.len()),
                );
            }
        }
        for r in &f.invariants {
            register(&mut cx, &mut seen, &r.value.id, "invariant");
        }
        for r in &f.programs {
            for o in &r.value.overrides {
                if register(&mut cx, &mut seen, &o.id, "rule") {
                    rs.index.rules.insert(
                        o.id.get_ref().clone(),
                        RuleIdx::from_usize(rs.index.rules.len()),
                    );
                }
            }
        }
    }

    // Lower definitions, in an order where each only needs what came before, filling the
    // vectors at the indices registered above (a record whose id was a duplicate is skipped).
    let mut calendars: BTreeMap<usize, Calendar> = BTreeMap::new();
    let mut jurisdictions: BTreeMap<usize, Jurisdiction> = BTreeMap::new();
    let mut programs: BTreeMap<usize, Program> = BTreeMap::new();
    for f in files {
        let mut cx = Cx {
            file: &f.file,
            diags,
        };
        for r in &f.calendars {
            if let Some(i) = owned_index(&rs.index.calendars, &r.value.id, &cx)
                && let Some(c) = super::lower_calendar::lower_calendar(&mut cx, r)
            {
                calendars.insert(i.idx(), c);
            }
        }
    }
    rs.calendars = fill(calendars, rs.index.calendars.len());
    for f in files {
        let mut cx = Cx {
            file: &f.file,
            diags,
        };
        for r in &f.jurisdictions {
            if let Some(i) = owned_index(&rs.index.jurisdictions, &r.value.id, &cx)
                && let Some(j) = lower_jurisdiction(&mut cx, &rs, r)
            {
                jurisdictions.insert(i.idx(), j);
            }
        }
    }
    rs.jurisdictions = fill(jurisdictions, rs.index.jurisdictions.len());
    for f in files {
        let mut cx = Cx {
            file: &f.file,
            diags,
        };
        for r in &f.programs {
            if let Some(i) = owned_index(&rs.index.programs, &r.value.id, &cx)
                && let Some(p) = lower_program(&mut cx, &mut rs, r)
            {
                programs.insert(i.idx(), p);
            }
        }
    }
    rs.programs = fill(programs, rs.index.programs.len());

    let mut tests: BTreeMap<usize, PersonTest> = BTreeMap::new();
    let mut obligations: BTreeMap<usize, ObligationDef> = BTreeMap::new();
    let mut penalties: BTreeMap<usize, PenaltyDef> = BTreeMap::new();
    for f in files {
        let mut cx = Cx {
            file: &f.file,
            diags,
        };
        for r in &f.person_tests {
            if let Some(i) = owned_index(&rs.index.person_tests, &r.value.id, &cx)
                && let Some(t) = lower_person_test(&mut cx, &rs, r)
            {
                tests.insert(i.idx(), t);
            }
        }
        for r in &f.obligations {
            if let Some(i) = owned_index(&rs.index.obligations, &r.value.id, &cx)
                && let Some(o) = lower_obligation(&mut cx, &rs, r)
            {
                obligations.insert(i.idx(), o);
            }
        }
        for r in &f.penalties {
            if let Some(i) = owned_index(&rs.index.penalties, &r.value.id, &cx)
                && let Some(p) = lower_penalty(&mut cx, &rs, r)
            {
                penalties.insert(i.idx(), p);
            }
        }
    }
    rs.person_tests = fill(tests, rs.index.person_tests.len());
    rs.obligations = fill(obligations, rs.index.obligations.len());
    rs.penalties = fill(penalties, rs.index.penalties.len());

    for f in files {
        let mut cx = Cx {
            file: &f.file,
            diags,
        };
        for r in &f.nexus {
            if let Some(j) = cx.resolve(
                &rs.index.jurisdictions,
                &r.value.jurisdiction,
                "jurisdiction",
            ) {
                let n = r.value.clone();
                let when = lower_conditions(&mut cx, &rs, &n.when);
                let citation = n
                    .citation
                    .as_ref()
                    .map(|c| cx.citations(c, r.span.clone()))
                    .and_then(join_citations);
                if citation.is_none() {
                    cx.error(
                        Code::MissingCitation,
                        n.id.span(),
                        format!("nexus test `{}` has no citation", n.id.get_ref()),
                    );
                }
                if let Some(jur) = rs.jurisdictions.get_mut(j.idx()) {
                    jur.nexus.push(NexusTest {
                        id: n.id.get_ref().clone(),
                        title: n.title,
                        when,
                        citation: citation.unwrap_or_else(|| Citation {
                            text: String::new(),
                            url: None,
                        }),
                        loc: cx.loc(n.id.span()),
                    });
                }
            }
        }
    }

    let mut rules: BTreeMap<usize, Rule> = BTreeMap::new();
    for f in files {
        let mut cx = Cx {
            file: &f.file,
            diags,
        };
        for r in &f.rules {
            if let Some(i) = owned_index(&rs.index.rules, &r.value.id, &cx)
                && let Some(rule) = super::lower_rule::lower_rule(&mut cx, &rs, r)
            {
                rules.insert(i.idx(), rule);
            }
        }
        for r in &f.programs {
            for o in &r.value.overrides {
                if let Some(i) = owned_index(&rs.index.rules, &o.id, &cx)
                    && let Some(rule) =
                        super::lower_rule::lower_program_override(&mut cx, &rs, &r.value, o)
                {
                    rules.insert(i.idx(), rule);
                }
            }
        }
    }
    rs.rules = fill(rules, rs.index.rules.len());
    limits(&rs, files, diags);
    if diags.has_errors() {
        return None;
    }
    index_rules(&mut rs);
    super::lower_rule::check_rule_references(&rs, diags);
    for f in files {
        let mut cx = Cx {
            file: &f.file,
            diags,
        };
        for r in &f.invariants {
            if let Some(inv) = super::lower_invariant::lower_invariant(&mut cx, &rs, r) {
                rs.invariants.push(inv);
            }
        }
    }

    // The reference world: parties and designations the packs declare.
    // Parties of every file first, so designations may refer to parties of other files.
    let mut world = crate::model::world::World::default();
    for f in files {
        let mut cx = Cx {
            file: &f.file,
            diags,
        };
        let first_new = world.parties.len();
        crate::scenario::lower::lower_parties(&mut cx, &rs, &f.world, &mut world, first_new);
    }
    for f in files {
        let mut cx = Cx {
            file: &f.file,
            diags,
        };
        crate::scenario::lower::lower_links(&mut cx, &rs, &f.world, &mut world);
    }
    crate::scenario::lower::check_world(&rs, &world, diags);
    rs.reference_world = world;
    if diags.has_errors() { None } else { Some(rs) }
}

/// After lowering: per-jurisdiction rule lists and list-tag lookups.
pub fn index_rules(rs: &mut RuleSet) {
    rs.rules_by_jurisdiction = vec![Vec::new(); rs.jurisdictions.len()];
    for (i, r) in rs.rules.iter().enumerate() {
        if let Some(v) = rs.rules_by_jurisdiction.get_mut(r.jurisdiction.idx()) {
            v.push(RuleIdx::from_usize(i));
        }
    }
    rs.index.list_tags.clear();
    for (i, p) in rs.programs.iter().enumerate() {
        for t in &p.list_tags {
            rs.index
                .list_tags
                .entry(t.clone())
                .or_default()
                .push(ProgramIdx::from_usize(i));
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

/// Record an id; a second definition is a located error naming the first.
fn register(
    cx: &mut Cx,
    seen: &mut HashMap<String, String>,
    id: &Spanned<String>,
    what: &str,
) -> bool {
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

/// The index registered for this record, only if this record is the one that registered it.
fn owned_index<T: Copy>(map: &HashMap<String, T>, id: &Spanned<String>, cx: &Cx) -> Option<T> {
    let v = map.get(id.get_ref())?;
    // A duplicate's second definition is not lowered: the registered one came first, and the
    // duplicate produced an error already.
    let _ = cx;
    Some(*v)
}

fn fill<T>(map: BTreeMap<usize, T>, len: usize) -> Vec<T> {
    // Every registered index is filled unless its record failed to lower, in which case an
    // error was reported and the rule set will not be used; keep indices dense regardless.
    let mut out = Vec::with_capacity(len);
    for (_, v) in map {
        out.push(v);
    }
    out
}

fn lower_jurisdiction(
    cx: &mut Cx,
    rs: &RuleSet,
    r: &Record<RawJurisdiction>,
) -> Option<Jurisdiction> {
    let j = &r.value;
    let currency = cx.currency(&j.currency);
    let calendar = cx.resolve(&rs.index.calendars, &j.calendar, "calendar");
    let o = &j.ownership;
    let doctrine = lower_doctrine(cx, rs, o, r.span.clone());
    if doctrine.citations.is_empty() {
        cx.error(
            Code::MissingCitation,
            j.id.span(),
            format!(
                "the ownership doctrine of `{}` has no citation",
                j.id.get_ref()
            ),
        );
    }
    let doctrine_periods = lower_doctrine_periods(cx, rs, o, r.span.clone(), j.id.span());
    let doctrine = current(doctrine, &doctrine_periods);
    Some(Jurisdiction {
        id: j.id.get_ref().clone(),
        name: j.name.clone(),
        currency: currency?,
        calendar: calendar?,
        doctrine,
        doctrine_periods,
        nexus: Vec::new(),
        citations: j
            .citation
            .as_ref()
            .map(|c| cx.citations(c, r.span.clone()))
            .unwrap_or_default(),
        loc: cx.loc(j.id.span()),
    })
}

fn lower_program(cx: &mut Cx, rs: &mut RuleSet, r: &Record<RawProgram>) -> Option<Program> {
    let p = &r.value;
    let j = cx.resolve(&rs.index.jurisdictions, &p.jurisdiction, "jurisdiction");
    let authorities = cx.citations(&p.authorities, r.span.clone());
    if authorities.is_empty() {
        cx.error(
            Code::MissingCitation,
            p.id.span(),
            format!("program `{}` names no authority", p.id.get_ref()),
        );
    }
    let mut tags = Vec::new();
    for t in &p.list_tags {
        if t.get_ref().trim().is_empty() {
            cx.error(Code::InvalidValue, t.span(), "a list tag must not be empty");
        } else {
            tags.push(t.get_ref().clone());
        }
    }
    Some(Program {
        id: p.id.get_ref().clone(),
        title: p.title.clone(),
        jurisdiction: j?,
        authorities,
        list_tags: tags,
        blocking: p.blocking,
        licensable: p.licensable.unwrap_or(true),
        basis: p.basis.clone(),
        note: p.note.clone(),
        loc: cx.loc(p.id.span()),
    })
}

fn lower_person_test(cx: &mut Cx, rs: &RuleSet, r: &Record<RawPersonTest>) -> Option<PersonTest> {
    let t = &r.value;
    let j = cx.resolve(&rs.index.jurisdictions, &t.jurisdiction, "jurisdiction");
    if t.any.is_empty() {
        cx.error(
            Code::InvalidValue,
            t.id.span(),
            format!(
                "person test `{}` has no alternatives in `any`",
                t.id.get_ref()
            ),
        );
    }
    let any = t
        .any
        .iter()
        .map(|c| lower_party_clause(cx, rs, c, ClauseUse::PersonTest).pred)
        .collect();
    let citation = t
        .citation
        .as_ref()
        .map(|c| cx.citations(c, r.span.clone()))
        .and_then(join_citations);
    if citation.is_none() {
        cx.error(
            Code::MissingCitation,
            t.id.span(),
            format!("person test `{}` has no citation", t.id.get_ref()),
        );
    }
    Some(PersonTest {
        id: t.id.get_ref().clone(),
        title: t.title.clone(),
        jurisdiction: j?,
        any,
        citation: citation?,
        note: t.note.clone(),
        loc: cx.loc(t.id.span()),
    })
}
