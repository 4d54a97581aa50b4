//! A screening search: candidates by exact form, by close tokens and by identifier; each
//! record's best name scored (`align`); evidence weighed (`evidence`); an outcome per hit.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::align::{Alignment, Pair, align};
use super::evidence::{Evidence, GivenIdentifier, weigh};
use super::tokens::{TokenId, similarity};
use super::{IndexedName, Screen, SnapshotRef};
use crate::lists::index::score_decimal;
use crate::lists::normalize::normalize;
use crate::lists::record::Strength;

/// What to screen.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// The name, in any script and order.
    pub name: Option<String>,
    /// Identifiers known of the party.
    pub identifiers: Vec<GivenIdentifier>,
    /// The year of birth, for a person.
    pub birth_year: Option<i32>,
    /// Lowest name score kept (0..=1).
    pub threshold: f64,
    /// At most this many hits.
    pub limit: usize,
}

/// How a hit's name was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The normalised names are equal (word order aside).
    Exact,
    /// Equal words, but not all of them.
    Tokens,
    /// Close words (spelling variants).
    Fuzzy,
    /// No name: an identifier of the query is the record's.
    Identifier,
}

/// What a person should make of a hit. Never a block by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The listed target: an exact strong name or an equal identifier, nothing contradicting.
    Match,
    /// Possibly the listed target: a person must look at the evidence.
    Review,
    /// An identifier or the date of birth says it is not the listed target.
    Excluded,
    /// Only a weak alias matched, and nothing else supports it.
    Discarded,
}

/// One record found for a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenHit {
    /// Where the record comes from.
    pub source: SnapshotRef,
    /// The list's id of the record.
    pub record: String,
    /// Its primary name.
    pub name: String,
    /// Individual, entity, vessel or aircraft.
    #[serde(rename = "type")]
    pub entry_type: &'static str,
    /// Regimes as the list writes them.
    pub regimes: Vec<String>,
    /// List tags the regimes map to.
    pub tags: Vec<String>,
    /// The name or identifier that matched, as the list writes it.
    pub matched: String,
    /// The matched name is an alias (not the primary name).
    pub alias: bool,
    /// The matched name's strength.
    pub strength: Strength,
    /// How it was found.
    pub method: Method,
    /// Name score, three decimals (1 for identifier hits).
    pub score: Decimal,
    /// Query words and the name words they met.
    pub words: Vec<Pair>,
    /// What identifiers and the date of birth say.
    pub evidence: Vec<Evidence>,
    /// What to make of it.
    pub outcome: Outcome,
}

/// The best name of one record for a query.
struct Candidate<'a> {
    name: &'a IndexedName,
    alignment: Alignment,
    exact: bool,
}

impl Screen {
    /// Screen `query` against every source. Hits come matches first, then reviews, exclusions
    /// and discarded weak-alias hits; within each, best score first, then list and record id.
    pub fn search(&self, query: &Query) -> Vec<ScreenHit> {
        let scored = self.score_names(query, false);
        self.finish(query, scored)
    }

    /// The same search scoring every indexed name, with no candidate index: the baseline of the
    /// benchmark and the reference of the property test.
    pub fn search_full_scan(&self, query: &Query) -> Vec<ScreenHit> {
        let scored = self.score_names(query, true);
        self.finish(query, scored)
    }

