//! Lists in scenarios: `[lists] ofac = "path"` loads a list, its entries become parties with
//! designations, and parties can be resolved against it by name or identifier.
//!
//! One party per listed person. An entry becomes the party `ofac:<ent_num>`, unless a party
//! already stands for it through `list_entry = "ofac:N"`: a reference party of the rule packs
//! (the cartels of `rules/us/cartels-2025.toml`) or a party of the scenario. Then no second
//! party is made: `ofac:N` becomes another id of that party, which gains the entry's names
//! and the designations of its mapped tags for programs it is not already designated under
//! (the pack's or scenario's own designation, which may carry a date, wins).
//!
//! Designations come from `list_tags` of the programs in the rule packs; the list carries no
//! dates, so they are in force on every date (or from `[lists] assume_listed`), with
//! `date_assumed` set, and a warning says so. A `[[designation]]` of the scenario for the same
//! party and program replaces the list's.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use toml::Spanned;

use super::raw::{RawLists, WorldRecords};
use crate::diagnostic::{Code, Diagnostic};
use crate::lists::decode::line_loc;
use crate::lists::entry::{SdnEntry, parse_entry_id};
use crate::lists::index::DEFAULT_THRESHOLD;
use crate::lists::list::{SdnList, load_cached};
use crate::model::ruleset::RuleSet;
use crate::model::values::{Date, parse_decimal};
use crate::model::world::{Designation, Party, World};
use crate::model::{PartyIdx, ProgramIdx};
use crate::rules::lower::context::Cx;

mod resolution;

pub use resolution::resolve_list_designations;

/// At most this many fuzzy candidates are kept on a party.
pub const MAX_CANDIDATES: usize = 5;

/// What attaching a list left for the step after the scenario's records are lowered.
#[derive(Debug, Clone)]
pub struct AttachedLists {
    pub list: Arc<SdnList>,
    pub threshold: f64,
    assume_listed: Option<Date>,
    /// Designations the list added to the world.
    list_designations: Range<usize>,
    /// Designations in the world before the scenario's own were lowered.
    first_scenario_designation: usize,
    /// Entries claimed by a party of the scenario (`list_entry`), by entry number.
    scenario_claims: HashMap<u32, String>,
}

/// Load the list a scenario names and add its entries to the world (before the scenario's
/// own records are lowered, so that they can refer to `ofac:N`).
pub fn attach_scenario_lists(
    cx: &mut Cx,
    rs: &RuleSet,
    lists: &RawLists,
    scenario_path: &Path,
    records: &WorldRecords,
    world: &mut World,
    warnings: &mut Vec<Diagnostic>,
) -> Option<AttachedLists> {
    let Some(p) = &lists.ofac else {
        options_without_list(cx, lists);
        return None;
    };
    let list = load_list(cx, scenario_path, p)?;
    warnings.extend(list.warnings.iter().cloned());
    let assume_listed = cx.opt_date(&lists.assume_listed);
    let threshold = fuzzy_threshold(cx, lists);
    let claims = claims(cx, p, &list, records, world);
    let first = world.designations.len();
    let taken = Taken {
        source_file: &file_name(&list),
        links: None,
        listed: assume_listed,
    };
    add_entries(cx, rs, p, &list, world, &claims, &taken);
    let list_designations = first..world.designations.len();
    let count = list_designations.len();
    list_warnings(cx, rs, p, &list, count, assume_listed, warnings);
    Some(AttachedLists {
        list,
        threshold,
        assume_listed,
        list_designations,
        first_scenario_designation: first + count,
        scenario_claims: claims.by_scenario,
    })
}

/// `[lists]` options that need a list, given without one: each an error.
fn options_without_list(cx: &mut Cx, lists: &RawLists) {
    for (key, span) in [
        (
            "assume_listed",
            lists.assume_listed.as_ref().map(Spanned::span),
        ),
        (
            "fuzzy_threshold",
            lists.fuzzy_threshold.as_ref().map(Spanned::span),
        ),
    ] {
        if let Some(span) = span {
            cx.error_help(
                Code::MissingKey,
                span,
                format!("`{key}` needs a list"),
                Some("add `ofac = \"path/to/sdn.csv\"` to `[lists]`".into()),
            );
        }
    }
}

