//! Resolving a name against a list together with the names parties give its entries.
//!
//! A rule pack's reference party may stand for an entry and know it by names the list does
//! not carry (the pack's `cjng` is entry 17671, `CARTEL DE JALISCO NUEVA GENERACION`, which the
//! list gives no `CJNG` alias). Resolution searches the list's names and aliases and these
//! party names alike, with the same normalisation and scoring.

use super::SdnList;
use super::entry::parse_entry_id;
use super::index::{Hit, MIN_FUZZY_LEN, Via, similarity};
use super::normalize::{NormalName, normalize};
use crate::model::world::World;

#[derive(Debug, Clone)]
struct PartyName {
    entry: usize,
    party: String,
    text: String,
    key: NormalName,
}

/// Names that parties standing for entries give them (beyond the list's own).
#[derive(Debug, Clone, Default)]
pub struct PartyNames {
    names: Vec<PartyName>,
}

impl PartyNames {
    /// The names and aliases of every party of `world` that claims an entry of `list` with
    /// `list_entry` (except the `ofac:N` parties made from the list itself).
    pub fn from_world(world: &World, list: &SdnList) -> PartyNames {
        let mut names = Vec::new();
        for p in &world.parties {
            let Some(le) = p.list_entry.as_deref() else {
                continue;
            };
            if p.id == le {
                continue;
            }
            let Some(at) = parse_entry_id(le).and_then(|n| list.position(n)) else {
                continue;
            };
            let Some(entry) = list.entries.get(at) else {
                continue;
            };
            let own: Vec<String> = entry.names().map(|n| normalize(n).sorted).collect();
            for text in std::iter::once(&p.name).chain(p.aliases.iter()) {
                let key = normalize(text);
                if key.is_empty() || own.contains(&key.sorted) {
                    continue;
                }
                names.push(PartyName {
                    entry: at,
                    party: p.id.clone(),
                    text: text.clone(),
                    key,
                });
            }
        }
        PartyNames { names }
    }

    fn hit(n: &PartyName, score: f64, exact: bool, q: &NormalName) -> Hit {
        Hit {
            entry: n.entry,
            matched: n.text.clone(),
            via: Via::PartyName {
                party: n.party.clone(),
            },
            score,
            exact,
            compared: (q.sorted.clone(), n.key.sorted.clone()),
        }
    }
}

/// Exact matches for a name: the list's names and aliases, then party names.
pub fn exact(list: &SdnList, extra: &PartyNames, name: &str) -> Vec<Hit> {
    let mut hits = list.exact(name);
    let q = normalize(name);
    for n in extra.names.iter().filter(|n| n.key.sorted == q.sorted) {
        if !hits.iter().any(|h| h.entry == n.entry) {
            hits.push(PartyNames::hit(n, 1.0, true, &q));
        }
    }
    hits.sort_by_key(|h| h.entry);
    hits
}

/// Fuzzy candidates over the list and the party names: best name per entry, best first (ties
/// by entry order), at most `limit`.
pub fn fuzzy(
    list: &SdnList,
    extra: &PartyNames,
    name: &str,
    threshold: f64,
    limit: usize,
) -> Vec<Hit> {
    let mut hits = list.fuzzy(name, threshold, usize::MAX);
    let q = normalize(name);
    if q.sorted.len() >= MIN_FUZZY_LEN {
        for n in &extra.names {
            let s = similarity(&q, &n.key);
            if s < threshold {
                continue;
            }
            match hits.iter_mut().find(|h| h.entry == n.entry) {
                Some(h) if h.score >= s => {}
                Some(h) => *h = PartyNames::hit(n, s, false, &q),
                None => hits.push(PartyNames::hit(n, s, false, &q)),
            }
        }
    }
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
    hits.truncate(limit);
    hits
}
