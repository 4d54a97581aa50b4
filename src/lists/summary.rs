//! What a list holds, in the rule packs' terms: entries by type, by tag and by program, the
//! tags no program maps, and how much of the remarks could be parsed.

use std::collections::BTreeMap;

use serde::Serialize;

use super::entry::{EntryType, SdnEntry};
use super::read::ReadStats;
use crate::model::ruleset::RuleSet;

/// What a list holds in the rule packs' terms (`interdict import` prints it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// What reading the file found: rows, entries, skipped rows, encoding.
    pub read: ReadStats,
    /// Entries by type (`individual`, `entity`, `vessel`, `aircraft`).
    pub by_type: BTreeMap<String, usize>,
    /// Entries carrying each tag.
    pub by_tag: BTreeMap<String, usize>,
    /// Entries designated under each program the packs map a tag to.
    pub by_program: BTreeMap<String, usize>,
    /// Tags no program of the packs lists in `list_tags`, with their entry counts, most
    /// frequent first.
    pub unmapped_tags: Vec<(String, usize)>,
    /// Aliases over all entries.
    pub aliases: usize,
    /// Identifiers over all entries.
    pub identifiers: usize,
    /// `Linked To:` names over all entries.
    pub linked_to: usize,
    /// Secondary-sanctions notes over all entries.
    pub secondary_sanctions: usize,
    /// Remark fragments recognised and parsed into facts.
    pub parsed_fragments: usize,
    /// Remark fragments kept verbatim because no rule recognised them.
    pub unparsed_fragments: usize,
    /// Entries with at least one unparsed remark fragment.
    pub entries_with_unparsed: usize,
}

/// Program ids (in pack order) that a list tag maps to through `list_tags`.
pub fn programs_for_tag<'a>(rs: &'a RuleSet, tag: &str) -> Vec<&'a str> {
    rs.index
        .list_tags
        .get(tag)
        .map(|ps| {
            ps.iter()
                .filter_map(|p| rs.programs.get(*p))
                .map(|p| p.id.as_str())
                .collect()
        })
        .unwrap_or_default()
}

/// Count a list's entries by type, tag and program, and how much of their remarks was parsed.
pub fn summarize(rs: &RuleSet, entries: &[SdnEntry], read: &ReadStats) -> Summary {
    let mut s = Summary {
        read: read.clone(),
        ..Summary::default()
    };
    for t in EntryType::ALL {
        s.by_type.insert(t.as_str().to_string(), 0);
    }
    let mut unmapped: BTreeMap<String, usize> = BTreeMap::new();
    for e in entries {
        *s.by_type
            .entry(e.entry_type.as_str().to_string())
            .or_default() += 1;
        let mut programs: Vec<&str> = Vec::new();
        for t in &e.tags {
            *s.by_tag.entry(t.clone()).or_default() += 1;
            let ps = programs_for_tag(rs, t);
            if ps.is_empty() {
                *unmapped.entry(t.clone()).or_default() += 1;
            }
            programs.extend(ps);
        }
        programs.sort_unstable();
        programs.dedup();
        for p in programs {
            *s.by_program.entry(p.to_string()).or_default() += 1;
        }
        s.aliases += e.aliases.len();
        s.identifiers += e.identifiers.len();
        s.linked_to += e.linked_to.len();
        s.secondary_sanctions += e.secondary_sanctions.len();
        s.parsed_fragments += e.aliases.len()
            + e.dates_of_birth.len()
            + e.places_of_birth.len()
            + e.nationalities.len()
            + e.citizenships.len()
            + e.identifiers.len()
            + e.linked_to.len()
            + e.secondary_sanctions.len()
            + e.attributes.len();
        s.unparsed_fragments += e.unparsed.len();
        s.entries_with_unparsed += usize::from(!e.unparsed.is_empty());
    }
    let mut u: Vec<(String, usize)> = unmapped.into_iter().collect();
    u.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    s.unmapped_tags = u;
    s
}
