//! `POST /v1/decisions`: one transaction or a batch, decided as `eval --format json` decides
//! it (the same lowering, engine and report), each answer naming its decision id, the law,
//! the lists and the state that decided. Every decision goes through the [`DecisionSink`]
//! before the answer is sent.
//!
//! [`DecisionSink`]: super::sink::DecisionSink

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use interdict::eval::EvalOptions;
use interdict::model::JurisdictionIdx;
use interdict::model::values::{Date, parse_date};
use interdict::report::DecisionReport;
use interdict::{Engine, Transaction};

use super::App;
use super::error::{ApiError, Location, Problem};
use super::input::{PartyIn, TransactionIn};
use super::limits::{parse, read_body};
use super::sink::DecisionRecord;
use super::state::{Loaded, Snapshot};

/// The shape of one decision answer.
pub const DECISION_SCHEMA: &str = "interdict.decision/1";
/// The shape of a batch's answer.
pub const BATCH_SCHEMA: &str = "interdict.decisions/1";

/// A request for decisions: `transaction` or `transactions`, never both.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// One transaction: the answer is one decision.
    #[serde(default)]
    pub transaction: Option<TransactionIn>,
    /// A batch: the answer lists one decision per transaction, in order.
    #[serde(default)]
    pub transactions: Option<Vec<TransactionIn>>,
    /// Parties added to the loaded world for this request only.
    #[serde(default)]
    pub parties: Vec<PartyIn>,
    /// Decide as the law and lists stood on this date (`YYYY-MM-DD`); default: the world
    /// file's `as_of`, else each transaction's date.
    #[serde(default)]
    pub as_of: Option<String>,
    /// The day the evaluation is made: exposures whose limitation ended before it are barred.
    #[serde(default)]
    pub evaluated_on: Option<String>,
    /// Only these jurisdictions (ids of the rule packs); default: all.
    #[serde(default)]
    pub jurisdictions: Vec<String>,
    /// Include the full trace, as `eval --trace` does.
    #[serde(default)]
    pub trace: bool,
}

/// One decision: the report `eval --format json` writes for the transaction, and what the
/// service adds.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DecisionResponse {
    /// `interdict.decision/1`.
    pub schema: String,
    /// The decision's id (a UUID v4), under which the decision log keeps it.
    pub decision_id: String,
    /// The loaded state that decided (`GENERATION-DIGEST`).
    pub state_id: String,
    /// The version of interdict.
    pub engine_version: String,
    /// The sha256 of the rule packs' texts (`Pack.digest`).
    pub pack_digest: String,
    /// The world and list files, by content.
    pub snapshots: Vec<Snapshot>,
    /// The decision, exactly as one decision of `interdict eval --format json`
    /// (`interdict.report/3`, docs/json.md).
    #[schema(value_type = Object)]
    pub decision: DecisionReport,
}

/// A batch's answer (the decisions are [`DecisionResponse`]s).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BatchResponse {
    /// `interdict.decisions/1`.
    pub schema: String,
    /// The loaded state that decided every decision of the batch.
    pub state_id: String,
    /// One per transaction, in request order.
    pub decisions: Vec<DecisionResponse>,
}

