//! Who is asking: a device, by its Ed25519 signature over the request (fresh timestamp, unused
//! nonce), or an admin, by a bearer token stored hashed.

use axum::http::{HeaderMap, Method, Uri};
use varde_sync_wire::request::{
    self, SignedHeaders, HEADER_DEVICE, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP,
    MAX_CLOCK_SKEW_SECS,
};
use varde_sync_wire::DeviceState;

use crate::db::DeviceRow;
use crate::log::{enroll::token_hash, Log, LogError};

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Whether the request carries a device signature at all.
pub fn is_signed(headers: &HeaderMap) -> bool {
    headers.contains_key(HEADER_SIGNATURE)
}

/// Checks a device's signed request; returns the device. A revoked device is refused.
pub fn device(
    log: &Log,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<DeviceRow, LogError> {
    let missing =
        |name: &str| LogError::BadRequestSignature(format!("the request has no {name} header"));
    let signed = SignedHeaders {
        device_id: header(headers, HEADER_DEVICE)
            .ok_or_else(|| missing(HEADER_DEVICE))?
            .to_string(),
        timestamp: header(headers, HEADER_TIMESTAMP)
            .ok_or_else(|| missing(HEADER_TIMESTAMP))?
            .parse()
            .map_err(|_| {
                LogError::BadRequestSignature(format!("{HEADER_TIMESTAMP} is not Unix seconds"))
            })?,
        nonce: header(headers, HEADER_NONCE)
            .ok_or_else(|| missing(HEADER_NONCE))?
            .to_string(),
        signature: header(headers, HEADER_SIGNATURE)
            .ok_or_else(|| missing(HEADER_SIGNATURE))?
            .to_string(),
    };
    let device = log
        .db
        .read(|tx| tx.device(&signed.device_id))?
        .ok_or_else(|| LogError::UnknownDevice(signed.device_id.clone()))?;
    let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    if !request::verify(&device.public_key, &signed, method.as_str(), path, body) {
        return Err(LogError::BadRequestSignature(
            "the request signature does not verify with the device's enrolled key".into(),
        ));
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    if (now - signed.timestamp).abs() > MAX_CLOCK_SKEW_SECS {
        return Err(LogError::StaleTimestamp);
    }
    if device.state == DeviceState::Revoked {
        return Err(LogError::Revoked);
    }
    let fresh = log.db.write(|tx| {
        tx.purge_nonces(now - 2 * MAX_CLOCK_SKEW_SECS)?;
        tx.insert_nonce(&device.id, &signed.nonce, signed.timestamp)
    })?;
    if !fresh {
        return Err(LogError::Replayed);
    }
    Ok(device)
}

/// Checks an admin's bearer token; returns the token's name.
pub fn admin(log: &Log, headers: &HeaderMap) -> Result<String, LogError> {
    let token = header(headers, "authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| {
            LogError::Unauthorized("an admin token is needed (Authorization: Bearer …)".into())
        })?;
    log.db
        .read(|tx| tx.admin_token_name(&token_hash(token)))?
        .ok_or_else(|| LogError::Unauthorized("the admin token is not known".into()))
}
