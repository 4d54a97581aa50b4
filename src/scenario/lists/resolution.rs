//! Resolving a scenario's parties against its list, after the scenario's records are
//! lowered: parties that claim an entry, parties resolved by name or identifier, and the
//! scenario's designations replacing the list's.

use std::collections::HashSet;
use std::ops::Range;

use toml::Spanned;

use super::{AttachedLists, MAX_CANDIDATES, Taken, file_name, take_entry};
use crate::diagnostic::{Code, Diagnostic};
use crate::lists::entry::SdnEntry;
use crate::lists::index::{Hit, score_decimal};
use crate::lists::list::SdnList;
use crate::lists::resolve::{self, PartyNames};
use crate::model::ruleset::RuleSet;
use crate::model::world::{Designation, ListCandidate, World};
use crate::model::{PartyIdx, ProgramIdx};
use crate::rules::lower::context::Cx;
use crate::scenario::raw::{RawParty, WorldRecords};

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
        resolving_without_list(cx, records);
        drop_repeated_designations(world);
        return;
    };
    let scenario_given: HashSet<(PartyIdx, ProgramIdx)> = world
        .designations
        .get(a.first_scenario_designation..)
        .unwrap_or_default()
        .iter()
        .map(|d| (d.party, d.program))
        .collect();
    take_claimed_entries(rs, a, world, &scenario_given);
    let party_names = PartyNames::from_world(world, &a.list);
    for rp in &records.party {
        if rp.resolve_name.is_some() || rp.resolve_id.is_some() {
            resolve_party(cx, a, &party_names, rp, world, &scenario_given);
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

/// `resolve_name` and `resolve_id` without a list: each an error.
fn resolving_without_list(cx: &mut Cx, records: &WorldRecords) {
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
}

/// Parties of the scenario that claim an entry (`list_entry`) take its names and the
/// designations of its tags, except those the scenario gives itself.
fn take_claimed_entries(
    rs: &RuleSet,
    a: &AttachedLists,
    world: &mut World,
    scenario_given: &HashSet<(PartyIdx, ProgramIdx)>,
) {
    let list = &a.list;
    let source_file = file_name(list);
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
        take_entry(rs, world, me, entry, &taken, &mut held, scenario_given);
    }
}

/// Resolve one party of the scenario against the list by identifier and name: one exact hit
/// makes it the listed person; none, fuzzy candidates; several, all held for review.
fn resolve_party(
    cx: &mut Cx,
    a: &AttachedLists,
    party_names: &PartyNames,
    rp: &RawParty,
    world: &mut World,
    scenario_given: &HashSet<(PartyIdx, ProgramIdx)>,
) {
    let list = &a.list;
    let Some(me) = world.party_by_id(rp.id.get_ref()) else {
        return;
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
        hits.extend(resolve::exact(list, party_names, n.get_ref()));
    }
    let mut seen = HashSet::new();
    hits.retain(|h| seen.insert(h.entry));
    let who = rp.id.get_ref();
    match hits.as_slice() {
        [hit] => {
            let Some(entry) = list.entries.get(hit.entry) else {
                return;
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
                return;
            }
            become_entry(world, me, entry, hit, scenario_given, &a.list_designations);
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
        [] => resolve_fuzzy(cx, a, party_names, rp, me, span, world),
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

/// No exact hit: fuzzy candidates by name, held for review (never treated as listed).
fn resolve_fuzzy(
    cx: &mut Cx,
    a: &AttachedLists,
    party_names: &PartyNames,
    rp: &RawParty,
    me: PartyIdx,
    span: Range<usize>,
    world: &mut World,
) {
    let list = &a.list;
    let who = rp.id.get_ref();
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
        return;
    };
    let found = resolve::fuzzy(
        list,
        party_names,
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
        return;
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
    if let Some(p) = world.parties.get_mut(me) {
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
    if let Some(p) = world.parties.get_mut(me) {
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
