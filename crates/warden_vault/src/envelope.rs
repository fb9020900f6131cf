//! Envelope encryption: each secret version gets its own random data key; the value is sealed
//! with AES-256-GCM under that key, and the data key is sealed (wrapped) under the KEK.
//!
//! Both seals carry associated data binding them to the vault, the secret name and the version
//! id, so a record moved to another slot (or another vault) no longer opens. Record layout:
//!
//! | bytes   | content                                   |
//! |---------|-------------------------------------------|
//! | 0       | format (1)                                |
//! | 1..13   | nonce of the wrapped data key             |
//! | 13..61  | wrapped data key (32 bytes + 16-byte tag) |
//! | 61..73  | nonce of the value                        |
//! | 73..    | sealed value (ciphertext + 16-byte tag)   |
//!
//! The same module authenticates metadata (stage pointers, deletion state) with a GCM tag under
//! the KEK, and produces the KEK check value stored in the vault header.

use crate::error::{Result, VaultError};
use crate::kek::{KEY_LEN, Kek};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use zeroize::Zeroizing;

const FORMAT: u8 = 1;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const WRAPPED_LEN: usize = KEY_LEN + TAG_LEN;
const DATA_NONCE_AT: usize = 1 + NONCE_LEN + WRAPPED_LEN;
const HEADER_LEN: usize = DATA_NONCE_AT + NONCE_LEN;

/// Where a version record lives: the associated data both seals are bound to.
#[derive(Debug, Clone, Copy)]
pub struct Slot<'a> {
    /// The vault's random id (from its header).
    pub vault_id: &'a str,
    /// Secret name.
    pub name: &'a str,
    /// Version id.
    pub version_id: &'a str,
}

impl Slot<'_> {
    fn describe(&self) -> String {
        format!("secret {:?} version {}", self.name, self.version_id)
    }
}

/// Length-prefixed concatenation, so no two different tuples give the same bytes.
fn associated_data(purpose: &str, parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(b"warden-vault/v1/");
    out.extend_from_slice(purpose.as_bytes());
    for p in parts {
        out.extend_from_slice(&u32::try_from(p.len()).unwrap_or(u32::MAX).to_be_bytes());
        out.extend_from_slice(p);
    }
    out
}

fn cipher(key: &[u8; KEY_LEN]) -> Aes256Gcm {
    Aes256Gcm::new(key.into())
}

fn seal(key: &[u8; KEY_LEN], msg: &[u8], aad: &[u8]) -> Result<([u8; NONCE_LEN], Vec<u8>)> {
    let nonce = crate::random::bytes::<NONCE_LEN>()?;
    let ct = cipher(key)
        .encrypt(&Nonce::from(nonce), Payload { msg, aad })
        .map_err(|_| VaultError::InvalidValue("value too large to encrypt".into()))?;
    Ok((nonce, ct))
}

fn open(key: &[u8; KEY_LEN], nonce: &[u8], ct: &[u8], aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
    cipher(key)
        .decrypt(&Nonce::from(nonce), Payload { msg: ct, aad })
        .ok()
        .map(Zeroizing::new)
}

fn slot_ad(purpose: &str, slot: &Slot<'_>) -> Vec<u8> {
    associated_data(
        purpose,
        &[
            slot.vault_id.as_bytes(),
            slot.name.as_bytes(),
            slot.version_id.as_bytes(),
        ],
    )
}

