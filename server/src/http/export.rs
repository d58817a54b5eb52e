//! `GET /v1/admin/export?format=jsonl|fhir&…filters`: the auditors' download, streamed from a
//! blocking task through a small channel so memory stays flat whatever the size.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{auth, blocking, ApiError, AppState};
use crate::log::export;

pub async fn export(State(s): State<Arc<AppState>>, req: Request) -> Result<Response, ApiError> {
    let log = s.log.clone();
    let (parts, _) = req.into_parts();
    let query = parts.uri.query().unwrap_or("").to_string();
    // Sign-in and filters are checked before the first byte, so they fail as API errors.
    let checked = log.clone();
    let (format, filter, cursor) = blocking(move || {
        auth::admin(&checked, &parts.headers)?;
        export::parse(&query)
    })
    .await?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let sent = export::write(&log, format, &filter, cursor, |chunk| {
            tx.blocking_send(Ok(chunk)).is_ok()
        });
        match sent {
            Ok(entries) => tracing::info!(entries, format = ?format, "export written"),
            Err(e) => {
                // Headers are gone already: the client sees a cut-off body, the log says why.
                tracing::error!(error = %e, "export failed midway");
                let _ = tx.blocking_send(Err(std::io::Error::other("the export failed")));
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    let file = format!(
        "attachment; filename=\"varde-audit-{}.{}\"",
        crate::log::now_string().get(..10).unwrap_or("export"),
        format.extension()
    );
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (header::CONTENT_DISPOSITION, file),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
