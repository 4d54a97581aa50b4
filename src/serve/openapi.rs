//! The OpenAPI 3.1 document, generated from the request and answer types (`utoipa`). The
//! same text is kept at docs/openapi.json (`interdict serve --print-openapi` writes it; a test
//! checks that the served document equals the file).

use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "interdict",
        description = "Sanctions decisions over HTTP: the decisions of `interdict eval`, screening, party status and what-if comparisons (docs/service.md)."
    ),
    paths(
        super::decisions::decide,
        super::screen::screen,
        super::parties::status,
        super::whatif::what_if,
        super::reload::admin_reload,
        super::health::healthz,
        super::health::readyz,
        super::health::metrics,
        super::health::openapi,
    ),
    components(schemas(
        super::error::ErrorBody,
        super::error::Problem,
        super::error::Location,
        super::state::Snapshot,
        super::input::TransactionIn,
        super::input::PartyIn,
        super::decisions::DecisionRequest,
        super::decisions::DecisionResponse,
        super::decisions::BatchResponse,
        super::screen::ScreenRequest,
        super::screen::ScreenResponse,
        super::screen::ScreenResult,
        super::parties::StatusResponse,
        super::whatif::WhatIfRequest,
        super::whatif::WhatIfResponse,
        super::reload::ReloadResponse,
        super::health::Health,
    )),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// The admin endpoints' bearer token, declared as a security scheme.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "admin_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as pretty JSON, ending with a newline.
pub fn document() -> String {
    let text = ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    format!("{text}\n")
}