/// Encrypts `plaintext` for `slot` under a fresh data key wrapped by `kek`.
pub fn seal_version(kek: &Kek, slot: &Slot<'_>, plaintext: &[u8]) -> Result<Vec<u8>> {
    let mut data_key = Zeroizing::new([0u8; KEY_LEN]);
    crate::random::fill(data_key.as_mut())?;
    let (wrap_nonce, wrapped) = seal(kek.bytes(), data_key.as_ref(), &slot_ad("wrap", slot))?;
    let (data_nonce, ct) = seal(&data_key, plaintext, &slot_ad("data", slot))?;
    let mut out = Vec::with_capacity(HEADER_LEN + ct.len());
    out.push(FORMAT);
    out.extend_from_slice(&wrap_nonce);
    out.extend_from_slice(&wrapped);
    out.extend_from_slice(&data_nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

fn check_layout(record: &[u8], slot: &Slot<'_>) -> Result<()> {
    if record.len() < HEADER_LEN + TAG_LEN {
        return Err(VaultError::Corrupt {
            what: slot.describe(),
            reason: "record too short".into(),
        });
    }
    if record[0] != FORMAT {
        return Err(VaultError::Corrupt {
            what: slot.describe(),
            reason: format!("unsupported record format {}", record[0]),
        });
    }
    Ok(())
}

fn unwrap_key(kek: &Kek, slot: &Slot<'_>, record: &[u8]) -> Result<Zeroizing<[u8; KEY_LEN]>> {
    let tampered = || VaultError::Tampered {
        what: slot.describe(),
    };
    let dk = open(
        kek.bytes(),
        &record[1..1 + NONCE_LEN],
        &record[1 + NONCE_LEN..DATA_NONCE_AT],
        &slot_ad("wrap", slot),
    )
    .ok_or_else(tampered)?;
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    if dk.len() != KEY_LEN {
        return Err(tampered());
    }
    key.copy_from_slice(&dk);
    Ok(key)
}

/// Decrypts a version record; any modification of any byte, or a record moved to another slot,
/// fails with [`VaultError::Tampered`] (or [`VaultError::Corrupt`] for the format byte).
pub fn open_version(kek: &Kek, slot: &Slot<'_>, record: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    check_layout(record, slot)?;
    let data_key = unwrap_key(kek, slot, record)?;
    open(
        &data_key,
        &record[DATA_NONCE_AT..HEADER_LEN],
        &record[HEADER_LEN..],
        &slot_ad("data", slot),
    )
    .ok_or_else(|| VaultError::Tampered {
        what: slot.describe(),
    })
}

/// Re-wraps the data key of a record under a new KEK, leaving the sealed value untouched.
pub fn rewrap_version(old: &Kek, new: &Kek, slot: &Slot<'_>, record: &[u8]) -> Result<Vec<u8>> {
    check_layout(record, slot)?;
    let data_key = unwrap_key(old, slot, record)?;
    let (wrap_nonce, wrapped) = seal(new.bytes(), data_key.as_ref(), &slot_ad("wrap", slot))?;
    let mut out = record.to_vec();
    out[1..1 + NONCE_LEN].copy_from_slice(&wrap_nonce);
    out[1 + NONCE_LEN..DATA_NONCE_AT].copy_from_slice(&wrapped);
    Ok(out)
}

/// Appends a nonce and a GCM tag authenticating `body` (stored in clear) under the KEK.
pub fn sign_meta(kek: &Kek, vault_id: &str, key: &str, body: &[u8]) -> Result<Vec<u8>> {
    let aad = [
        associated_data("meta", &[vault_id.as_bytes(), key.as_bytes()]),
        body.to_vec(),
    ]
    .concat();
    let (nonce, tag) = seal(kek.bytes(), &[], &aad)?;
    let mut out = Vec::with_capacity(body.len() + NONCE_LEN + TAG_LEN);
    out.extend_from_slice(body);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&tag);
    Ok(out)
}

/// Verifies a record made by [`sign_meta`] and returns its body.
pub fn verify_meta<'r>(kek: &Kek, vault_id: &str, key: &str, signed: &'r [u8]) -> Result<&'r [u8]> {
    let tampered = || VaultError::Tampered {
        what: format!("metadata of {key:?}"),
    };
    let body_len = signed
        .len()
        .checked_sub(NONCE_LEN + TAG_LEN)
        .ok_or_else(tampered)?;
    let (body, rest) = signed.split_at(body_len);
    let aad = [
        associated_data("meta", &[vault_id.as_bytes(), key.as_bytes()]),
        body.to_vec(),
    ]
    .concat();
    open(kek.bytes(), &rest[..NONCE_LEN], &rest[NONCE_LEN..], &aad).ok_or_else(tampered)?;
    Ok(body)
}

const CHECK_PLAINTEXT: &[u8] = b"warden-vault key check";

