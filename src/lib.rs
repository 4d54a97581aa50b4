//! interdict: a sanctions-policy rules engine.
//!
//! Rule packs (TOML, with citations) encode what designations imply; the evaluator applies
//! them to transactions and entities and explains every conclusion down to the rule and its
//! source. See README.md and docs/.

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
pub mod toml_input;
pub mod whatif;
