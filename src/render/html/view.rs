//! What the HTML templates show, read from the report model: the same decisions, reasons,
//! facts and duties as the text and the JSON, laid out for the page (grouped, numbered,
//! sorted), with nothing decided here.

use crate::model::Disposition;
use crate::model::ruleset::Citation;
use crate::report::witness::{ProofLine, tree};
use crate::report::{DecisionReport, OutcomeReport, PartyFactReport, TraceReport};

use super::graph::Graph;
use super::timeline::{Timeline, TimelineItem};

use crate::render::report::{due_text, first_due, largest_civil, plain_meaning};

/// A citation, with the official text's address when the pack gives one.
#[derive(Debug, Clone)]
pub struct Cite {
    /// The source as lawyers cite it.
    pub text: String,
    /// Where it can be read.
    pub url: Option<String>,
}

impl From<&Citation> for Cite {
    fn from(c: &Citation) -> Cite {
        Cite {
            text: c.text.clone(),
            url: c.url.clone(),
        }
    }
}

/// A disposition as the page names and colours it.
#[derive(Debug, Clone)]
pub struct Disp {
    /// `BLOCK`, `PERMITTED`...
    pub word: String,
    /// The style class (`block`, `permitted`...).
    pub class: &'static str,
    /// What it means in plain words.
    pub meaning: &'static str,
}

impl From<Disposition> for Disp {
    fn from(d: Disposition) -> Disp {
        Disp {
            word: d.as_str().to_uppercase(),
            class: d.as_str(),
            meaning: plain_meaning(d),
        }
    }
}

/// One transaction's decision as the page shows it.
#[derive(Debug, Clone)]
pub struct DecisionView {
    /// The fragment id of its section.
    pub anchor: String,
    /// The transaction's id.
    pub transaction: String,
    /// Its date.
    pub date: String,
    /// The day law and lists were taken on, when not the transaction's date.
    pub as_of: Option<String>,
    /// The day the evaluation is made, when given.
    pub evaluated_on: Option<String>,
    /// Its type.
    pub tx_type: String,
    /// Its value.
    pub amount: Option<String>,
    /// Its goods, comma separated (empty when none).
    pub goods: String,
    /// Its description.
    pub description: Option<String>,
    /// Its parties.
    pub parties: Vec<PartyRow>,
    /// The strongest disposition.
    pub overall: Disp,
    /// One row per jurisdiction.
    pub summary: Vec<SummaryRow>,
    /// Each jurisdiction's outcome in full.
    pub outcomes: Vec<OutcomeView>,
    /// The parties and their links.
    pub graph: Graph,
    /// The dated events that matter.
    pub timeline: Vec<TimelineItem>,
    /// Every rule considered, when a trace was asked for.
    pub trace: Vec<TraceReport>,
}

/// A jurisdiction's line of the side-by-side table.
#[derive(Debug, Clone)]
pub struct SummaryRow {
    /// The fragment id of the jurisdiction's section.
    pub anchor: String,
    /// The jurisdiction's id.
    pub jurisdiction: String,
    /// Its name.
    pub name: String,
    /// Its disposition.
    pub disp: Disp,
    /// Whether its law reaches the transaction.
    pub reached: bool,
    /// The first dated duty (or how a prompt one is put).
    pub first_due: String,
    /// How many duties.
    pub duties: usize,
    /// How many penalties are risked.
    pub risks: usize,
    /// The largest civil maximum.
    pub largest: String,
}

/// One jurisdiction's outcome in full.
#[derive(Debug, Clone)]
pub struct OutcomeView {
    /// The fragment id of its section.
    pub anchor: String,
    /// The jurisdiction's id.
    pub jurisdiction: String,
    /// Its name.
    pub name: String,
    /// Its disposition.
    pub disp: Disp,
    /// The nexus tests that held.
    pub nexus: Vec<NexusView>,
    /// When none held: the tests tried, comma separated.
    pub no_nexus: String,
    /// The facts the reasons rest on, numbered from 1.
    pub facts: Vec<FactView>,
    /// The reasons, one per rule and part it played.
    pub reasons: Vec<ReasonView>,
    /// Per actor, duties and risks.
    pub actors: Vec<ActorView>,
    /// Each penalty's notes once.
    pub notes: Vec<Note>,
    /// Problems met while evaluating.
    pub issues: Vec<String>,
}

/// A party's status and its proof as a tree.
#[derive(Debug, Clone)]
pub struct FactView {
    /// Its number in the outcome.
    pub n: usize,
    /// The party's id.
    pub party: String,
    /// The proof, one line per step.
    pub lines: Vec<ProofLine>,
    /// The list entry and fuzzy list candidates, in words.
    pub list: Vec<String>,
}

