//! How long a record is kept: the record-keeping periods of the rule packs, never a number in
//! the code. A record is kept until the latest of
//!
//! - its recording date plus the longest "keep for N years" period (`due = { retain_years }`)
//!   that any obligation of any jurisdiction of the packs has in force on that date (the law
//!   that applied when the decision was made), and
//! - every `retain_until` date its decision names (a record-keeping obligation the decision
//!   itself attached, counted from the transaction's date).
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

/// The latest `retain_until` date anywhere in a decision's JSON.
fn latest_retain_until(v: &serde_json::Value) -> Option<NaiveDate> {
    // Iterative, so a deeply nested result cannot exhaust the stack.
    let mut stack = vec![v];
    let mut latest = None;
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    if k == "retain_until"
                        && let Some(d) = v
                            .as_str()
                            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                    {
                        latest = latest.max(Some(d));
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
