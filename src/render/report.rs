//! Plain-text rendering: for each transaction, what to do, by when, under which authority,
//! and what each actor risks.
//!
//! The decision data has one reason per rule and actor; a rule binding five actors is shown
//! once, with its actors listed, and every note (of a rule or a penalty) is printed once.

use std::fmt::Write as _;

use crate::diagnostic::Code;
use crate::model::Disposition;
pub(crate) use crate::render::outcome::{exposure_notes, first_due, largest_civil};
use crate::report::{
    DecisionReport, DueReport, ExposureReport, ObligationReport, OutcomeReport, PartyInRole,
    ReasonReport,
};

fn upper(d: Disposition) -> String {
    d.as_str().to_uppercase()
}

pub(crate) fn plain_meaning(d: Disposition) -> &'static str {
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

/// A text report of one or more decisions. A note (a rule's, a penalty's) that an earlier
/// decision of the same report printed is referred to, not repeated: a run over many
/// transactions under one program would otherwise repeat the same paragraphs for each.
#[derive(Debug, Default)]
pub struct TextReport {
    /// Rule notes printed so far, with the rule they were printed under.
    notes: Vec<(String, String)>,
    /// Penalties whose notes were printed so far.
    penalties: Vec<String>,
}

/// A decision report as text for people, on its own (`interdict explain transaction`),
/// appended to `out`.
pub fn render(r: &DecisionReport, out: &mut String) {
    TextReport::default().decision(r, out);
}

impl TextReport {
    /// The next decision of the report (what `interdict eval` prints), appended to `out`.
    pub fn decision(&mut self, r: &DecisionReport, out: &mut String) {
        decision(self, r, out);
    }
}

fn decision(notes: &mut TextReport, r: &DecisionReport, out: &mut String) {
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
    let width = r
        .parties
        .iter()
        .map(|p| p.role.as_str().len())
        .max()
        .unwrap_or(0);
    for p in &r.parties {
        let _ = writeln!(
            out,
            "  {:width$}  {}",
            p.role.as_str(),
            party_label(&p.party, &r.parties)
        );
    }
    if !r.goods.is_empty() {
        let _ = writeln!(out, "  goods: {}", r.goods.join(", "));
    }
    let _ = writeln!(out, "  OVERALL: {}", upper(r.overall));
    if r.jurisdictions.len() > 1 {
        render_side_by_side(&r.jurisdictions, out);
    }
    for o in &r.jurisdictions {
        render_outcome(notes, o, &r.parties, out);
    }
    if let Some(trace) = &r.trace {
        render_trace(trace, out);
    }
    out.push('\n');
}

/// One line per jurisdiction: disposition, first dated duty, number of duties and risks, the
/// largest monetary maximum; or why the law does not reach the transaction.
fn render_side_by_side(outcomes: &[OutcomeReport], out: &mut String) {
    let _ = writeln!(
        out,
        "  {:<4}  {:<18}  {:<22}  {:<6}  {:<6}  largest civil maximum",
        "", "disposition", "first due", "duties", "risks"
    );
    for o in outcomes {
        if o.nexus.is_empty() && o.reasons.is_empty() {
            let _ = writeln!(
                out,
                "  {:<4}  {:<18}  no nexus",
                o.jurisdiction,
                upper(o.disposition)
            );
            continue;
        }
        let first_due = first_due(o);
        let largest = largest_civil(o);
        let _ = writeln!(
            out,
            "  {:<4}  {:<18}  {:<22}  {:<6}  {:<6}  {largest}",
            o.jurisdiction,
            upper(o.disposition),
            first_due,
            o.obligations.len(),
            o.exposures.len(),
        );
    }
}

/// `id (Name)`, or the id alone when the party has no separate name.
fn party_label(id: &str, parties: &[PartyInRole]) -> String {
    match parties.iter().find(|p| p.party == id) {
        Some(p) if p.name != p.party => format!("{} ({})", p.party, p.name),
        _ => id.to_string(),
    }
}

fn render_trace(trace: &[crate::report::TraceReport], out: &mut String) {
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

/// Reasons of one rule (and kind) with every actor it binds.
struct ReasonGroup<'a> {
    first: &'a ReasonReport,
    actors: Vec<&'a str>,
    facts: Vec<String>,
}