    fn score_names(&self, query: &Query, full_scan: bool) -> Vec<Candidate<'_>> {
        let Some(raw) = query.name.as_deref() else {
            return Vec::new();
        };
        let n = normalize(raw);
        if n.is_empty() {
            return Vec::new();
        }
        let mut words: Vec<&str> = n.plain.split(' ').collect();
        words.sort_unstable();
        words.dedup();
        let mut out = Vec::new();
        if full_scan {
            for name in &self.names {
                let texts: Vec<&str> = name
                    .tokens
                    .iter()
                    .map(|&t| self.vocabulary.text(t))
                    .collect();
                out.push(self.candidate(name, &words, &texts, &similarity, &n.sorted));
            }
        } else {
            let close: Vec<Vec<(TokenId, f64)>> =
                words.iter().map(|w| self.vocabulary.close(w)).collect();
            let sims: HashMap<(usize, TokenId), f64> = close
                .iter()
                .enumerate()
                .flat_map(|(qi, c)| c.iter().map(move |&(t, s)| ((qi, t), s)))
                .collect();
            let mut hits: HashMap<u32, u32> = HashMap::new();
            for c in &close {
                for &(t, _) in c {
                    for &id in self.postings.get(t as usize).map_or(&[][..], |p| p) {
                        *hits.entry(id).or_default() += 1;
                    }
                }
            }
            for id in self.exact.get(n.sorted.as_str()).into_iter().flatten() {
                hits.entry(*id).or_insert(0);
            }
            let sim = |q: &str, t: &str| -> f64 {
                let qi = words.iter().position(|w| *w == q);
                match (qi, self.vocabulary.get(t)) {
                    (Some(qi), Some(t)) => sims.get(&(qi, t)).copied().unwrap_or(0.0),
                    _ => 0.0,
                }
            };
            let mut ids: Vec<u32> = hits.into_keys().collect();
            ids.sort_unstable();
            for id in ids {
                let Some(name) = self.names.get(id as usize) else {
                    continue;
                };
                let texts: Vec<&str> = name
                    .tokens
                    .iter()
                    .map(|&t| self.vocabulary.text(t))
                    .collect();
                out.push(self.candidate(name, &words, &texts, &sim, &n.sorted));
            }
        }
        out.retain(|c| c.exact || c.alignment.score >= query.threshold);
        out
    }

    fn candidate<'a>(
        &self,
        name: &'a IndexedName,
        words: &[&str],
        texts: &[&str],
        sim: &dyn Fn(&str, &str) -> f64,
        sorted: &str,
    ) -> Candidate<'a> {
        let exact = &*name.sorted == sorted;
        let mut alignment = align(words, texts, sim);
        if exact {
            alignment.score = 1.0;
        }
        Candidate {
            name,
            alignment,
            exact,
        }
    }

    /// Best name per record (a strong name before a weak one), identifier hits, evidence,
    /// outcomes, order.
    fn finish(&self, query: &Query, scored: Vec<Candidate<'_>>) -> Vec<ScreenHit> {
        let mut best: HashMap<(u32, u32), Candidate<'_>> = HashMap::new();
        for c in scored {
            let key = (c.name.source, c.name.record);
            let better = match best.get(&key) {
                None => true,
                Some(b) => rank(&c) > rank(b),
            };
            if better {
                best.insert(key, c);
            }
        }
        let mut hits: Vec<ScreenHit> = Vec::new();
        let mut by_name: Vec<(u32, u32)> = best.keys().copied().collect();
        by_name.sort_unstable();
        for key in by_name {
            if let Some(c) = best.get(&key) {
                hits.extend(self.name_hit(query, c));
            }
        }
        for g in &query.identifiers {
            for &(s, r, i) in self.identifiers.get(&g.value).into_iter().flatten() {
                if best.contains_key(&(s, r)) {
                    continue;
                }
                hits.extend(self.identifier_hit(query, g, s, r, i));
            }
        }
        hits.sort_by(|a, b| {
            a.outcome
                .cmp(&b.outcome)
                .then(b.score.cmp(&a.score))
                .then(a.source.list.cmp(&b.source.list))
                .then(crate::lists::store::diff::id_order(&a.record, &b.record))
        });
        hits.truncate(query.limit);
        hits
    }

    fn name_hit(&self, query: &Query, c: &Candidate<'_>) -> Option<ScreenHit> {
        let (s, r) = (c.name.source, c.name.record);
        let record = self.record(s, r)?;
        let evidence = weigh(record, &query.identifiers, query.birth_year);
        let method = if c.exact {
            Method::Exact
        } else if c.alignment.all_equal() {
            Method::Tokens
        } else {
            Method::Fuzzy
        };
        let confirmed = evidence
            .iter()
            .any(|e| matches!(e, Evidence::IdentifierConfirms { .. }));
        let outcome = if evidence.iter().any(Evidence::contradicts) {
            Outcome::Excluded
        } else if c.name.strength == Strength::Weak {
            if evidence.iter().any(Evidence::supports) {
                Outcome::Review
            } else {
                Outcome::Discarded
            }
        } else if confirmed || method == Method::Exact {
            Outcome::Match
        } else {
            Outcome::Review
        };
        let matched = match c.name.alias {
            None => record.name.clone(),
            Some(a) => record
                .aliases
                .get(a as usize)
                .map_or_else(String::new, |a| a.name.clone()),
        };
        Some(self.hit(
            s,
            record,
            matched,
            c.name.alias.is_some(),
            c.name.strength,
            method,
            score_decimal(c.alignment.score),
            c.alignment.pairs.clone(),
            evidence,
            outcome,
        ))
    }

    fn identifier_hit(
        &self,
        query: &Query,
        g: &GivenIdentifier,
        s: u32,
        r: u32,
        i: u32,
    ) -> Option<ScreenHit> {
        let record = self.record(s, r)?;
        let listed = record.identifiers.get(i as usize)?;
        let class = super::evidence::class_of(&listed.kind);
        if class != g.class {
            return None;
        }
        let evidence = weigh(record, &query.identifiers, query.birth_year);
        let outcome = if evidence.iter().any(Evidence::contradicts) {
            Outcome::Excluded
        } else {
            Outcome::Match
        };
        let matched = format!("{} {}", listed.kind, listed.value);
        Some(self.hit(
            s,
            record,
            matched,
            false,
            Strength::Strong,
            Method::Identifier,
            Decimal::ONE,
            Vec::new(),
            evidence,
            outcome,
        ))
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "one hit's fields, named at the two calls"
    )]
    fn hit(
        &self,
        source: u32,
        record: &crate::lists::record::ListRecord,
        matched: String,
        alias: bool,
        strength: Strength,
        method: Method,
        score: Decimal,
        words: Vec<Pair>,
        evidence: Vec<Evidence>,
        outcome: Outcome,
    ) -> ScreenHit {
        let snapshot = self
            .sources
            .get(source as usize)
            .map(|s| s.snapshot.clone())
            .unwrap_or_else(|| SnapshotRef {
                list: String::new(),
                snapshot: None,
                published: None,
                sha256: String::new(),
            });
        ScreenHit {
            source: snapshot,
            record: record.id.clone(),
            name: record.name.clone(),
            entry_type: record.entry_type.as_str(),
            regimes: record.regimes.clone(),
            tags: record.tags.clone(),
            matched,
            alias,
            strength,
            method,
            score,
            words,
            evidence,
            outcome,
        }
    }
}

/// Which of two names of a record stands for it: a strong name before a weak one, then an
/// exact one, then the higher score, then the earlier name.
fn rank(c: &Candidate<'_>) -> (bool, bool, u64, std::cmp::Reverse<Option<u32>>) {
    (
        c.name.strength == Strength::Strong,
        c.exact,
        (c.alignment.score * 1e9) as u64,
        std::cmp::Reverse(c.name.alias),
    )
}
