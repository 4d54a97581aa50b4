//! `interdict diff --format ndjson`: one JSON record per line, for pipelines over many
//! transactions. A `change` record per transaction whose decision differs, an `only_in_a` /
//! `only_in_b` record per transaction one world does not have, then one `summary` record with
//! the counts (by jurisdiction and from/to disposition): a reader that finds no summary knows
//! the output is incomplete.

use std::collections::BTreeMap;

use serde::Serialize;

use interdict::model::Disposition;
use interdict::whatif::DiffReport;
use interdict::whatif::compare::TxChange;

#[derive(Serialize)]
pub struct ChangeRecord<'a> {
    pub record: &'static str,
    pub scenario: &'a str,
    #[serde(flatten)]
    pub change: &'a TxChange,
}

#[derive(Serialize)]
struct OnlyRecord<'a> {
    record: &'static str,
    scenario: &'a str,
    transaction: &'a str,
}

/// Counts of a diff; `by_jurisdiction` maps a jurisdiction to `"from->to"` counts.
#[derive(Serialize, Default, Debug, PartialEq, Eq)]
pub struct Summary {
    pub record: &'static str,
    pub compared: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub only_in_a: usize,
    pub only_in_b: usize,
    /// Parties whose status differs between the worlds on the dates looked at.
    pub parties_changed: usize,
    /// Evaluation issues met in either world.
    pub issues: usize,
    /// Records that could not be compared (streaming: reported with their line on stderr).
    #[serde(skip_serializing_if = "is_zero")]
    pub malformed: usize,
    /// Streaming: transactions world B decided; the others touch no party whose status the
    /// change reaches, so world A's decision is B's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_twice: Option<usize>,
    pub overall: BTreeMap<String, usize>,
    pub by_jurisdiction: BTreeMap<String, BTreeMap<String, usize>>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn name(d: Option<Disposition>) -> &'static str {
    d.map_or("none", |d| d.as_str())
}

/// Add the counts of `c` to `sum`.
pub fn count(sum: &mut Summary, c: &TxChange) {
    sum.changed += 1;
    if c.overall.before != c.overall.after {
        let key = format!(
            "{}->{}",
            c.overall.before.as_str(),
            c.overall.after.as_str()
        );
        *sum.overall.entry(key).or_default() += 1;
    }
    for j in &c.jurisdictions {
        let key = if j.disposition.before == j.disposition.after {
            format!("{} (other changes)", name(j.disposition.after))
        } else {
            format!(
                "{}->{}",
                name(j.disposition.before),
                name(j.disposition.after)
            )
        };
        *sum.by_jurisdiction
            .entry(j.jurisdiction.clone())
            .or_default()
            .entry(key)
            .or_default() += 1;
    }
}

/// The report as NDJSON, ending with its summary record.
pub fn render(report: &DiffReport) -> String {
    let mut out = String::new();
    let mut sum = Summary {
        record: "summary",
        ..Summary::default()
    };
    let line = |out: &mut String, v: &dyn erased::Record| {
        out.push_str(&v.json());
        out.push('\n');
    };
    for s in &report.scenarios {
        let c = &s.comparison;
        for change in &c.changed {
            count(&mut sum, change);
            let rec = ChangeRecord {
                record: "change",
                scenario: &s.path,
                change,
            };
            line(&mut out, &rec);
        }
        for (kind, ids) in [("only_in_a", &c.only_in_a), ("only_in_b", &c.only_in_b)] {
            for id in ids {
                let rec = OnlyRecord {
                    record: kind,
                    scenario: &s.path,
                    transaction: id,
                };
                line(&mut out, &rec);
            }
        }
        sum.compared += c.compared;
        sum.only_in_a += c.only_in_a.len();
        sum.only_in_b += c.only_in_b.len();
        sum.parties_changed += c.parties.len();
        sum.issues += c.issues.len();
    }
    sum.unchanged = sum.compared.saturating_sub(sum.changed);
    line(&mut out, &sum);
    out
}

mod erased {
    /// A record serialised on one line.
    pub trait Record {
        fn json(&self) -> String;
    }

    impl<T: serde::Serialize> Record for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}