/// A party's status, with its list entry and any fuzzy list candidates (which never block by
/// themselves; they are why a review was asked for).
/// The proof is a tree, one line per step, two spaces deeper per level.
fn fact_text(f: &crate::report::PartyFactReport) -> String {
    let mut s = String::new();
    for (i, line) in crate::report::witness::tree(&f.status).iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(&line.indented());
        if i == 0
            && let Some(e) = &f.list_entry
        {
            s.push_str(&format!(" [list entry {e}]"));
        }
    }
    for c in &f.list_candidates {
        s.push_str(&format!(
            "\n  list candidate for {}: {} {} (score {}, matched `{}`; tags {})",
            f.party,
            c.entry,
            c.name,
            c.score,
            c.matched,
            c.programs.join(", ")
        ));
    }
    s
}

fn group_reasons(reasons: &[ReasonReport]) -> Vec<ReasonGroup<'_>> {
    let mut groups: Vec<ReasonGroup> = Vec::new();
    // A party's fact is the same under every rule of an outcome: written once (its proof can
    // be a whole ownership chain).
    let mut texts: Vec<(&str, String)> = Vec::new();
    for r in reasons {
        let facts: Vec<String> = r
            .facts
            .iter()
            .map(|f| match texts.iter().find(|(p, _)| *p == f.party) {
                Some((_, t)) => t.clone(),
                None => {
                    let t = fact_text(f);
                    texts.push((&f.party, t.clone()));
                    t
                }
            })
            .collect();
        match groups.iter_mut().find(|g| {
            g.first.rule == r.rule && g.first.kind == r.kind && g.first.related == r.related
        }) {
            Some(g) => {
                if let Some(a) = &r.actor
                    && !g.actors.contains(&a.as_str())
                {
                    g.actors.push(a);
                }
                for f in facts {
                    if !g.facts.contains(&f) {
                        g.facts.push(f);
                    }
                }
            }
            None => {
                let mut g = ReasonGroup {
                    first: r,
                    actors: r.actor.iter().map(String::as_str).collect(),
                    facts: Vec::new(),
                };
                for f in facts {
                    if !g.facts.contains(&f) {
                        g.facts.push(f);
                    }
                }
                groups.push(g);
            }
        }
    }
    groups
}

fn render_outcome(
    notes: &mut TextReport,
    o: &OutcomeReport,
    parties: &[PartyInRole],
    out: &mut String,
) {
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
    let groups = group_reasons(&o.reasons);
    // Each fact (a party's status and its proof) is printed once and referred to by number.
    let mut facts: Vec<&str> = Vec::new();
    for g in &groups {
        for f in &g.facts {
            if !facts.contains(&f.as_str()) {
                facts.push(f);
            }
        }
    }
    if !facts.is_empty() {
        let _ = writeln!(out, "    Facts:");
        for (i, f) in facts.iter().enumerate() {
            // A proof is a tree: its first line after the number, each deeper step below,
            // indented under it.
            let number = format!("[{}] ", i + 1);
            for (k, line) in f.lines().enumerate() {
                let lead = if k == 0 { number.as_str() } else { "" };
                let _ = writeln!(out, "      {lead:>w$}{line}", w = number.len());
            }
        }
    }
    render_why(notes, &groups, &facts, out);
    render_actors(o, parties, out);
    render_exposure_notes(notes, &o.exposures, out);
    for i in &o.issues {
        let _ = writeln!(out, "    ISSUE: {}", with_advice(i.code, &i.message));
    }
}

/// The reasons, grouped: each rule with its authority, whom it binds, what it defeats or is
/// defeated by, the facts it rests on (by number) and its note (once per note text).
fn render_why(report: &mut TextReport, groups: &[ReasonGroup], facts: &[&str], out: &mut String) {
    if !groups.is_empty() {
        let _ = writeln!(out, "    Why:");
    }
    let notes = &mut report.notes;
    for g in groups {
        let r = g.first;
        let mark = match r.kind {
            "decisive" => "=>",
            "contributing" => "+ ",
            "exception" => "ok",
            "override" => "!!",
            "advisory" => "??",
            _ => "x ",
        };
        let _ = writeln!(out, "      {mark} {}: {}", r.rule, r.title);
        if r.kind == "advisory" {
            let _ = writeln!(
                out,
                "         advisory: a caution; it does not change the disposition"
            );
        }
        let _ = writeln!(out, "         authority: {}", r.citation.text);
        if !g.actors.is_empty() {
            let _ = writeln!(out, "         binds: {}", g.actors.join(", "));
        }
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
        let refs: Vec<String> = g
            .facts
            .iter()
            .filter_map(|f| facts.iter().position(|x| *x == f.as_str()))
            .map(|i| format!("[{}]", i + 1))
            .collect();
        if !refs.is_empty() {
            let _ = writeln!(out, "         on facts: {}", refs.join(" "));
        }
        if let Some(n) = &r.note {
            match notes.iter().find(|(text, _)| text == n) {
                Some((_, first)) => {
                    let _ = writeln!(out, "         note: as for {first}");
                }
                None => {
                    let _ = writeln!(out, "         note: {n}");
                    notes.push((n.clone(), r.rule.clone()));
                }
            }
        }
    }
}

