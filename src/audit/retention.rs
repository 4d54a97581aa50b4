//! How long a record is kept: the record-keeping periods of the rule packs, never a number in
//! the code. A record is kept until the latest of
//!
//! - its recording date plus the longest "keep for N years" period (`due = { retain_years }`)
//!   that any obligation of any jurisdiction of the packs has in force on that date (the law
//!   that applied when the decision was made), and
//! - every `retain_until` date its decision names (a record-keeping obligation the decision
//!   itself attached, counted from the transaction's date: `retain_until` in a batch record,
//!   `due: {kind: retain_until, date}` in a report).
//!
//! When the packs hold no such period, nothing is known to require the record, and pruning
//! refuses to run rather than guess.

use chrono::{DateTime, Months, NaiveDate, Utc};

use crate::model::ruleset::Due;
use crate::model::ruleset::RuleSet;

/// The longest record-keeping period in force on `on`, in years, and the obligation that
/// sets it; `None` when no obligation of the packs keeps records for a number of years.
pub fn longest_period(rules: &RuleSet, on: NaiveDate) -> Option<(u32, &str)> {
    rules
        .obligations
        .iter()
        .filter_map(|o| {
            let p = crate::model::ruleset::in_force_on(&o.due, on)?;
            match p.value {
                Due::RetainYears(y) => Some((y, o.id.as_str())),
                _ => None,
            }
        })
        .max_by_key(|(y, _)| *y)
}

/// Whether the packs keep records for a number of years at all (on some date).
pub fn has_record_keeping(rules: &RuleSet) -> bool {
    rules
        .obligations
        .iter()
        .any(|o| o.due.iter().any(|p| matches!(p.value, Due::RetainYears(_))))
}

/// The last day a record must be kept: see the module's documentation. `None` when the packs
/// set no period for its date and the decision names no `retain_until`.
pub fn keep_until(rules: &RuleSet, recorded_at: DateTime<Utc>, result: &str) -> Option<NaiveDate> {
    let day = recorded_at.date_naive();
    let by_period = longest_period(rules, day)
        .and_then(|(years, _)| day.checked_add_months(Months::new(years.saturating_mul(12))));
    let by_decision = serde_json::from_str::<serde_json::Value>(result)
        .ok()
        .and_then(|v| latest_retain_until(&v));
    by_period.max(by_decision)
}

fn date(v: &serde_json::Value) -> Option<NaiveDate> {
    v.as_str()
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

/// The latest record-keeping date anywhere in a decision's JSON (a batch record's or a report's).
fn latest_retain_until(v: &serde_json::Value) -> Option<NaiveDate> {
    // Iterative, so a deeply nested result cannot exhaust the stack.
    let mut stack = vec![v];
    let mut latest = None;
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(m) => {
                // An `eval` report says `"due": {"kind": "retain_until", "date": ...}`.
                if m.get("kind").and_then(|k| k.as_str()) == Some("retain_until") {
                    latest = latest.max(m.get("date").and_then(date));
                }
                for (k, v) in m {
                    // A batch record says `"retain_until": ...`.
                    if k == "retain_until" {
                        latest = latest.max(date(v));
                    }
                    stack.push(v);
                }
            }
            serde_json::Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    latest
}
