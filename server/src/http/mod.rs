//! The HTTP API: routes, the shared state, security headers, and errors as
//! `{"error": {"code", "message", "seq"?}}`. Database work runs off the async workers.

mod admin;
mod auth;
mod console;
mod device;
mod export;
mod metrics;
mod public;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::log::{Log, LogError};
pub use metrics::Metrics;

/// What every request handler shares.
pub struct AppState {
    pub log: Log,
    pub metrics: Metrics,
}

/// A refusal or failure, answered in the API's error form.
pub struct ApiError(pub LogError);

impl From<LogError> for ApiError {
    fn from(e: LogError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = self.0.code();
        if code == varde_sync_wire::ErrorCode::Internal {
            tracing::error!(error = %self.0, "request failed");
        }
        let status =
            StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.0.body())).into_response()
    }
}

/// Runs blocking database work off the async workers.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, LogError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| ApiError(LogError::Key("a worker thread failed".into())))?
        .map_err(ApiError)
}

async fn security_headers(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    resp
}

/// The whole API.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(console::index))
        .route("/console/{file}", get(console::file))
        .route("/healthz", get(|| async { "ok" }))
        // Browsers ask for one; an empty answer keeps a 404 out of every auditor's console.
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/metrics", get(metrics::metrics))
        .route("/v1/enroll", post(device::enroll))
        .route("/v1/entries", post(device::entries))
        .route("/v1/head", get(device::head))
        .route("/v1/checkpoint", get(public::checkpoint))
        .route("/v1/proof/inclusion", get(public::inclusion))
        .route("/v1/proof/consistency", get(public::consistency))
        .route("/v1/admin/whoami", get(admin::whoami))
        .route("/v1/admin/devices", get(admin::devices))
        .route("/v1/admin/alerts", get(admin::alerts))
        .route("/v1/admin/entries", get(admin::entries))
        .route("/v1/admin/verify", post(admin::verify))
        .route("/v1/admin/export", get(export::export))
        .fallback(|| async { ApiError(LogError::NotFound("no such endpoint".into())) })
        .layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}
