//! The HTML report: one self-contained page (styles, script and the graph layout library
//! inlined; it opens with no network) built from the same report model as the JSON and the
//! text, through askama templates (`templates/html/`).
//!
//! - [`eval`]: the decisions of one or more scenarios (`interdict eval --format html`);
//! - [`decision`]: one decision with its trace (`interdict explain transaction`);
//! - [`party`]: a party's status and proof per jurisdiction (`interdict explain party`);
//! - [`diff`]: what changes between two worlds, both sides (`interdict diff`).
//!
//! Each transaction shows its jurisdictions side by side, the ownership and control graph
//! around its parties (laid out in the page by dagre, vendored in `templates/vendor/`, and
//! written out as a table too), a timeline, and each jurisdiction's reasons in `<details>`
//! with their citations linked where the pack gives an address.

pub mod graph;
pub mod timeline;
pub mod view;

mod diff;
mod party;

use askama::Template;

use crate::report::{DecisionReport, ScenarioReport};
pub use diff::diff;
pub use party::party;
use view::DecisionView;

/// A page could not be written (a template's value failed to format).
#[derive(Debug, thiserror::Error)]
#[error("the HTML report could not be written: {0}")]
pub struct HtmlError(String);

impl From<askama::Error> for HtmlError {
    fn from(e: askama::Error) -> HtmlError {
        HtmlError(e.to_string())
    }
}

/// What every page inlines.
struct Assets {
    css: &'static str,
    script: &'static str,
    dagre: &'static str,
}

static ASSETS: Assets = Assets {
    css: include_str!("../../../templates/html/report.css"),
    script: include_str!("../../../templates/html/report.js"),
    // @dagrejs/dagre 3.1.3 (MIT), dist/dagre.min.js as published on the npm registry.
    dagre: include_str!("../../../templates/vendor/dagre-3.1.3.min.js"),
};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// One scenario's decisions, as the page shows them.
struct ScenarioView {
    name: String,
    path: String,
    anchor: String,
    decisions: Vec<DecisionView>,
}

#[derive(Template)]
#[template(path = "html/eval.html")]
struct EvalPage {
    title: String,
    assets: &'static Assets,
    version: &'static str,
    scenarios: Vec<ScenarioView>,
}

/// The decisions of each scenario as one page (`interdict eval --format html`).
pub fn eval(scenarios: &[ScenarioReport]) -> Result<String, HtmlError> {
    let title = match scenarios {
        [one] => one.scenario.clone(),
        _ => format!("{} scenarios", scenarios.len()),
    };
    let scenarios = scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            // Fragment ids stay apart when two scenarios name a transaction alike.
            let prefix = if scenarios.len() > 1 {
                format!("s{}", i + 1)
            } else {
                String::new()
            };
            ScenarioView {
                name: s.scenario.clone(),
                path: s.path.clone(),
                anchor: view::anchor(&["scenario", &(i + 1).to_string()]),
                decisions: s
                    .decisions
                    .iter()
                    .map(|d| view::decision(d, &prefix))
                    .collect(),
            }
        })
        .collect();
    Ok(EvalPage {
        title,
        assets: &ASSETS,
        version: VERSION,
        scenarios,
    }
    .render()?)
}

#[derive(Template)]
#[template(path = "html/decision.html")]
struct DecisionPage {
    title: String,
    assets: &'static Assets,
    version: &'static str,
    d: DecisionView,
}

/// One decision, with its trace when the report has one (`interdict explain transaction`).
pub fn decision(r: &DecisionReport) -> Result<String, HtmlError> {
    Ok(DecisionPage {
        title: format!("Transaction {}", r.transaction),
        assets: &ASSETS,
        version: VERSION,
        d: view::decision(r, ""),
    }
    .render()?)
}
