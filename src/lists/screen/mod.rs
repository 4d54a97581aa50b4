//! Screening a name (with identifiers and a date of birth when known) against every list at
//! once: exact, token and fuzzy name matches, weak aliases that never match alone, identifiers
//! that confirm or exclude, and for every hit the list, regime and snapshot it comes from.
//!
//! | module | concern |
//! |---|---|
//! | `tokens` | the token vocabulary and close-token search (symmetric deletion index) |
//! | `align` | the score of a query against one name, token by token |
//! | `evidence` | identifiers and dates of birth: confirmed, contradicted, unknown |
//! | `search` | candidates, scores, outcomes |
//! | `sources` | the lists to screen against: store snapshots (latest or as of a date) or files |
//!
//! Outcomes are advice to a person, never a block by themselves: an exact match on a strong
//! name (or an identifier found equal) is a `match`; a token or fuzzy match is a `review`; a
//! match on a weak alias alone is `discarded` unless an identifier or the date of birth agrees
//! (then `review`); any hit an identifier or the date of birth contradicts is `excluded`, with
//! the contradiction as its evidence. docs/lists.md ("Screening across lists") has the rules.

pub mod align;
pub mod evidence;
pub mod search;
pub mod sources;
pub mod tokens;

use chrono::NaiveDate;
use serde::Serialize;

use super::normalize::{normalize, normalize_identifier};
use super::record::{ListRecord, Strength};
use tokens::{TokenId, Vocabulary};

pub use search::{Method, Outcome, Query, ScreenHit};

/// The snapshot a list's records come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnapshotRef {
    /// The list (its configuration's id, `us-ofac-sdn`).
    pub list: String,
    /// The store's snapshot number, when the records come from the store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<i64>,
    /// The publication date, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<NaiveDate>,
    /// The sha256 of the published file.
    pub sha256: String,
}

/// One list's records, with where they come from.
#[derive(Debug, Clone)]
pub struct Source {
    /// Which list and version.
    pub snapshot: SnapshotRef,
    /// Its records.
    pub records: Vec<ListRecord>,
}

/// One name of one record, indexed.
#[derive(Debug, Clone)]
struct IndexedName {
    source: u32,
    record: u32,
    /// `None`: the primary name; otherwise the alias position.
    alias: Option<u32>,
    strength: Strength,
    /// Sorted normalised form, for exact matches.
    sorted: Box<str>,
    /// Distinct tokens of the normalised name.
    tokens: Box<[TokenId]>,
}

/// The screening index over every name of every source.
#[derive(Debug, Default)]
pub struct Screen {
    sources: Vec<Source>,
    names: Vec<IndexedName>,
    vocabulary: Vocabulary,
    /// Token -> names holding it (ascending name ids).
    postings: Vec<Vec<u32>>,
    /// Sorted normalised name -> name ids, for exact matches.
    exact: std::collections::HashMap<Box<str>, Vec<u32>>,
    /// Normalised identifier value -> (source, record, identifier position).
    identifiers: std::collections::HashMap<String, Vec<(u32, u32, u32)>>,
}

impl Screen {
    /// Index every name and identifier of `sources`.
    pub fn build(sources: Vec<Source>) -> Screen {
        let mut s = Screen::default();
        for (si, source) in sources.iter().enumerate() {
            let si = index_u32(si);
            for (ri, record) in source.records.iter().enumerate() {
                let ri = index_u32(ri);
                s.add_name(si, ri, None, Strength::Strong, &record.name);
                for (ai, alias) in record.aliases.iter().enumerate() {
                    s.add_name(si, ri, Some(index_u32(ai)), alias.strength, &alias.name);
                }
                for (ii, id) in record.identifiers.iter().enumerate() {
                    let v = normalize_identifier(&id.value);
                    if v.len() >= crate::lists::index::MIN_IDENTIFIER_LEN {
                        s.identifiers
                            .entry(v)
                            .or_default()
                            .push((si, ri, index_u32(ii)));
                    }
                }
            }
        }
        s.vocabulary.seal();
        s.sources = sources;
        s
    }

    fn add_name(
        &mut self,
        source: u32,
        record: u32,
        alias: Option<u32>,
        strength: Strength,
        name: &str,
    ) {
        let n = normalize(name);
        if n.is_empty() {
            return;
        }
        let id = index_u32(self.names.len());
        let mut tokens: Vec<TokenId> = n
            .plain
            .split(' ')
            .map(|t| self.vocabulary.intern(t))
            .collect();
        tokens.sort_unstable();
        tokens.dedup();
        for &t in &tokens {
            let t = t as usize;
            if self.postings.len() <= t {
                self.postings.resize_with(t + 1, Vec::new);
            }
            if let Some(p) = self.postings.get_mut(t) {
                p.push(id);
            }
        }
        self.exact
            .entry(n.sorted.clone().into())
            .or_default()
            .push(id);
        self.names.push(IndexedName {
            source,
            record,
            alias,
            strength,
            sorted: n.sorted.into(),
            tokens: tokens.into(),
        });
    }

    /// The sources, in the order given.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// Records over all sources.
    pub fn records(&self) -> usize {
        self.sources.iter().map(|s| s.records.len()).sum()
    }

    /// Names (primary and aliases) indexed.
    pub fn names(&self) -> usize {
        self.names.len()
    }

    /// Distinct name tokens.
    pub fn tokens(&self) -> usize {
        self.vocabulary.len()
    }

    fn record(&self, source: u32, record: u32) -> Option<&ListRecord> {
        self.sources
            .get(source as usize)
            .and_then(|s| s.records.get(record as usize))
    }
}

/// Positions are stored as `u32`: a list of four billion names is not a list anyone publishes.
fn index_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}
