//! A pack: the law of the rule packs and the facts they publish beside it, kept apart.

use std::sync::Arc;

use super::ruleset::RuleSet;
use super::world::World;

/// The rule packs once loaded: the rule set (law only) and the reference world the packs
/// declare beside it (parties and designations such as the 2025 cartel designations). Every
/// scenario's world starts from the reference world. Both are shared, never copied whole.
#[derive(Debug, Clone, Default)]
pub struct Pack {
    /// Jurisdictions, programs, rules, obligations and penalties, resolved and indexed.
    pub rules: Arc<RuleSet>,
    /// The parties and designations the packs declare.
    pub reference: Arc<World>,
    /// The sha256 of the pack files' texts (`source::digest_files`): which law decided.
    pub digest: Arc<str>,
}
