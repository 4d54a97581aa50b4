//! Batch evaluation: millions of transactions against one world, for lookbacks.
//!
//! | module | concern |
//! |---|---|
//! | `input` | NDJSON and CSV records, lowered into transactions with located errors |
//! | `encode` | transaction records written as NDJSON or CSV (the workload's files) |
//! | `pipeline` | the reader, the parallel workers and the ordered writer; bounded memory; any [`Job`] |
//! | `record` | the compact decision record written per transaction |
//! | `summary` | counts by disposition and jurisdiction, throughput, skipped records |
//! | `job` | what the pipeline does per record (`Job`, `RecordWorker`) and counts (`Counts`) |
//! | `workload` | the deterministic benchmark workload (world and transactions from a seed) |
//!
//! The formats and the command are documented in docs/batch.md.

pub mod encode;
pub mod input;
pub(crate) mod job;
pub(crate) mod pipeline;
pub mod record;
pub(crate) mod summary;
pub mod workload;

use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::Diagnostics;
use crate::eval::Engine;
use crate::model::pack::Pack;
use crate::model::ruleset::RuleSet;
use crate::scenario::Scenario;

pub use input::{InputFormat, RecordError};
pub use pipeline::{
    Audit, BatchError, Config, Counts, Event, Job, OnError, RecordWorker, RunStats, run, run_job,
};
pub use summary::{Summary, Tally};

/// A world file loaded for batch evaluation: the scenario (its world, specific licenses and
/// `as_of`) and the engine over it. The scenario's own transactions are not evaluated.
pub struct LoadedWorld {
    /// The world file as loaded: world, rule set, specific licenses, `as_of`.
    pub scenario: Scenario,
    /// The evaluator over the world file's world.
    pub engine: Engine,
}

/// Load a world file (a scenario file) and build the engine over its world.
pub fn load_world(path: &Path, pack: &Pack) -> Result<LoadedWorld, Diagnostics> {
    let scenario = crate::scenario::load_path(path, pack)?;
    let engine = Engine::new(scenario.rules.clone(), scenario.world.clone());
    Ok(LoadedWorld { scenario, engine })
}

/// Read a whole transactions file (NDJSON or CSV) into transactions of `world`, for commands
/// that need them all at once. Every malformed record (a line that is not UTF-8 included) is
/// reported with its line; none is dropped silently.
pub fn read_transactions(
    bytes: &[u8],
    name: &str,
    format: InputFormat,
    rules: &RuleSet,
    world: &crate::model::world::World,
) -> (Vec<crate::model::world::Transaction>, Vec<RecordError>) {
    let resolver = input::Resolver::new(rules, world);
    let file: Arc<str> = Arc::from(name);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut lines = (1u64..).zip(bytes.split_inclusive(|b| *b == b'\n'));
    let header = match format {
        InputFormat::Ndjson => None,
        InputFormat::Csv => {
            let first = lines.next().map_or(&[][..], |(_, l)| l);
            match input::read_csv_header(first) {
                Ok(h) => Some(h),
                Err(message) => {
                    errors.push(RecordError::new(1, message));
                    return (out, errors);
                }
            }
        }
    };
    let mut parser = input::LineParser::new(header.as_ref());
    for (line, raw) in lines {
        let Some(rec) = parser.parse(raw) else {
            continue;
        };
        let mut tx = input::blank_transaction();
        let rec = rec.map_err(|m| RecordError::new(line, m));
        match rec.and_then(|r| resolver.lower_into(&r, line, &file, &mut tx)) {
            Ok(()) => out.push(tx),
            Err(error) => errors.push(error),
        }
    }
    (out, errors)
}
