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
pub(crate) const MIN_FUZZY_LEN: usize = 4;
/// Identifiers shorter than this are not looked up (a `365` matches too much).
pub(crate) const MIN_IDENTIFIER_LEN: usize = 4;
/// Character classes counted for the pre-filter: `A`-`Z`, `0`-`9`, space, anything else.
const CLASSES: usize = 38;

/// Which of an entry's names matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "via", rename_all = "snake_case")]
pub enum Via {
    /// The primary name.
    Name,
    /// An alias (`a.k.a.`, `f.k.a.`, `n.k.a.`).
    Alias {
        /// Which kind of alias.
        kind: AliasKind,
    },
    /// A document or registry number.
    Identifier {
        /// The identifier's type as the list labels it (`Passport`, `IMO`...).
        kind: String,
    },
    /// A name that a party standing for the entry gives it (a rule pack's reference party:
    /// `CJNG` for entry 17671, which the list itself does not list as an alias).
    PartyName {
        /// The reference party's id.
        party: String,
    },
}

impl Via {
    /// How the match was made, for people (`alias (a.k.a.)`).
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
    /// What matched: the primary name, an alias, an identifier or a party's name.
    pub via: Via,
    /// Similarity in 0..=1 (1 for exact matches); see [`score_decimal`] for display.
    pub score: f64,
    /// The normalised query equals a name or identifier of the entry.
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
    /// (hash of the sorted key, name id), sorted: exact lookups binary-search the hash and
    /// compare the keys, with no key copied.
    exact: Vec<(u64, u32)>,
    /// (hash of the normalised identifier, entry, identifier position), sorted.
    identifiers: Vec<(u64, u32, u32)>,
    /// Character-class counts of each name, `CLASSES` per name, saturating at 255.
    counts: Vec<u8>,
    /// Name ids ordered by length, and where each length starts in that order, so a search
    /// visits only the lengths that can reach its threshold.
    by_len: Vec<u32>,
    len_start: Vec<u32>,
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

/// A hash of a key; `DefaultHasher::new` hashes alike throughout a process, which is where
/// an index is built and queried.
fn key_hash(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

/// The fuzzy score of two normalised names: the greater Jaro-Winkler similarity of their
/// sorted and their written word orders.
pub(crate) fn similarity(q: &NormalName, c: &NormalName) -> f64 {
    let sorted = strsim::jaro_winkler(&q.sorted, &c.sorted);
    // Names of one word (or already in order) compare the same both ways.
    if q.plain == q.sorted && c.plain == c.sorted {
        sorted
    } else {
        sorted.max(strsim::jaro_winkler(&q.plain, &c.plain))
    }
}

impl NameIndex {
    /// The index over a list's entries: names and aliases normalised, identifiers by value.
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
                ix.exact.push((key_hash(&key.sorted), id));
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
                    ix.identifiers.push((key_hash(&v), e, i as u32));
                }
            }
        }
        ix.exact.sort_unstable();
        ix.identifiers.sort_unstable();
        ix.by_len = (0..ix.names.len() as u32).collect();
        ix.by_len
            .sort_by_key(|&i| ix.names.get(i as usize).map_or(0, |n| n.len));
        let max_len = ix.names.iter().map(|n| n.len).max().unwrap_or(0) as usize;
        ix.len_start = (0..=max_len + 1)
            .map(|l| {
                ix.by_len.partition_point(|&i| {
                    ix.names.get(i as usize).map_or(0, |n| n.len as usize) < l
                }) as u32
            })
            .collect();
        ix
    }

    /// The fewest characters a name of length `len` must share with a query of length
    /// `qlen` to possibly reach `threshold` (`None`: no number can).
    fn needed_common(threshold: f64, qlen: u32, len: u32) -> Option<u32> {
        let most = qlen.min(len);
        if !can_reach(threshold, most, qlen, len) {
            return None;
        }
        // The bound grows with the shared count: find its smallest passing value.
        let (mut lo, mut hi) = (0u32, most);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if can_reach(threshold, mid, qlen, len) {
                hi = mid
            } else {
                lo = mid + 1
            }
        }
        Some(lo)
    }

    /// Number of indexed names (primary names and aliases).
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the index holds no names.
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
        let h = key_hash(&q.sorted);
        let from = self.exact.partition_point(|p| p.0 < h);
        let mut hits: Vec<Hit> = Vec::new();
        for &(_, i) in self
            .exact
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|p| p.0 == h)
        {
            let Some(n) = self
                .names
                .get(i as usize)
                .filter(|n| n.key.sorted == q.sorted)
            else {
                continue;
            };
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
        if v.len() < MIN_IDENTIFIER_LEN {
            return Vec::new();
        }
        let h = key_hash(&v);
        let from = self.identifiers.partition_point(|p| p.0 < h);
        let mut hits: Vec<Hit> = Vec::new();
        for &(_, e, i) in self
            .identifiers
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|p| p.0 == h)
        {
            let Some(id) = entries
                .get(e as usize)
                .and_then(|x| x.identifiers.get(i as usize))
            else {
                continue;
            };
            let theirs = normalize_identifier(&id.value);
            if theirs != v || hits.iter().any(|h| h.entry == e as usize) {
                continue;
            }
            hits.push(Hit {
                entry: e as usize,
                matched: id.value.clone(),
                via: Via::Identifier {
                    kind: id.kind.clone(),
                },
                score: 1.0,
                exact: true,
                compared: (v.clone(), theirs),
            });
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
        let mut candidates: Vec<(u32, Option<u32>)> = Vec::new();
        for len in 1..self.len_start.len().saturating_sub(1) {
            let Some(need) = Self::needed_common(threshold, qlen, len as u32) else {
                continue;
            };
            let (Some(&a), Some(&b)) = (self.len_start.get(len), self.len_start.get(len + 1))
            else {
                continue;
            };
            for &id in self.by_len.get(a as usize..b as usize).unwrap_or_default() {
                let i = id as usize;
                // Counts saturate at 255; for names that long, bound by the length alone.
                let shared = if len > 255 || qlen > 255 {
                    need
                } else {
                    self.counts
                        .get(i * CLASSES..(i + 1) * CLASSES)
                        .map_or(0, |c| common(&qcounts, c))
                };
                if shared >= need {
                    candidates.push((id, (len <= 255 && qlen <= 255).then_some(shared)));
                }
            }
        }
        self.score(entries, &q, candidates.into_iter(), threshold, limit)
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
        self.score(
            entries,
            &q,
            (0..self.names.len() as u32).map(|i| (i, None)),
            threshold,
            limit,
        )
    }

    /// Score `ids`; with a shared character count, skip a word order whose bound (the Jaro
    /// bound and the actual common prefix) cannot reach the threshold: its score could then
    /// neither be kept nor be the greater of the two.
    fn score(
        &self,
        entries: &[SdnEntry],
        q: &NormalName,
        ids: impl Iterator<Item = (u32, Option<u32>)>,
        threshold: f64,
        limit: usize,
    ) -> Vec<Hit> {
        let qlen = q.sorted.chars().count() as f64;
        let mut best: HashMap<u32, (f64, u32)> = HashMap::new();
        for (id, shared) in ids {
            let Some(n) = self.names.get(id as usize) else {
                continue;
            };
            let s = match shared {
                None => similarity(q, &n.key),
                Some(m) => {
                    let m = f64::from(m);
                    let jaro = ((m / qlen + m / f64::from(n.len) + 1.0) / 3.0).min(1.0);
                    let reach = |a: &str, b: &str| {
                        let prefix = a
                            .chars()
                            .zip(b.chars())
                            .take(4)
                            .take_while(|(x, y)| x == y)
                            .count() as f64;
                        jaro + 0.1 * prefix * (1.0 - jaro) + 1e-9 >= threshold
                    };
                    let sorted = if reach(&q.sorted, &n.key.sorted) {
                        strsim::jaro_winkler(&q.sorted, &n.key.sorted)
                    } else {
                        0.0
                    };
                    let plain = if reach(&q.plain, &n.key.plain) {
                        strsim::jaro_winkler(&q.plain, &n.key.plain)
                    } else {
                        0.0
                    };
                    sorted.max(plain)
                }
            };
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
