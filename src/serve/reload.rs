//! Reloading the state without a gap: the new state is built beside the one in use and
//! swapped in whole; requests in flight finish on the state they started with. A reload that
//! fails keeps the state in use, and is logged and counted. Triggers: SIGHUP, `POST
//! /v1/admin/reload` (with the admin token), and a change to a source file (polled).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::Serialize;

use interdict::diagnostic::Diagnostics;

use super::App;
use super::error::{ApiError, Problem};
use super::state::Loaded;

/// What a reload answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReloadResponse {
    /// The state now in use.
    pub state_id: String,
    /// The state it replaced.
    pub previous_state_id: String,
}

/// Build a new state from the sources and swap it in; on failure keep the old one.
pub async fn reload(app: &App, why: &str) -> Result<(Arc<Loaded>, Arc<Loaded>), Diagnostics> {
    let _one_at_a_time = app.reloading.lock().await;
    let generation = app.generation.fetch_add(1, Ordering::SeqCst) + 1;
    let sources = app.sources.clone();
    let built = tokio::task::spawn_blocking(move || super::state::load(&sources, generation))
        .await
        .unwrap_or_else(|e| {
            let mut d = Diagnostics::new();
            d.error(
                interdict::Code::Io,
                &interdict::source::Loc::builtin("reload"),
                format!("the reload stopped: {e}"),
            );
            Err(d)
        });
    match built {
        Ok(state) => {
            for w in &state.warnings {
                tracing::warn!(code = w.code.as_str(), "{}", w.message);
            }
            let state = Arc::new(state);
            let previous = app.current.swap(state.clone());
            app.metrics.reload(true);
            tracing::info!(
                why,
                state_id = &*state.id,
                previous = &*previous.id,
                "reloaded"
            );
            Ok((state, previous))
        }
        Err(d) => {
            app.metrics.reload(false);
            tracing::error!(
                why,
                errors = d.error_count(),
                "reload failed, the state in use is kept: {}",
                describe(&d)
            );
            Err(d)
        }
    }
}

/// Every error of a failed load, one a line.
pub fn describe(d: &Diagnostics) -> String {
    use interdict::render::diagnostic::DiagnosticText as _;
    d.iter()
        .filter(|x| x.severity == interdict::diagnostic::Severity::Error)
        .map(|x| x.render())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reload now (the admin token required).
#[utoipa::path(
    post,
    path = "/v1/admin/reload",
    security(("admin_token" = [])),
    responses(
        (status = 200, body = ReloadResponse),
        (status = 401, description = "No token, or the wrong one", body = super::error::ErrorBody),
        (status = 403, description = "The service was started without --admin-token-file", body = super::error::ErrorBody),
        (status = 500, description = "The reload failed; the state in use is kept", body = super::error::ErrorBody),
    )
)]
pub async fn admin_reload(
    State(app): State<App>,
    headers: HeaderMap,
) -> Result<Json<ReloadResponse>, ApiError> {
    authorize(&app, &headers)?;
    match reload(&app, "admin request").await {
        Ok((now, before)) => Ok(Json(ReloadResponse {
            state_id: now.id.to_string(),
            previous_state_id: before.id.to_string(),
        })),
        Err(d) => {
            let problems = d
                .iter()
                .filter(|x| x.severity == interdict::diagnostic::Severity::Error)
                .map(|x| Problem {
                    code: x.code.as_str().to_string(),
                    message: format!("{}:{}:{}: {}", x.file, x.line, x.column, x.message),
                    help: x.help.clone(),
                    location: None,
                })
                .collect();
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "RELOAD_FAILED",
                format!(
                    "the reload failed with {} error(s); the state in use is kept",
                    d.error_count()
                ),
            )
            .with_problems(problems)
            .in_state(&app.current.load().id))
        }
    }
}

/// Refuse an admin call without the right bearer token.
fn authorize(app: &App, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &app.admin_token else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "ADMIN_DISABLED",
            "admin endpoints are off: start the service with --admin-token-file",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match given {
        Some(g) if same(g.trim().as_bytes(), token.as_bytes()) => Ok(()),
        _ => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "admin endpoints need `Authorization: Bearer TOKEN` with the token of --admin-token-file",
        )),
    }
}

/// Equality in time independent of where the first difference is.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Start the reload triggers: SIGHUP, and polling the sources for changes every `watch`. The
/// signal is registered before this returns, so a SIGHUP sent once the address is printed
/// reloads instead of ending the process.
pub fn spawn_triggers(app: &App, watch: Option<Duration>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::hangup()) {
            Ok(mut hup) => {
                let app = app.clone();
                tokio::spawn(async move {
                    while hup.recv().await.is_some() {
                        let _ = reload(&app, "SIGHUP").await;
                    }
                });
            }
            Err(e) => tracing::warn!("cannot listen for SIGHUP ({e}): reload with the admin call"),
        }
    }
    if let Some(every) = watch {
        let app = app.clone();
        tokio::spawn(async move {
            let paths = app.sources.paths();
            let stamp = |paths: Vec<std::path::PathBuf>| async move {
                tokio::task::spawn_blocking(move || fingerprint(&paths))
                    .await
                    .unwrap_or_default()
            };
            let mut last = stamp(paths.clone()).await;
            loop {
                tokio::time::sleep(every).await;
                let now = stamp(paths.clone()).await;
                if now != last {
                    last = now;
                    let _ = reload(&app, "a source file changed").await;
                }
            }
        });
    }
}

/// Size and modification time of every file under `paths` (directories walked), sorted: a
/// change to any of them changes it.
fn fingerprint(paths: &[std::path::PathBuf]) -> Vec<(std::path::PathBuf, u64, Option<SystemTime>)> {
    let mut out = Vec::new();
    let mut stack: Vec<std::path::PathBuf> = paths.to_vec();
    while let Some(p) = stack.pop() {
        let Ok(meta) = std::fs::metadata(&p) else {
            out.push((p, u64::MAX, None));
            continue;
        };
        if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&p) {
                stack.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
            }
        } else {
            out.push((p, meta.len(), meta.modified().ok()));
        }
    }
    out.sort();
    out
}

/// A future that resolves on SIGTERM or Ctrl-C (SIGINT); on Unix both are registered before
/// this returns, so a signal sent once the address is printed is never the default (an abrupt
/// end).
#[cfg(unix)]
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let term = signal(SignalKind::terminate()).ok();
    let int = signal(SignalKind::interrupt()).ok();
    async move {
        let wait = |s: Option<tokio::signal::unix::Signal>| async move {
            match s {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = wait(term) => {},
            () = wait(int) => {},
        }
    }
}

/// A future that resolves on Ctrl-C.
#[cfg(not(unix))]
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
