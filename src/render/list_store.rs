//! The list store's answers as text: snapshots, diffs between two of them, a record's
//! history with its listing date.

use std::fmt::Write as _;

use serde_json::Value;

use crate::lists::store::Snapshot;
use crate::lists::store::diff::SnapshotDiff;
use crate::lists::store::history::{EntryHistory, ListingDate, State};

/// At most this many characters of a changed field's value are shown.
const VALUE_WIDTH: usize = 100;

/// One snapshot on one line.
pub fn snapshot_line(s: &Snapshot) -> String {
    format!(
        "{:>4}  {}@{}  {} records  sha256 {}  {}  (date from the {}; added {})",
        s.id,
        s.list,
        s.published,
        s.records,
        s.sha256.get(..12).unwrap_or(&s.sha256),
        s.file,
        match s.published_from {
            crate::lists::store::DateFrom::File => "file",
            crate::lists::store::DateFrom::Given => "command line",
            crate::lists::store::DateFrom::Downloaded => "download day",
        },
        s.added_at
    )
}

/// Every snapshot, one a line.
pub fn snapshots(all: &[Snapshot]) -> String {
    if all.is_empty() {
        return "the store holds no snapshot: add one with `interdict lists add FILE --list ID`\n"
            .to_string();
    }
    let mut out = String::new();
    for s in all {
        out.push_str(&snapshot_line(s));
        out.push('\n');
    }
    out
}

/// A diff: counts, then each added, removed and changed record, changed ones with their
/// fields' values before and after.
pub fn diff(d: &SnapshotDiff) -> String {
    let mut out = format!(
        "from {}@{} (snapshot {}) to {}@{} (snapshot {}): {} added, {} removed, {} changed, {} unchanged\n",
        d.a.list,
        d.a.published,
        d.a.id,
        d.b.list,
        d.b.published,
        d.b.id,
        d.added.len(),
        d.removed.len(),
        d.changed.len(),
        d.unchanged
    );
    for e in &d.added {
        let _ = writeln!(out, "+ {}  {}", e.id, e.name);
    }
    for e in &d.removed {
        let _ = writeln!(out, "- {}  {}", e.id, e.name);
    }
    for c in &d.changed {
        let fields: Vec<&str> = c.fields.iter().map(|f| f.field.as_str()).collect();
        let _ = writeln!(
            out,
            "~ {}  {}  ({})",
            c.entry.id,
            c.entry.name,
            fields.join(", ")
        );
        for f in &c.fields {
            let _ = writeln!(out, "    {} was: {}", f.field, short(&f.before));
            let _ = writeln!(out, "    {} now: {}", f.field, short(&f.after));
        }
    }
    out
}

/// A record's history: its listing date, then every snapshot and every change-log operation.
pub fn history(h: &EntryHistory) -> String {
    let mut out = format!(
        "{} record {}{}\n",
        h.list,
        h.id,
        h.name.as_ref().map_or(String::new(), |n| format!(": {n}"))
    );
    let listing = match &h.listing {
        None => "unknown (the store has never held the record)".to_string(),
        Some(ListingDate::Listed { date }) => format!("{date} (listed: the publisher's date)"),
        Some(ListingDate::FirstSeen {
            date,
            seen_in,
            on_or_before,
        }) => format!(
            "{}{date} (first_seen: derived, the list gives none; first seen in {seen_in})",
            if *on_or_before { "on or before " } else { "" }
        ),
    };
    let _ = writeln!(out, "listing date: {listing}");
    if !h.snapshots.is_empty() {
        let _ = writeln!(out, "snapshots:");
    }
    for s in &h.snapshots {
        let mut line = format!(
            "  {}@{} (snapshot {}): {}",
            s.snapshot.list,
            s.snapshot.published,
            s.snapshot.id,
            s.state.as_str()
        );
        if matches!(s.state, State::Changed) {
            let _ = write!(line, " ({})", s.fields.join(", "));
        }
        if matches!(
            s.state,
            State::Appeared | State::Reappeared | State::Changed
        ) && let Some(n) = &s.name
        {
            let _ = write!(line, ": {n}");
        }
        out.push_str(&line);
        out.push('\n');
    }
    if !h.log.is_empty() {
        let _ = writeln!(out, "change log:");
    }
    for l in &h.log {
        let mut line = format!("  {} {}", l.at, l.op);
        if !l.fields.is_empty() {
            let _ = write!(line, " ({})", l.fields.join(", "));
        }
        if l.op == "add"
            && let Some(n) = &l.name
        {
            let _ = write!(line, ": {n}");
        }
        let _ = write!(line, "  [{}]", l.source);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A JSON value on one line, cut at [`VALUE_WIDTH`] characters.
fn short(v: &Value) -> String {
    let s = match v {
        Value::Null => "(absent)".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.chars().count() > VALUE_WIDTH {
        let cut: String = s.chars().take(VALUE_WIDTH).collect();
        format!("{cut}...")
    } else {
        s
    }
}
