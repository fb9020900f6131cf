//! The Warden encrypted secret store: envelope encryption and key rotation.
