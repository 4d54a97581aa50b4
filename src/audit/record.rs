//! One recorded decision: what was asked, what was answered, and under which law and lists.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

/// Where a decision was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// `interdict serve`: one request's decision.
    Serve,
    /// `interdict batch`: one record of a batch run.
    Batch,
    /// `interdict eval --audit`: one transaction of a scenario file.
    Eval,
}

impl Origin {
    /// The word stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Serve => "serve",
            Origin::Batch => "batch",
            Origin::Eval => "eval",
        }
    }

    /// The origin a stored word names, if any.
    pub fn parse(s: &str) -> Option<Origin> {
        match s {
            "serve" => Some(Origin::Serve),
            "batch" => Some(Origin::Batch),
            "eval" => Some(Origin::Eval),
            _ => None,
        }
    }
}

/// A list version a decision was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListSnapshot {
    /// The list (its file name or store name).
    pub list: String,
    /// The sha256 of the list file's bytes, which names the version exactly.
    pub sha256: String,
}

/// One decision as the audit trail keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    /// The decision's id (a UUID version 7: unique across writers, ordered by time).
    pub decision_id: String,
    /// When the decision was made (UTC).
    pub recorded_at: DateTime<Utc>,
    /// Which command made it.
    pub origin: Origin,
    /// The input exactly as received (a request body, a batch line, a scenario file).
    pub input: String,
    /// The sha256 of `input`, lowercase hex.
    pub input_sha256: String,
    /// The decision as JSON, as it was answered.
    pub result: String,
    /// The version of interdict that decided.
    pub engine_version: String,
    /// The digest of the rule packs that decided (`Pack::digest`).
    pub pack_digest: String,
    /// The list versions the world was built from.
    pub list_snapshots: Vec<ListSnapshot>,
    /// The state that decided, when the caller names one (a service's loaded state; a batch's
    /// world file digest).
    pub state_id: Option<String>,
}

impl DecisionRecord {
    /// A record made now, with a fresh id, the input's hash and this build's version.
    pub fn new(origin: Origin, input: String, result: String, pack_digest: &str) -> Self {
        DecisionRecord {
            decision_id: new_decision_id(),
            recorded_at: DateTime::<Utc>::from(std::time::SystemTime::now()),
            origin,
            input_sha256: crate::source::sha256_hex(input.as_bytes()),
            input,
            result,
            engine_version: ENGINE_VERSION.to_string(),
            pack_digest: pack_digest.to_string(),
            list_snapshots: Vec::new(),
            state_id: None,
        }
    }

    /// `recorded_at` as stored: RFC 3339 in UTC with microseconds, so that stored times sort
    /// as text.
    pub fn recorded_at_text(&self) -> String {
        time_text(self.recorded_at)
    }

    /// The list snapshots as stored (a JSON array).
    pub fn list_snapshots_json(&self) -> String {
        serde_json::to_string(&self.list_snapshots).unwrap_or_else(|_| "[]".to_string())
    }
}

/// The version of this build, recorded with every decision.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A new decision id: a UUID version 7 (time first, then random bits), so that ids from
/// several writers never collide and sort roughly by time.
pub fn new_decision_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A time as stored in the log.
pub fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Read a stored time back.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
