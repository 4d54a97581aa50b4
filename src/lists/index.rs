//! The name index of a list: exact lookups by normalised name and by identifier, and a fuzzy
//! candidate search (documented in docs/lists.md).
//!
//! Fuzzy scoring: the score of a query against one name is the greater Jaro-Winkler
//! similarity (`strsim`) of the two normalised names, compared once with their words sorted
//! and once in written order; an entry's score is that of its best name (primary or alias).
//! Candidates at or above the threshold are kept, best first, ties by entry number.
//!
//! The pre-filter keeps the search well under a millisecond: a name is scored only if (a) its
//! length is within the bound below which Jaro-Winkler cannot reach the threshold (an exact
//! bound: Jaro-Winkler <= 0.6 * Jaro + 0.4 and Jaro <= (2 + shorter/longer) / 3), and (b) it
//! shares at least a third of the query's distinct word trigrams (padded, so `GUZMAN` gives
//! ` GU`, `GUZ`, ..., `AN `). (b) is a heuristic, checked against a full scan in the tests.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::entry::{AliasKind, SdnEntry};
use super::normalize::{NormalName, normalize, normalize_identifier};

/// The default fuzzy threshold: Jaro-Winkler 0.90 on normalised names.
pub const DEFAULT_THRESHOLD: f64 = 0.90;
/// Names shorter than this (normalised, in bytes) are matched exactly only: a short name is
/// close to too many others for a fuzzy score to mean anything.
pub const MIN_FUZZY_LEN: usize = 4;
/// Identifiers shorter than this are not looked up (a `365` matches too much).
pub const MIN_IDENTIFIER_LEN: usize = 4;
/// Share of the query's trigrams a name must share to be scored.
const PREFILTER_SHARE: f64 = 1.0 / 3.0;

/// Which of an entry's names matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "via", rename_all = "snake_case")]
pub enum Via {
    /// The primary name.
    Name,
    /// An alias (`a.k.a.`, `f.k.a.`, `n.k.a.`).
    Alias { kind: AliasKind },
    /// A document or registry number.
    Identifier { kind: String },
    /// A name that a party standing for the entry gives it (a rule pack's reference party:
    /// `CJNG` for entry 17671, which the list itself does not list as an alias).
    PartyName { party: String },
}

impl Via {
    pub fn describe(&self) -> String {
        match self {
            Via::Name => "primary name".into(),
            Via::Alias { kind } => format!("alias ({})", kind.as_str()),
            Via::Identifier { kind } => format!("identifier ({kind})"),
            Via::PartyName { party } => format!("name given by party `{party}`"),
        }
    }
}

/// One entry found for a query.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    /// Index of the entry in the list.
    pub entry: usize,
    /// The name or identifier text that matched, as the list writes it.
    pub matched: String,
    pub via: Via,
    /// Similarity in 0..=1 (1 for exact matches); see [`score_decimal`] for display.
    pub score: f64,
    pub exact: bool,
    /// The normalised forms compared (query, list), for explanations.
    pub compared: (String, String),
}

/// A score as shown to users: rounded to three decimal places, half away from zero.
pub fn score_decimal(score: f64) -> Decimal {
    let milli = (score.clamp(0.0, 1.0) * 1000.0).round() as i64;
    Decimal::new(milli, 3)
}

#[derive(Debug, Clone)]
struct IndexedName {
    entry: u32,
    /// `None`: the primary name; otherwise the alias position.
    alias: Option<u32>,
    key: NormalName,
    len: u32,
}

/// Exact and fuzzy lookups over every name and alias of a list. Built once per list.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    names: Vec<IndexedName>,
    exact: HashMap<String, Vec<u32>>,
    identifiers: HashMap<String, Vec<(u32, u32)>>,
    /// Trigram -> range of `postings` (name ids with that trigram).
    grams: HashMap<u32, (u32, u32)>,
    postings: Vec<u32>,
}

/// Distinct padded word trigrams of a normalised name.
fn trigrams(key: &str, out: &mut Vec<u32>) {
    out.clear();
    for w in key.split(' ') {
        let b = w.as_bytes();
        let padded_len = b.len() + 2;
        for i in 0..padded_len.saturating_sub(2) {
            let at = |j: usize| -> u32 {
                if j == 0 || j == padded_len - 1 { u32::from(b' ') } else { b.get(j - 1).copied().map_or(0, u32::from) }
            };
            out.push((at(i) << 16) | (at(i + 1) << 8) | at(i + 2));
        }
    }
    out.sort_unstable();
    out.dedup();
}

