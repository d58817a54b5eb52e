//! The HTTP client of the sync API: HTTPS with rustls (or plain HTTP to a loopback address
//! only), an optional pinned certificate, connect and overall timeouts, and every device request
//! signed with the device key ([`varde_sync_wire::request::sign`]).

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use ureq::unversioned::resolver::DefaultResolver;
use ureq::unversioned::transport::{Connector, TcpConnector};
use varde_sync_wire::{
    request, ConsistencyProof, EnrollRequest, EnrollResponse, ErrorBody, HeadResponse,
    InclusionProof, IngestRequest, IngestResponse, MAX_BODY_BYTES,
};

use super::tls::{client_config, TlsConnector};
use super::SyncError;
use crate::audit::AuditLog;

/// How long to wait for a TCP (and TLS) connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one request may take in all.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// A checked server URL: `https://…`, or `http://` to a loopback host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerUrl {
    /// Scheme, host and port, without a trailing slash.
    base: String,
    /// The path prefix (empty, or `/something` without a trailing slash).
    path: String,
}

impl ServerUrl {
    pub fn parse(url: &str) -> Result<ServerUrl, SyncError> {
        let url = url.trim();
        let uri: ureq::http::Uri = url
            .parse()
            .map_err(|_| SyncError::BadUrl(format!("{url:?} is not a URL")))?;
        let host = uri
            .host()
            .ok_or_else(|| SyncError::BadUrl(format!("{url:?} has no host")))?;
        match uri.scheme_str() {
            Some("https") => {}
            Some("http") if is_loopback(host) => {}
            Some("http") => {
                return Err(SyncError::BadUrl(format!(
                    "plain http:// is only allowed to this machine (localhost, 127.0.0.1, ::1); use https:// for {host}"
                )))
            }
            _ => {
                return Err(SyncError::BadUrl(format!(
                    "{url:?} must start with https:// (or http:// to localhost)"
                )))
            }
        }
        if uri.query().is_some() {
            return Err(SyncError::BadUrl("the server URL takes no query".into()));
        }
        let authority = uri.authority().map(|a| a.as_str()).unwrap_or(host);
        if authority.contains('@') {
            return Err(SyncError::BadUrl(
                "the server URL takes no user name or password".into(),
            ));
        }
        Ok(ServerUrl {
            base: format!("{}://{authority}", uri.scheme_str().unwrap_or("https")),
            path: uri.path().trim_end_matches('/').to_string(),
        })
    }

