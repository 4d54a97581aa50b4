//! The seam where every decision the service makes is handed over before the client gets it:
//! a [`DecisionSink`]. The audit trail plugs in here; until it does, [`NoSink`] keeps nothing.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// Everything needed to show later what was decided, on what input, under which law and lists.
#[derive(Debug, Clone)]
#[allow(
    dead_code,
    reason = "read by the decision log that plugs in here; the default sink keeps nothing"
)]
pub struct DecisionRecord {
    /// The id the answer names (`decision_id`), a UUID v4.
    pub decision_id: String,
    /// When the decision was made (RFC 3339, UTC).
    pub decided_at: String,
    /// The request body exactly as received (a batch's body is shared by its decisions).
    pub input: Arc<str>,
    /// The sha256 of `input`, lowercase hex.
    pub input_sha256: Arc<str>,
    /// The position of the transaction in a batch request; `None` for a single one.
    pub item: Option<usize>,
    /// The answer sent for this decision, as JSON text.
    pub result: String,
    /// The version of interdict that decided.
    pub engine_version: &'static str,
    /// `Pack.digest`: the sha256 of the rule packs' texts.
    pub pack_digest: Arc<str>,
    /// The world and list files the decision was made against, with their sha256.
    pub snapshots: Arc<[super::state::Snapshot]>,
    /// The id of the loaded state that decided.
    pub state_id: Arc<str>,
}

/// Why a decision could not be recorded: the client then gets an error, never the decision.
#[derive(Debug, thiserror::Error)]
#[error("the decision log refused the record: {0}")]
pub struct SinkError(pub String);

/// The future [`DecisionSink::record`] returns.
pub type RecordFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SinkError>> + Send + 'a>>;

/// Where decisions go before their answer is sent. The service awaits `record` for every
/// decision and answers only once it has resolved; a sink that is full applies back-pressure
/// by resolving later.
pub trait DecisionSink: Send + Sync + 'static {
    /// Keep one decision.
    fn record<'a>(&'a self, record: &'a DecisionRecord) -> RecordFuture<'a>;
    /// Records accepted but not yet stored (the `/metrics` log backlog).
    fn backlog(&self) -> u64 {
        0
    }
    /// Called once at shutdown, after the last request: store what is still queued.
    fn flush(&self) -> RecordFuture<'_> {
        Box::pin(async { Ok(()) })
    }
}

/// The default sink: keeps nothing.
#[derive(Debug, Default)]
pub struct NoSink;

impl DecisionSink for NoSink {
    fn record<'a>(&'a self, _: &'a DecisionRecord) -> RecordFuture<'a> {
        Box::pin(async { Ok(()) })
    }
}
