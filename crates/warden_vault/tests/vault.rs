//! Store-level tests: round trip, tampering of stored records, wrong keys, rotation and rekey,
//! deletion with recovery, and the absence of plaintext in the files.
#![allow(clippy::unwrap_used)]

use redb::{ReadableDatabase, ReadableTable, TableDefinition};
use std::path::Path;
use warden_vault::{
    AWSCURRENT, AWSPREVIOUS, DeleteMode, KdfParams, Kek, KeyMaterial, Selector, Vault, VaultError,
};

const VERSIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("versions");
const SECRETS: TableDefinition<&str, &[u8]> = TableDefinition::new("secrets");
const HEADER: TableDefinition<&str, &[u8]> = TableDefinition::new("header");

fn key(byte: u8) -> KeyMaterial {
    KeyMaterial::Key(Kek::from_bytes([byte; 32]))
}

fn fast_kdf() -> KdfParams {
    KdfParams {
        memory_kib: 256,
        iterations: 1,
        parallelism: 1,
    }
}

fn get(v: &Vault, name: &str, sel: &Selector) -> Vec<u8> {
    v.get(name, sel).unwrap().value.to_vec()
}

/// Runs `f` on one raw table of the closed vault file.
fn edit_table(
    dir: &Path,
    table: TableDefinition<&str, &[u8]>,
    f: impl FnOnce(&mut redb::Table<&str, &[u8]>),
) {
    let db = redb::Database::open(dir.join(warden_vault::DB_FILE)).unwrap();
    let txn = db.begin_write().unwrap();
    {
        let mut t = txn.open_table(table).unwrap();
        f(&mut t);
    }
    txn.commit().unwrap();
}

fn raw_entries(dir: &Path, table: TableDefinition<&str, &[u8]>) -> Vec<(String, Vec<u8>)> {
    let db = redb::Database::open(dir.join(warden_vault::DB_FILE)).unwrap();
    let txn = db.begin_read().unwrap();
    let t = txn.open_table(table).unwrap();
    t.iter()
        .unwrap()
        .map(|e| e.unwrap())
        .map(|(k, v)| (k.value().to_owned(), v.value().to_vec()))
        .collect()
}

#[test]
fn round_trip_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let v = Vault::init(dir.path(), &key(1), fast_kdf()).unwrap();
    let info = v.put("prod/db-password", b"s3cr3t value \x00\xff").unwrap();
    assert!(info.created_secret);
    assert_eq!(info.number, 1);
    drop(v);
    let v = Vault::open(dir.path(), &key(1)).unwrap();
    let s = v.get("prod/db-password", &Selector::Current).unwrap();
    assert_eq!(s.value.as_slice(), b"s3cr3t value \x00\xff");
    assert_eq!(s.version_id, info.version_id);
    assert_eq!(s.stages, [AWSCURRENT]);
    assert!(matches!(
        v.get("missing", &Selector::Current),
        Err(VaultError::NotFound(_))
    ));
    assert!(matches!(
        Vault::init(dir.path(), &key(1), fast_kdf()),
        Err(VaultError::AlreadyInitialised(_))
    ));
}

#[test]
fn wrong_key_and_wrong_kind_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    Vault::init(dir.path(), &key(1), fast_kdf())
        .unwrap()
        .put("a", b"x")
        .unwrap();
    assert!(matches!(
        Vault::open(dir.path(), &key(2)),
        Err(VaultError::WrongKey)
    ));
    let err = Vault::open(dir.path(), &KeyMaterial::passphrase(b"pw".to_vec())).unwrap_err();
    assert!(matches!(err, VaultError::KeyKindMismatch { .. }), "{err}");

    let pdir = tempfile::tempdir().unwrap();
    let p = Vault::init(
        pdir.path(),
        &KeyMaterial::passphrase(b"correct horse\n".to_vec()),
        fast_kdf(),
    )
    .unwrap();
    p.put("a", b"x").unwrap();
    drop(p);
    // The trailing newline is not part of the passphrase.
    let p = Vault::open(
        pdir.path(),
        &KeyMaterial::passphrase(b"correct horse".to_vec()),
    )
    .unwrap();
    assert_eq!(get(&p, "a", &Selector::Current), b"x");
    drop(p);
    assert!(matches!(
        Vault::open(
            pdir.path(),
            &KeyMaterial::passphrase(b"wrong horse".to_vec())
        ),
        Err(VaultError::WrongKey)
    ));
    assert!(matches!(
        Vault::open(Path::new("/nonexistent/vault"), &key(1)),
        Err(VaultError::NotInitialised(_))
    ));
}

