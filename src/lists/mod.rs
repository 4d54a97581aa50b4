//! Real sanctions lists as sources of parties and designations.

use std::path::Path;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::ruleset::RuleSet;
use crate::model::world::World;
use crate::rules::names::Cx;
use crate::scenario::raw::{RawLists, WorldRecords};

/// Load the lists a scenario names and add their entries to its world.
pub fn attach_scenario_lists(
    cx: &mut Cx,
    _rs: &RuleSet,
    lists: &RawLists,
    _scenario_path: &Path,
    _records: &WorldRecords,
    _world: &mut World,
    _warnings: &mut Vec<Diagnostic>,
) {
    if let Some(p) = &lists.ofac {
        cx.error(
            Code::InvalidValue,
            p.span(),
            "list import is not available in this build",
        );
    }
}

/// Resolve designations that refer to list entries.
pub fn resolve_list_designations(
    _cx: &mut Cx,
    _rs: &RuleSet,
    _world: &mut World,
    _warnings: &mut Vec<Diagnostic>,
) {
}
