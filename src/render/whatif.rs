//! The diff report as text for people: the worlds, then per scenario the transactions that
//! change (per jurisdiction: disposition, reasons, obligations, exposures, issues) and the
//! parties whose status changes, with their witnesses before and after.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::model::Disposition;
use crate::ownership::witness::{Step, Witness};
use crate::whatif::compare::{
    ExposureChange, JurisdictionChange, ObligationChange, ReasonChange, TxChange,
};
use crate::whatif::parties::{DatePair, PartyChange};
use crate::whatif::{DiffReport, ScenarioDiff, WorldSpec};

/// A what-if comparison as text for people (what `interdict diff` prints).
pub fn render(r: &DiffReport) -> String {
    let mut out = String::new();
    world(
        &mut out,
        "A",
        &r.a,
        r.scenarios.first().map(|s| s.edits_a.len()),
    );
    world(
        &mut out,
        "B",
        &r.b,
        r.scenarios.first().map(|s| s.edits_b.len()),
    );
    for s in &r.scenarios {
        scenario(&mut out, s);
    }
    if !r.changed {
        let _ = writeln!(out, "\nNo changes.");
    }
    out
}

fn world(out: &mut String, label: &str, w: &WorldSpec, edits: Option<usize>) {
    let mut parts = vec![if w.rules.is_empty() || w.rules == ["embedded"] {
        "the embedded rule packs".to_string()
    } else {
        format!("rule packs {}", w.rules.join(", "))
    }];
    if !w.overlays.is_empty() {
        let n = edits.map_or(String::new(), |n| {
            format!(" ({n} edit{})", if n == 1 { "" } else { "s" })
        });
        parts.push(format!("{}{n}", w.overlays.join(", ")));
    }
    if let Some(d) = w.as_of {
        parts.push(format!("as of {d}"));
    }
    let _ = writeln!(out, "World {label}: {}", parts.join("; "));
}

fn scenario(out: &mut String, s: &ScenarioDiff) {
    let c = &s.comparison;
    let _ = writeln!(out, "\nScenario: {} ({})", s.scenario, s.path);
    let mut summary = format!(
        "  {} of {} transaction{} change{}",
        c.changed.len(),
        c.compared,
        if c.compared == 1 { "" } else { "s" },
        if c.changed.len() == 1 { "s" } else { "" },
    );
    if !c.unchanged.is_empty() {
        summary.push_str(&format!("; unchanged: {}", c.unchanged.join(", ")));
    }
    let _ = writeln!(out, "{summary}");
    // A few edits read best spelled out; many are summed up in the world line above.
    for (label, edits) in [("A", &s.edits_a), ("B", &s.edits_b)] {
        if (1..=4).contains(&edits.len()) {
            let list: Vec<String> = edits.iter().map(|e| e.edit.describe()).collect();
            let _ = writeln!(out, "  world {label}: {}", list.join("; "));
        }
    }
    if !c.only_in_a.is_empty() {
        let _ = writeln!(out, "  only in world A: {}", c.only_in_a.join(", "));
    }
    if !c.only_in_b.is_empty() {
        let _ = writeln!(out, "  only in world B: {}", c.only_in_b.join(", "));
    }
    for t in &c.changed {
        transaction(out, t);
    }
    if !c.parties.is_empty() {
        let _ = writeln!(out, "\nParties whose status changes");
        for p in &c.parties {
            party(out, p);
        }
    }
}

pub(crate) fn disp(d: Option<Disposition>) -> &'static str {
    d.map_or("absent", Disposition::as_str)
}

fn transaction(out: &mut String, t: &TxChange) {
    let amount = t.amount.map(|m| format!("  {m}")).unwrap_or_default();
    let _ = writeln!(
        out,
        "\nTransaction {}  {}  {}{amount}",
        t.transaction, t.date, t.tx_type
    );
    let read = &t.evaluated;
    if read.a != t.date || read.b != t.date {
        let _ = writeln!(out, "  evaluated as of {} (A) and {} (B)", read.a, read.b);
    }
    for j in &t.jurisdictions {
        jurisdiction(out, j);
    }
}

fn arrow(before: &str, after: &str) -> String {
    if before == after {
        format!("{before} (unchanged)")
    } else {
        format!("{before} -> {after}")
    }
}

