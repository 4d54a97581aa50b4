//! `interdict serve`: decisions over HTTP (docs/service.md).
//!
//! | file | concern |
//! |---|---|
//! | `state.rs` | the loaded state (rule packs, world, lists, engine), built whole |
//! | `reload.rs` | rebuilding it beside the old one and swapping it in: SIGHUP, the admin call, file changes |
//! | `decisions.rs`, `screen.rs`, `parties.rs`, `whatif.rs`, `health.rs` | one endpoint (or a family) each |
//! | `input.rs` | what requests carry, lowered by the library's one transaction lowering |
//! | `limits.rs` | body size, JSON depth, batch size, requests in flight, time per request |
//! | `error.rs` | errors as JSON `{code, message, location?}` |
//! | `metrics.rs` | the Prometheus counters |
//! | `sink.rs` | the seam every decision passes before its answer (the audit trail plugs in) |
//! | `openapi.rs` | the OpenAPI 3.1 document, generated from the request and answer types |
//!
//! The service is the binary's: the library knows nothing of HTTP. Decisions are made by the
//! library's own lowering, engine and report, so the decision JSON is `eval --format json`'s.

mod audit_sink;
mod decisions;
mod error;
mod health;
mod input;
mod limits;
mod metrics;
pub(crate) mod openapi;
mod parties;
mod reload;
mod screen;
pub(crate) mod sink;
pub(crate) mod state;
mod whatif;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::time::Instant;

use arc_swap::ArcSwap;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;
use axum::routing::{get, post};

pub use audit_sink::AuditSink;
pub use limits::Limits;
pub use sink::{DecisionSink, NoSink};
pub use state::Sources;

use error::ApiError;
use metrics::Metrics;
use state::Loaded;

/// The version of interdict every answer names.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// How the service runs.
pub struct Config {
    /// Where to listen (loopback unless said otherwise).
    pub listen: SocketAddr,
    /// What the state is built from.
    pub sources: Sources,
    /// The request limits.
    pub limits: Limits,
    /// The bearer token admin endpoints require; without one they are refused.
    pub admin_token: Option<String>,
    /// How often the sources are checked for changes; `None`: never.
    pub watch: Option<std::time::Duration>,
    /// Where decisions go before their answer is sent.
    pub sink: Arc<dyn DecisionSink>,
}

/// What every handler shares.
pub struct Shared {
    /// The state in use; a reload swaps it whole.
    pub current: ArcSwap<Loaded>,
    /// What a reload reads.
    pub sources: Sources,
    /// The request limits.
    pub limits: Limits,
    /// The counters of `/metrics`.
    pub metrics: Metrics,
    /// The decision seam.
    pub sink: Arc<dyn DecisionSink>,
    /// The admin bearer token.
    pub admin_token: Option<String>,
    /// Reloads started so far (the state id's generation).
    pub generation: AtomicU64,
    /// One reload at a time.
    pub reloading: tokio::sync::Mutex<()>,
    /// False once shutdown has begun (`/readyz` then says so).
    pub ready: AtomicBool,
}

/// The handlers' state.
pub type App = Arc<Shared>;

/// The routes, their limits and their counters.
pub fn router(app: App) -> Router {
    let gate = limits::Gate {
        places: Arc::new(tokio::sync::Semaphore::new(
            app.limits.max_concurrency.max(1),
        )),
        timeout: app.limits.request_timeout,
        queue_timeout: app.limits.queue_timeout,
    };
    Router::new()
        .route("/v1/decisions", post(decisions::decide))
        .route("/v1/screen", post(screen::screen))
        .route("/v1/parties/{id}/status", get(parties::status))
        .route("/v1/what-if", post(whatif::what_if))
        .route("/v1/admin/reload", post(reload::admin_reload))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/openapi.json", get(health::openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(gate, limits::gate))
        .layer(from_fn_with_state(app.clone(), count))
        .with_state(app)
}

async fn not_found(req: Request) -> ApiError {
    ApiError::not_found(format!(
        "no endpoint `{}` (see /openapi.json)",
        req.uri().path()
    ))
}

async fn method_not_allowed(req: Request) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        format!("`{}` does not take {}", req.uri().path(), req.method()),
    )
}

/// Count and time every request, and log it at debug level.
async fn count(State(app): State<App>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    let method = req.method().clone();
    let response = next.run(req).await;
    let took = start.elapsed();
    let status = response.status().as_u16();
    app.metrics.request(&route, status, took);
    tracing::debug!(%method, route, status, micros = took.as_micros() as u64, "request");
    response
}

/// Run the service until SIGTERM or Ctrl-C, then finish the requests in flight and flush the
/// decision sink. Fails when the first state cannot be built or the address not bound.
pub async fn run(config: Config) -> Result<(), String> {
    let first = tokio::task::spawn_blocking({
        let sources = config.sources.clone();
        move || state::load(&sources, 0)
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|d| reload::describe(&d))?;
    for w in &first.warnings {
        tracing::warn!(code = w.code.as_str(), "{}", w.message);
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let app: App = Arc::new(Shared {
        current: ArcSwap::from_pointee(first),
        sources: config.sources,
        limits: config.limits,
        metrics: Metrics::default(),
        sink: config.sink,
        admin_token: config.admin_token,
        generation: AtomicU64::new(0),
        reloading: tokio::sync::Mutex::new(()),
        ready: AtomicBool::new(true),
    });
    let state_id = app.current.load().id.clone();
    tracing::info!(address = %local, state_id = &*state_id, "listening");
    reload::spawn_triggers(&app, config.watch);
    let signal = reload::shutdown_signal();
    // The address on standard output, alone on its line: tests and scripts read the port.
    println!("listening on http://{local}");
    let shutdown = {
        let app = app.clone();
        async move {
            signal.await;
            app.ready.store(false, std::sync::atomic::Ordering::SeqCst);
            tracing::info!("shutting down: finishing the requests in flight");
        }
    };
    axum::serve(listener, router(app.clone()))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| e.to_string())?;
    app.sink.flush().await.map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}
