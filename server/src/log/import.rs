//! Air-gapped ingest: a device-signed segment carried on removable media (`varde audit export
//! --since-last-receipt`) goes through exactly the checks of a sync, batch by batch, and the
//! answer becomes the receipt file the workstation imports (`varde sync import-receipt`).

use varde_sync_wire::{IngestResponse, Segment, MAX_BATCH_ENTRIES};

use super::{ingest, Log, LogError};
use crate::db::DbError;

/// Ingests a segment file's bytes; returns the answer for its last batch (the receipt of the
/// device's head). Batches already ingested stay if a later one is refused: they were verified,
/// and importing the same file again accepts them as duplicates.
pub fn import_segment(log: &Log, bytes: &[u8]) -> Result<IngestResponse, LogError> {
    let segment: Segment = serde_json::from_slice(bytes).map_err(|e| {
        LogError::Malformed(format!(
            "the file is not a segment written by `varde audit export --since-last-receipt` ({e})"
        ))
    })?;
    if segment.format != varde_sync_wire::segment::FORMAT {
        return Err(LogError::Malformed(format!(
            "the segment's format is {:?}; this server reads {:?}",
            segment.format,
            varde_sync_wire::segment::FORMAT
        )));
    }
    if segment.entries.is_empty() {
        return Err(LogError::Malformed(
            "the segment holds no entries: the workstation had nothing the server lacked".into(),
        ));
    }
    let device = log
        .db
        .read(|tx| tx.device(&segment.device_id))?
        .ok_or_else(|| LogError::UnknownDevice(segment.device_id.clone()))?;
    if !segment.signature_is_valid(&device.public_key) {
        return Err(LogError::BadRequestSignature(
            "the segment's signature is not the enrolled device key's: it was altered or comes from another machine".into(),
        ));
    }
    let local_head = segment.entries.last().map(|e| e.body.seq);
    let (mut accepted, mut duplicates, mut last) = (0, 0, None);
    for batch in segment.entries.chunks(MAX_BATCH_ENTRIES) {
        let answer = ingest(log, &segment.device_id, batch, local_head)?;
        accepted += answer.accepted;
        duplicates += answer.duplicates;
        last = Some(answer);
    }
    let answer = last.ok_or_else(|| DbError::Corrupt("no batch was ingested".into()))?;
    Ok(IngestResponse {
        accepted,
        duplicates,
        ..answer
    })
}