/// Per actor: the duties with their dates, then the risks with their amounts.
fn render_actors(o: &OutcomeReport, parties: &[PartyInRole], out: &mut String) {
    let mut actors: Vec<&str> = Vec::new();
    for a in o
        .obligations
        .iter()
        .map(|x| x.actor.as_str())
        .chain(o.exposures.iter().map(|x| x.actor.as_str()))
    {
        if !actors.contains(&a) {
            actors.push(a);
        }
    }
    if actors.is_empty() {
        return;
    }
    let _ = writeln!(out, "    What each actor must do, and risks:");
    for a in actors {
        let _ = writeln!(out, "      {}", party_label(a, parties));
        let duties: Vec<&ObligationReport> =
            o.obligations.iter().filter(|x| x.actor == a).collect();
        for (i, ob) in duties.iter().enumerate() {
            let label = if i == 0 { "do:  " } else { "     " };
            let to = ob
                .recipient
                .as_ref()
                .map(|r| format!(" to {r}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "        {label} {}{to}, {} [{}]",
                ob.title,
                due_text(&ob.due),
                ob.citation.text
            );
        }
        let risks: Vec<&ExposureReport> = o.exposures.iter().filter(|x| x.actor == a).collect();
        for (i, e) in risks.iter().enumerate() {
            let label = if i == 0 { "risk:" } else { "     " };
            let _ = writeln!(out, "        {label} {}", exposure_text(e));
        }
    }
}

pub(crate) fn due_text(due: &DueReport) -> String {
    match due {
        DueReport::On { date, skipped } => {
            // Weekends are obvious; name only the holidays the count stepped over.
            let holidays: Vec<String> = skipped
                .iter()
                .filter(|s| !is_weekday(&s.reason))
                .map(|s| format!("{} ({})", s.date, s.reason))
                .collect();
            if holidays.is_empty() {
                format!("by {date}")
            } else {
                format!("by {date} (not counting {})", holidays.join(", "))
            }
        }
        DueReport::RetainUntil { date } => format!("until {date}"),
        DueReport::Prompt { when } => when.clone(),
        DueReport::Continuing => "for as long as the property stays blocked".into(),
        DueReport::Unknown => "due date could not be computed (see issues)".into(),
    }
}

/// Whether a skipped day's reason is only its day of the week.
fn is_weekday(reason: &str) -> bool {
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .contains(&reason)
}

/// An issue's message with the advice a scenario run gives for it: where in the scenario file
/// the missing input goes.
pub fn with_advice(code: Code, message: &str) -> String {
    match code {
        Code::MissingExchangeRate => {
            format!("{message}; add an `[[exchange_rate]]` to the scenario")
        }
        _ => message.to_string(),
    }
}

fn exposure_text(e: &ExposureReport) -> String {
    let what = crate::report::penalty_terms(e.max_amount, e.prison_years, e.life_if_death);
    let mut s = format!("{} ({})", e.title, e.kind);
    if !what.is_empty() {
        s.push_str(&format!(": {}", what.join(", ")));
    }
    if let Some(c) = &e.schedule_citation {
        s.push_str(&format!(" under {}", c.text));
    }
    if let Some(d) = e.enforceable_until {
        if e.barred {
            s.push_str(&format!("; BARRED: the limitation period ended on {d}"));
        } else {
            s.push_str(&format!("; enforceable until {d}"));
        }
    }
    s.push_str(&format!(" [{}]", e.citation.text));
    s
}

/// Each penalty's notes, the first time the report names the penalty; later, a reference.
fn render_exposure_notes(report: &mut TextReport, exposures: &[ExposureReport], out: &mut String) {
    let notes = exposure_notes(exposures);
    if notes.is_empty() {
        return;
    }
    let _ = writeln!(out, "    About these exposures:");
    let mut earlier = Vec::new();
    for (id, title, text) in notes {
        if report.penalties.contains(&id) {
            earlier.push(id);
        } else {
            let _ = writeln!(out, "      {title}: {text}");
            report.penalties.push(id);
        }
    }
    if !earlier.is_empty() {
        let _ = writeln!(out, "      notes on {}: as above", earlier.join(", "));
    }
}