#[test]
fn passphrase_salt_is_stored_but_never_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let material = KeyMaterial::passphrase(b"pw".to_vec());
    drop(Vault::init(dir.path(), &material, fast_kdf()).unwrap());
    let header = raw_entries(dir.path(), HEADER);
    let text = String::from_utf8(header[0].1.clone()).unwrap();
    assert!(
        text.contains("\"passphrase\"") && text.contains("\"salt\""),
        "{text}"
    );
    let derived = {
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let salt = hex::decode(json["key"]["salt"].as_str().unwrap()).unwrap();
        fast_kdf().derive(b"pw", &salt).unwrap()
    };
    let kek_hex = derived.to_hex();
    let file = std::fs::read(dir.path().join(warden_vault::DB_FILE)).unwrap();
    assert!(!contains(&file, kek_hex.as_bytes()));
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn tampering_with_any_stored_byte_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let v = Vault::init(dir.path(), &key(1), fast_kdf()).unwrap();
    v.put("db", b"original value").unwrap();
    drop(v);
    let (record_key, record) = raw_entries(dir.path(), VERSIONS).remove(0);
    // Every byte of the record: format, wrap nonce, wrapped key, data nonce, ciphertext, tag.
    for i in 0..record.len() {
        let mut bad = record.clone();
        bad[i] ^= 0x01;
        edit_table(dir.path(), VERSIONS, |t| {
            t.insert(record_key.as_str(), bad.as_slice()).unwrap();
        });
        let v = Vault::open(dir.path(), &key(1)).unwrap();
        let err = v.get("db", &Selector::Current).unwrap_err();
        assert!(
            matches!(
                err,
                VaultError::Tampered { .. } | VaultError::Corrupt { .. }
            ),
            "byte {i}: {err}"
        );
    }
    edit_table(dir.path(), VERSIONS, |t| {
        t.insert(record_key.as_str(), record.as_slice()).unwrap();
    });
    let v = Vault::open(dir.path(), &key(1)).unwrap();
    assert_eq!(get(&v, "db", &Selector::Current), b"original value");
}

#[test]
fn records_moved_between_slots_fail_associated_data() {
    let dir = tempfile::tempdir().unwrap();
    let v = Vault::init(dir.path(), &key(1), fast_kdf()).unwrap();
    let a1 = v.put("a", b"value of a, v1").unwrap();
    let a2 = v.put("a", b"value of a, v2").unwrap();
    let b1 = v.put("b", b"value of b").unwrap();
    drop(v);
    let records: std::collections::HashMap<_, _> =
        raw_entries(dir.path(), VERSIONS).into_iter().collect();
    let ka1 = format!("a\n{}", a1.version_id);
    let ka2 = format!("a\n{}", a2.version_id);
    let kb1 = format!("b\n{}", b1.version_id);
    // Another secret's record (different name), and another version's (different version id).
    edit_table(dir.path(), VERSIONS, |t| {
        t.insert(kb1.as_str(), records[&ka1].as_slice()).unwrap();
        t.insert(ka2.as_str(), records[&ka1].as_slice()).unwrap();
    });
    let v = Vault::open(dir.path(), &key(1)).unwrap();
    assert!(matches!(
        v.get("b", &Selector::Current),
        Err(VaultError::Tampered { .. })
    ));
    assert!(matches!(
        v.get("a", &Selector::Current),
        Err(VaultError::Tampered { .. })
    ));
    assert_eq!(
        get(&v, "a", &Selector::Id(a1.version_id.clone())),
        b"value of a, v1"
    );
}

