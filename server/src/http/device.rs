//! What workstations call: enrollment (with a one-time token), pushing a batch of entries and
//! asking for their head (both signed by the device).

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::Json;
use serde::de::DeserializeOwned;
use varde_sync_wire::{
    EnrollRequest, EnrollResponse, Head, HeadResponse, IngestRequest, IngestResponse,
    MAX_BODY_BYTES,
};

use super::{auth, blocking, ApiError, AppState};
use crate::log::{self, LogError};

/// The request's parts and its body, read up to the API's limit.
pub async fn read(req: Request) -> Result<(axum::http::request::Parts, Vec<u8>), ApiError> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| ApiError(LogError::BodyTooLarge))?;
    Ok((parts, bytes.to_vec()))
}

fn parse<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, LogError> {
    serde_json::from_slice(body).map_err(|e| {
        // Position and kind only: serde's messages can quote the offending value.
        LogError::Malformed(format!(
            "the body is not {what} (JSON error at line {}, column {}: {:?})",
            e.line(),
            e.column(),
            e.classify()
        ))
    })
}

pub async fn enroll(
    State(state): State<Arc<AppState>>,
    req: Request,
) -> Result<Json<EnrollResponse>, ApiError> {
    let (_, body) = read(req).await?;
    let enroll: EnrollRequest = parse(&body, "an enrollment request").map_err(ApiError)?;
    let log = state.log.clone();
    Ok(Json(blocking(move || log::enroll(&log, &enroll)).await?))
}

pub async fn entries(
    State(state): State<Arc<AppState>>,
    req: Request,
) -> Result<Json<IngestResponse>, ApiError> {
    let started = Instant::now();
    let result = async {
        let (parts, body) = read(req).await?;
        let log = state.log.clone();
        blocking(move || {
            let device = auth::device(&log, &parts.method, &parts.uri, &parts.headers, &body)?;
            let batch: IngestRequest = parse(&body, "a batch of audit entries")?;
            log::ingest(&log, &device.id, &batch.entries, batch.local_head)
        })
        .await
    }
    .await;
    match &result {
        Ok(r) => state.metrics.accepted(r.accepted, started.elapsed()),
        Err(ApiError(e)) => {
            tracing::info!(code = e.code().as_str(), seq = e.seq(), "batch refused");
            state.metrics.refused(e.code().as_str());
        }
    }
    result.map(Json)
}

pub async fn head(
    State(state): State<Arc<AppState>>,
    req: Request,
) -> Result<Json<HeadResponse>, ApiError> {
    let (parts, body) = read(req).await?;
    let log = state.log.clone();
    let resp = blocking(move || {
        let device = auth::device(&log, &parts.method, &parts.uri, &parts.headers, &body)?;
        let now = log::now_string();
        let note = log.db.write(|tx| {
            tx.touch_device(&device.id, &now, None)?;
            Ok::<_, LogError>(tx.lock_tree()?.note)
        })?;
        Ok(HeadResponse {
            device_id: device.id,
            head: Head {
                seq: device.head_seq,
                hash: device.head_hash,
            },
            state: device.state,
            checkpoint: note,
        })
    })
    .await?;
    Ok(Json(resp))
}
