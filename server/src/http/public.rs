//! The tree's checkpoint (public: only a size and a hash) and its proofs (for a signed device
//! or an admin).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use varde_sync_wire::{ConsistencyProof, InclusionProof};

use super::device::read;
use super::{auth, blocking, ApiError, AppState};
use crate::log::{self, Log, LogError};

pub async fn checkpoint(State(state): State<Arc<AppState>>) -> Result<impl IntoResponse, ApiError> {
    let log = state.log.clone();
    let note = blocking(move || log.checkpoint()).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], note))
}

fn number(query: &str, name: &str) -> Result<u64, LogError> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .ok_or_else(|| LogError::Malformed(format!("the query needs {name}=N")))?
        .1
        .parse()
        .map_err(|_| LogError::Malformed(format!("{name} is not a number")))
}

fn authorise(log: &Log, parts: &axum::http::request::Parts, body: &[u8]) -> Result<(), LogError> {
    if auth::is_signed(&parts.headers) {
        auth::device(log, &parts.method, &parts.uri, &parts.headers, body).map(|_| ())
    } else {
        auth::admin(log, &parts.headers).map(|_| ())
    }
}

/// Answers a proof request: authorised, its two numbers read from the query, proven.
async fn prove<T: serde::Serialize + Send + 'static>(
    state: Arc<AppState>,
    req: Request,
    names: [&'static str; 2],
    prove: fn(&Log, u64, u64) -> Result<T, LogError>,
) -> Result<Json<T>, ApiError> {
    let (parts, body) = read(req).await?;
    let log = state.log.clone();
    Ok(Json(
        blocking(move || {
            authorise(&log, &parts, &body)?;
            let q = parts.uri.query().unwrap_or("");
            prove(&log, number(q, names[0])?, number(q, names[1])?)
        })
        .await?,
    ))
}

pub async fn inclusion(
    State(state): State<Arc<AppState>>,
    req: Request,
) -> Result<Json<InclusionProof>, ApiError> {
    prove(state, req, ["index", "size"], log::inclusion_proof).await
}

pub async fn consistency(
    State(state): State<Arc<AppState>>,
    req: Request,
) -> Result<Json<ConsistencyProof>, ApiError> {
    prove(state, req, ["from", "to"], log::consistency_proof).await
}