/// A rule behind an outcome, with everyone it binds.
#[derive(Debug, Clone)]
pub struct ReasonView {
    /// `decisive`, `contributing`, `exception`, `override`, `defeated`, `advisory`.
    pub kind: &'static str,
    /// The rule's id.
    pub rule: String,
    /// The rule's title.
    pub title: String,
    /// Its source in law.
    pub cite: Cite,
    /// The parties it binds, comma separated.
    pub actors: String,
    /// The rules it defeats, is defeated by or stops.
    pub related: Option<Related>,
    /// The facts it rests on, by number.
    pub facts: Vec<usize>,
    /// The rule's note.
    pub note: Option<String>,
}

/// What one actor must do and risks.
#[derive(Debug, Clone)]
pub struct ActorView {
    /// `id (Name)`.
    pub label: String,
    /// What they must do.
    pub duties: Vec<Duty>,
    /// What they risk.
    pub risks: Vec<Risk>,
}

/// A party of the transaction.
#[derive(Debug, Clone)]
pub struct PartyRow {
    /// Its role.
    pub role: String,
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// A nexus test that held.
#[derive(Debug, Clone)]
pub struct NexusView {
    /// The test's id.
    pub id: String,
    /// What it tests.
    pub title: String,
    /// Its source in law.
    pub cite: Cite,
}

/// A penalty's notes.
#[derive(Debug, Clone)]
pub struct Note {
    /// `Title (id)`.
    pub title: String,
    /// The notes.
    pub text: String,
}

/// The rules a reason defeats, is defeated by, or stops.
#[derive(Debug, Clone)]
pub struct Related {
    /// `defeated by`, `defeats` or `stops`.
    pub label: &'static str,
    /// The rules, comma separated.
    pub rules: String,
}

/// A duty of an actor.
#[derive(Debug, Clone)]
pub struct Duty {
    /// What must be done.
    pub title: String,
    /// To whom.
    pub recipient: Option<String>,
    /// When.
    pub due: String,
    /// Its source in law.
    pub cite: Cite,
}

/// A penalty an actor risks.
#[derive(Debug, Clone)]
pub struct Risk {
    /// The penalty and its maxima in words.
    pub text: String,
    /// Its source in law.
    pub cite: Cite,
    /// The limitation period has run.
    pub barred: bool,
}

/// A fragment id: letters, digits and `-` only.
pub fn anchor(parts: &[&str]) -> String {
    let mut s = String::new();
    for p in parts.iter().filter(|p| !p.is_empty()) {
        if !s.is_empty() {
            s.push('-');
        }
        s.extend(
            p.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }),
        );
    }
    s
}

/// The view of one decision; `prefix` keeps fragment ids apart across scenarios.
pub fn decision(r: &DecisionReport, prefix: &str) -> DecisionView {
    let tx_anchor = anchor(&[prefix, "tx", &r.transaction]);
    let mut timeline = Timeline::default();
    timeline.decision(r);
    DecisionView {
        transaction: r.transaction.clone(),
        date: r.date.to_string(),
        as_of: (r.as_of != r.date).then(|| r.as_of.to_string()),
        evaluated_on: r.evaluated_on.map(|d| d.to_string()),
        tx_type: r.tx_type.clone(),
        amount: r.amount.map(|m| m.to_string()),
        goods: r.goods.join(", "),
        description: r.description.clone(),
        parties: r
            .parties
            .iter()
            .map(|p| PartyRow {
                role: p.role.as_str().to_string(),
                id: p.party.clone(),
                name: p.name.clone(),
            })
            .collect(),
        overall: r.overall.into(),
        summary: r
            .jurisdictions
            .iter()
            .map(|o| summary_row(o, &tx_anchor))
            .collect(),
        outcomes: r
            .jurisdictions
            .iter()
            .map(|o| outcome(o, r, &tx_anchor))
            .collect(),
        graph: Graph::of_decision(r),
        timeline: timeline.items(),
        trace: r.trace.clone().unwrap_or_default(),
        anchor: tx_anchor,
    }
}

fn summary_row(o: &OutcomeReport, tx_anchor: &str) -> SummaryRow {
    SummaryRow {
        anchor: anchor(&[tx_anchor, &o.jurisdiction]),
        jurisdiction: o.jurisdiction.clone(),
        name: o.name.clone(),
        disp: o.disposition.into(),
        reached: !(o.nexus.is_empty() && o.reasons.is_empty()),
        first_due: first_due(o),
        duties: o.obligations.len(),
        risks: o.exposures.len(),
        largest: largest_civil(o),
    }
}

/// `id (Name)`, or the id alone when the transaction does not name it.
fn label(id: &str, r: &DecisionReport) -> String {
    match r.parties.iter().find(|p| p.party == id) {
        Some(p) if p.name != p.party => format!("{} ({})", p.party, p.name),
        _ => id.to_string(),
    }
}

