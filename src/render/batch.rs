//! The summary of a batch run as text for stderr.

use std::fmt::Write as _;

use crate::batch::summary::Summary;
use crate::model::ruleset::RuleSet;
use crate::model::{Disposition, JurisdictionIdx};

/// A batch run's summary as printed on stderr: records read, decided and skipped, speed, and
/// decisions by disposition overall and per jurisdiction (only `jurisdictions`, when given).
pub fn summary(
    summary: &Summary,
    rs: &RuleSet,
    jurisdictions: Option<&[JurisdictionIdx]>,
) -> String {
    let t = &summary.tally;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "batch: {} records read, {} decided, {} skipped (malformed){}",
        t.records,
        t.decided,
        t.skipped,
        if t.blank_lines > 0 {
            format!(", {} blank lines", t.blank_lines)
        } else {
            String::new()
        }
    );
    if let Some(line) = summary.stopped_at {
        let _ = writeln!(
            s,
            "batch: stopped at the malformed record on line {line} (--on-error stop); records after it were not read"
        );
    }
    if summary.errors_not_shown > 0 {
        let _ = writeln!(
            s,
            "batch: {} further malformed records were counted but their messages not shown",
            summary.errors_not_shown
        );
    }
    let _ = writeln!(
        s,
        "batch: {:.2} s with {} job(s): {:.0} decisions/s",
        summary.elapsed.as_secs_f64(),
        summary.jobs,
        summary.decisions_per_second()
    );
    let _ = writeln!(s, "overall: {}", counts(&t.overall));
    for (j, row) in t.by_jurisdiction.iter().enumerate() {
        if jurisdictions.is_some_and(|js| !js.iter().any(|x| x.idx() == j)) {
            continue;
        }
        let name = rs
            .jurisdictions
            .as_slice()
            .get(j)
            .map_or("?", |x| x.id.as_str());
        let _ = writeln!(s, "{name:<8} {}", counts(row));
    }
    if t.with_issues > 0 {
        let _ = writeln!(
            s,
            "batch: {} decisions carry an evaluation issue (held for review; see `issues` in their records)",
            t.with_issues
        );
    }
    s
}

/// `blocked 3, allowed 9`: the non-zero counts of a row, gravest disposition first.
fn counts(row: &[u64]) -> String {
    let parts: Vec<String> = Disposition::ALL
        .iter()
        .rev()
        .zip(row.iter().rev())
        .filter(|(_, n)| **n > 0)
        .map(|(d, n)| format!("{} {n}", d.as_str()))
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}