fn jurisdiction(out: &mut String, j: &JurisdictionChange) {
    let _ = writeln!(
        out,
        "  [{}] {}",
        j.jurisdiction,
        arrow(disp(j.disposition.before), disp(j.disposition.after))
    );
    if let Some(n) = &j.nexus {
        let _ = writeln!(
            out,
            "    nexus: [{}] -> [{}]",
            n.before.join(", "),
            n.after.join(", ")
        );
    }
    if !j.reasons.is_empty() {
        let _ = writeln!(out, "    reasons:");
        for r in &j.reasons {
            reason(out, r);
        }
    }
    if !j.obligations.is_empty() {
        let _ = writeln!(out, "    obligations:");
        for o in &j.obligations {
            obligation(out, o);
        }
    }
    if !j.exposures.is_empty() {
        let _ = writeln!(out, "    exposures:");
        for e in &j.exposures {
            exposure(out, e);
        }
    }
    for i in &j.issues {
        let _ = writeln!(out, "    {} issue: {}", i.change.mark(), i.issue);
    }
    if !j.parties.is_empty() {
        let _ = writeln!(out, "    status changed: {}", j.parties.join(", "));
    }
}

fn reason(out: &mut String, r: &ReasonChange) {
    let _ = writeln!(out, "      {}", reason_text(r));
}

/// A reason's change on one line: `+ rule (kind, actor a) [citation]`, or what changes in it.
pub(crate) fn reason_text(r: &ReasonChange) -> String {
    let actor = r
        .actor
        .as_ref()
        .map(|a| format!(", actor {a}"))
        .unwrap_or_default();
    let mut line = format!("{} {} ({}{actor})", r.change.mark(), r.rule, r.kind);
    match (&r.before, &r.after) {
        (Some(b), Some(a)) => {
            if b.kind != a.kind {
                line.push_str(&format!(": {} -> {}", b.kind, a.kind));
            }
            if b.facts != a.facts {
                line.push_str(&format!(": facts {} -> {}", list(&b.facts), list(&a.facts)));
            }
            if b.related != a.related {
                line.push_str(&format!(": {} -> {}", list(&b.related), list(&a.related)));
            }
        }
        _ => {
            line.push_str(&format!(" [{}]", r.citation));
            if let Some(f) = r.after.as_ref().or(r.before.as_ref())
                && !f.related.is_empty()
            {
                let verb = match r.kind {
                    "defeated" => "defeated by",
                    "exception" => "defeats",
                    "override" => "stops",
                    _ => "related",
                };
                line.push_str(&format!(" {verb} {}", f.related.join(", ")));
            }
        }
    }
    line
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "(none)".into()
    } else {
        v.join(", ")
    }
}

/// `+ a, - b` between two rule lists.
fn rules_delta(before: &[String], after: &[String]) -> String {
    let b: BTreeSet<&String> = before.iter().collect();
    let a: BTreeSet<&String> = after.iter().collect();
    let mut parts: Vec<String> = a.difference(&b).map(|r| format!("+{r}")).collect();
    parts.extend(b.difference(&a).map(|r| format!("-{r}")));
    parts.join(", ")
}

fn obligation(out: &mut String, o: &ObligationChange) {
    let _ = writeln!(out, "      {}", obligation_text(o));
}

/// An obligation's change on one line: `~ actor: obligation, due A -> due B`.
pub(crate) fn obligation_text(o: &ObligationChange) -> String {
    let head = format!("{} {}: {}", o.change.mark(), o.actor, o.obligation);
    match (&o.before, &o.after) {
        (Some(b), Some(a)) => {
            let mut parts = Vec::new();
            if b.due != a.due {
                parts.push(format!("{} -> {}", b.due.text(), a.due.text()));
            } else {
                parts.push(a.due.text());
            }
            if b.rules != a.rules {
                parts.push(format!("rules {}", rules_delta(&b.rules, &a.rules)));
            }
            format!("{head}, {}", parts.join("; "))
        }
        (Some(s), None) | (None, Some(s)) => format!("{head}, {}", s.due.text()),
        (None, None) => head,
    }
}

fn exposure(out: &mut String, e: &ExposureChange) {
    let _ = writeln!(out, "      {}", exposure_text(e));
}