/// The KEK check value: a known plaintext sealed under the KEK, bound to the header's contents.
pub fn make_check(kek: &Kek, header_binding: &[u8]) -> Result<Vec<u8>> {
    let (nonce, ct) = seal(
        kek.bytes(),
        CHECK_PLAINTEXT,
        &associated_data("check", &[header_binding]),
    )?;
    Ok([nonce.as_slice(), &ct].concat())
}

/// Whether `kek` opens the check value.
pub fn verify_check(kek: &Kek, header_binding: &[u8], check: &[u8]) -> bool {
    if check.len() < NONCE_LEN {
        return false;
    }
    open(
        kek.bytes(),
        &check[..NONCE_LEN],
        &check[NONCE_LEN..],
        &associated_data("check", &[header_binding]),
    )
    .is_some_and(|p| p.as_slice() == CHECK_PLAINTEXT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot<'a>(name: &'a str, version: &'a str) -> Slot<'a> {
        Slot {
            vault_id: "v",
            name,
            version_id: version,
        }
    }

    #[test]
    fn round_trip_and_fresh_randomness() {
        let kek = Kek::generate().unwrap();
        let a = seal_version(&kek, &slot("db", "1"), b"hunter2").unwrap();
        let b = seal_version(&kek, &slot("db", "1"), b"hunter2").unwrap();
        assert_ne!(a, b, "nonces and data keys must be fresh");
        assert_eq!(
            open_version(&kek, &slot("db", "1"), &a).unwrap().as_slice(),
            b"hunter2"
        );
    }

    #[test]
    fn every_single_bit_flip_is_detected() {
        let kek = Kek::generate().unwrap();
        let s = slot("db", "1");
        let rec = seal_version(&kek, &s, b"a value worth protecting").unwrap();
        for i in 0..rec.len() {
            for bit in [0x01u8, 0x80] {
                let mut bad = rec.clone();
                bad[i] ^= bit;
                assert!(
                    open_version(&kek, &s, &bad).is_err(),
                    "flip at byte {i} went unnoticed"
                );
            }
        }
        for cut in 0..rec.len() {
            assert!(open_version(&kek, &s, &rec[..cut]).is_err());
        }
    }

    #[test]
    fn associated_data_binds_name_version_and_vault() {
        let kek = Kek::generate().unwrap();
        let rec = seal_version(&kek, &slot("db", "1"), b"x").unwrap();
        assert!(open_version(&kek, &slot("db2", "1"), &rec).is_err());
        assert!(open_version(&kek, &slot("db", "2"), &rec).is_err());
        let other_vault = Slot {
            vault_id: "w",
            name: "db",
            version_id: "1",
        };
        assert!(open_version(&kek, &other_vault, &rec).is_err());
    }

    #[test]
    fn wrong_kek_and_rewrap() {
        let k1 = Kek::generate().unwrap();
        let k2 = Kek::generate().unwrap();
        let s = slot("db", "1");
        let rec = seal_version(&k1, &s, b"x").unwrap();
        assert!(matches!(
            open_version(&k2, &s, &rec),
            Err(VaultError::Tampered { .. })
        ));
        let re = rewrap_version(&k1, &k2, &s, &rec).unwrap();
        assert_eq!(
            re[DATA_NONCE_AT..],
            rec[DATA_NONCE_AT..],
            "value ciphertext untouched"
        );
        assert_eq!(open_version(&k2, &s, &re).unwrap().as_slice(), b"x");
        assert!(open_version(&k1, &s, &re).is_err());
    }

    #[test]
    fn meta_and_check() {
        let k = Kek::generate().unwrap();
        let signed = sign_meta(&k, "v", "db", b"{\"a\":1}").unwrap();
        assert_eq!(verify_meta(&k, "v", "db", &signed).unwrap(), b"{\"a\":1}");
        for i in 0..signed.len() {
            let mut bad = signed.clone();
            bad[i] ^= 1;
            assert!(verify_meta(&k, "v", "db", &bad).is_err());
        }
        assert!(verify_meta(&k, "v", "other", &signed).is_err());
        let check = make_check(&k, b"h").unwrap();
        assert!(verify_check(&k, b"h", &check));
        assert!(!verify_check(&k, b"h2", &check));
        assert!(!verify_check(&Kek::generate().unwrap(), b"h", &check));
    }
}
