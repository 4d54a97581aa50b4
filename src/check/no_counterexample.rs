//! Why a finding of the deep check comes without a counterexample scenario, as a value.

use super::concrete::ConcreteError;
use super::emit::EmitError;

/// Why a finding has no counterexample scenario. Shown in the finding's help as "no
/// counterexample scenario: ..."; the words are the variant's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoCounterexample {
    /// A scenario cannot state what the point of the analysis needs, or the analysis handed
    /// over an index it does not hold.
    #[error(transparent)]
    Concrete(#[from] ConcreteError),
    /// The TOML writer refused the scenario.
    #[error(transparent)]
    Emit(#[from] EmitError),
    /// The program's rules need a party designated under it, and no transaction can involve
    /// one.
    #[error("no transaction can involve a party designated under it")]
    NoPartyDesignated,
    /// The rule's conditions are met by no transaction of the space, not even nearly.
    #[error("no transaction comes close to meeting its conditions")]
    NoNearTransaction,
    /// A citation is text every decision naming the rule shows: nothing to run.
    #[error("the citation is static text, shown by every decision that names the rule")]
    StaticCitation,
    /// The property is about a rule's definition (what it sets and attaches), which no
    /// transaction changes.
    #[error("the rule's definition is at fault, whatever the transaction")]
    StaticDefinition,
}
