//! The limits every request is held to: body size, JSON depth, batch size, requests in flight
//! and time per request. Each refusal is a JSON error with a code, never a dropped connection
//! or a panic.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::error::{ApiError, Location};

/// The limits, from the command line.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// Deepest nesting of arrays and objects in a request body.
    pub max_json_depth: usize,
    /// Most transactions in one batch request.
    pub max_batch: usize,
    /// Most requests handled at once; others wait for a place, at most `queue_timeout`.
    pub max_concurrency: usize,
    /// The longest a request waits for a place among those in flight.
    pub queue_timeout: Duration,
    /// The time a request may take, from its first byte to its answer (reading a slow body
    /// included).
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body_bytes: 1 << 20,
            max_json_depth: 32,
            max_batch: 1000,
            max_concurrency: 256,
            queue_timeout: Duration::from_secs(1),
            request_timeout: Duration::from_secs(10),
        }
    }
}

/// What the time and concurrency middleware needs.
#[derive(Clone)]
pub struct Gate {
    /// Places for requests in flight.
    pub places: Arc<tokio::sync::Semaphore>,
    /// The time a request may take.
    pub timeout: Duration,
    /// The longest a request waits for a place.
    pub queue_timeout: Duration,
}

/// Hold each request to a place among those in flight and to the time limit. A request that
/// waits for a place too long is answered `503 OVERLOADED`; one whose answer (its body read
/// included) is not ready in time `408 TIMEOUT`.
pub async fn gate(State(gate): State<Gate>, req: Request, next: Next) -> Response {
    let arrived = tokio::time::Instant::now();
    let deadline = arrived + gate.timeout;
    let queue_deadline = (arrived + gate.queue_timeout).min(deadline);
    let permit = match tokio::time::timeout_at(queue_deadline, gate.places.acquire_owned()).await {
        Ok(Ok(p)) => p,
        _ => {
            return ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "OVERLOADED",
                format!(
                    "no place for the request within {} ms: too many requests in flight",
                    queue_deadline.duration_since(arrived).as_millis()
                ),
            )
            .into_response();
        }
    };
    let answer = tokio::time::timeout_at(deadline, next.run(req)).await;
    drop(permit);
    match answer {
        Ok(r) => r,
        Err(_) => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "TIMEOUT",
            format!(
                "the request did not complete within {} ms (a body that arrives too slowly is cut off)",
                gate.timeout.as_millis()
            ),
        )
        .into_response(),
    }
}

/// Read a request body whole, refusing one over `limit` bytes (by its declared length before
/// reading anything, else while reading).
pub async fn read_body(req: Request, limit: usize) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            format!("the body is larger than the limit of {limit} bytes"),
        )
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let body: Body = req.into_body();
    axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::bad_request(
            "BODY_UNREADABLE",
            format!(
                "the body could not be read: it ended early or passed the limit of {limit} bytes"
            ),
        )
    })
}

/// Parse a JSON body into `T` after checking its depth. Malformed JSON says where (`400
/// MALFORMED_JSON`); JSON of the wrong shape (a wrong type, an unknown or missing field) says
/// where and what (`422 INVALID_REQUEST`).
pub fn parse<T: DeserializeOwned>(bytes: &[u8], limits: &Limits) -> Result<T, ApiError> {
    check_depth(bytes, limits.max_json_depth)?;
    serde_json::from_slice(bytes).map_err(|e| json_error(&e))
}

/// The error answer for a serde_json error, located at its line and column.
pub fn json_error(e: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    let at = Location::at(e.line(), e.column());
    let message = e.to_string();
    match e.classify() {
        Category::Data => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_REQUEST",
            format!("the request does not have the expected shape: {message}"),
        )
        .at(at),
        Category::Syntax | Category::Eof | Category::Io => ApiError::bad_request(
            "MALFORMED_JSON",
            format!("the body is not valid JSON: {message}"),
        )
        .at(at),
    }
}

/// Refuse a body nested deeper than `max` arrays and objects, before parsing it (a deep body
/// would otherwise cost recursion). Strings are skipped, escapes included.
pub fn check_depth(bytes: &[u8], max: usize) -> Result<(), ApiError> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for &b in bytes {
        column += 1;
        if b == b'\n' {
            line += 1;
            column = 0;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Err(ApiError::bad_request(
                        "TOO_DEEP",
                        format!("the body nests arrays and objects deeper than the limit of {max}"),
                    )
                    .at(Location::at(line, column)));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_nesting_outside_strings() {
        assert!(check_depth(br#"{"a": [[1]]}"#, 3).is_ok());
        let e = check_depth(br#"{"a": [[[1]]]}"#, 3)
            .err()
            .map(|e| e.body.location);
        assert_eq!(e, Some(Some(Location::at(1, 9))));
        assert!(check_depth(br#"{"a": "[[[[\"[[["}"#, 1).is_ok());
    }
}
