//! interdict: a sanctions-policy rules engine.
//!
//! Rule packs (TOML, with citations) encode what designations imply; the evaluator applies
//! them to transactions and entities and explains every conclusion down to the rule and its
//! source. See README.md and docs/.
//!
//! # Using the library
//!
//! The items re-exported here are the library's interface: load a [`Pack`] (the law, a
//! [`RuleSet`], and the reference world beside it: [`load_embedded_packs`], [`load_pack_dirs`]),
//! a [`World`] and its [`Transaction`]s (a
//! [`Scenario`] with [`load_scenario`], or a world file with [`load_world`]; or built in code
//! with a [`WorldBuilder`] and a [`TransactionBuilder`]), build an [`Engine`] and ask it for a
//! [`Decision`]; [`build_report`] names its parts for people and JSON. Every loader and
//! builder returns all it found wrong as [`Diagnostics`], which implement
//! [`std::error::Error`].
//!
//! ```
//! use std::sync::Arc;
//! use interdict::{Disposition, Engine, EvalOptions};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let (pack, _warnings) = interdict::load_embedded_packs()?;
//! let scenario = interdict::load_scenario(
//!     "tests/scenarios/eu/delisting.toml".as_ref(),
//!     &pack,
//! )?;
//! let engine = Engine::new(Arc::clone(&scenario.rules), Arc::clone(&scenario.world));
//! for tx in &scenario.transactions {
//!     let decision = engine.evaluate(tx, &EvalOptions::default());
//!     if decision.overall >= Disposition::Review {
//!         println!("{}: {:?}", decision.transaction, decision.overall);
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Stability
//!
//! Only the root re-exports are the supported interface. The modules the `interdict` binary
//! (src/main.rs, src/cli/), the integration tests or the benchmarks use stay public, since they
//! are clients of this library like any other, but their paths and items may change in any
//! release; the others are private to the crate. Construction helpers for
//! tests (worlds, parties, ownership and control built in code) are in `test_util`, compiled
//! only with the `test-util` feature; the crate's own integration tests and benchmarks enable
//! it through a dev-dependency on the crate itself.
//!
//! Every public item is documented: missing documentation is a warning for the whole library,
//! and CI (clippy with `-D warnings`, rustdoc with `-Dwarnings`) refuses it.

#![warn(missing_docs)]

pub mod audit;
pub mod batch;
pub mod check;
pub mod diagnostic;
pub mod eval;
pub mod expectations;
pub mod lists;
pub mod model;
pub mod ownership;
pub mod render;
pub mod report;
pub mod rules;
pub mod scenario;
pub mod source;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod toml_input;
pub mod whatif;

/// The evaluator: one per rule set and world, shared by threads; see [`Engine::evaluate`].
pub use eval::Engine;
/// How to evaluate: the as-of date, jurisdictions to consider, whether to record a trace.
pub use eval::EvalOptions;
/// Buffers reused from one evaluation to the next ([`Engine::evaluate_with`]).
pub use eval::Scratch;

/// What the engine decided for one transaction, and its parts.
pub use eval::decision::{
    Consequence, ConsequenceKind, Decision, DueDate, Issue, Outcome, Reason, ReasonKind,
};
/// The verdict of one jurisdiction, ordered from `Permitted` to the strongest.
pub use model::Disposition;

/// Rule packs, lowered and checked: the law and the reference world loaded beside it.
pub use model::pack::Pack;
/// Rule packs' law, lowered and checked.
pub use model::ruleset::RuleSet;
/// One transaction, its parties in roles and what it claims.
pub use model::world::Transaction;
/// The parties, designations, ownership and control a transaction is judged against.
pub use model::world::World;

/// A loaded scenario: world, transactions and expectations.
pub use scenario::Scenario;
/// Worlds and transactions built in code, checked as scenario files are.
pub use scenario::build::{NumberText, TransactionBuilder, WorldBuilder};

/// The stable code of a diagnostic (`E0101`...).
pub use diagnostic::Code;
/// A located, coded problem of an input.
pub use diagnostic::Diagnostic;
/// Every problem a load met (a load never stops at the first).
pub use diagnostic::Diagnostics;

/// A decision with every index resolved to names and citations, ready for JSON.
pub use report::DecisionReport;

/// How the batch pipeline runs and what it reports.
pub use batch::pipeline::{BatchError, Config as BatchConfig};
/// A consistency report on rule packs (`check --deep`), with counterexample scenarios.
pub use check::{DeepOptions, DeepReport};

/// Evaluate a stream of transaction records (NDJSON or CSV) against a world, one decision
/// record a line (what `interdict batch` does).
pub use batch::pipeline::run as run_batch;
/// A world file (parties, designations, ownership, control, lists) for batch evaluation.
pub use batch::{LoadedWorld, load_world};
/// The deep consistency check of rule packs (what `interdict check --deep` does).
pub use check::deep as check_packs;
/// Run a scenario's transactions and compare the decisions with its expectations.
pub use expectations::run::{ExpectationResult, check as check_expectations};
/// The report of a decision: rule, party and jurisdiction names, citations, amounts.
pub use report::build as build_report;
/// A scenario file (world, transactions, expectations) read against rule packs.
pub use scenario::load_path as load_scenario;
/// Rule packs read from directories of TOML files; `extend`: on top of the embedded packs.
pub use scenario::pack::load_dirs as load_pack_dirs;
/// The rule packs embedded in the binary (U.S., EU, UK, Canada), with their warnings.
///
/// ```
/// let (pack, warnings) = interdict::load_embedded_packs()?;
/// assert!(pack.rules.jurisdiction_by_id("us").is_some());
/// assert!(!warnings.has_errors());
/// # Ok::<(), interdict::Diagnostics>(())
/// ```
pub use scenario::pack::load_embedded as load_embedded_packs;
/// What-if worlds: the same transactions under two worlds (`interdict diff`).
pub use whatif::{
    Comparison, Overlay, Side, apply_all as apply_overlays, compare as compare_worlds,
};
