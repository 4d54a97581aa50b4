//! Running scenarios and comparing their expectations with the decisions (`interdict test`
//! and the cargo test suite).
//!
//! This sits above the evaluator and the loaders: the scenario loader reads expectations as
//! data ([`crate::scenario::Expectation`]) and never evaluates; here they are evaluated.
//!
//! - [`run`]: load a scenario file, evaluate its transactions, check every expectation;
//! - `compare`: one expectation against one decision.

pub(crate) mod compare;
pub mod run;