#[test]
fn metadata_rollback_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let v = Vault::init(dir.path(), &key(1), fast_kdf()).unwrap();
    v.put("a", b"v1").unwrap();
    v.put("b", b"v1").unwrap();
    drop(v);
    let metas: std::collections::HashMap<_, _> =
        raw_entries(dir.path(), SECRETS).into_iter().collect();
    let v = Vault::open(dir.path(), &key(1)).unwrap();
    v.put("a", b"v2").unwrap();
    drop(v);
    // Roll `a`'s stage pointers back to the old metadata, and swap b's metadata under a's name.
    edit_table(dir.path(), SECRETS, |t| {
        let mut edited = metas["a"].clone();
        let pos = edited.windows(10).position(|w| w == b"AWSCURRENT").unwrap();
        edited[pos] = b'X';
        t.insert("a", edited.as_slice()).unwrap();
    });
    let v = Vault::open(dir.path(), &key(1)).unwrap();
    assert!(matches!(
        v.get("a", &Selector::Current),
        Err(VaultError::Tampered { .. })
    ));
    assert!(v.list(true).is_err());
    drop(v);
    edit_table(dir.path(), SECRETS, |t| {
        t.insert("a", metas["b"].as_slice()).unwrap();
    });
    let v = Vault::open(dir.path(), &key(1)).unwrap();
    assert!(matches!(v.describe("a"), Err(VaultError::Tampered { .. })));
}

#[test]
fn rotation_keeps_every_version_readable() {
    let dir = tempfile::tempdir().unwrap();
    let v = Vault::init(dir.path(), &key(1), fast_kdf()).unwrap();
    let mut ids = Vec::new();
    for i in 0..5 {
        let info = if i == 0 {
            v.put("api", b"value-0")
        } else {
            v.rotate("api", format!("value-{i}").as_bytes())
        };
        ids.push(info.unwrap().version_id);
    }
    assert!(matches!(
        v.rotate("never-created", b"x"),
        Err(VaultError::NotFound(_))
    ));
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(
            get(&v, "api", &Selector::Id(id.clone())),
            format!("value-{i}").as_bytes()
        );
        assert_eq!(
            get(&v, "api", &Selector::Number(u32::try_from(i).unwrap() + 1)),
            format!("value-{i}").as_bytes()
        );
    }
    assert_eq!(get(&v, "api", &Selector::Current), b"value-4");
    assert_eq!(
        get(&v, "api", &Selector::Stage(AWSPREVIOUS.into())),
        b"value-3"
    );
    let meta = v.describe("api").unwrap();
    let labelled: Vec<_> = meta
        .versions
        .iter()
        .filter(|x| !x.stages.is_empty())
        .collect();
    assert_eq!(labelled.len(), 2);
}

#[test]
fn rekey_rewraps_only_data_keys_and_keeps_every_version() {
    let dir = tempfile::tempdir().unwrap();
    let v = Vault::init(dir.path(), &key(1), fast_kdf()).unwrap();
    let mut ids = Vec::new();
    for name in ["a", "b", "c"] {
        for i in 0..3 {
            ids.push((
                name,
                i,
                v.put(name, format!("{name}-{i}").as_bytes())
                    .unwrap()
                    .version_id,
            ));
        }
    }
    v.delete("c", DeleteMode::RecoveryWindow(7)).unwrap();
    let before: std::collections::HashMap<_, _> = {
        drop(v);
        raw_entries(dir.path(), VERSIONS).into_iter().collect()
    };
    let mut v = Vault::open(dir.path(), &key(1)).unwrap();
    assert_eq!(
        v.rekey(&KeyMaterial::passphrase(b"new pass".to_vec()), fast_kdf())
            .unwrap(),
        9
    );
    // Still usable in this process with the new key.
    assert_eq!(get(&v, "a", &Selector::Current), b"a-2");
    drop(v);
    let after: std::collections::HashMap<_, _> =
        raw_entries(dir.path(), VERSIONS).into_iter().collect();
    for (k, old) in &before {
        let new = &after[k];
        assert_ne!(old[1..61], new[1..61], "wrapped key must change");
        assert_eq!(old[61..], new[61..], "sealed value must not change");
    }
    assert!(matches!(
        Vault::open(dir.path(), &key(1)),
        Err(VaultError::KeyKindMismatch { .. })
    ));
    let v = Vault::open(dir.path(), &KeyMaterial::passphrase(b"new pass".to_vec())).unwrap();
    v.restore("c").unwrap();
    for (name, i, id) in &ids {
        assert_eq!(
            get(&v, name, &Selector::Id(id.clone())),
            format!("{name}-{i}").as_bytes()
        );
    }
}