fn fact(n: usize, f: &PartyFactReport) -> FactView {
    let mut list = Vec::new();
    if let Some(e) = &f.list_entry {
        list.push(format!("list entry {e}"));
    }
    for c in &f.list_candidates {
        list.push(format!(
            "list candidate {} {} (score {}, matched `{}`; tags {})",
            c.entry,
            c.name,
            c.score,
            c.matched,
            c.programs.join(", ")
        ));
    }
    FactView {
        n,
        party: f.party.clone(),
        lines: tree(&f.status),
        list,
    }
}

// Long: one pass over the outcome's reasons, grouping them by rule and numbering the facts
// they rest on, then the actors' duties and risks and each penalty's notes once.
fn outcome(o: &OutcomeReport, r: &DecisionReport, tx_anchor: &str) -> OutcomeView {
    let mut facts: Vec<FactView> = Vec::new();
    let mut reasons: Vec<ReasonView> = Vec::new();
    for reason in &o.reasons {
        let mut numbers = Vec::new();
        for f in &reason.facts {
            let n = match facts.iter().position(|x| x.party == f.party) {
                Some(i) => i + 1,
                None => {
                    facts.push(fact(facts.len() + 1, f));
                    facts.len()
                }
            };
            numbers.push(n);
        }
        let related = match reason.kind {
            "defeated" => Some("defeated by"),
            "exception" => Some("defeats"),
            "override" => Some("stops"),
            _ => None,
        }
        .filter(|_| !reason.related.is_empty())
        .map(|label| Related {
            label,
            rules: reason.related.join(", "),
        });
        let same = reasons.iter_mut().find(|g| {
            g.rule == reason.rule
                && g.kind == reason.kind
                && g.related.as_ref().map(|x| x.rules.as_str())
                    == related.as_ref().map(|x| x.rules.as_str())
        });
        match same {
            Some(g) => {
                if let Some(a) = &reason.actor
                    && !g.actors.split(", ").any(|x| x == a)
                {
                    if !g.actors.is_empty() {
                        g.actors.push_str(", ");
                    }
                    g.actors.push_str(a);
                }
                for n in numbers {
                    if !g.facts.contains(&n) {
                        g.facts.push(n);
                    }
                }
            }
            None => {
                numbers.dedup();
                reasons.push(ReasonView {
                    kind: reason.kind,
                    rule: reason.rule.clone(),
                    title: reason.title.clone(),
                    cite: (&reason.citation).into(),
                    actors: reason.actor.clone().unwrap_or_default(),
                    related,
                    facts: numbers,
                    note: reason.note.clone(),
                });
            }
        }
    }
    let mut actors: Vec<ActorView> = Vec::new();
    let mut actor_ids: Vec<&str> = Vec::new();
    for a in o
        .obligations
        .iter()
        .map(|x| x.actor.as_str())
        .chain(o.exposures.iter().map(|x| x.actor.as_str()))
    {
        if actor_ids.contains(&a) {
            continue;
        }
        actor_ids.push(a);
        actors.push(ActorView {
            label: label(a, r),
            duties: o
                .obligations
                .iter()
                .filter(|x| x.actor == a)
                .map(|ob| Duty {
                    title: ob.title.clone(),
                    recipient: ob.recipient.clone(),
                    due: due_text(&ob.due),
                    cite: (&ob.citation).into(),
                })
                .collect(),
            risks: o
                .exposures
                .iter()
                .filter(|x| x.actor == a)
                .map(|e| Risk {
                    text: risk_text(e),
                    cite: (&e.citation).into(),
                    barred: e.barred,
                })
                .collect(),
        });
    }
    OutcomeView {
        anchor: anchor(&[tx_anchor, &o.jurisdiction]),
        jurisdiction: o.jurisdiction.clone(),
        name: o.name.clone(),
        disp: o.disposition.into(),
        nexus: o
            .nexus
            .iter()
            .map(|n| NexusView {
                id: n.id.clone(),
                title: n.title.clone(),
                cite: (&n.citation).into(),
            })
            .collect(),
        no_nexus: o
            .no_nexus
            .iter()
            .map(|n| n.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        facts,
        reasons,
        actors,
        notes: crate::render::report::exposure_notes(&o.exposures)
            .into_iter()
            .map(|(_, title, text)| Note { title, text })
            .collect(),
        issues: o
            .issues
            .iter()
            .map(|i| crate::render::report::with_advice(i.code, &i.message))
            .collect(),
    }
}

/// A penalty in words without its citation (the page links it apart).
fn risk_text(e: &crate::report::ExposureReport) -> String {
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
            s.push_str(&format!("; barred: the limitation period ended on {d}"));
        } else {
            s.push_str(&format!("; enforceable until {d}"));
        }
    }
    s
}
