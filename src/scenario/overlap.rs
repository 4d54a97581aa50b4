//! Records of one fact written more than once at overlapping times (two designations of a
//! party under one program, two holdings of one owner in one entity, ...). Each is a located
//! error pointing at the first record, found in O(n log n): a file holding one record two
//! thousand times gives one diagnostic with a count, not two million.

use std::collections::HashMap;
use std::hash::Hash;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::values::Date;
use crate::source::Loc;

/// One record: what it is about (`key`), when it holds (`from` .. `until`, open ends as
/// `None`), and where it was written.
pub struct Span<'a, K> {
    /// What the record is about (a party and a program, an owner and an entity...).
    pub key: K,
    /// Its first day; `None`: from always.
    pub from: Option<Date>,
    /// The day it ends; `None`: never.
    pub until: Option<Date>,
    /// Where it was written.
    pub loc: &'a Loc,
}

/// For every record that overlaps an earlier-starting one with the same key: (the earlier
/// record's location, the record's location).
pub fn overlapping<'a, K: Hash + Eq>(records: Vec<Span<'a, K>>) -> Vec<(&'a Loc, &'a Loc)> {
    type When<'l> = (Option<Date>, Option<Date>, &'l Loc);
    let mut groups: HashMap<K, Vec<When<'a>>> = HashMap::new();
    for r in records {
        groups
            .entry(r.key)
            .or_default()
            .push((r.from, r.until, r.loc));
    }
    let mut out = Vec::new();
    for (_, mut g) in groups {
        // `None` (no start) sorts first; a stable sort keeps file order among equal starts.
        g.sort_by_key(|r| r.0);
        let mut reach: Option<When<'a>> = None;
        for &(from, until, loc) in &g {
            if let Some((_, prev_until, prev_loc)) = reach {
                let starts_before_end = match (from, prev_until) {
                    (Some(f), Some(u)) => f < u,
                    _ => true,
                };
                if starts_before_end {
                    out.push((prev_loc, loc));
                }
            }
            // Keep the record that reaches furthest: an open end reaches forever.
            let further = match (reach.map(|p| p.1), until) {
                (None, _) => true,
                (Some(None), _) => false,
                (Some(Some(_)), None) => true,
                (Some(Some(a)), Some(b)) => b > a,
            };
            if further {
                reach = Some((from, until, loc));
            }
        }
    }
    out.sort_by_key(|(_, b)| (b.line, b.column));
    out
}

/// Push one error per overlapping record: `message` says what is recorded twice.
pub fn report(found: Vec<(&Loc, &Loc)>, message: &str, help: &str, diags: &mut Diagnostics) {
    for (first, again) in found {
        diags.push(
            Diagnostic::error(Code::DuplicateId, again, message)
                .with_help(format!("first recorded at {first}; {help}")),
        );
    }
}