/// The list `p` names (relative to the scenario file), or its errors reported.
fn load_list(cx: &mut Cx, scenario_path: &Path, p: &Spanned<String>) -> Option<Arc<SdnList>> {
    let path =
        crate::lists::dir::resolve(scenario_path.parent().unwrap_or(Path::new("")), p.get_ref());
    match load_cached(&path) {
        Ok(l) => Some(l),
        Err(d) => {
            let n = d.error_count();
            for x in d {
                cx.diags.push(x);
            }
            cx.error_help(
                Code::InvalidValue,
                p.span(),
                format!("the list `{}` cannot be used: {n} error(s)", p.get_ref()),
                Some(
                    crate::lists::dir::missing_folder_help(p.get_ref()).unwrap_or_else(|| {
                        format!(
                            "read from {}; paths are relative to the scenario file (`lists:PATH` to the lists folder)",
                            path.display()
                        )
                    }),
                ),
            );
            None
        }
    }
}

/// `fuzzy_threshold`, or the default (an invalid value is reported).
fn fuzzy_threshold(cx: &mut Cx, lists: &RawLists) -> f64 {
    let Some(t) = &lists.fuzzy_threshold else {
        return DEFAULT_THRESHOLD;
    };
    match parse_decimal(&t.get_ref().0)
        .ok()
        .and_then(|d| d.to_string().parse::<f64>().ok())
    {
        Some(v) if v > 0.0 && v <= 1.0 => v,
        _ => {
            cx.error(
                Code::InvalidValue,
                t.span(),
                format!(
                    "`fuzzy_threshold` must be a number above 0 and at most 1, not `{}`",
                    t.get_ref().0
                ),
            );
            DEFAULT_THRESHOLD
        }
    }
}

/// The list's file name, as list designations cite it.
fn file_name(list: &SdnList) -> String {
    Path::new(&list.file)
        .file_name()
        .map_or_else(|| list.file.clone(), |f| f.to_string_lossy().into_owned())
}

/// Who already stands for an entry, by entry number.
struct Claims {
    /// Reference parties of the packs.
    by_reference: HashMap<u32, PartyIdx>,
    /// Parties of the scenario, by id (they are not lowered yet).
    by_scenario: HashMap<u32, String>,
}

/// Who already stands for an entry: reference parties, then the scenario's own.
fn claims(
    cx: &mut Cx,
    p: &Spanned<String>,
    list: &SdnList,
    records: &WorldRecords,
    world: &World,
) -> Claims {
    let mut claimed: HashMap<u32, PartyIdx> = HashMap::new();
    for (i, party) in world.parties.iter_enumerated() {
        if let Some(n) = party.list_entry.as_deref().and_then(parse_entry_id) {
            if list.entry(n).is_some() {
                claimed.insert(n, i);
            } else {
                cx.warning(Code::UnknownReference, p.span(), format!("reference party `{}` names list entry `ofac:{n}`, which this list does not have", party.id));
            }
        }
    }
    let mut scenario_claims = HashMap::new();
    for rp in &records.party {
        let Some(le) = &rp.list_entry else { continue };
        match parse_entry_id(le.get_ref()).filter(|n| list.entry(*n).is_some()) {
            None => cx.error_help(
                Code::UnknownReference,
                le.span(),
                format!("the list `{}` has no entry `{}`", p.get_ref(), le.get_ref()),
                Some("entries are named `ofac:<ent_num>`, the first column of the SDN file".into()),
            ),
            Some(n) => {
                if let Some(r) = claimed.get(&n) {
                    let by = world.parties[*r].id.clone();
                    cx.error_help(
                        Code::DuplicateId,
                        le.span(),
                        format!(
                            "list entry `{}` is already the reference party `{by}`",
                            le.get_ref()
                        ),
                        Some(format!(
                            "refer to `{by}` (or `{}`) instead of defining it again",
                            le.get_ref()
                        )),
                    );
                } else if let Some(other) = scenario_claims.insert(n, rp.id.get_ref().clone()) {
                    cx.error(
                        Code::DuplicateId,
                        le.span(),
                        format!("list entry `{}` is already party `{other}`", le.get_ref()),
                    );
                }
            }
        }
    }
    Claims {
        by_reference: claimed,
        by_scenario: scenario_claims,
    }
}

