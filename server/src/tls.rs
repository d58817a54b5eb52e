//! HTTPS for the sync API and console: rustls (ring, as the workstation's client) over hyper,
//! with the certificate and key from PEM files. An on-premise server usually has a self-signed
//! certificate: its SHA-256 fingerprint, logged at start, is what workstations pin.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

/// A client gets this long to finish its handshake (a stalled one must not hold a task).
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the certificate or key could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("the certificate file {path} could not be read as PEM certificates: {reason}")]
    Certificate { path: String, reason: String },
    #[error("the key file {path} could not be read as a PEM private key (PKCS#8, PKCS#1 or SEC1): {reason}")]
    Key { path: String, reason: String },
    #[error("the certificate file {0} holds no certificate")]
    NoCertificate(String),
    #[error("the certificate and key do not make a TLS configuration (does the key belong to the certificate?): {0}")]
    Config(rustls::Error),
}

/// The TLS configuration and the fingerprint of its leaf certificate.
pub struct Tls {
    acceptor: TlsAcceptor,
    /// Lowercase hex SHA-256 of the leaf certificate's DER, as `varde sync enroll --pin-sha256` takes it.
    pub fingerprint: String,
}

impl Tls {
    /// Loads the certificate chain (leaf first) and its private key.
    pub fn load(cert: &Path, key: &Path) -> Result<Tls, TlsError> {
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
            .and_then(|certs| certs.collect::<Result<_, _>>())
            .map_err(|e| TlsError::Certificate {
                path: cert.display().to_string(),
                reason: e.to_string(),
            })?;
        let leaf = chain
            .first()
            .ok_or_else(|| TlsError::NoCertificate(cert.display().to_string()))?;
        let fingerprint = hex(ring::digest::digest(&ring::digest::SHA256, leaf.as_ref()).as_ref());
        let private_key = PrivateKeyDer::from_pem_file(key).map_err(|e| TlsError::Key {
            path: key.display().to_string(),
            reason: e.to_string(),
        })?;
        // ring, as the workstation's client (deprecated in rustls for lacking post-quantum key
        // exchange; aws-lc-rs would need a C toolchain build on every machine).
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(TlsError::Config)?
            .with_no_client_auth()
            .with_single_cert(chain, private_key)
            .map_err(TlsError::Config)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            fingerprint,
        })
    }

    /// Serves `app` over TLS on `listener` until `shutdown` completes. A failed handshake
    /// (a port scan, a client that does not trust the certificate) ends only that connection.
    pub async fn serve(
        &self,
        listener: TcpListener,
        app: axum::Router,
        shutdown: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(shutdown);
        loop {
            let (tcp, peer) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(conn) => conn,
                    Err(e) => {
                        // Out of file descriptors and the like: wait rather than spin.
                        tracing::warn!(error = %e, "accepting a connection failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                },
                () = &mut shutdown => return,
            };
            let acceptor = self.acceptor.clone();
            let service = TowerToHyperService::new(app.clone());
            tokio::spawn(async move {
                let stream =
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                        Ok(Ok(stream)) => stream,
                        Ok(Err(e)) => return handshake_failed(peer, &e.to_string()),
                        Err(_) => return handshake_failed(peer, "timed out"),
                    };
                let served = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
                if let Err(e) = served {
                    tracing::debug!(%peer, error = %e, "a TLS connection ended with an error");
                }
            });
        }
    }
}

fn handshake_failed(peer: SocketAddr, reason: &str) {
    tracing::info!(%peer, reason, "TLS handshake failed");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
