//! Writing scenario files: a serde mirror of the scenario format built from the raw structs,
//! so a counterexample is written in exactly the language `interdict eval` reads (and the
//! round-trip property tests read it back).

use std::ops::Range;

use serde::Serialize;
use toml::Spanned;

use crate::scenario::raw::{
    RawControl, RawDesignation, RawExchangeRate, RawJointArrangement, RawLicense, RawOwnership,
    RawParty, RawScenarioHeader, RawTransaction,
};

/// A whole scenario file, table by table, in the order the format documents.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ScenarioFile {
    /// The `[scenario]` header: name, description, as-of date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<RawScenarioHeader>,
    /// The `[[party]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub party: Vec<RawParty>,
    /// The `[[designation]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub designation: Vec<RawDesignation>,
    /// The `[[ownership]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ownership: Vec<RawOwnership>,
    /// The `[[control]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub control: Vec<RawControl>,
    /// The `[[joint_arrangement]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub joint_arrangement: Vec<RawJointArrangement>,
    /// The `[[exchange_rate]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exchange_rate: Vec<RawExchangeRate>,
    /// The `[[license]]` tables (specific licenses).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub license: Vec<RawLicense>,
    /// The `[[transaction]]` tables, with their expectations.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transaction: Vec<RawTransaction>,
}

/// A value with no source position (built in code).
pub fn sp<T>(v: T) -> Spanned<T> {
    Spanned::new(Range { start: 0, end: 0 }, v)
}

/// A scenario the TOML serializer refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write the scenario: {0}")]
pub struct EmitError(#[from] toml::ser::Error);

/// Render the file as TOML, after a comment block (each line prefixed with `# `).
pub fn render(comment: &str, file: &ScenarioFile) -> Result<String, EmitError> {
    let body = toml::to_string(file)?;
    let mut out = String::new();
    for line in comment.lines() {
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    if !comment.is_empty() {
        out.push('\n');
    }
    out.push_str(&body);
    Ok(out)
}
