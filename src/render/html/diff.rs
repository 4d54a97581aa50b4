//! `interdict diff --format html`: what changes between two worlds, and only that: per
//! changed transaction, each jurisdiction's disposition in world A and world B with what
//! changes in its reasons, duties and risks; the parties whose status changes, with both
//! proofs as trees. Built from the same `DiffReport` as the JSON and the text.

use askama::Template;

use super::view::{Disp, anchor};
use super::{ASSETS, Assets, HtmlError, VERSION};
use crate::model::Disposition;
use crate::render::whatif::{dates, disp, exposure_text, obligation_text, reason_text};
use crate::report::witness::{ProofLine, tree};
use crate::whatif::compare::{JurisdictionChange, TxChange};
use crate::whatif::parties::PartySide;
use crate::whatif::{DiffReport, ScenarioDiff, WorldSpec};

/// A disposition in one world, or its absence there.
struct SideDisp {
    word: String,
    class: &'static str,
}

fn side(d: Option<Disposition>) -> SideDisp {
    match d {
        Some(d) => {
            let v = Disp::from(d);
            SideDisp {
                word: v.word,
                class: v.class,
            }
        }
        None => SideDisp {
            word: disp(None).to_uppercase(),
            class: "absent",
        },
    }
}

struct JurisdictionRow {
    jurisdiction: String,
    a: SideDisp,
    b: SideDisp,
    changes: Vec<String>,
}

struct TxView {
    anchor: String,
    transaction: String,
    date: String,
    tx_type: String,
    amount: Option<String>,
    read_at: Option<String>,
    overall_a: SideDisp,
    overall_b: SideDisp,
    rows: Vec<JurisdictionRow>,
}

struct PartySideView {
    status: String,
    lines: Vec<ProofLine>,
}

struct PartyRow {
    jurisdiction: String,
    party: String,
    when: String,
    a: PartySideView,
    b: PartySideView,
}

struct ScenarioView {
    name: String,
    path: String,
    summary: String,
    unchanged: String,
    only_in_a: String,
    only_in_b: String,
    transactions: Vec<TxView>,
    parties: Vec<PartyRow>,
}

#[derive(Template)]
#[template(path = "html/diff.html")]
struct DiffPage {
    title: String,
    assets: &'static Assets,
    version: &'static str,
    world_a: String,
    world_b: String,
    changed: bool,
    scenarios: Vec<ScenarioView>,
}

/// A world in words: its packs, overlays and date.
fn world(w: &WorldSpec) -> String {
    let mut parts = vec![if w.rules.is_empty() || w.rules == ["embedded"] {
        "the embedded rule packs".to_string()
    } else {
        format!("rule packs {}", w.rules.join(", "))
    }];
    if !w.overlays.is_empty() {
        parts.push(w.overlays.join(", "));
    }
    if let Some(d) = w.as_of {
        parts.push(format!("as of {d}"));
    }
    parts.join("; ")
}

fn party_side(s: &PartySide) -> PartySideView {
    PartySideView {
        status: s.status.text(),
        lines: s.witness.as_ref().map(tree).unwrap_or_default(),
    }
}

fn jurisdiction_row(j: &JurisdictionChange) -> JurisdictionRow {
    let mut changes = Vec::new();
    if let Some(n) = &j.nexus {
        changes.push(format!(
            "nexus: [{}] -> [{}]",
            n.before.join(", "),
            n.after.join(", ")
        ));
    }
    changes.extend(j.reasons.iter().map(reason_text));
    changes.extend(j.obligations.iter().map(obligation_text));
    changes.extend(j.exposures.iter().map(exposure_text));
    changes.extend(
        j.issues
            .iter()
            .map(|i| format!("{} issue: {}", i.change.mark(), i.issue)),
    );
    if !j.parties.is_empty() {
        changes.push(format!("status changed: {}", j.parties.join(", ")));
    }
    JurisdictionRow {
        jurisdiction: j.jurisdiction.clone(),
        a: side(j.disposition.before),
        b: side(j.disposition.after),
        changes,
    }
}

fn tx_view(t: &TxChange, prefix: &str) -> TxView {
    TxView {
        anchor: anchor(&[prefix, "tx", &t.transaction]),
        transaction: t.transaction.clone(),
        date: t.date.to_string(),
        tx_type: t.tx_type.clone(),
        amount: t.amount.map(|m| m.to_string()),
        read_at: (t.evaluated.a != t.date || t.evaluated.b != t.date)
            .then(|| format!("{} (A) and {} (B)", t.evaluated.a, t.evaluated.b)),
        overall_a: side(Some(t.overall.before)),
        overall_b: side(Some(t.overall.after)),
        rows: t.jurisdictions.iter().map(jurisdiction_row).collect(),
    }
}

fn scenario(i: usize, s: &ScenarioDiff) -> ScenarioView {
    let c = &s.comparison;
    let prefix = format!("s{}", i + 1);
    ScenarioView {
        name: s.scenario.clone(),
        path: s.path.clone(),
        summary: format!("{} of {} transactions change", c.changed.len(), c.compared),
        unchanged: c.unchanged.join(", "),
        only_in_a: c.only_in_a.join(", "),
        only_in_b: c.only_in_b.join(", "),
        transactions: c.changed.iter().map(|t| tx_view(t, &prefix)).collect(),
        parties: c
            .parties
            .iter()
            .map(|p| PartyRow {
                jurisdiction: p.jurisdiction.clone(),
                party: p.party.clone(),
                when: dates(&p.dates),
                a: party_side(&p.before),
                b: party_side(&p.after),
            })
            .collect(),
    }
}

/// What changes between two worlds, as one page (`interdict diff --format html`).
pub fn diff(r: &DiffReport) -> Result<String, HtmlError> {
    Ok(DiffPage {
        title: "What changes between world A and world B".into(),
        assets: &ASSETS,
        version: VERSION,
        world_a: world(&r.a),
        world_b: world(&r.b),
        changed: r.changed,
        scenarios: r
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| scenario(i, s))
            .collect(),
    }
    .render()?)
}
