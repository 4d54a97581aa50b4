//! The name index of a list: exact lookups by normalised name and by identifier, and a fuzzy
//! candidate search (documented in docs/lists.md).
//!
//! Fuzzy scoring: the score of a query against one name is the greater Jaro-Winkler
//! similarity (`strsim`) of the two normalised names, compared once with their words sorted
//! and once in written order; an entry's score is that of its best name (primary or alias).
//! Candidates at or above the threshold are kept, best first, ties by entry number.
//!
//! The pre-filter keeps the search well under a millisecond and loses nothing: a name is
//! scored only if it could reach the threshold. Jaro-Winkler is at most `0.6 * J + 0.4`
//! (a common prefix of at most four characters, weight 0.1), and Jaro `J` is at most
//! `(m/|a| + m/|b| + 1) / 3`, where the matching characters `m` can be no more than the
//! characters the two names have in common as multisets. Each name keeps a count of its
//! letters, digits and spaces; a name whose common count with the query is below the bound
//! for the threshold cannot reach it and is skipped without computing Jaro-Winkler.

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
/// Character classes counted for the pre-filter: `A`-`Z`, `0`-`9`, space, anything else.
const CLASSES: usize = 38;

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
    /// Length in characters (what Jaro counts).
    len: u32,
}

/// Exact and fuzzy lookups over every name and alias of a list. Built once per list.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    names: Vec<IndexedName>,
    exact: HashMap<String, Vec<u32>>,
    identifiers: HashMap<String, Vec<(u32, u32)>>,
    /// Character-class counts of each name, `CLASSES` per name, saturating at 255.
    counts: Vec<u8>,
}

fn class(c: char) -> usize {
    match c {
        'A'..='Z' => c as usize - 'A' as usize,
        '0'..='9' => 26 + (c as usize - '0' as usize),
        ' ' => 36,
        _ => 37,
    }
}

/// Character-class counts of a normalised name (both word orders have the same counts).
fn class_counts(key: &str) -> [u8; CLASSES] {
    let mut out = [0u8; CLASSES];
    for c in key.chars() {
        if let Some(slot) = out.get_mut(class(c)) {
            *slot = slot.saturating_add(1);
        }
    }
    out
}

/// Characters two names can have in common at most: the sum of the smaller counts (two
/// characters of one class count as a pair even if they differ, which only overcounts).
fn common(a: &[u8], b: &[u8]) -> u32 {
    a.iter().zip(b).map(|(x, y)| u32::from(*x.min(y))).sum()
}

/// Can two names of these lengths, with at most `common` characters in common, reach
/// `threshold`?
fn can_reach(threshold: f64, common: u32, a_len: u32, b_len: u32) -> bool {
    if a_len == 0 || b_len == 0 {
        return false;
    }
    let jaro_max =
        (f64::from(common) / f64::from(a_len) + f64::from(common) / f64::from(b_len) + 1.0) / 3.0;
    // A hair of slack so that rounding never skips a name exactly at the bound.
    0.6 * jaro_max + 0.4 + 1e-9 >= threshold
}

/// The fuzzy score of two normalised names: the greater Jaro-Winkler similarity of their
/// sorted and their written word orders.
pub fn similarity(q: &NormalName, c: &NormalName) -> f64 {
    let sorted = strsim::jaro_winkler(&q.sorted, &c.sorted);
    // Names of one word (or already in order) compare the same both ways.
    if q.plain == q.sorted && c.plain == c.sorted {
        sorted
    } else {
        sorted.max(strsim::jaro_winkler(&q.plain, &c.plain))
    }
}

