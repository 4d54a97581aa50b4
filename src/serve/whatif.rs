//! `POST /v1/what-if`: the given transactions under the loaded world and under the same
//! world with designations, delistings or holdings changed, as `interdict diff` compares them
//! (the `interdict.whatif/3` report, docs/json.md).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use interdict::Engine;
use interdict::eval::EvalOptions;
use interdict::model::world::World;
use interdict::whatif::overlay::{Flag, Overlay};
use interdict::whatif::parties::DatePair;
use interdict::whatif::{self, DiffReport, ScenarioDiff, Side, WorldSpec};

use super::App;
use super::error::{ApiError, Location, Problem};
use super::input::{PartyIn, TransactionIn};
use super::limits::{parse, read_body};
use super::state::{Loaded, Snapshot};

/// A what-if request: transactions, and the edits that make world B (as `diff`'s flags).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIfRequest {
    /// The transactions compared.
    pub transactions: Vec<TransactionIn>,
    /// Parties added to both worlds for this request only.
    #[serde(default)]
    pub parties: Vec<PartyIn>,
    /// Add designations: `PARTY[,PARTY]=PROGRAM[,PROGRAM][@FROM[..UNTIL]]`.
    #[serde(default)]
    pub designate: Vec<String>,
    /// End designations on a date (`PARTY=PROGRAM@DATE`), or remove them (no date).
    #[serde(default)]
    pub delist: Vec<String>,
    /// Set a holding: `OWNER>OWNED=SHARE[@FROM[..UNTIL]]`.
    #[serde(default)]
    pub own: Vec<String>,
    /// End a holding on a date (`OWNER>OWNED@DATE`), or remove it (no date).
    #[serde(default)]
    pub disown: Vec<String>,
    /// Read both worlds as of this date (`YYYY-MM-DD`); default: each transaction's date.
    #[serde(default)]
    pub as_of: Option<String>,
    /// Only these jurisdictions.
    #[serde(default)]
    pub jurisdictions: Vec<String>,
}

/// The answer: the comparison report and the state it was made on.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WhatIfResponse {
    /// `interdict.what-if/1`.
    pub schema: String,
    /// The loaded state both worlds start from.
    pub state_id: String,
    /// The sha256 of the rule packs' texts.
    pub pack_digest: String,
    /// The world and list files, by content.
    pub snapshots: Vec<Snapshot>,
    /// The comparison, as `interdict diff --format json` writes it (`interdict.whatif/3`).
    #[schema(value_type = Object)]
    pub diff: DiffReport,
}

/// Compare transactions under the loaded world and under the edited one.
#[utoipa::path(
    post,
    path = "/v1/what-if",
    request_body = WhatIfRequest,
    responses(
        (status = 200, body = WhatIfResponse),
        (status = 400, body = super::error::ErrorBody),
        (status = 422, description = "An edit or a transaction the loaded world does not fit", body = super::error::ErrorBody),
    )
)]
pub async fn what_if(
    State(app): State<App>,
    req: Request,
) -> Result<Json<WhatIfResponse>, ApiError> {
    let bytes = read_body(req, app.limits.max_body_bytes).await?;
    let request: WhatIfRequest = parse(&bytes, &app.limits)?;
    let state = app.current.load_full();
    compare(&state, &request, app.limits.max_batch)
        .map(Json)
        .map_err(|e| e.in_state(&state.id))
}

fn compare(
    state: &Loaded,
    request: &WhatIfRequest,
    max_batch: usize,
) -> Result<WhatIfResponse, ApiError> {
    if request.transactions.len() > max_batch {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "BATCH_TOO_LARGE",
            format!(
                "{} transactions, more than the limit of {max_batch}",
                request.transactions.len()
            ),
        )
        .at(Location::pointer("/transactions")));
    }
    let overlays = overlays(request)?;
    let as_of = super::decisions::date(request.as_of.as_deref(), "/as_of")?.or(state.as_of);
    let js = super::decisions::jurisdictions(state, &request.jurisdictions, "/jurisdictions")?;
    let inline = super::input::world_with(state, &request.parties).map_err(unprocessable)?;
    let world_a: Arc<World> = inline.map_or_else(|| state.world.clone(), Arc::new);
    let mut problems = Vec::new();
    let mut txs = Vec::with_capacity(request.transactions.len());
    for (i, t) in request.transactions.iter().enumerate() {
        match super::input::lower(state, &world_a, t, &format!("/transactions/{i}")) {
            Ok(tx) => txs.push(tx),
            Err(p) => problems.extend(p),
        }
    }
    if !problems.is_empty() {
        return Err(unprocessable(problems));
    }
    let mut world_b = World::clone(&world_a);
    let edits = whatif::apply_all(&overlays, &state.rules, &mut world_b)
        .map_err(|d| unprocessable(located(&d, "/designate")))?;
    let engine_a = Engine::new(state.rules.clone(), world_a);
    let engine_b = Engine::new(state.rules.clone(), Arc::new(world_b));
    let options = EvalOptions {
        trace: false,
        as_of,
        jurisdictions: js,
        ..EvalOptions::default()
    };
    let side_a = Side {
        engine: &engine_a,
        transactions: &txs,
        options: options.clone(),
    };
    let side_b = Side {
        engine: &engine_b,
        transactions: &txs,
        options,
    };
    let extra = as_of.map(|d| DatePair { a: d, b: d });
    let comparison = whatif::compare(&side_a, &side_b, extra);
    let spec = |overlays: &[Overlay]| WorldSpec {
        rules: vec![format!("loaded state {}", state.id)],
        overlays: overlays.iter().map(|o| o.label.clone()).collect(),
        as_of,
    };
    let diff = DiffReport::new(
        spec(&[]),
        spec(&overlays),
        vec![ScenarioDiff {
            scenario: "request".to_string(),
            path: "request".to_string(),
            edits_a: Vec::new(),
            edits_b: edits,
            comparison,
        }],
    );
    Ok(WhatIfResponse {
        schema: "interdict.what-if/1".to_string(),
        state_id: state.id.to_string(),
        pack_digest: state.pack.digest.to_string(),
        snapshots: state.snapshots.to_vec(),
        diff,
    })
}

/// The edits of world B, removals before additions (as `diff` orders its flags).
fn overlays(request: &WhatIfRequest) -> Result<Vec<Overlay>, ApiError> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let flags = [
        (Flag::Delist, &request.delist, "/delist"),
        (Flag::Disown, &request.disown, "/disown"),
        (Flag::Designate, &request.designate, "/designate"),
        (Flag::Own, &request.own, "/own"),
    ];
    for (flag, values, pointer) in flags {
        for (i, v) in values.iter().enumerate() {
            match whatif::parse_flag(flag, v) {
                Ok(o) => out.push(o),
                Err(d) => problems.extend(located(&d, &format!("{pointer}/{i}"))),
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(unprocessable(problems))
    }
}

/// The errors of `d` as problems at `pointer`.
fn located(d: &interdict::Diagnostics, pointer: &str) -> Vec<Problem> {
    d.iter()
        .filter(|x| x.severity == interdict::diagnostic::Severity::Error)
        .map(|x| Problem {
            code: x.code.as_str().to_string(),
            message: x.message.clone(),
            help: x.help.clone(),
            location: Some(Location::pointer(pointer)),
        })
        .collect()
}

fn unprocessable(problems: Vec<Problem>) -> ApiError {
    let message = match problems.as_slice() {
        [one] => one.message.clone(),
        many => format!("{} problems in the request", many.len()),
    };
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "INVALID_REQUEST", message)
        .with_problems(problems)
}