    /// The URL as stored and shown.
    pub fn as_string(&self) -> String {
        format!("{}{}", self.base, self.path)
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A client for one server, signing as one device.
#[derive(Clone)]
pub struct SyncClient {
    agent: ureq::Agent,
    url: ServerUrl,
    audit: Arc<AuditLog>,
}

impl SyncClient {
    /// A client for `url`; with `pin` (64 lowercase hex), only the certificate with that SHA-256
    /// is accepted.
    pub fn new(
        url: &str,
        pin: Option<&str>,
        audit: Arc<AuditLog>,
    ) -> Result<SyncClient, SyncError> {
        let url = ServerUrl::parse(url)?;
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(REQUEST_TIMEOUT))
            .max_redirects(0)
            .user_agent(concat!("varde/", env!("CARGO_PKG_VERSION")))
            .build();
        let connector = TcpConnector::default().chain(TlsConnector::new(client_config(pin)));
        let agent = ureq::Agent::with_parts(config, connector, DefaultResolver::default());
        Ok(SyncClient { agent, url, audit })
    }

    /// Interrupts requests in flight and refuses new ones (for a prompt shutdown).
    pub fn shutdown(&self) {
        self.agent.clone().shutdown();
    }

    /// `POST /v1/enroll` (unsigned: the one-time token authenticates).
    pub fn enroll(&self, req: &EnrollRequest) -> Result<EnrollResponse, SyncError> {
        self.post("/v1/enroll", req, false)
    }

    /// `GET /v1/head`.
    pub fn head(&self) -> Result<HeadResponse, SyncError> {
        self.get("/v1/head")
    }

    /// `POST /v1/entries`.
    pub fn push(&self, req: &IngestRequest) -> Result<IngestResponse, SyncError> {
        self.post("/v1/entries", req, true)
    }

    /// `GET /v1/proof/inclusion`.
    pub fn inclusion(&self, index: u64, size: u64) -> Result<InclusionProof, SyncError> {
        self.get(&format!("/v1/proof/inclusion?index={index}&size={size}"))
    }

    /// `GET /v1/proof/consistency`.
    pub fn consistency(&self, from: u64, to: u64) -> Result<ConsistencyProof, SyncError> {
        self.get(&format!("/v1/proof/consistency?from={from}&to={to}"))
    }

    fn signed_headers(&self, method: &str, path: &str, body: &[u8]) -> [(&'static str, String); 4] {
        let nonce = crate::vault::crypto::random_bytes::<16>()
            .map(|b| crate::vault::crypto::hex(&b))
            .unwrap_or_else(|_| uuid::Uuid::new_v4().simple().to_string());
        let ts = crate::clock::now().unix_timestamp();
        request::sign(
            self.audit.device_key(),
            self.audit.device_id(),
            method,
            path,
            body,
            ts,
            &nonce,
        )
        .pairs()
    }

    fn get<T: DeserializeOwned>(&self, path_and_query: &str) -> Result<T, SyncError> {
        let path = format!("{}{path_and_query}", self.url.path);
        let mut req = self.agent.get(format!("{}{path}", self.url.base));
        for (name, value) in self.signed_headers("GET", &path, b"") {
            req = req.header(name, value);
        }
        let result = req.call();
        self.answer(result)
    }

    fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        signed: bool,
    ) -> Result<T, SyncError> {
        let path = format!("{}{path}", self.url.path);
        let bytes = serde_json::to_vec(body)
            .map_err(|e| SyncError::BadUrl(format!("could not encode the request: {e}")))?;
        let mut req = self
            .agent
            .post(format!("{}{path}", self.url.base))
            .content_type("application/json");
        if signed {
            for (name, value) in self.signed_headers("POST", &path, &bytes) {
                req = req.header(name, value);
            }
        }
        let result = req.send(&bytes[..]);
        self.answer(result)
    }

    fn answer<T: DeserializeOwned>(
        &self,
        result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<T, SyncError> {
        let unreachable = |e: ureq::Error| SyncError::Unreachable {
            server: self.url.as_string(),
            reason: e.to_string(),
        };
        let mut resp = result.map_err(unreachable)?;
        let status = resp.status().as_u16();
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES as u64 * 2)
            .read_to_vec()
            .map_err(unreachable)?;
        if (200..300).contains(&status) {
            return serde_json::from_slice(&bytes).map_err(|e| {
                SyncError::ServerMisbehaved(format!(
                    "it sent an answer that is not the API's ({e})"
                ))
            });
        }
        Err(match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(b) => SyncError::Refused {
                status,
                code: b.error.code.as_str().to_string(),
                message: b.error.message,
                seq: b.error.seq,
            },
            Err(_) => SyncError::Refused {
                status,
                code: format!("http_{status}"),
                message: "the server did not say why".into(),
                seq: None,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_allowed_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8730",
            "http://localhost:8730/",
            "http://[::1]:8730",
            "https://audit.clinic.example/base/",
        ] {
            ServerUrl::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        assert_eq!(
            ServerUrl::parse("https://audit.example/base/")
                .unwrap()
                .as_string(),
            "https://audit.example/base"
        );
        let err = ServerUrl::parse("http://audit.clinic.example:8730")
            .unwrap_err()
            .to_string();
        assert!(err.contains("only allowed to this machine"), "{err}");
        assert!(ServerUrl::parse("ftp://x").is_err());
        assert!(ServerUrl::parse("https://u:p@x").is_err());
    }
}
