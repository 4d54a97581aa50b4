//! `interdict explain party --format html`: a party's status per jurisdiction, each proof as
//! a tree with the doctrine it was decided under, the graph of the owners and controllers the
//! proofs name, and the designations and delistings they rest on.

use askama::Template;

use super::graph::Graph;
use super::timeline::{Timeline, TimelineItem};
use super::view::Cite;
use super::{ASSETS, Assets, HtmlError, VERSION};
use crate::report::PartyExplanation;
use crate::report::witness::{ProofLine, tree};

/// One jurisdiction's answer.
struct StatusView {
    jurisdiction: String,
    status: &'static str,
    lines: Vec<ProofLine>,
    doctrine: Option<String>,
    sources: Vec<Cite>,
}

#[derive(Template)]
#[template(path = "html/party.html")]
struct PartyPage {
    title: String,
    assets: &'static Assets,
    version: &'static str,
    date: String,
    statuses: Vec<StatusView>,
    graph: Graph,
    timeline: Vec<TimelineItem>,
}

/// A party's status and its proof under each jurisdiction, as one page. `entries` are the
/// explanations of one party on one day.
pub fn party(entries: &[PartyExplanation]) -> Result<String, HtmlError> {
    let mut graph = Graph::default();
    let mut timeline = Timeline::default();
    let statuses = entries
        .iter()
        .map(|e| {
            graph.witness(&e.jurisdiction, &e.witness);
            timeline.witness(&e.jurisdiction, &e.witness);
            let d = e.witness.doctrine.as_ref();
            StatusView {
                jurisdiction: e.jurisdiction.clone(),
                status: e.status,
                lines: tree(&e.witness),
                doctrine: d.map(|d| match &d.period {
                    Some(p) => format!("{} ({p})", d.test),
                    None => d.test.clone(),
                }),
                sources: d
                    .map(|d| d.citations.iter().map(Cite::from).collect())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let party = entries.first().map(|e| e.party.as_str()).unwrap_or("");
    Ok(PartyPage {
        title: format!("Party {party}"),
        assets: &ASSETS,
        version: VERSION,
        date: entries
            .first()
            .map(|e| e.date.to_string())
            .unwrap_or_default(),
        statuses,
        graph,
        timeline: timeline.items(),
    }
    .render()?)
}