/// An exposure's change on one line: `+ actor: penalty (kind), up to ...`.
pub(crate) fn exposure_text(e: &ExposureChange) -> String {
    let head = format!(
        "{} {}: {} ({})",
        e.change.mark(),
        e.actor,
        e.penalty,
        e.kind
    );
    match (&e.before, &e.after) {
        (Some(b), Some(a)) => {
            let mut parts = Vec::new();
            let (tb, ta) = (b.text(), a.text());
            if tb != ta || b.schedule_from != a.schedule_from {
                parts.push(format!("{} -> {}", or_none(&tb), or_none(&ta)));
            } else if !ta.is_empty() {
                parts.push(ta);
            }
            if b.enforceable_until != a.enforceable_until {
                let when = |d: Option<crate::model::values::Date>| {
                    d.map_or("no limit".to_string(), |d| d.to_string())
                };
                parts.push(format!(
                    "enforceable until {} -> {}",
                    when(b.enforceable_until),
                    when(a.enforceable_until)
                ));
            }
            if b.rules != a.rules {
                parts.push(format!("rules {}", rules_delta(&b.rules, &a.rules)));
            }
            if parts.is_empty() {
                head
            } else {
                format!("{head}, {}", parts.join("; "))
            }
        }
        (Some(s), None) | (None, Some(s)) => {
            let t = s.text();
            if t.is_empty() {
                head
            } else {
                format!("{head}, {t}")
            }
        }
        (None, None) => head,
    }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() { "no amount" } else { s }
}

/// `on 2025-03-03, 2025-03-10`, `on 5 dates from X to Y`, or per world when they differ.
pub(crate) fn dates(ds: &[DatePair]) -> String {
    fn summary(v: &BTreeSet<crate::model::values::Date>) -> String {
        let all: Vec<String> = v.iter().map(ToString::to_string).collect();
        match all.as_slice() {
            [] => String::new(),
            [first, .., last] if all.len() > 4 => {
                format!("{} dates from {first} to {last}", all.len())
            }
            _ => all.join(", "),
        }
    }
    if ds.iter().all(|d| d.a == d.b) {
        return format!("on {}", summary(&ds.iter().map(|d| d.a).collect()));
    }
    format!(
        "on {} (A) / {} (B)",
        summary(&ds.iter().map(|d| d.a).collect()),
        summary(&ds.iter().map(|d| d.b).collect())
    )
}

fn party(out: &mut String, p: &PartyChange) {
    let _ = writeln!(
        out,
        "  [{}] {} {}: {} -> {}",
        p.jurisdiction,
        p.party,
        dates(&p.dates),
        p.before.status.text(),
        p.after.status.text()
    );
    // A list of designations says no more than the status line; ownership and control
    // paths, sums and undecided shares do.
    let plain = |w: &Option<Witness>| match w.as_ref().map(|w| &w.head) {
        None | Some(Step::Designated { .. }) => true,
        Some(Step::NotBlocked {
            blocked_holdings,
            controlled_by,
            ..
        }) => blocked_holdings.is_empty() && controlled_by.is_empty(),
        Some(_) => false,
    };
    if plain(&p.before.witness) && plain(&p.after.witness) {
        return;
    }
    for (label, side) in [("A", &p.before), ("B", &p.after)] {
        if !side.explanation.is_empty() {
            let _ = writeln!(out, "    {label}: {}", side.explanation);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_deltas_and_dates_read_well() {
        let b = vec!["x".to_string(), "y".to_string()];
        let a = vec!["y".to_string(), "z".to_string()];
        assert_eq!(rules_delta(&b, &a), "+z, -x");
        let d = |s: &str| crate::model::values::parse_date(s).unwrap_or_default();
        let p = DatePair {
            a: d("2025-02-19"),
            b: d("2025-03-03"),
        };
        assert_eq!(dates(&[p]), "on 2025-02-19 (A) / 2025-03-03 (B)");
        let q = DatePair {
            a: d("2025-02-19"),
            b: d("2025-03-10"),
        };
        assert_eq!(
            dates(&[p, q]),
            "on 2025-02-19 (A) / 2025-03-03, 2025-03-10 (B)"
        );
        let same: Vec<DatePair> = [
            "2025-01-01",
            "2025-01-02",
            "2025-01-03",
            "2025-01-04",
            "2025-01-05",
        ]
        .iter()
        .map(|s| DatePair { a: d(s), b: d(s) })
        .collect();
        assert_eq!(dates(&same), "on 5 dates from 2025-01-01 to 2025-01-05");
    }
}
