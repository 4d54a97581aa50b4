//! The compact decision record `batch` writes: one JSON object per transaction.
//!
//! A record holds what a lookback acts on (docs/batch.md): the transaction id and dates, the
//! overall disposition, and per jurisdiction its disposition, the ids of the rules behind it,
//! the obligations with their due dates, the exposures with their amounts and any evaluation
//! issue. Citations, titles, party facts and ownership witnesses are left to `interdict eval`
//! on the transactions that need them: they would multiply the output (and its cost) for a
//! million records, and every rule id leads to its citation in the packs.
//!
//! The JSON is written by hand into a reused buffer: a record costs no allocation.

use std::io::Write as _;

use crate::eval::decision::{ConsequenceKind, Decision, DueDate, Outcome, ReasonKind};
use crate::model::ruleset::RuleSet;
use crate::model::world::World;

/// Append one record (with its newline) to `out`.
pub fn write_record(out: &mut Vec<u8>, rs: &RuleSet, world: &World, d: &Decision) {
    out.extend_from_slice(b"{\"id\":");
    json_str(out, &d.transaction);
    let _ = write!(out, ",\"date\":\"{}\"", d.date);
    if d.as_of != d.date {
        let _ = write!(out, ",\"as_of\":\"{}\"", d.as_of);
    }
    out.extend_from_slice(b",\"overall\":\"");
    out.extend_from_slice(d.overall.as_str().as_bytes());
    out.extend_from_slice(b"\",\"jurisdictions\":{");
    for (k, o) in d.outcomes.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        write_outcome(out, rs, world, o);
    }
    out.extend_from_slice(b"}}\n");
}

/// One jurisdiction's member of the record: `"us":{...}`.
fn write_outcome(out: &mut Vec<u8>, rs: &RuleSet, world: &World, o: &Outcome) {
    let j = rs
        .jurisdictions
        .get(o.jurisdiction)
        .map_or("?", |j| j.id.as_str());
    json_str(out, j);
    out.extend_from_slice(b":{\"disposition\":\"");
    out.extend_from_slice(o.disposition.as_str().as_bytes());
    out.push(b'"');
    write_reasons(out, rs, o);
    write_obligations(out, rs, world, o);
    write_exposures(out, rs, world, o);
    let mut first = true;
    for issue in &o.issues {
        out.extend_from_slice(if first { b",\"issues\":[" } else { b"," });
        first = false;
        json_str(out, &issue.message());
    }
    if !first {
        out.push(b']');
    }
    out.push(b'}');
}

/// Reasons that stand (decisive, contributing, exceptions, overrides), each rule once, in the
/// decision's order; defeated prohibitions apart.
fn write_reasons(out: &mut Vec<u8>, rs: &RuleSet, o: &Outcome) {
    let rule_id = |r: crate::model::RuleIdx| rs.rules.get(r).map_or("?", |x| &x.id);
    let mut first = true;
    for (i, r) in o.reasons.iter().enumerate() {
        if r.kind == ReasonKind::Defeated
            || o.reasons[..i]
                .iter()
                .any(|p| p.rule == r.rule && p.kind != ReasonKind::Defeated)
        {
            continue;
        }
        out.extend_from_slice(if first { b",\"reasons\":[" } else { b"," });
        first = false;
        json_str(out, rule_id(r.rule));
    }
    if !first {
        out.push(b']');
    }
    first = true;
    for (i, r) in o.reasons.iter().enumerate() {
        if r.kind != ReasonKind::Defeated
            || o.reasons[..i]
                .iter()
                .any(|p| p.rule == r.rule && p.kind == ReasonKind::Defeated)
        {
            continue;
        }
        out.extend_from_slice(if first { b",\"defeated\":[" } else { b"," });
        first = false;
        json_str(out, rule_id(r.rule));
    }
    if !first {
        out.push(b']');
    }
}

fn party_id(world: &World, p: crate::model::PartyIdx) -> &str {
    world.parties.get(p).map_or("?", |x| &x.id)
}

/// The obligations, each with its actor and its due date.
fn write_obligations(out: &mut Vec<u8>, rs: &RuleSet, world: &World, o: &Outcome) {
    let mut first = true;
    for c in &o.consequences {
        let ConsequenceKind::Obligation { id, due } = &c.kind else {
            continue;
        };
        out.extend_from_slice(if first { b",\"obligations\":[" } else { b"," });
        first = false;
        out.extend_from_slice(b"{\"id\":");
        json_str(out, rs.obligations.get(*id).map_or("?", |x| &x.id));
        out.extend_from_slice(b",\"actor\":");
        json_str(out, party_id(world, c.actor));
        match due {
            DueDate::On { date, .. } => {
                let _ = write!(out, ",\"due\":\"{date}\"");
            }
            DueDate::RetainUntil(date) => {
                let _ = write!(out, ",\"retain_until\":\"{date}\"");
            }
            DueDate::Prompt(text) => {
                out.extend_from_slice(b",\"prompt\":");
                json_str(out, text);
            }
            DueDate::Continuing => out.extend_from_slice(b",\"continuing\":true"),
            DueDate::Unknown => out.extend_from_slice(b",\"due\":null"),
        }
        out.push(b'}');
    }
    if !first {
        out.push(b']');
    }
}

/// The exposures, each with its actor, amount, prison term and how long it is enforceable.
fn write_exposures(out: &mut Vec<u8>, rs: &RuleSet, world: &World, o: &Outcome) {
    let mut first = true;
    for c in &o.consequences {
        let ConsequenceKind::Exposure {
            id,
            max_amount,
            prison_years,
            life_if_death,
            enforceable_until,
            ..
        } = &c.kind
        else {
            continue;
        };
        out.extend_from_slice(if first { b",\"exposures\":[" } else { b"," });
        first = false;
        out.extend_from_slice(b"{\"id\":");
        json_str(out, rs.penalties.get(*id).map_or("?", |x| &x.id));
        out.extend_from_slice(b",\"actor\":");
        json_str(out, party_id(world, c.actor));
        if let Some(m) = max_amount {
            let _ = write!(
                out,
                ",\"amount\":\"{}\",\"currency\":\"{}\"",
                m.amount.normalize(),
                m.currency
            );
        }
        if let Some(y) = prison_years {
            let _ = write!(out, ",\"prison_years\":{y}");
        }
        if *life_if_death {
            out.extend_from_slice(b",\"life_if_death\":true");
        }
        if let Some(d) = enforceable_until {
            let _ = write!(out, ",\"enforceable_until\":\"{d}\"");
        }
        out.push(b'}');
    }
    if !first {
        out.push(b']');
    }
}

/// A JSON string literal (RFC 8259 escaping).
pub(crate) fn json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        if esc.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::json_str;

    #[test]
    fn strings_are_escaped_as_json() {
        let mut out = Vec::new();
        json_str(&mut out, "a\"b\\c\nd\u{1}é");
        let text = String::from_utf8(out).unwrap_or_default();
        assert_eq!(text, "\"a\\\"b\\\\c\\nd\\u0001é\"");
        let back: String = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back, "a\"b\\c\nd\u{1}é");
    }
}
