//! Errors as the client sees them: a status and `{code, message, location?}` in JSON.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Where in the request a problem is: a line and column of the body, or a path to a field.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Location {
    /// 1-based line of the body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column (in bytes) of the body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The field, as a JSON pointer (`/transactions/2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl Location {
    /// A position in the body.
    pub fn at(line: usize, column: usize) -> Location {
        Location {
            line: Some(line),
            column: Some(column),
            pointer: None,
        }
    }

    /// A field of the request.
    pub fn pointer(pointer: impl Into<String>) -> Location {
        Location {
            line: None,
            column: None,
            pointer: Some(pointer.into()),
        }
    }
}

/// One problem of a request, as the error body lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A stable code (`UNKNOWN_REFERENCE`, `INVALID_VALUE`...).
    pub code: String,
    /// What is wrong, in words.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable code: `MALFORMED_JSON`, `INVALID_REQUEST`, `TOO_DEEP`, `PAYLOAD_TOO_LARGE`,
    /// `BATCH_TOO_LARGE`, `INVALID_TRANSACTION`, `NOT_FOUND`, `UNAUTHORIZED`, `TIMEOUT`,
    /// `OVERLOADED`, `RELOAD_FAILED`, `DECISION_LOG_FAILED`, `INTERNAL`.
    pub code: &'static str,
    /// What went wrong, in words.
    pub message: String,
    /// Where in the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Each problem, when there are several (a transaction's fields).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
    /// The state that was asked, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_id: Option<String>,
}

/// An error answer: its status and body.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The JSON body (boxed: errors travel in every `Result` of a handler).
    pub body: Box<ErrorBody>,
}

impl ApiError {
    /// An error with a code and a message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: Box::new(ErrorBody {
                code,
                message: message.into(),
                location: None,
                problems: Vec::new(),
                state_id: None,
            }),
        }
    }

    /// The same error, located.
    pub fn at(mut self, location: Location) -> ApiError {
        self.body.location = Some(location);
        self
    }

    /// The same error, listing its problems.
    pub fn with_problems(mut self, problems: Vec<Problem>) -> ApiError {
        self.body.problems = problems;
        self
    }

    /// The same error, naming the state that was asked.
    pub fn in_state(mut self, id: &str) -> ApiError {
        self.body.state_id = Some(id.to_string());
        self
    }

    /// 400 with a code.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 404: nothing here.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}
