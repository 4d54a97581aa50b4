//! Scenario files: a world, transactions, and what should come of them.
//!
//! The format is documented in docs/scenario-format.md.

pub mod build;
mod checks;
pub(crate) mod expect;
pub(crate) mod lists;
pub(crate) mod lower;
pub mod overlap;
pub mod pack;
pub mod raw;
pub mod transaction;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::pack::Pack;
use crate::model::ruleset::{Citation, Rule, RuleKind, RuleSet, Selector};
use crate::model::values::{Date, Money};
use crate::model::world::{Transaction, World};
use crate::model::{Disposition, JurisdictionIdx, ObligationIdx, PartyIdx, PenaltyIdx, RuleIdx};
use crate::rules::lower::context::{Cx, join_citations, lower_conditions};
use crate::source::{Loc, SourceFile};
use crate::toml_input;
use raw::*;

/// A loaded scenario, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Its name (the `[scenario]` header's, else the file's stem).
    pub name: String,
    /// What it is about.
    pub description: Option<String>,
    /// The file it was read from.
    pub path: PathBuf,
    /// Evaluate as the law and the lists stood on this day (default: each transaction's date).
    pub as_of: Option<Date>,
    /// The day the evaluation is made: exposures whose limitation period ended before it are
    /// barred (default: none, limitation is shown but not judged).
    pub evaluated_on: Option<Date>,
    /// The rule set in force for this scenario (the packs plus its specific licenses).
    pub rules: Arc<RuleSet>,
    /// The pack's reference world with the scenario's parties, designations and list entries.
    pub world: Arc<World>,
    /// Its transactions, in file order.
    pub transactions: Vec<Transaction>,
    /// What its transactions must produce.
    pub expectations: Vec<Expectation>,
    /// Warnings found while loading (for example dates assumed for list entries).
    pub warnings: Vec<Diagnostic>,
}

impl Scenario {
    /// Whether the scenario says what its transactions must produce.
    pub fn has_expectations(&self) -> bool {
        !self.expectations.is_empty()
    }
}

/// What a scenario says one transaction must produce in one jurisdiction (or overall).
#[derive(Debug, Clone)]
pub struct Expectation {
    /// The transaction, by its position in [`Scenario::transactions`].
    pub transaction: usize,
    /// `None`: the overall disposition across jurisdictions.
    pub jurisdiction: Option<JurisdictionIdx>,
    /// The disposition required.
    pub disposition: Option<Disposition>,
    /// Rules that must be among the reasons.
    pub reasons: Vec<RuleIdx>,
    /// Rules that must not be among the reasons.
    pub not_reasons: Vec<RuleIdx>,
    /// Rules that must be among the reasons as advisories.
    pub advisories: Vec<RuleIdx>,
    /// Obligations that must be owed.
    pub obligations: Vec<ExpectedObligation>,
    /// Obligations no one may owe.
    pub no_obligations: Vec<ObligationIdx>,
    /// Exposures that must be risked.
    pub exposures: Vec<ExpectedExposure>,
    /// Penalties no one may risk.
    pub no_exposures: Vec<PenaltyIdx>,
    /// Text each of which must appear in some evaluation issue.
    pub issues: Vec<String>,
    /// Where the expectation is written.
    pub loc: Loc,
}

/// An obligation a transaction must give rise to.
#[derive(Debug, Clone)]
pub struct ExpectedObligation {
    /// The obligation.
    pub id: ObligationIdx,
    /// Who must owe it (anyone, if not given).
    pub actor: Option<PartyIdx>,
    /// The day it must fall due.
    pub due: Option<Date>,
}

/// A penalty a transaction must expose someone to.
#[derive(Debug, Clone)]
pub struct ExpectedExposure {
    /// The penalty.
    pub id: PenaltyIdx,
    /// Who must risk it (anyone, if not given).
    pub actor: Option<PartyIdx>,
    /// The maximum fine it must come to.
    pub amount: Option<Money>,
    /// The last day an action may be brought.
    pub enforceable_until: Option<Date>,
    /// Whether it must be (or must not be) barred on the evaluation date.
    pub barred: Option<bool>,
}

/// Read and load a scenario file.
pub fn load_path(path: &Path, pack: &Pack) -> Result<Scenario, Diagnostics> {
    match crate::source::read_source(path, "the scenario") {
        Ok(file) => load(file, path, pack),
        Err(e) => {
            let mut d = Diagnostics::new();
            d.push(e);
            Err(d)
        }
    }
}