/// Decide the transactions of the request.
#[utoipa::path(
    post,
    path = "/v1/decisions",
    request_body = DecisionRequest,
    responses(
        (status = 200, description = "One decision (`transaction`) or a batch (`transactions`)", body = DecisionResponse),
        (status = 400, description = "Malformed JSON, too deep, or neither/both of transaction and transactions", body = super::error::ErrorBody),
        (status = 413, description = "Body or batch too large", body = super::error::ErrorBody),
        (status = 422, description = "Wrong shape, or a transaction naming what the loaded state does not know", body = super::error::ErrorBody),
        (status = 503, description = "The decision log refused the record", body = super::error::ErrorBody),
    )
)]
pub async fn decide(State(app): State<App>, req: Request) -> Result<Response, ApiError> {
    let bytes = read_body(req, app.limits.max_body_bytes).await?;
    let request: DecisionRequest = parse(&bytes, &app.limits)?;
    let state = app.current.load_full();
    let (single, decisions) =
        decide_all(&state, &request, app.limits.max_batch).map_err(|e| e.in_state(&state.id))?;
    let input: Arc<str> = String::from_utf8_lossy(&bytes).into();
    let input_sha256: Arc<str> = interdict::source::sha256_hex(&bytes).into();
    let mut texts = Vec::with_capacity(decisions.len());
    for (i, d) in decisions.iter().enumerate() {
        let result = serde_json::to_string(d).map_err(internal)?;
        let record = DecisionRecord {
            decision_id: d.decision_id.clone(),
            decided_at: now_rfc3339(),
            input: input.clone(),
            input_sha256: input_sha256.clone(),
            item: (!single).then_some(i),
            result,
            engine_version: super::ENGINE_VERSION,
            pack_digest: state.pack.digest.clone(),
            snapshots: state.snapshots.clone(),
            state_id: state.id.clone(),
        };
        app.sink.record(&record).await.map_err(|e| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "DECISION_LOG_FAILED",
                e.to_string(),
            )
            .in_state(&state.id)
        })?;
        app.metrics.decision(d.decision.overall.as_str());
        texts.push(record.result);
    }
    let body = if single {
        texts.pop().unwrap_or_default()
    } else {
        format!(
            "{{\"schema\":\"{BATCH_SCHEMA}\",\"state_id\":{},\"decisions\":[{}]}}",
            serde_json::Value::from(&*state.id),
            texts.join(",")
        )
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// Every decision of a request, or every problem of its transactions. The flag says whether
/// the request was a single transaction.
fn decide_all(
    state: &Loaded,
    request: &DecisionRequest,
    max_batch: usize,
) -> Result<(bool, Vec<DecisionResponse>), ApiError> {
    let (single, txs): (bool, &[TransactionIn]) = match (
        &request.transaction,
        &request.transactions,
    ) {
        (Some(t), None) => (true, std::slice::from_ref(t)),
        (None, Some(ts)) => (false, ts),
        _ => {
            return Err(ApiError::bad_request(
                "INVALID_REQUEST",
                "give either `transaction` (one) or `transactions` (a batch), not both or neither",
            ));
        }
    };
    if txs.len() > max_batch {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "BATCH_TOO_LARGE",
            format!(
                "the batch has {} transactions, more than the limit of {max_batch}",
                txs.len()
            ),
        )
        .at(Location::pointer("/transactions")));
    }
    let opts = options(state, request)?;
    let inline = super::input::world_with(state, &request.parties).map_err(invalid)?;
    let inline_engine = inline.map(|w| Engine::new(state.rules.clone(), Arc::new(w)));
    let engine = inline_engine.as_ref().unwrap_or(&state.engine);
    let world = engine.world();
    let mut lowered: Vec<Transaction> = Vec::with_capacity(txs.len());
    let mut problems = Vec::new();
    for (i, t) in txs.iter().enumerate() {
        let pointer = if single {
            "/transaction".to_string()
        } else {
            format!("/transactions/{i}")
        };
        match super::input::lower(state, world, t, &pointer) {
            Ok(tx) => lowered.push(tx),
            Err(p) => problems.extend(p),
        }
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let decisions = lowered
        .iter()
        .map(|tx| {
            let d = engine.evaluate(tx, &opts);
            DecisionResponse {
                schema: DECISION_SCHEMA.to_string(),
                decision_id: uuid::Uuid::new_v4().to_string(),
                state_id: state.id.to_string(),
                engine_version: super::ENGINE_VERSION.to_string(),
                pack_digest: state.pack.digest.to_string(),
                snapshots: state.snapshots.to_vec(),
                decision: interdict::report::build(engine, tx, &d),
            }
        })
        .collect();
    Ok((single, decisions))
}

/// The evaluation options of a request: its dates over the world file's, its jurisdictions.
fn options(state: &Loaded, request: &DecisionRequest) -> Result<EvalOptions, ApiError> {
    Ok(EvalOptions {
        trace: request.trace,
        as_of: date(request.as_of.as_deref(), "/as_of")?.or(state.as_of),
        evaluated_on: date(request.evaluated_on.as_deref(), "/evaluated_on")?
            .or(state.evaluated_on),
        jurisdictions: jurisdictions(state, &request.jurisdictions, "/jurisdictions")?,
    })
}

/// A date field of a request, `YYYY-MM-DD`.
pub fn date(text: Option<&str>, pointer: &str) -> Result<Option<Date>, ApiError> {
    text.map(|t| {
        parse_date(t).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "INVALID_VALUE",
                format!("`{t}` is not a date (YYYY-MM-DD): {e}"),
            )
            .at(Location::pointer(pointer))
        })
    })
    .transpose()
}

/// Jurisdiction ids resolved; an unknown one is refused with a suggestion.
pub fn jurisdictions(
    state: &Loaded,
    names: &[String],
    pointer: &str,
) -> Result<Option<Vec<JurisdictionIdx>>, ApiError> {
    if names.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(names.len());
    for n in names {
        match state.rules.jurisdiction_by_id(n) {
            Some(j) => out.push(j),
            None => {
                let known = state.rules.jurisdictions.iter().map(|j| j.id.as_str());
                let help = interdict::diagnostic::did_you_mean(n, known);
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "UNKNOWN_REFERENCE",
                    format!("unknown jurisdiction `{n}`"),
                )
                .at(Location::pointer(pointer))
                .with_problems(vec![Problem {
                    code: "UNKNOWN_REFERENCE".into(),
                    message: format!("unknown jurisdiction `{n}`"),
                    help,
                    location: Some(Location::pointer(pointer)),
                }]));
            }
        }
    }
    Ok(Some(out))
}

/// 422 listing the problems of a request's transactions or parties.
fn invalid(problems: Vec<Problem>) -> ApiError {
    let message = match problems.as_slice() {
        [one] => one.message.clone(),
        many => format!(
            "{} problems in the request's transactions or parties",
            many.len()
        ),
    };
    let location = problems.first().and_then(|p| p.location.clone());
    let e = ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_TRANSACTION",
        message,
    )
    .with_problems(problems);
    match location {
        Some(l) => e.at(l),
        None => e,
    }
}

/// 500 for what cannot happen (a report that does not serialise).
pub fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", e.to_string())
}

/// Now, RFC 3339 in UTC with microseconds.
pub fn now_rfc3339() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = i64::try_from(now.as_secs()).unwrap_or(i64::MAX);
    chrono::DateTime::from_timestamp(secs, now.subsec_nanos())
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
        .unwrap_or_default()
}
