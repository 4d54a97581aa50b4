//! What-if worlds: the same transactions under two worlds, and only what changes.
//!
//! A world is rule packs plus a world of parties, designations and ownership, read as of a
//! date. Two worlds differ by their packs (which may carry reference-world data such as
//! imported lists), by overlays (designations and holdings added, ended or removed), or by
//! the date they are read at (a replay). The pieces, one concern each:
//!
//! - [`overlay`]: the syntax of overlays, on the command line and in TOML files;
//! - [`edit`]: resolving overlays against a rule set and a world, and applying them;
//! - `view`: decisions and statuses by name, so worlds with different packs compare;
//! - [`compare`](mod@compare): the diff core over any list of transactions and two worlds;
//! - `change`: the entries of a diff (per transaction, jurisdiction, reason...), re-exported
//!   by `compare`;
//! - [`parties`]: parties whose status differs, with witnesses before and after;
//! - [`reach`]: which parties' states differ, so that world B decides only what can change;
//! - [`pair`]: one transaction under both worlds, the unit `compare` and streams share;
//! - the text report is [`crate::render::whatif`] (JSON is the serialisation of [`DiffReport`]).

mod change;
pub mod compare;
pub mod edit;
pub mod overlay;
pub mod pair;
pub mod parties;
pub mod reach;
pub(crate) mod view;

use serde::Serialize;

use crate::model::values::Date;
pub use compare::{Comparison, Side, compare, compare_with};
pub use edit::{AppliedEdit, apply_all};
pub use overlay::{Overlay, parse_file, parse_flag, read_file};
pub use pair::{PairDiffer, PairResult, PairScratch};

/// How one world was made, for the report's header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WorldSpec {
    /// `embedded`, or the rule directories in load order.
    pub rules: Vec<String>,
    /// Overlay labels, in the order they apply.
    pub overlays: Vec<String>,
    /// The as-of date (a replay): the law and lists as they stood then, for transactions dated
    /// later; absent: each transaction's own date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
}

/// The comparison for one scenario (or one batch of transactions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioDiff {
    /// The scenario's name (its `name`, else its file stem).
    pub scenario: String,
    /// The scenario file, as given on the command line.
    pub path: String,
    /// The edits the overlays made to this scenario's world, per side.
    pub edits_a: Vec<AppliedEdit>,
    /// The same for world B.
    pub edits_b: Vec<AppliedEdit>,
    /// What differs between the worlds for this scenario's transactions.
    #[serde(flatten)]
    pub comparison: Comparison,
}

/// The version of the JSON shape of `interdict diff --format json` (docs/json.md); version 1
/// was the unversioned shape before it; version 3 added the reason kind `advisory`.
pub const SCHEMA: &str = "interdict.whatif/3";

/// The whole report of `interdict diff`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    /// The version of this JSON shape (docs/json.md).
    pub schema: &'static str,
    /// World A: the "before" side of every change.
    pub a: WorldSpec,
    /// World B: the "after" side of every change.
    pub b: WorldSpec,
    /// Whether anything differs: a decision, a party's status, or the set of transactions.
    pub changed: bool,
    /// One entry per scenario (or batch file) compared, in the order given.
    pub scenarios: Vec<ScenarioDiff>,
}

impl DiffReport {
    /// The report over `scenarios`; `changed` is computed from them.
    pub fn new(a: WorldSpec, b: WorldSpec, scenarios: Vec<ScenarioDiff>) -> Self {
        let changed = scenarios.iter().any(|s| s.comparison.has_changes());
        DiffReport {
            schema: SCHEMA,
            a,
            b,
            changed,
            scenarios,
        }
    }
}