/// Load a scenario from text; `path` locates list files named relative to it.
pub fn load(file: SourceFile, path: &Path, pack: &Pack) -> Result<Scenario, Diagnostics> {
    let pieces =
        (file.text().len() >= toml_input::PIECEWISE_FROM).then_some(toml_input::PIECE_BYTES);
    load_in_pieces(file, path, pack, pieces)
}

/// The records of a scenario file, as read from its parsed document (or pieces of it).
#[derive(Default)]
struct FileRecords {
    header: Option<RawScenarioHeader>,
    lists: Option<RawLists>,
    world: WorldRecords,
    licenses: Vec<RawLicense>,
    transactions: Vec<RawTransaction>,
}

fn read_records(doc: &toml_input::TomlDoc<'_>, diags: &mut Diagnostics, f: &mut FileRecords) {
    fn values<T>(records: Vec<toml_input::Record<T>>) -> impl Iterator<Item = T> {
        records.into_iter().map(|r| r.value)
    }
    doc.check_keys(SCENARIO_FILE_KEYS, "scenario file", diags);
    if let Some(h) = doc.single::<RawScenarioHeader>("scenario", diags) {
        f.header = Some(h.value);
    }
    if let Some(l) = doc.single::<RawLists>("lists", diags) {
        f.lists = Some(l.value);
    }
    let w = &mut f.world;
    w.party.extend(values(doc.records("party", diags)));
    w.designation
        .extend(values(doc.records("designation", diags)));
    w.ownership.extend(values(doc.records("ownership", diags)));
    w.control.extend(values(doc.records("control", diags)));
    w.joint_arrangement
        .extend(values(doc.records("joint_arrangement", diags)));
    w.exchange_rate
        .extend(values(doc.records("exchange_rate", diags)));
    f.licenses.extend(values(doc.records("license", diags)));
    f.transactions
        .extend(values(doc.records("transaction", diags)));
}

/// [`load`], with the file parsed whole (`piece_bytes` `None`) or in pieces of about
/// `piece_bytes` (see [`toml_input::read_in_pieces`]); the result is the same either way.
pub fn load_in_pieces(
    file: SourceFile,
    path: &Path,
    pack: &Pack,
    piece_bytes: Option<usize>,
) -> Result<Scenario, Diagnostics> {
    let rules = &pack.rules;
    let mut diags = Diagnostics::new();
    let Some(FileRecords {
        header,
        lists,
        world: records,
        licenses,
        transactions,
    }) = toml_input::read_in_pieces(&file, piece_bytes, &mut diags, read_records)
    else {
        return Err(diags);
    };

    let mut cx = Cx {
        file: &file,
        diags: &mut diags,
    };
    let as_of = header.as_ref().and_then(|h| cx.opt_date(&h.as_of));
    let evaluated_on = header.as_ref().and_then(|h| cx.opt_date(&h.evaluated_on));
    // The scenario's world starts as a copy of the reference world, which it extends.
    let mut world = World::clone(&pack.reference);
    let mut warnings = Vec::new();
    let attached = lists.as_ref().and_then(|l| {
        lists::attach_scenario_lists(&mut cx, rules, l, path, &records, &mut world, &mut warnings)
    });
    lower::lower_world(&mut cx, rules, &records, &mut world);
    lists::resolve_list_designations(
        &mut cx,
        rules,
        attached.as_ref(),
        &records,
        &mut world,
        &mut warnings,
    );

    // Specific licenses become license rules of this scenario's own rule set.
    let rules = with_licenses(&mut cx, rules, &licenses);
    let (txs, expectations) = lower_transactions(&mut cx, &rules, &world, &transactions);
    lower::check_world(&rules, &world, &mut diags);
    if diags.has_errors() {
        diags.attach_source(&file);
        return Err(diags);
    }
    warnings.extend(diags.into_vec());
    let name = header.as_ref().map(|h| h.name.clone()).unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    Ok(Scenario {
        name,
        description: header.and_then(|h| h.description),
        path: path.to_path_buf(),
        as_of,
        evaluated_on,
        rules,
        world: Arc::new(world),
        transactions: txs,
        expectations,
        warnings,
    })
}