/// Every entry as a party (or another id of the reference party that claims it) with the
/// designations of its mapped tags; entries a scenario party claims wait for that party.
fn add_entries(
    cx: &mut Cx,
    rs: &RuleSet,
    p: &Spanned<String>,
    list: &SdnList,
    world: &mut World,
    claims: &Claims,
    taken: &Taken,
) {
    let mut held: HashSet<(PartyIdx, ProgramIdx)> = world
        .designations
        .iter()
        .map(|d| (d.party, d.program))
        .collect();
    for (pos, entry) in list.entries.iter().enumerate() {
        let id = entry.id();
        let party = if let Some(&r) = claims.by_reference.get(&entry.ent_num) {
            world.index.insert(id, r);
            r
        } else if claims.by_scenario.contains_key(&entry.ent_num) {
            continue;
        } else if world.index.contains_key(&id) {
            cx.error(
                Code::DuplicateId,
                p.span(),
                format!("the rule packs already define a party `{id}`"),
            );
            continue;
        } else {
            let added = world.add_party(Party {
                id: id.clone(),
                name: entry.name.clone(),
                kind: entry.party_kind(),
                citizenship: Vec::new(),
                permanent_residence: Vec::new(),
                residence: Vec::new(),
                incorporated_in: None,
                located_in: None,
                branch_of: None,
                categories: crate::model::Bits::EMPTY,
                aliases: Vec::new(),
                list_entry: Some(id),
                fuzzy_candidates: Vec::new(),
                loc: line_loc(&list.file, u64::from(entry.line)),
            });
            match added {
                Ok(party) => party,
                Err(e) => {
                    cx.error(Code::LimitExceeded, p.span(), e.to_string());
                    break;
                }
            }
        };
        let taken = Taken {
            source_file: taken.source_file,
            links: list.links_text(pos),
            listed: taken.listed,
        };
        take_entry(rs, world, party, entry, &taken, &mut held, &HashSet::new());
    }
}

/// The warnings about what the list gave: `count` designations with assumed dates, and tags
/// no program maps.
fn list_warnings(
    cx: &mut Cx,
    rs: &RuleSet,
    p: &Spanned<String>,
    list: &SdnList,
    count: usize,
    assume_listed: Option<Date>,
    warnings: &mut Vec<Diagnostic>,
) {
    if count > 0 {
        let msg = match assume_listed {
            None => format!(
                "{count} designations come from the list, which gives no listing dates: they count as in force on every date (date assumed)"
            ),
            Some(d) => format!(
                "{count} designations come from the list, which gives no listing dates: they are assumed listed on {d}"
            ),
        };
        let loc = cx.loc(p.span());
        warnings.push(
            Diagnostic::warning(Code::DateAssumed, &loc, msg)
                .with_help("give a `[[designation]]` with `listed` for the parties whose dates matter; it replaces the list's"),
        );
    }
    let unmapped = unmapped_tags(rs, &list.entries);
    if !unmapped.is_empty() {
        let total: usize = unmapped.iter().map(|t| t.1).sum();
        let loc = cx.loc(p.span());
        warnings.push(
            Diagnostic::warning(
                Code::UnknownReference,
                &loc,
                format!("{} list tags ({total} listings) map to no program of the rule packs: no designation follows from them", unmapped.len()),
            )
            .with_help(format!(
                "the entries keep these tags; add them to a program's `list_tags` to give them effect: {}",
                unmapped.iter().map(|(t, n)| format!("{t} ({n})")).collect::<Vec<_>>().join(", ")
            )),
        );
    }
}

/// Tags no program maps, with their entry counts, most frequent first.
pub fn unmapped_tags(rs: &RuleSet, entries: &[SdnEntry]) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for e in entries {
        for t in e
            .tags
            .iter()
            .filter(|t| !rs.index.list_tags.contains_key(t.as_str()))
        {
            *counts.entry(t).or_default() += 1;
        }
    }
    let mut v: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(t, n)| (t.to_string(), n))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// Give `party` the entry's names and the designations of its mapped tags, except under
/// programs the party is already designated under or that `skip` names.
/// Where list designations come from, as their source says, and their assumed date.
struct Taken<'a> {
    source_file: &'a str,
    /// `Linked To: ...` of the entry, for explanations.
    links: Option<String>,
    listed: Option<Date>,
}

fn take_entry(
    rs: &RuleSet,
    world: &mut World,
    party: PartyIdx,
    entry: &SdnEntry,
    taken: &Taken,
    held: &mut HashSet<(PartyIdx, ProgramIdx)>,
    skip: &HashSet<(PartyIdx, ProgramIdx)>,
) {
    if let Some(p) = world.parties.get_mut(party) {
        for n in entry.names() {
            if n != p.name && !p.aliases.iter().any(|a| a == n) {
                p.aliases.push(n.to_string());
            }
        }
    }
    let loc = line_loc(taken.source_file, u64::from(entry.line));
    let links = taken
        .links
        .as_deref()
        .map(|l| format!("; {l}"))
        .unwrap_or_default();
    for tag in &entry.tags {
        for &program in rs
            .index
            .list_tags
            .get(tag)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            if skip.contains(&(party, program)) || !held.insert((party, program)) {
                continue;
            }
            world.designations.push(Designation {
                party,
                program,
                listed: taken.listed,
                delisted: None,
                source: Some(format!(
                    "OFAC SDN list entry {} ({tag}), {}{links}",
                    entry.ent_num, taken.source_file
                )),
                date_assumed: true,
                loc: loc.clone(),
            });
        }
    }
}