/// The fuzzy score of two normalised names: the greater Jaro-Winkler similarity of their
/// sorted and their written word orders.
pub fn similarity(q: &NormalName, c: &NormalName) -> f64 {
    strsim::jaro_winkler(&q.sorted, &c.sorted).max(strsim::jaro_winkler(&q.plain, &c.plain))
}

/// The smallest shorter/longer length ratio at which Jaro-Winkler can reach `threshold`.
fn min_length_ratio(threshold: f64) -> f64 {
    let jaro = ((threshold - 0.4) / 0.6).max(0.0);
    (3.0 * jaro - 2.0).max(0.0)
}

impl NameIndex {
    pub fn build(entries: &[SdnEntry]) -> NameIndex {
        let mut ix = NameIndex::default();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut grams = Vec::new();
        for (e, entry) in entries.iter().enumerate() {
            let e = e as u32;
            let names = std::iter::once((None, entry.name.as_str()))
                .chain(entry.aliases.iter().enumerate().map(|(i, a)| (Some(i as u32), a.name.as_str())));
            for (alias, text) in names {
                let key = normalize(text);
                if key.is_empty() {
                    continue;
                }
                let id = ix.names.len() as u32;
                trigrams(&key.sorted, &mut grams);
                pairs.extend(grams.iter().map(|g| (*g, id)));
                ix.exact.entry(key.sorted.clone()).or_default().push(id);
                ix.names.push(IndexedName { entry: e, alias, len: key.sorted.len() as u32, key });
            }
            for (i, id) in entry.identifiers.iter().enumerate() {
                let v = normalize_identifier(&id.value);
                if v.len() >= MIN_IDENTIFIER_LEN {
                    ix.identifiers.entry(v).or_default().push((e, i as u32));
                }
            }
        }
        pairs.sort_unstable();
        ix.postings = pairs.iter().map(|p| p.1).collect();
        let mut start = 0usize;
        while let Some(&(g, _)) = pairs.get(start) {
            let end = start + pairs.get(start..).map_or(0, |rest| rest.partition_point(|p| p.0 == g));
            ix.grams.insert(g, (start as u32, end as u32));
            start = end;
        }
        ix
    }

    /// Number of indexed names (primary names and aliases).
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    fn hit(&self, entries: &[SdnEntry], n: &IndexedName, score: f64, exact: bool, query: &str) -> Hit {
        let entry = entries.get(n.entry as usize);
        let (matched, via) = match n.alias {
            None => (entry.map(|e| e.name.clone()).unwrap_or_default(), Via::Name),
            Some(a) => match entry.and_then(|e| e.aliases.get(a as usize)) {
                Some(al) => (al.name.clone(), Via::Alias { kind: al.kind }),
                None => (String::new(), Via::Name),
            },
        };
        Hit { entry: n.entry as usize, matched, via, score, exact, compared: (query.to_string(), n.key.sorted.clone()) }
    }

    /// Entries one of whose names equals the query after normalisation, by entry order.
    pub fn exact(&self, entries: &[SdnEntry], query: &str) -> Vec<Hit> {
        let q = normalize(query);
        let Some(ids) = self.exact.get(&q.sorted) else { return Vec::new() };
        let mut hits: Vec<Hit> = Vec::new();
        for n in ids.iter().filter_map(|&i| self.names.get(i as usize)) {
            if !hits.iter().any(|h| h.entry == n.entry as usize) {
                hits.push(self.hit(entries, n, 1.0, true, &q.sorted));
            }
        }
        hits.sort_by_key(|h| h.entry);
        hits
    }

    /// Entries with a document or registry number equal to `value` (letters and digits).
    pub fn by_identifier(&self, entries: &[SdnEntry], value: &str) -> Vec<Hit> {
        let v = normalize_identifier(value);
        let Some(found) = self.identifiers.get(&v) else { return Vec::new() };
        let mut hits: Vec<Hit> = Vec::new();
        for &(e, i) in found {
            let Some(id) = entries.get(e as usize).and_then(|x| x.identifiers.get(i as usize)) else { continue };
            if !hits.iter().any(|h| h.entry == e as usize) {
                hits.push(Hit {
                    entry: e as usize,
                    matched: id.value.clone(),
                    via: Via::Identifier { kind: id.kind.clone() },
                    score: 1.0,
                    exact: true,
                    compared: (v.clone(), normalize_identifier(&id.value)),
                });
            }
        }
        hits.sort_by_key(|h| h.entry);
        hits
    }

