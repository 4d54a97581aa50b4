//! `GET /v1/parties/{id}/status`: a party of the loaded world, blocked or not per
//! jurisdiction, with the ownership witness, as `interdict explain party --format json`.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::App;
use super::decisions::date;
use super::error::{ApiError, Location};

/// The query of a status request.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StatusQuery {
    /// The date (`YYYY-MM-DD`); default: the world file's `as_of`, else today.
    #[serde(default)]
    pub as_of: Option<String>,
    /// Only these jurisdictions, comma-separated (`us,eu`).
    #[serde(default)]
    pub jurisdictions: Option<String>,
}

/// The answer: per jurisdiction, the party's status and its proof.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StatusResponse {
    /// `interdict.party-status/1`.
    pub schema: String,
    /// The loaded state that answered.
    pub state_id: String,
    /// The party asked for.
    pub party: String,
    /// Each jurisdiction's answer, as `explain party --format json`: `status`, `text` and
    /// `witness` (the ownership proof).
    #[schema(value_type = Vec<Object>)]
    pub jurisdictions: serde_json::Value,
}

/// A party's status per jurisdiction, with the witness.
#[utoipa::path(
    get,
    path = "/v1/parties/{id}/status",
    params(("id" = String, Path, description = "The party id (or a list alias such as `ofac:4697`)"), StatusQuery),
    responses(
        (status = 200, body = StatusResponse),
        (status = 404, description = "No such party in the loaded world", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub async fn status(
    State(app): State<App>,
    Path(id): Path<String>,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Result<Json<StatusResponse>, ApiError> {
    let state = app.current.load_full();
    let Query(q) = query.map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_REQUEST",
            format!(
                "the query string does not have the expected shape: {}",
                e.body_text()
            ),
        )
        .in_state(&state.id)
    })?;
    let Some(p) = state.world.party_by_id(&id) else {
        let mut e = ApiError::not_found(format!("no party `{id}` in the loaded world"))
            .at(Location::pointer("/id"))
            .in_state(&state.id);
        if state.world.parties.len() <= 10_000
            && let Some(help) = interdict::diagnostic::did_you_mean(
                &id,
                state.world.parties.iter().map(|p| p.id.as_str()),
            )
        {
            e.body.message.push_str(&format!(": {help}"));
        }
        return Err(e);
    };
    let names: Vec<String> = q
        .jurisdictions
        .as_deref()
        .map(|j| j.split(',').map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    let only = super::decisions::jurisdictions(&state, &names, "/jurisdictions")
        .map_err(|e| e.in_state(&state.id))?;
    let day = date(q.as_of.as_deref(), "/as_of")
        .map_err(|e| e.in_state(&state.id))?
        .or(state.as_of)
        .unwrap_or_else(crate::cli::explain::today);
    let out = crate::cli::explain::explanations(
        &state.rules,
        &state.world,
        only.as_deref(),
        day,
        (p, &id),
    );
    Ok(Json(StatusResponse {
        schema: "interdict.party-status/1".to_string(),
        state_id: state.id.to_string(),
        party: id,
        jurisdictions: serde_json::to_value(&out).map_err(super::decisions::internal)?,
    }))
}
