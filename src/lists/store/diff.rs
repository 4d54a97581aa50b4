//! What changed between two snapshots: records added, removed, and changed with the fields
//! that changed (compared as the record model's JSON fields, so any list's records compare
//! alike; a record that only moved in the file has not changed).

use std::cmp::Ordering;

use serde::Serialize;
use serde_json::Value;

use super::{Snapshot, Store, StoreError};
use crate::lists::record::ListRecord;

/// A record named in a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryRef {
    /// The list's id for it.
    pub id: String,
    /// Its primary name (in the snapshot that holds it; the newer one when both do).
    pub name: String,
}

/// One field of a record that differs between two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// The field of the record model (`name`, `aliases`, `regimes`, `attributes`, ...).
    pub field: String,
    /// Its value before (`null` when absent).
    pub before: Value,
    /// Its value after (`null` when absent).
    pub after: Value,
}

/// A record present in both snapshots, changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangedEntry {
    /// The record.
    #[serde(flatten)]
    pub entry: EntryRef,
    /// The fields that changed, in field-name order.
    pub fields: Vec<FieldChange>,
}

/// The difference between snapshot `a` and snapshot `b`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotDiff {
    /// The older side.
    pub a: Snapshot,
    /// The newer side.
    pub b: Snapshot,
    /// Records in `b` only.
    pub added: Vec<EntryRef>,
    /// Records in `a` only.
    pub removed: Vec<EntryRef>,
    /// Records in both, different.
    pub changed: Vec<ChangedEntry>,
    /// Records in both, the same.
    pub unchanged: usize,
}

impl SnapshotDiff {
    /// Whether the two snapshots hold the same records.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

impl Store {
    /// Compare two snapshots record by record (by the list's record id).
    pub fn diff(&self, a: &Snapshot, b: &Snapshot) -> Result<SnapshotDiff, StoreError> {
        let before = self.record_bodies(a.id)?;
        let after = self.record_bodies(b.id)?;
        let mut out = SnapshotDiff {
            a: a.clone(),
            b: b.clone(),
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
            unchanged: 0,
        };
        for (id, body_b) in &after {
            match before.get(id) {
                None => out.added.push(self.entry_ref(id, *body_b)?),
                Some(body_a) if body_a == body_b => out.unchanged += 1,
                Some(body_a) => {
                    let ra = self.body(*body_a)?;
                    let rb = self.body(*body_b)?;
                    out.changed.push(ChangedEntry {
                        entry: EntryRef {
                            id: id.clone(),
                            name: rb.name.clone(),
                        },
                        fields: field_changes(&ra, &rb)?,
                    });
                }
            }
        }
        for (id, body_a) in &before {
            if !after.contains_key(id) {
                out.removed.push(self.entry_ref(id, *body_a)?);
            }
        }
        out.added.sort_by(|x, y| id_order(&x.id, &y.id));
        out.removed.sort_by(|x, y| id_order(&x.id, &y.id));
        out.changed
            .sort_by(|x, y| id_order(&x.entry.id, &y.entry.id));
        Ok(out)
    }

    fn entry_ref(&self, id: &str, body: i64) -> Result<EntryRef, StoreError> {
        Ok(EntryRef {
            id: id.to_string(),
            name: self.body(body)?.name,
        })
    }
}

/// The fields of the record model whose values differ between `a` and `b` (the line apart).
pub fn field_changes(a: &ListRecord, b: &ListRecord) -> Result<Vec<FieldChange>, StoreError> {
    let fields = |r: &ListRecord| match serde_json::to_value(r) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Ok(serde_json::Map::new()),
        Err(source) => Err(StoreError::Encode {
            id: r.id.clone(),
            source,
        }),
    };
    let (fa, fb) = (fields(a)?, fields(b)?);
    let mut names: Vec<&String> = fa.keys().chain(fb.keys()).collect();
    names.sort();
    names.dedup();
    Ok(names
        .into_iter()
        .filter(|k| k.as_str() != "line")
        .filter_map(|k| {
            let (x, y) = (fa.get(k), fb.get(k));
            (x != y).then(|| FieldChange {
                field: k.clone(),
                before: x.cloned().unwrap_or(Value::Null),
                after: y.cloned().unwrap_or(Value::Null),
            })
        })
        .collect())
}

/// Record ids in numeric order when both are numbers (`9` before `10`), else as text.
pub fn id_order(a: &str, b: &str) -> Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}
