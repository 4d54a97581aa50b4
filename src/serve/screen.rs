//! `POST /v1/screen`: a name, or identifiers, against the loaded lists, with scores and why;
//! each list's answer is what `interdict lookup --format json` writes for it.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::App;
use super::error::{ApiError, Location};
use super::limits::{parse, read_body};
use super::state::Snapshot;
use crate::cli::lookup::{Query, report};

/// A screening request: a name, identifiers, or both.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenRequest {
    /// The name to look up (exact matches after normalisation, then fuzzy candidates).
    #[serde(default)]
    pub name: Option<String>,
    /// Document or registry numbers (passports, national ids, registry numbers).
    #[serde(default)]
    pub identifiers: Vec<String>,
    /// Lowest fuzzy score shown, above 0 and at most 1 (default 0.85, as `lookup`).
    #[serde(default)]
    pub threshold: Option<f64>,
    /// At most this many fuzzy candidates per list (default 10, at most 100).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// One query's matches in one list (the `lookup --format json` shape).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ScreenResult {
    /// The list file, as named on the command line.
    pub list: String,
    /// What was looked up: the name, or an identifier.
    pub kind: String,
    /// The lookup report: `query`, `normalized`, `entries`, `names`, `threshold`, `exact`
    /// and `fuzzy` matches with `score`, `why` and `programs`.
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
}

/// The answer of `/v1/screen`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ScreenResponse {
    /// `interdict.screen/1`.
    pub schema: String,
    /// The loaded state that answered.
    pub state_id: String,
    /// The list files, by content.
    pub snapshots: Vec<Snapshot>,
    /// Whether any list has an exact match (a reason to stop), or a fuzzy one (to review).
    pub exact_matches: usize,
    /// Fuzzy candidates over every list and query.
    pub fuzzy_candidates: usize,
    /// Per list and query.
    pub results: Vec<ScreenResult>,
}

/// The most fuzzy candidates a request may ask for.
const MAX_LIMIT: usize = 100;

/// Screen a name and identifiers against the loaded lists.
#[utoipa::path(
    post,
    path = "/v1/screen",
    request_body = ScreenRequest,
    responses(
        (status = 200, body = ScreenResponse),
        (status = 409, description = "The service was started without a list", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub async fn screen(
    State(app): State<App>,
    req: Request,
) -> Result<Json<ScreenResponse>, ApiError> {
    let bytes = read_body(req, app.limits.max_body_bytes).await?;
    let request: ScreenRequest = parse(&bytes, &app.limits)?;
    let state = app.current.load_full();
    let invalid = |pointer: &str, message: String| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "INVALID_VALUE", message)
            .at(Location::pointer(pointer))
            .in_state(&state.id)
    };
    let threshold = request
        .threshold
        .unwrap_or(interdict::lists::index::DEFAULT_THRESHOLD);
    if !(threshold > 0.0 && threshold <= 1.0) {
        return Err(invalid(
            "/threshold",
            format!("the threshold must be above 0 and at most 1, not {threshold}"),
        ));
    }
    let limit = request.limit.unwrap_or(10);
    if limit > MAX_LIMIT {
        return Err(invalid(
            "/limit",
            format!("the limit is at most {MAX_LIMIT}, not {limit}"),
        ));
    }
    let name = request.name.as_deref().filter(|n| !n.trim().is_empty());
    if name.is_none() && request.identifiers.is_empty() {
        return Err(invalid(
            "/name",
            "give a `name`, `identifiers`, or both".to_string(),
        ));
    }
    if state.lists.is_empty() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "NO_LIST",
            "the service was started without a list: `interdict serve --list FILE`",
        )
        .in_state(&state.id));
    }
    let queries = name
        .map(|n| (n, false))
        .into_iter()
        .chain(request.identifiers.iter().map(|i| (i.as_str(), true)));
    let mut results = Vec::new();
    let (mut exact, mut fuzzy) = (0, 0);
    for (text, identifier) in queries {
        for l in &state.lists {
            let q = Query {
                text,
                identifier,
                threshold,
                limit,
            };
            let r = report(&q, &state.pack, &l.list);
            exact += r.exact.len();
            fuzzy += r.fuzzy.len();
            results.push(ScreenResult {
                list: l.path.clone(),
                kind: if identifier { "identifier" } else { "name" }.to_string(),
                report: serde_json::to_value(&r).map_err(super::decisions::internal)?,
            });
        }
    }
    Ok(Json(ScreenResponse {
        schema: "interdict.screen/1".to_string(),
        state_id: state.id.to_string(),
        snapshots: state.snapshots.to_vec(),
        exact_matches: exact,
        fuzzy_candidates: fuzzy,
        results,
    }))
}
