//! Support shared by the property-test crates: generators of well-formed worlds, transactions
//! and rule packs (`generate`), a deliberately naive reference evaluator written independently of
//! the engine (`reference`), and a name-based normal form of decisions (`normal`).

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "shared by several test crates, each using a part; test code stops on failure"
)]

pub mod generate;
pub mod normal;
pub mod reference;
pub mod write;

/// Case count of a property: `default`, or `INTERDICT_PROPTEST_CASES` when that is larger (a
/// longer run; docs/consistency.md).
pub fn cases(default: u32) -> u32 {
    std::env::var("INTERDICT_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(default, |n| n.max(default))
}

use std::sync::{Arc, OnceLock};

use interdict::model::ruleset::RuleSet;

/// The embedded packs, loaded once per test crate.
pub fn embedded() -> Arc<RuleSet> {
    static RS: OnceLock<Arc<RuleSet>> = OnceLock::new();
    RS.get_or_init(|| Arc::new(interdict::rules::load_embedded().unwrap().0))
        .clone()
}
