//! TLS termination with rustls and the `ring` provider: TLS 1.3 preferred, 1.2 minimum, ALPN
//! for HTTP/2 and HTTP/1.1, optional or required client certificates (mTLS).

use crate::config::{ClientAuth, TlsConfig};
use rustls::ServerConfig;
use rustls::server::WebPkiClientVerifier;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::sync::Arc;

/// Builds the rustls server configuration.
pub fn server_config(cfg: &TlsConfig, http2: bool) -> Result<Arc<ServerConfig>, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cfg.cert)
        .map_err(|e| format!("{}: {e}", cfg.cert.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", cfg.cert.display()))?;
    if certs.is_empty() {
        return Err(format!("{}: no certificate", cfg.cert.display()));
    }
    let key = PrivateKeyDer::from_pem_file(&cfg.key)
        .map_err(|e| format!("{}: {e}", cfg.key.display()))?;
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| e.to_string())?;
    let builder = match &cfg.client_ca {
        None => builder.with_no_client_auth(),
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            for c in
                CertificateDer::pem_file_iter(ca).map_err(|e| format!("{}: {e}", ca.display()))?
            {
                let c = c.map_err(|e| format!("{}: {e}", ca.display()))?;
                roots.add(c).map_err(|e| format!("{}: {e}", ca.display()))?;
            }
            let v = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider);
            let v = match cfg.client_auth {
                ClientAuth::Required => v,
                ClientAuth::Optional => v.allow_unauthenticated(),
            };
            builder.with_client_cert_verifier(v.build().map_err(|e| e.to_string())?)
        }
    };
    let mut sc = builder
        .with_single_cert(certs, key)
        .map_err(|e| e.to_string())?;
    sc.alpn_protocols = if http2 {
        vec![b"h2".to_vec(), b"http/1.1".to_vec()]
    } else {
        vec![b"http/1.1".to_vec()]
    };
    Ok(Arc::new(sc))
}