impl NameIndex {
    pub fn build(entries: &[SdnEntry]) -> NameIndex {
        let mut ix = NameIndex::default();
        for (e, entry) in entries.iter().enumerate() {
            let e = e as u32;
            let names = std::iter::once((None, entry.name.as_str())).chain(
                entry
                    .aliases
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (Some(i as u32), a.name.as_str())),
            );
            for (alias, text) in names {
                let key = normalize(text);
                if key.is_empty() {
                    continue;
                }
                let id = ix.names.len() as u32;
                ix.counts.extend_from_slice(&class_counts(&key.sorted));
                ix.exact.entry(key.sorted.clone()).or_default().push(id);
                ix.names.push(IndexedName {
                    entry: e,
                    alias,
                    len: key.sorted.chars().count() as u32,
                    key,
                });
            }
            for (i, id) in entry.identifiers.iter().enumerate() {
                let v = normalize_identifier(&id.value);
                if v.len() >= MIN_IDENTIFIER_LEN {
                    ix.identifiers.entry(v).or_default().push((e, i as u32));
                }
            }
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

    fn hit(
        &self,
        entries: &[SdnEntry],
        n: &IndexedName,
        score: f64,
        exact: bool,
        query: &str,
    ) -> Hit {
        let entry = entries.get(n.entry as usize);
        let (matched, via) = match n.alias {
            None => (entry.map(|e| e.name.clone()).unwrap_or_default(), Via::Name),
            Some(a) => match entry.and_then(|e| e.aliases.get(a as usize)) {
                Some(al) => (al.name.clone(), Via::Alias { kind: al.kind }),
                None => (String::new(), Via::Name),
            },
        };
        Hit {
            entry: n.entry as usize,
            matched,
            via,
            score,
            exact,
            compared: (query.to_string(), n.key.sorted.clone()),
        }
    }

    /// Entries one of whose names equals the query after normalisation, by entry order.
    pub fn exact(&self, entries: &[SdnEntry], query: &str) -> Vec<Hit> {
        let q = normalize(query);
        let Some(ids) = self.exact.get(&q.sorted) else {
            return Vec::new();
        };
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
        let Some(found) = self.identifiers.get(&v) else {
            return Vec::new();
        };
        let mut hits: Vec<Hit> = Vec::new();
        for &(e, i) in found {
            let Some(id) = entries
                .get(e as usize)
                .and_then(|x| x.identifiers.get(i as usize))
            else {
                continue;
            };
            if !hits.iter().any(|h| h.entry == e as usize) {
                hits.push(Hit {
                    entry: e as usize,
                    matched: id.value.clone(),
                    via: Via::Identifier {
                        kind: id.kind.clone(),
                    },
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
    pub fn fuzzy(
        &self,
        entries: &[SdnEntry],
        query: &str,
        threshold: f64,
        limit: usize,
    ) -> Vec<Hit> {
        let q = normalize(query);
        if q.sorted.len() < MIN_FUZZY_LEN {
            return Vec::new();
        }
        let qcounts = class_counts(&q.sorted);
        let qlen = q.sorted.chars().count() as u32;
        let candidates = self.names.iter().enumerate().filter_map(|(id, n)| {
            // The lengths alone (at most the shorter length in common) rule most names out.
            if !can_reach(threshold, qlen.min(n.len), qlen, n.len) {
                return None;
            }
            // Counts saturate at 255; for names that long, bound by the length alone.
            let shared = if n.len > 255 || qlen > 255 {
                qlen.min(n.len)
            } else {
                common(&qcounts, self.counts.get(id * CLASSES..(id + 1) * CLASSES)?)
            };
            can_reach(threshold, shared, qlen, n.len).then_some(id as u32)
        });
        self.score(entries, &q, candidates, threshold, limit)
    }

    /// The same search without the pre-filter: every name is scored. The reference the
    /// pre-filter is tested and benchmarked against.
    pub fn fuzzy_full_scan(
        &self,
        entries: &[SdnEntry],
        query: &str,
        threshold: f64,
        limit: usize,
    ) -> Vec<Hit> {
        let q = normalize(query);
        if q.sorted.len() < MIN_FUZZY_LEN {
            return Vec::new();
        }
        self.score(entries, &q, 0..self.names.len() as u32, threshold, limit)
    }

    fn score(
        &self,
        entries: &[SdnEntry],
        q: &NormalName,
        ids: impl Iterator<Item = u32>,
        threshold: f64,
        limit: usize,
    ) -> Vec<Hit> {
        let mut best: HashMap<u32, (f64, u32)> = HashMap::new();
        for id in ids {
            let Some(n) = self.names.get(id as usize) else {
                continue;
            };
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
            .filter_map(|(s, id)| {
                self.names
                    .get(id as usize)
                    .map(|n| self.hit(entries, n, s, false, &q.sorted))
            })
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
        assert_eq!(
            h[0].via,
            Via::Alias {
                kind: AliasKind::Aka
            }
        );
        assert_eq!(ix.exact(&e, "Joaquín Guzmán Loera")[0].entry, 1);
        assert_eq!(ix.by_identifier(&e, "ad-005831")[0].entry, 1);
        assert!(ix.exact(&e, "Joaquin Guzman").is_empty());
    }

    #[test]
    fn fuzzy_finds_misspellings_and_scores_them_below_one() {
        let e = list();
        let ix = NameIndex::build(&e);
        let h = ix.fuzzy(
            &e,
            "Cartel de Jalisco Nueva Generation",
            DEFAULT_THRESHOLD,
            5,
        );
        assert_eq!(h.len(), 1);
        assert!(h[0].score > 0.95 && h[0].score < 1.0, "{}", h[0].score);
        assert_eq!(
            h,
            ix.fuzzy_full_scan(
                &e,
                "Cartel de Jalisco Nueva Generation",
                DEFAULT_THRESHOLD,
                5
            )
        );
        assert!(
            ix.fuzzy(&e, "Banco del Norte", DEFAULT_THRESHOLD, 5)
                .is_empty()
        );
        assert!(
            ix.fuzzy(&e, "CJN", 0.5, 5).is_empty(),
            "short names are never fuzzy-matched"
        );
    }

    #[test]
    fn scores_are_rounded_for_display() {
        assert_eq!(score_decimal(0.96666).to_string(), "0.967");
        assert_eq!(score_decimal(1.0).to_string(), "1.000");
    }
}