fn day(n: u64) -> u64 {
    1_700_000_000_000 + n * 86_400_000
}

#[test]
fn delete_restore_and_purge_after_the_recovery_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = Vault::init(dir.path(), &key(1), fast_kdf()).unwrap();
    v.set_clock(|| day(0));
    v.put("keep", b"k").unwrap();
    v.put("gone", b"g").unwrap();
    v.put("forced", b"f").unwrap();
    assert!(
        v.delete("gone", DeleteMode::RecoveryWindow(3)).is_err(),
        "window below 7 days"
    );
    let purge_at = v.delete("gone", DeleteMode::RecoveryWindow(7)).unwrap();
    assert_eq!(purge_at, day(7));
    assert!(matches!(
        v.get("gone", &Selector::Current),
        Err(VaultError::ScheduledForDeletion { .. })
    ));
    assert!(matches!(
        v.put("gone", b"x"),
        Err(VaultError::ScheduledForDeletion { .. })
    ));
    assert_eq!(v.list(false).unwrap().len(), 2);
    assert_eq!(v.list(true).unwrap().len(), 3);
    v.restore("gone").unwrap();
    assert!(matches!(v.restore("gone"), Err(VaultError::NotDeleted(_))));
    assert_eq!(get(&v, "gone", &Selector::Current), b"g");
    v.delete("gone", DeleteMode::RecoveryWindow(7)).unwrap();
    v.delete("forced", DeleteMode::Force).unwrap();
    assert!(matches!(v.describe("forced"), Err(VaultError::NotFound(_))));
    v.set_clock(|| day(6));
    assert_eq!(v.purge().unwrap(), 0);
    v.set_clock(|| day(7));
    assert_eq!(v.purge().unwrap(), 1);
    assert!(matches!(v.restore("gone"), Err(VaultError::NotFound(_))));
    drop(v);
    let keys: Vec<_> = raw_entries(dir.path(), VERSIONS)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        keys.len(),
        1,
        "purged versions are removed from the file: {keys:?}"
    );
    assert!(keys[0].starts_with("keep\n"));
}

#[test]
fn no_plaintext_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let v = Vault::init(dir.path(), &key(7), fast_kdf()).unwrap();
    let values: Vec<String> = (0..20)
        .map(|i| format!("PLAINTEXT-MARKER-{i:03}-correct-horse-battery"))
        .collect();
    for (i, value) in values.iter().enumerate() {
        v.put(&format!("s{}", i % 4), value.as_bytes()).unwrap();
    }
    drop(v);
    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        files += 1;
        for value in &values {
            assert!(
                !contains(&bytes, value.as_bytes()),
                "plaintext found on disk"
            );
            assert!(
                !contains(&bytes, &value.as_bytes()[..20]),
                "plaintext prefix found on disk"
            );
        }
        assert!(!contains(&bytes, &[7u8; 32]), "KEK found on disk");
    }
    assert!(files >= 1);
}

#[test]
fn hostile_names_and_values_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let v = Vault::init(dir.path(), &key(1), fast_kdf()).unwrap();
    assert!(matches!(
        v.put("a\nb", b"x"),
        Err(VaultError::InvalidName { .. })
    ));
    assert!(matches!(v.put("ok", b""), Err(VaultError::InvalidValue(_))));
    assert!(matches!(
        v.put("ok", &vec![0u8; 65_537]),
        Err(VaultError::InvalidValue(_))
    ));
    assert!(matches!(
        v.get("../etc", &Selector::Current),
        Err(VaultError::NotFound(_))
    ));
}
