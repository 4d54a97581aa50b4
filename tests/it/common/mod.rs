//! Support shared by the test crates: generators of well-formed worlds, transactions and rule
//! packs (`generate`), a deliberately naive reference evaluator written independently of the
//! engine (`reference`), a name-based normal form of decisions (`normal`), a TOML writer
//! (`write`), and construction helpers for worlds and doctrines built in code (below; nothing
//! here computes a status).

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "shared by several test crates, each using a part; test code stops on failure"
)]

pub mod external;
pub mod generate;
pub mod list_corpus;
pub mod normal;
pub mod reference;
pub mod rust_source;
pub mod server;
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

use interdict::model::pack::Pack;
use interdict::model::ruleset::RuleSet;

/// The embedded packs (rule set and reference world), loaded once per test crate.
pub fn pack() -> Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| interdict::scenario::pack::load_embedded().unwrap().0)
        .clone()
}

/// The embedded packs' rule set, loaded once per test crate.
pub fn embedded() -> Arc<RuleSet> {
    pack().rules
}

// Worlds and doctrines built in code come from the library (the `test-util` feature), so
// library users build their test worlds the same way.
pub use interdict::test_util::{
    basis, control, date, dec, designate, doctrine, entity, joint, own, own_share, party, person,
    rules, status_of, statuses, us, with_doctrine,
};

/// Whether the lists folder (`INTERDICT_LISTS_DIR`, default `../shared/data/lists`) is there.
/// A test that reads real list files (directly, or through a scenario's `lists:` path or the
/// workload's SDN copy) returns early when it is not, after saying so on stderr; a present
/// folder with a missing file still fails loudly.
pub fn lists_present(who: &str) -> bool {
    interdict::lists::dir::for_test(interdict::lists::dir::SDN_SNAPSHOT, who).is_some()
}
