//! Presentation: the text people read on a terminal, built from the engine's values.
//!
//! Like ripgrep's printer, this is the output side that the command line (and later the
//! server) uses; the engine never imports it, so a decision, a diff or a diagnostic is data
//! first and text only here.
//!
//! - [`report`]: a decision report, per transaction and jurisdiction, as text;
//! - [`html`]: the same reports (and diffs) as one self-contained HTML page;
//! - [`layout`]: text wrapped to a width, coloured for a terminal;
//! - [`whatif`]: the diff of two worlds;
//! - [`diagnostic`]: a diagnostic with its source line and caret;
//! - [`batch`] and [`lists`]: the summaries of a batch run and of an imported list;
//! - [`list_store`]: the list store's snapshots, diffs and record histories.

pub mod batch;
pub mod diagnostic;
pub mod html;
pub mod layout;
pub mod list_store;
pub mod lists;
mod outcome;
pub mod report;
pub mod whatif;