    /// Entries whose best name scores at least `threshold`, best first, at most `limit`.
    pub fn fuzzy(&self, entries: &[SdnEntry], query: &str, threshold: f64, limit: usize) -> Vec<Hit> {
        let q = normalize(query);
        if q.sorted.len() < MIN_FUZZY_LEN {
            return Vec::new();
        }
        let mut qgrams = Vec::new();
        trigrams(&q.sorted, &mut qgrams);
        let need = ((qgrams.len() as f64 * PREFILTER_SHARE).ceil() as u16).max(1);
        let mut counts = vec![0u16; self.names.len()];
        let mut reached: Vec<u32> = Vec::new();
        for g in &qgrams {
            let Some(&(s, e)) = self.grams.get(g) else { continue };
            for &n in self.postings.get(s as usize..e as usize).unwrap_or_default() {
                if let Some(c) = counts.get_mut(n as usize) {
                    *c += 1;
                    if *c == need {
                        reached.push(n);
                    }
                }
            }
        }
        self.score(entries, &q, reached.into_iter(), threshold, limit)
    }

    /// The same search without the trigram pre-filter: every name is scored. The reference
    /// the pre-filter is tested and benchmarked against.
    pub fn fuzzy_full_scan(&self, entries: &[SdnEntry], query: &str, threshold: f64, limit: usize) -> Vec<Hit> {
        let q = normalize(query);
        if q.sorted.len() < MIN_FUZZY_LEN {
            return Vec::new();
        }
        self.score(entries, &q, 0..self.names.len() as u32, threshold, limit)
    }

    fn score(&self, entries: &[SdnEntry], q: &NormalName, ids: impl Iterator<Item = u32>, threshold: f64, limit: usize) -> Vec<Hit> {
        let ratio = min_length_ratio(threshold);
        let qlen = q.sorted.len() as f64;
        let mut best: HashMap<u32, (f64, u32)> = HashMap::new();
        for id in ids {
            let Some(n) = self.names.get(id as usize) else { continue };
            let len = f64::from(n.len);
            if qlen.min(len) < ratio * qlen.max(len) {
                continue;
            }
            let s = similarity(q, &n.key);
            if s >= threshold {
                let slot = best.entry(n.entry).or_insert((s, id));
                if s > slot.0 || (s == slot.0 && id < slot.1) {
                    *slot = (s, id);
                }
            }
        }
        let mut hits: Vec<Hit> = best
            .into_values()
            .filter_map(|(s, id)| self.names.get(id as usize).map(|n| self.hit(entries, n, s, false, &q.sorted)))
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        hits.truncate(limit);
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lists::read::read;

    fn list() -> Vec<SdnEntry> {
        let text = "1,\"CARTEL DE JALISCO NUEVA GENERACION\",-0- ,\"SDNTK\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'CJNG'.\"\r\n\
                    2,\"GUZMAN LOERA, Joaquin\",\"individual\",\"SDNTK\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"Passport AD005831 (Mexico).\"\r\n\x1a";
        read(text.as_bytes(), "t.csv").entries
    }

    #[test]
    fn exact_by_name_alias_and_identifier() {
        let e = list();
        let ix = NameIndex::build(&e);
        assert_eq!(ix.len(), 3);
        let h = ix.exact(&e, "cjng");
        assert_eq!((h.len(), h[0].entry), (1, 0));
        assert_eq!(h[0].via, Via::Alias { kind: AliasKind::Aka });
        assert_eq!(ix.exact(&e, "Joaquín Guzmán Loera")[0].entry, 1);
        assert_eq!(ix.by_identifier(&e, "ad-005831")[0].entry, 1);
        assert!(ix.exact(&e, "Joaquin Guzman").is_empty());
    }

    #[test]
    fn fuzzy_finds_misspellings_and_scores_them_below_one() {
        let e = list();
        let ix = NameIndex::build(&e);
        let h = ix.fuzzy(&e, "Cartel de Jalisco Nueva Generation", DEFAULT_THRESHOLD, 5);
        assert_eq!(h.len(), 1);
        assert!(h[0].score > 0.95 && h[0].score < 1.0, "{}", h[0].score);
        assert_eq!(h, ix.fuzzy_full_scan(&e, "Cartel de Jalisco Nueva Generation", DEFAULT_THRESHOLD, 5));
        assert!(ix.fuzzy(&e, "Banco del Norte", DEFAULT_THRESHOLD, 5).is_empty());
        assert!(ix.fuzzy(&e, "CJN", 0.5, 5).is_empty(), "short names are never fuzzy-matched");
    }

    #[test]
    fn scores_are_rounded_for_display() {
        assert_eq!(score_decimal(0.96666).to_string(), "0.967");
        assert_eq!(score_decimal(1.0).to_string(), "1.000");
    }
}
