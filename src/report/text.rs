//! Plain-text rendering: for each transaction, what to do, by when, under which authority,
//! and what each actor risks.

use std::fmt::Write as _;

use super::{DecisionReport, DueReport, OutcomeReport};
use crate::model::Disposition;

fn upper(d: Disposition) -> String {
    d.as_str().to_uppercase()
}

fn plain_meaning(d: Disposition) -> &'static str {
    match d {
        Disposition::Block => "freeze the funds in a blocked account; do not return them",
        Disposition::Reject => "do not process; return to the originator",
        Disposition::Prohibited => "the conduct itself is barred for the actor",
        Disposition::Review => "not prohibited, but hold for review",
        Disposition::PermittedExempt => "would be prohibited; a statutory exemption applies",
        Disposition::PermittedLicensed => "would be prohibited; a license authorizes it",
        Disposition::Permitted => "no prohibition applies",
        Disposition::OutOfScope => "this law does not reach the transaction",
    }
}

pub fn render(r: &DecisionReport, out: &mut String) {
    let amount = r.amount.map(|m| format!("  {m}")).unwrap_or_default();
    let _ = writeln!(
        out,
        "Transaction {}  {}  {}{amount}",
        r.transaction, r.date, r.tx_type
    );
    if r.as_of != r.date {
        let _ = writeln!(out, "  evaluated as of {}", r.as_of);
    }
    if let Some(d) = &r.description {
        let _ = writeln!(out, "  {d}");
    }
    let parties: Vec<String> = r
        .parties
        .iter()
        .map(|p| {
            if p.name == p.party {
                format!("{}: {}", p.role.as_str(), p.party)
            } else {
                format!("{}: {} ({})", p.role.as_str(), p.party, p.name)
            }
        })
        .collect();
    let _ = writeln!(out, "  {}", parties.join(" | "));
    if !r.goods.is_empty() {
        let _ = writeln!(out, "  goods: {}", r.goods.join(", "));
    }
    let _ = writeln!(out, "  OVERALL: {}", upper(r.overall));
    for o in &r.jurisdictions {
        render_outcome(o, out);
    }
    if let Some(trace) = &r.trace {
        let _ = writeln!(out, "  Trace:");
        for t in trace {
            let _ = writeln!(out, "    [{}]", t.jurisdiction);
            for n in &t.nexus {
                let _ = writeln!(
                    out,
                    "      nexus {} {}",
                    n.id,
                    if n.fired { "held" } else { "did not hold" }
                );
                for c in &n.conditions {
                    let _ = writeln!(
                        out,
                        "        {} {} -- {}",
                        if c.held { "+" } else { "-" },
                        c.condition,
                        c.facts
                    );
                }
            }
            for rule in &t.rules {
                let state = if !rule.in_force {
                    "not in force"
                } else if rule.fired {
                    "fired"
                } else {
                    "did not fire"
                };
                let actors = if rule.actors.is_empty() {
                    String::new()
                } else {
                    format!(" for {}", rule.actors.join(", "))
                };
                let _ = writeln!(out, "      {} {state}{actors}", rule.id);
                for c in &rule.conditions {
                    let _ = writeln!(
                        out,
                        "        {} {} -- {}",
                        if c.held { "+" } else { "-" },
                        c.condition,
                        c.facts
                    );
                }
            }
        }
    }
    out.push('\n');
}

fn render_outcome(o: &OutcomeReport, out: &mut String) {
    let _ = writeln!(
        out,
        "\n  [{}] {}: {} ({})",
        o.jurisdiction,
        o.name,
        upper(o.disposition),
        plain_meaning(o.disposition)
    );
    if o.nexus.is_empty() {
        let tried: Vec<&str> = o.no_nexus.iter().map(|n| n.id.as_str()).collect();
        let _ = writeln!(out, "    No nexus: none of [{}] holds", tried.join(", "));
    } else {
        for n in &o.nexus {
            let _ = writeln!(
                out,
                "    Nexus: {} -- {} [{}]",
                n.id, n.title, n.citation.text
            );
        }
    }
    if !o.reasons.is_empty() {
        let _ = writeln!(out, "    Why:");
    }
    for r in &o.reasons {
        let mark = match r.kind {
            "decisive" => "=>",
            "contributing" => "+ ",
            "exception" => "ok",
            "override" => "!!",
            _ => "x ",
        };
        let actor = r
            .actor
            .as_ref()
            .map(|a| format!(" (actor: {a})"))
            .unwrap_or_default();
        let _ = writeln!(out, "      {mark} {}{actor}: {}", r.rule, r.title);
        let _ = writeln!(out, "         authority: {}", r.citation.text);
        match r.kind {
            "defeated" => {
                let _ = writeln!(out, "         defeated by: {}", r.related.join(", "));
            }
            "exception" => {
                let _ = writeln!(out, "         defeats: {}", r.related.join(", "));
            }
            "override" => {
                let _ = writeln!(out, "         stops: {}", r.related.join(", "));
            }
            _ => {}
        }
        for f in &r.facts {
            let _ = writeln!(out, "         fact: {}", f.status.text());
            for c in &f.list_candidates {
                let _ = writeln!(
                    out,
                    "         list candidate for {}: {} {} (score {}, matched `{}`; tags {})",
                    f.party,
                    c.entry,
                    c.name,
                    c.score,
                    c.matched,
                    c.programs.join(", ")
                );
            }
        }
        if let Some(n) = &r.note {
            let _ = writeln!(out, "         note: {n}");
        }
    }
    if !o.obligations.is_empty() {
        let _ = writeln!(out, "    What to do:");
    }
    for ob in &o.obligations {
        let when = match &ob.due {
            DueReport::On { date, skipped } => {
                if skipped.is_empty() {
                    format!("by {date}")
                } else {
                    format!("by {date} (skipping {})", skipped.join(", "))
                }
            }
            DueReport::RetainUntil { date } => format!("keep records until {date}"),
            DueReport::Prompt { when } => when.clone(),
            DueReport::Continuing => "continuing".into(),
            DueReport::Unknown => "due date could not be computed (see issues)".into(),
        };
        let to = ob
            .recipient
            .as_ref()
            .map(|r| format!(" to {r}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "      {}: {}{to}, {when} [{}] ({})",
            ob.actor, ob.title, ob.citation.text, ob.obligation
        );
    }
    if !o.exposures.is_empty() {
        let _ = writeln!(out, "    Exposure:");
    }
    for e in &o.exposures {
        let mut what = Vec::new();
        if let Some(m) = e.max_amount {
            what.push(format!("up to {m}"));
        }
        if let Some(y) = e.prison_years {
            what.push(format!("up to {y} years' imprisonment"));
        }
        if e.life_if_death {
            what.push("life if death results".into());
        }
        let what = if what.is_empty() {
            String::new()
        } else {
            format!(": {}", what.join(", "))
        };
        let _ = writeln!(
            out,
            "      {}: {} ({}){what} [{}] ({})",
            e.actor, e.title, e.kind, e.citation.text, e.penalty
        );
        if let Some(n) = &e.note {
            let _ = writeln!(out, "         note: {n}");
        }
    }
    for i in &o.issues {
        let _ = writeln!(out, "    ISSUE: {i}");
    }
}
