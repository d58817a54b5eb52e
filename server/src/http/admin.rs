//! The auditors' read-only API (bearer admin token): who am I, devices, fork alerts, entries,
//! and a full re-verification of what the server holds.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::Json;
use serde_json::{json, Value};

use super::{auth, blocking, ApiError, AppState};
use crate::log::{audit_verify, views, Log, LogError};

/// Runs `f` for an admin.
async fn admin(
    state: Arc<AppState>,
    req: Request,
    f: fn(&Log, &str, String) -> Result<Value, LogError>,
) -> Result<Json<Value>, ApiError> {
    let log = state.log.clone();
    let (parts, _) = req.into_parts();
    Ok(Json(
        blocking(move || {
            let name = auth::admin(&log, &parts.headers)?;
            f(&log, parts.uri.query().unwrap_or(""), name)
        })
        .await?,
    ))
}

pub async fn whoami(State(s): State<Arc<AppState>>, req: Request) -> Result<Json<Value>, ApiError> {
    admin(s, req, |_, _, name| Ok(json!({ "name": name }))).await
}

pub async fn devices(
    State(s): State<Arc<AppState>>,
    req: Request,
) -> Result<Json<Value>, ApiError> {
    admin(s, req, |log, _, _| {
        Ok(Value::Array(
            views::devices(log)?
                .iter()
                .map(views::device_json)
                .collect(),
        ))
    })
    .await
}

pub async fn alerts(State(s): State<Arc<AppState>>, req: Request) -> Result<Json<Value>, ApiError> {
    admin(s, req, |log, _, _| views::alerts(log)).await
}

pub async fn entries(
    State(s): State<Arc<AppState>>,
    req: Request,
) -> Result<Json<Value>, ApiError> {
    admin(s, req, |log, query, _| views::entries_page(log, query)).await
}

/// Re-verifies every chain and the tree (a POST: it reads everything and may take a while).
pub async fn verify(State(s): State<Arc<AppState>>, req: Request) -> Result<Json<Value>, ApiError> {
    admin(s, req, |log, _, _| audit_verify::verify(log)).await
}
