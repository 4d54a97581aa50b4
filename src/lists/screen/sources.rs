//! The lists a screen searches: the store's snapshots (each list's latest, or the one in force
//! on a date) or list files imported on the spot.

use chrono::NaiveDate;

use super::{SnapshotRef, Source};
use crate::lists::config::ListConfig;
use crate::lists::record::ListImport;
use crate::lists::store::{Store, StoreError, sha256_hex, snapshot::Snapshot};

/// For each list in the store, the snapshot to screen against: the latest published, or with
/// `as_of` the latest published on or before that day (a list with none by then is left out
/// and named in the second value).
pub fn pick(
    store: &Store,
    as_of: Option<NaiveDate>,
) -> Result<(Vec<Snapshot>, Vec<String>), StoreError> {
    let mut lists: Vec<(String, Option<Snapshot>)> = Vec::new();
    // Ordered by list, then publication date, then number: the last one in force wins.
    for s in store.snapshots()? {
        if lists.last().is_none_or(|(l, _)| *l != s.list) {
            lists.push((s.list.clone(), None));
        }
        if as_of.is_none_or(|d| s.published <= d)
            && let Some((_, slot)) = lists.last_mut()
        {
            *slot = Some(s);
        }
    }
    let mut picked = Vec::new();
    let mut none_by_then = Vec::new();
    for (list, s) in lists {
        match s {
            Some(s) => picked.push(s),
            None => none_by_then.push(list),
        }
    }
    Ok((picked, none_by_then))
}

/// The records of the picked snapshots.
pub fn from_store(store: &Store, snapshots: &[Snapshot]) -> Result<Vec<Source>, StoreError> {
    snapshots
        .iter()
        .map(|s| {
            Ok(Source {
                snapshot: SnapshotRef {
                    list: s.list.clone(),
                    snapshot: Some(s.id),
                    published: Some(s.published),
                    sha256: s.sha256.clone(),
                },
                records: store.records(s.id)?,
            })
        })
        .collect()
}

/// A list file imported on the spot (with its import, for its errors and counts).
pub fn from_file(bytes: &[u8], name: &str, config: &ListConfig) -> (Source, ListImport) {
    let import = crate::lists::store::import_any(bytes, name, config);
    let source = Source {
        snapshot: SnapshotRef {
            list: config.id.clone(),
            snapshot: None,
            published: import.published,
            sha256: sha256_hex(bytes),
        },
        records: import.records.clone(),
    };
    (source, import)
}
