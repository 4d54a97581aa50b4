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

use super::decode::line_loc;
use super::entry::{SdnEntry, parse_entry_id};
use super::index::{DEFAULT_THRESHOLD, Hit, score_decimal};
use super::list::{SdnList, load_cached};
use super::resolve::{self, PartyNames};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::ruleset::RuleSet;
use crate::model::values::{Date, parse_decimal};
use crate::model::world::{Designation, ListCandidate, Party, World};
use crate::model::{PartyIdx, ProgramIdx};
use crate::rules::lower::context::Cx;
use crate::scenario::raw::{RawLists, WorldRecords};

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
        return None;
    };
    let path = super::dir::resolve(scenario_path.parent().unwrap_or(Path::new("")), p.get_ref());
    let list = match load_cached(&path) {
        Ok(l) => l,
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
                    super::dir::missing_folder_help(p.get_ref()).unwrap_or_else(|| {
                        format!(
                            "read from {}; paths are relative to the scenario file (`lists:PATH` to the lists folder)",
                            path.display()
                        )
                    }),
                ),
            );
            return None;
        }
    };
    warnings.extend(list.warnings.iter().cloned());
    let assume_listed = cx.opt_date(&lists.assume_listed);
    let threshold = match &lists.fuzzy_threshold {
        None => DEFAULT_THRESHOLD,
        Some(t) => match parse_decimal(&t.get_ref().0)
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
        },
    };

    // Who already stands for an entry: reference parties, then the scenario's own.
    let mut claimed: HashMap<u32, PartyIdx> = HashMap::new();
    for (i, party) in world.parties.iter().enumerate() {
        if let Some(n) = party.list_entry.as_deref().and_then(parse_entry_id) {
            if list.entry(n).is_some() {
                claimed.insert(n, PartyIdx::from_usize(i));
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
                    let by = world
                        .parties
                        .get(r.idx())
                        .map(|x| x.id.clone())
                        .unwrap_or_default();
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

    let source_file = Path::new(&list.file)
        .file_name()
        .map_or_else(|| list.file.clone(), |f| f.to_string_lossy().into_owned());
    let first = world.designations.len();
    let mut held: HashSet<(PartyIdx, ProgramIdx)> = world
        .designations
        .iter()
        .map(|d| (d.party, d.program))
        .collect();
    for (pos, entry) in list.entries.iter().enumerate() {
        let id = entry.id();
        let party = if let Some(&r) = claimed.get(&entry.ent_num) {
            world.index.insert(id, r);
            r
        } else if scenario_claims.contains_key(&entry.ent_num) {
            continue;
        } else if world.index.contains_key(&id) {
            cx.error(
                Code::DuplicateId,
                p.span(),
                format!("the rule packs already define a party `{id}`"),
            );
            continue;
        } else {
            world.add_party(Party {
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
            })
        };
        let taken = Taken {
            source_file: &source_file,
            links: list.links_text(pos),
            listed: assume_listed,
        };
        take_entry(rs, world, party, entry, &taken, &mut held, &HashSet::new());
    }
    let list_designations = first..world.designations.len();
    let count = list_designations.len();
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
    Some(AttachedLists {
        list,
        threshold,
        assume_listed,
        list_designations,
        first_scenario_designation: first + count,
        scenario_claims,
    })
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
    if let Some(p) = world.parties.get_mut(party.idx()) {
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

/// After the scenario's records are lowered: parties of the scenario that claim an entry,
/// parties resolved by name or identifier, and the scenario's designations replacing the
/// list's.
pub fn resolve_list_designations(
    cx: &mut Cx,
    rs: &RuleSet,
    attached: Option<&AttachedLists>,
    records: &WorldRecords,
    world: &mut World,
    _warnings: &mut Vec<Diagnostic>,
) {
    let Some(a) = attached else {
        for rp in &records.party {
            for (key, v) in [
                ("resolve_name", &rp.resolve_name),
                ("resolve_id", &rp.resolve_id),
            ] {
                if let Some(v) = v {
                    cx.error_help(
                        Code::MissingKey,
                        v.span(),
                        format!("`{key}` needs a list to resolve against"),
                        Some("add `[lists]` with `ofac = \"path/to/sdn.csv\"`".into()),
                    );
                }
            }
        }
        drop_repeated_designations(world);
        return;
    };
    let list = &a.list;
    let source_file = Path::new(&list.file)
        .file_name()
        .map_or_else(|| list.file.clone(), |f| f.to_string_lossy().into_owned());
    let scenario_given: HashSet<(PartyIdx, ProgramIdx)> = world
        .designations
        .get(a.first_scenario_designation..)
        .unwrap_or_default()
        .iter()
        .map(|d| (d.party, d.program))
        .collect();

    for (&n, pid) in &a.scenario_claims {
        let (Some(me), Some(entry)) = (world.party_by_id(pid), list.entry(n)) else {
            continue;
        };
        world.index.entry(entry.id()).or_insert(me);
        let taken = Taken {
            source_file: &source_file,
            links: list.position(n).and_then(|pos| list.links_text(pos)),
            listed: a.assume_listed,
        };
        let mut held = world
            .designations
            .iter()
            .map(|d| (d.party, d.program))
            .collect();
        take_entry(rs, world, me, entry, &taken, &mut held, &scenario_given);
    }

    let party_names = PartyNames::from_world(world, list);
    for rp in &records.party {
        if rp.resolve_name.is_none() && rp.resolve_id.is_none() {
            continue;
        }
        let Some(me) = world.party_by_id(rp.id.get_ref()) else {
            continue;
        };
        let span = rp
            .resolve_name
            .as_ref()
            .or(rp.resolve_id.as_ref())
            .map(Spanned::span)
            .unwrap_or_else(|| rp.id.span());
        let mut hits: Vec<Hit> = Vec::new();
        if let Some(id) = &rp.resolve_id {
            hits.extend(list.by_identifier(id.get_ref()));
        }
        if let Some(n) = &rp.resolve_name {
            hits.extend(resolve::exact(list, &party_names, n.get_ref()));
        }
        let mut seen = HashSet::new();
        hits.retain(|h| seen.insert(h.entry));
        let who = rp.id.get_ref();
        match hits.as_slice() {
            [hit] => {
                let Some(entry) = list.entries.get(hit.entry) else {
                    continue;
                };
                let id = entry.id();
                if let Some(le) = &rp.list_entry
                    && le.get_ref() != &id
                {
                    cx.error(
                        Code::InvalidValue,
                        span,
                        format!(
                            "party `{who}` resolves to `{id}`, not to its `list_entry` `{}`",
                            le.get_ref()
                        ),
                    );
                    continue;
                }
                become_entry(world, me, entry, hit, &scenario_given, &a.list_designations);
                cx.warning(
                    Code::ListMatch,
                    span.clone(),
                    format!(
                        "party `{who}` is list entry `{id}` ({}): exact match on its {} `{}`",
                        entry.name,
                        hit.via.describe(),
                        hit.matched
                    ),
                );
            }
            [] => {
                let Some(name) = &rp.resolve_name else {
                    cx.warning(
                        Code::ListMatch,
                        span,
                        format!(
                            "no list entry has the identifier `{}`",
                            rp.resolve_id
                                .as_ref()
                                .map(|x| x.get_ref().as_str())
                                .unwrap_or_default()
                        ),
                    );
                    continue;
                };
                let found = resolve::fuzzy(
                    list,
                    &party_names,
                    name.get_ref(),
                    a.threshold,
                    MAX_CANDIDATES,
                );
                if found.is_empty() {
                    cx.warning(
                        Code::ListMatch,
                        span,
                        format!(
                            "no list entry matches `{}` exactly or with a score of at least {}",
                            name.get_ref(),
                            score_decimal(a.threshold)
                        ),
                    );
                    continue;
                }
                let shown: Vec<String> = found
                    .iter()
                    .filter_map(|h| {
                        list.entries
                            .get(h.entry)
                            .map(|e| format!("{} {} ({})", e.id(), e.name, score_decimal(h.score)))
                    })
                    .collect();
                set_candidates(world, me, list, &found);
                cx.warning(Code::ListMatch, span, format!("party `{who}` may be a listed person: fuzzy candidates {}; held for review, not treated as listed", shown.join(", ")));
            }
            many => {
                let ids: Vec<String> = many
                    .iter()
                    .filter_map(|h| list.entries.get(h.entry).map(SdnEntry::id))
                    .collect();
                set_candidates(world, me, list, many);
                cx.warning(Code::ListMatch, span, format!("party `{who}` matches {} list entries exactly ({}): held for review, not treated as listed", many.len(), ids.join(", ")));
            }
        }
    }

    // The scenario's own designations replace the list's for the same party and program.
    let mut i = 0usize;
    world.designations.retain(|d| {
        let from_list = a.list_designations.contains(&i);
        i += 1;
        !(from_list && scenario_given.contains(&(d.party, d.program)))
    });
    drop_repeated_designations(world);
}

/// The party is the listed person: it takes the designations of whichever party stands for
/// the entry (the `ofac:N` party or the reference party that claims it).
fn become_entry(
    world: &mut World,
    me: PartyIdx,
    entry: &SdnEntry,
    hit: &Hit,
    scenario_given: &HashSet<(PartyIdx, ProgramIdx)>,
    from_list: &Range<usize>,
) {
    let id = entry.id();
    let holder = world.party_by_id(&id);
    if let Some(p) = world.parties.get_mut(me.idx()) {
        p.list_entry = Some(id.clone());
        for n in entry.names() {
            if n != p.name && !p.aliases.iter().any(|a| a == n) {
                p.aliases.push(n.to_string());
            }
        }
    }
    let Some(holder) = holder.filter(|h| *h != me) else {
        return;
    };
    let copies: Vec<Designation> = world
        .designations
        .iter()
        .enumerate()
        // A list designation the scenario replaces for the holder is not copied: its
        // replacement is.
        .filter(|(i, d)| {
            d.party == holder
                && !(from_list.contains(i) && scenario_given.contains(&(holder, d.program)))
        })
        .map(|(_, d)| d)
        .filter(|d| !scenario_given.contains(&(me, d.program)))
        .filter(|d| {
            !world
                .designations
                .iter()
                .any(|x| x.party == me && x.program == d.program)
        })
        .map(|d| Designation {
            party: me,
            source: Some(format!(
                "{}; the party is {id} by exact match on its {} `{}`",
                d.source
                    .clone()
                    .unwrap_or_else(|| format!("designation of {id}")),
                hit.via.describe(),
                hit.matched
            )),
            ..d.clone()
        })
        .collect();
    world.designations.extend(copies);
}

fn set_candidates(world: &mut World, me: PartyIdx, list: &SdnList, hits: &[Hit]) {
    let candidates = hits
        .iter()
        .filter_map(|h| {
            let e = list.entries.get(h.entry)?;
            Some(ListCandidate {
                entry: e.id(),
                name: e.name.clone(),
                score: score_decimal(h.score),
                matched: h.matched.clone(),
                programs: e.tags.clone(),
            })
        })
        .collect();
    if let Some(p) = world.parties.get_mut(me.idx()) {
        p.fuzzy_candidates = candidates;
    }
}

/// A scenario may restate a designation the rule packs already make (the same party,
/// program and dates); it is kept once.
fn drop_repeated_designations(world: &mut World) {
    let mut seen = HashSet::new();
    world
        .designations
        .retain(|d| seen.insert((d.party, d.program, d.listed, d.delisted)));
}
