//! A loaded list: its entries, the name index built once, and a per-process cache so that
//! scenarios naming the same file read and index it once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use super::entry::{SdnEntry, parse_entry_id};
use super::export::{Syntax, read_document};
use super::index::{Hit, NameIndex};
use super::read::{ReadStats, read};
use crate::diagnostic::{Diagnostic, Diagnostics};

/// A list ready for use: entries, their index, and what reading found.
#[derive(Debug, Clone, Default)]
pub struct SdnList {
    /// The file it was read from, as named by the caller.
    pub file: String,
    /// The entries in file order; [`Hit::entry`](super::index::Hit::entry) indexes into them.
    pub entries: Vec<SdnEntry>,
    /// What reading found: rows, entries, skipped rows, encoding.
    pub stats: ReadStats,
    /// Warnings found while reading (errors make loading fail instead).
    pub warnings: Vec<Diagnostic>,
    /// Lookups over the entries by name, alias and identifier.
    pub index: NameIndex,
    by_num: HashMap<u32, usize>,
    /// For each entry, the entries its `Linked To:` names point to; computed on first use.
    link_targets: OnceLock<Vec<Vec<Option<u32>>>>,
}

impl SdnList {
    /// Index entries (read from `file`).
    pub fn new(
        file: impl Into<String>,
        entries: Vec<SdnEntry>,
        stats: ReadStats,
        warnings: Vec<Diagnostic>,
    ) -> SdnList {
        let index = NameIndex::build(&entries);
        let by_num = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.ent_num, i))
            .collect();
        SdnList {
            file: file.into(),
            entries,
            stats,
            warnings,
            index,
            by_num,
            link_targets: OnceLock::new(),
        }
    }

    /// Read and index a CSV file's bytes. Any row error makes it an `Err` with every problem.
    pub fn from_csv(bytes: &[u8], file: &str) -> Result<SdnList, Diagnostics> {
        let r = read(bytes, file);
        if r.has_errors() {
            return Err(r.diagnostics);
        }
        Ok(SdnList::new(
            file,
            r.entries,
            r.stats,
            r.diagnostics.into_vec(),
        ))
    }

    /// Read a list file: a `.toml` or `.json` list document, or else an SDN CSV file.
    pub fn from_path(path: &Path) -> Result<SdnList, Diagnostics> {
        let file = path.display().to_string();
        let one = |d: Diagnostic| {
            let mut all = Diagnostics::new();
            all.push(d);
            all
        };
        let bytes = crate::source::read_bytes(path, "the list file").map_err(one)?;
        let syntax = match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => Some(Syntax::Toml),
            Some("json") => Some(Syntax::Json),
            _ => None,
        };
        let Some(syntax) = syntax else {
            return SdnList::from_csv(&bytes, &file);
        };
        let text = crate::source::SourceFile::from_bytes(file.as_str(), bytes).map_err(one)?;
        let doc = read_document(text.text(), &file, syntax)?;
        let stats = ReadStats {
            rows: doc.entry.len(),
            entries: doc.entry.len(),
            encoding: "UTF-8",
            eof_marker: true,
            ..ReadStats::default()
        };
        Ok(SdnList::new(file, doc.entry, stats, Vec::new()))
    }

    /// The entry with this number.
    pub fn entry(&self, ent_num: u32) -> Option<&SdnEntry> {
        self.by_num.get(&ent_num).and_then(|&i| self.entries.get(i))
    }

    /// Where the entry with this number sits in `entries`.
    pub fn position(&self, ent_num: u32) -> Option<usize> {
        self.by_num.get(&ent_num).copied()
    }

    /// The entry a party id names (`ofac:4697`).
    pub fn entry_by_id(&self, id: &str) -> Option<&SdnEntry> {
        parse_entry_id(id).and_then(|n| self.entry(n))
    }

    /// Exact matches for a name (after normalisation) over names and aliases.
    pub fn exact(&self, name: &str) -> Vec<Hit> {
        self.index.exact(&self.entries, name)
    }

    /// Entries carrying an identifier (passport, registry, IMO number...) with this value, after
    /// normalisation.
    pub fn by_identifier(&self, value: &str) -> Vec<Hit> {
        self.index.by_identifier(&self.entries, value)
    }

    /// Entries whose names or aliases score at least `threshold` (0..=1) against `name`, best
    /// first, at most `limit`.
    pub fn fuzzy(&self, name: &str, threshold: f64, limit: usize) -> Vec<Hit> {
        self.index.fuzzy(&self.entries, name, threshold, limit)
    }

    /// `Linked To: NAME (ofac:N)` for the entry at `pos`, as explanations show it.
    pub fn links_text(&self, pos: usize) -> Option<String> {
        let entry = self.entries.get(pos)?;
        if entry.linked_to.is_empty() {
            return None;
        }
        let targets = self.link_targets.get_or_init(|| {
            self.entries
                .iter()
                .map(|e| {
                    self.links(e)
                        .into_iter()
                        .map(|(_, t)| t.map(|t| t.ent_num))
                        .collect()
                })
                .collect()
        });
        let ids = targets.get(pos).map(Vec::as_slice).unwrap_or_default();
        let parts: Vec<String> = entry
            .linked_to
            .iter()
            .zip(ids.iter().chain(std::iter::repeat(&None)))
            .map(|(name, id)| match id {
                Some(n) => format!("{name} ({}{n})", super::entry::OFAC_PREFIX),
                None => name.clone(),
            })
            .collect();
        Some(format!("Linked To: {}", parts.join("; ")))
    }

    /// The entries an entry's `Linked To:` names point to: the entries whose primary name
    /// (or, failing that, an alias) equals the name after normalisation. `None` when no
    /// entry or several carry that name.
    pub fn links(&self, entry: &SdnEntry) -> Vec<(String, Option<&SdnEntry>)> {
        entry
            .linked_to
            .iter()
            .map(|name| {
                let hits = self.exact(name);
                let primary: Vec<&Hit> = hits
                    .iter()
                    .filter(|h| h.via == super::index::Via::Name)
                    .collect();
                let pick = match (primary.as_slice(), hits.as_slice()) {
                    ([one], _) => Some(one.entry),
                    ([], [one]) => Some(one.entry),
                    _ => None,
                };
                (
                    name.clone(),
                    pick.and_then(|i| self.entries.get(i))
                        .filter(|e| e.ent_num != entry.ent_num),
                )
            })
            .collect()
    }
}

/// When a cached file was read: its length and modification time.
type Stamp = (u64, Option<SystemTime>);

/// Loaded lists by canonical path.
type Cache = Mutex<HashMap<PathBuf, (Stamp, Arc<SdnList>)>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Load a list file once per process (reloaded if its size or modification time changes).
pub fn load_cached(path: &Path) -> Result<Arc<SdnList>, Diagnostics> {
    let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let stamp: Option<Stamp> = std::fs::metadata(&key)
        .ok()
        .map(|m| (m.len(), m.modified().ok()));
    if let Some(stamp) = stamp
        && let Ok(c) = cache().lock()
        && let Some((s, list)) = c.get(&key)
        && *s == stamp
    {
        return Ok(list.clone());
    }
    let list = Arc::new(SdnList::from_path(path)?);
    if let (Some(stamp), Ok(mut c)) = (stamp, cache().lock()) {
        c.insert(key, (stamp, list.clone()));
    }
    Ok(list)
}
