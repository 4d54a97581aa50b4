//! `GET /healthz`, `/readyz`, `/metrics` and `/openapi.json`.

use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::App;

/// What `/healthz` and `/readyz` answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`, or `shutting_down`.
    pub status: String,
    /// The loaded state.
    pub state_id: String,
    /// The version of interdict.
    pub engine_version: String,
    /// The sha256 of the rule packs' texts.
    pub pack_digest: String,
    /// Reloads that succeeded since the start.
    pub reloads_ok: u64,
    /// Reloads that failed (the state before each was kept).
    pub reloads_failed: u64,
}

fn health(app: &App, status: &str) -> Health {
    let state = app.current.load();
    let (ok, failed) = app.metrics.reloads();
    Health {
        status: status.to_string(),
        state_id: state.id.to_string(),
        engine_version: super::ENGINE_VERSION.to_string(),
        pack_digest: state.pack.digest.to_string(),
        reloads_ok: ok,
        reloads_failed: failed,
    }
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)))]
pub async fn healthz(State(app): State<App>) -> Json<Health> {
    Json(health(&app, "ok"))
}

/// The service takes requests: a state is loaded and shutdown has not begun.
#[utoipa::path(
    get,
    path = "/readyz",
    responses((status = 200, body = Health), (status = 503, description = "Shutting down", body = Health))
)]
pub async fn readyz(State(app): State<App>) -> Response {
    if app.ready.load(Ordering::SeqCst) {
        Json(health(&app, "ok")).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(health(&app, "shutting_down")),
        )
            .into_response()
    }
}

/// The counters, in the Prometheus text format.
#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
pub async fn metrics(State(app): State<App>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        app.metrics.render(app.sink.backlog()),
    )
        .into_response()
}

/// This OpenAPI document (also docs/openapi.json).
#[utoipa::path(get, path = "/openapi.json", responses((status = 200, description = "OpenAPI 3.1", content_type = "application/json")))]
pub async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        super::openapi::document(),
    )
        .into_response()
}
