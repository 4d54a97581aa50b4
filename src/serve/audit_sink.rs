//! The audit trail behind the service's decision seam: every decision of `/v1/decisions` is
//! submitted to an `audit::AuditLog` (`serve --audit TARGET`) and answered only once the group
//! holding it is committed, so an acknowledged decision is in the log (docs/audit.md).

use interdict::audit::{self, AuditLog, ListSnapshot, Origin};

use super::sink::{DecisionRecord, DecisionSink, RecordFuture, SinkError};

/// A [`DecisionSink`] writing to an audit log.
pub struct AuditSink {
    log: AuditLog,
}

impl AuditSink {
    /// Record into `log`.
    pub fn new(log: AuditLog) -> AuditSink {
        AuditSink { log }
    }
}

/// The service's record in the audit trail's model. A batch request's body is the input of
/// each of its decisions; the decision's own transaction id is in its result.
fn audit_record(r: &DecisionRecord) -> audit::DecisionRecord {
    let recorded_at = chrono::DateTime::parse_from_rfc3339(&r.decided_at).map_or_else(
        |_| chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()),
        |t| t.with_timezone(&chrono::Utc),
    );
    audit::DecisionRecord {
        decision_id: r.decision_id.clone(),
        recorded_at,
        origin: Origin::Serve,
        input: r.input.to_string(),
        input_sha256: r.input_sha256.to_string(),
        result: r.result.clone(),
        engine_version: r.engine_version.to_string(),
        pack_digest: r.pack_digest.to_string(),
        list_snapshots: r
            .snapshots
            .iter()
            .map(|s| ListSnapshot {
                list: format!("{}:{}", s.kind, s.path),
                sha256: s.sha256.clone(),
            })
            .collect(),
        state_id: Some(r.state_id.to_string()),
    }
}

impl DecisionSink for AuditSink {
    fn record<'a>(&'a self, r: &'a DecisionRecord) -> RecordFuture<'a> {
        Box::pin(async move {
            let receipt = self
                .log
                .submit_async(audit_record(r))
                .await
                .map_err(|e| SinkError(e.to_string()))?;
            receipt
                .committed()
                .await
                .map_err(|e| SinkError(e.to_string()))
        })
    }

    fn backlog(&self) -> u64 {
        u64::try_from(self.log.backlog()).unwrap_or(u64::MAX)
    }

    fn flush(&self) -> RecordFuture<'_> {
        let log = self.log.clone();
        Box::pin(async move {
            // Closing joins the writer thread: off the runtime's threads.
            match tokio::task::spawn_blocking(move || log.close()).await {
                Ok(r) => r.map_err(|e| SinkError(e.to_string())),
                Err(e) => Err(SinkError(e.to_string())),
            }
        })
    }
}