/// The packs' rules with the scenario's specific licenses added as license rules (the packs'
/// own rule set, shared, when there are none); a license whose id is taken is an error.
fn with_licenses(cx: &mut Cx, rules: &Arc<RuleSet>, licenses: &[RawLicense]) -> Arc<RuleSet> {
    if licenses.is_empty() {
        rules.clone()
    } else {
        let mut rs = (**rules).clone();
        let first_license = rs.rules.len();
        for l in licenses {
            if let Some(rule) = lower_license(cx, &rs, l) {
                if let Some(first) = rs.index.rules.get(&rule.id) {
                    let at = rs
                        .rules
                        .get(*first)
                        .map(|r| r.loc.to_string())
                        .unwrap_or_default();
                    let (msg, help) = if first.idx() >= first_license {
                        (
                            format!("license `{}` is defined twice", rule.id),
                            "first defined at",
                        )
                    } else {
                        (
                            format!("`{}` is already the id of a rule in the packs", rule.id),
                            "the rule is at",
                        )
                    };
                    cx.error_help(
                        Code::DuplicateId,
                        l.id.span(),
                        msg,
                        Some(format!("{help} {at}")),
                    );
                    continue;
                }
                crate::rules::lower::rule::check_licensable(&rs, &rule, cx.diags);
                let id = rule.id.clone();
                match rs.rules.push(rule) {
                    Ok(r) => {
                        rs.index.rules.insert(id, r);
                    }
                    Err(e) => cx.error(Code::LimitExceeded, l.id.span(), e.to_string()),
                }
            }
        }
        crate::rules::lower::index_rules(&mut rs);
        Arc::new(rs)
    }
}

/// The scenario's transactions, each id once, and the expectations written beside them.
fn lower_transactions(
    cx: &mut Cx,
    rules: &RuleSet,
    world: &World,
    transactions: &[RawTransaction],
) -> (Vec<Transaction>, Vec<Expectation>) {
    let mut txs = Vec::new();
    let mut expectations = Vec::new();
    let mut ids: HashMap<&str, Loc> = HashMap::new();
    for t in transactions {
        if !cx.id(&t.id, "transaction") {
            continue;
        }
        if let Some(first) = ids.get(t.id.get_ref().as_str()) {
            let help = format!("first defined at {first}");
            cx.error_help(
                Code::DuplicateId,
                t.id.span(),
                format!("transaction `{}` is defined twice", t.id.get_ref()),
                Some(help),
            );
            continue;
        }
        ids.insert(t.id.get_ref().as_str(), cx.loc(t.id.span()));
        let Some(tx) = lower::lower_transaction(cx, rules, world, t) else {
            continue;
        };
        let index = txs.len();
        txs.push(tx);
        expect::lower_expectations(cx, rules, world, t, index, &mut expectations);
    }
    (txs, expectations)
}

fn lower_license(cx: &mut Cx, rs: &RuleSet, l: &RawLicense) -> Option<Rule> {
    let j = cx.resolve(&rs.index.jurisdictions, &l.jurisdiction, "jurisdiction");
    let programs: crate::model::Bits = l
        .programs
        .iter()
        .filter_map(|p| cx.resolve(&rs.index.programs, p, "program"))
        .map(|p| p.idx())
        .collect();
    if l.programs.is_empty() {
        cx.error(
            Code::MissingKey,
            l.id.span(),
            "a specific license must name the `programs` it authorizes under",
        );
    }
    let when = l
        .when
        .as_ref()
        .map(|w| lower_conditions(cx, rs, w))
        .unwrap_or_default();
    let (valid_from, valid_until) = cx.window(&l.valid_from, &l.valid_until);
    let citation = match &l.citation {
        Some(c) => {
            let list = cx.citations(c.get_ref(), c.span());
            join_citations(list)
        }
        None => Some(Citation {
            text: format!("specific license {}", l.id.get_ref()),
            url: None,
        }),
    };
    Some(Rule {
        id: l.id.get_ref().clone(),
        title: l
            .title
            .clone()
            .unwrap_or_else(|| format!("Specific license {}", l.id.get_ref())),
        kind: RuleKind::License,
        jurisdiction: j?,
        program: None,
        when,
        unless: None,
        actor: None,
        disposition: None,
        defeats: Selector {
            programs: Some(programs),
            ..Selector::default()
        },
        overrides: Vec::new(),
        obligations: Vec::new(),
        exposures: Vec::new(),
        citation: citation?,
        note: l.note.clone(),
        valid_from,
        valid_until,
        requires_claim: true,
        advisory: false,
        loc: cx.loc(l.id.span()),
    })
}
