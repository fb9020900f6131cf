//! Randomness: nonces, data keys, salts, version ids, ARN suffixes and generated passwords,
//! all from the operating system's generator.

use crate::error::{Result, VaultError};
use zeroize::Zeroizing;

/// Fills `buf` from the operating system's random generator.
pub fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| VaultError::Random(e.to_string()))
}

/// `N` random bytes.
pub fn bytes<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    fill(&mut out)?;
    Ok(out)
}

/// A random UUID (version 4), the shape Secrets Manager uses for version ids.
pub fn uuid_v4() -> Result<String> {
    let mut b = bytes::<16>()?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// Picks `len` characters uniformly from `alphabet` (rejection sampling, no modulo bias).
fn pick(alphabet: &[u8], len: usize) -> Result<Zeroizing<String>> {
    let mut out = Zeroizing::new(String::with_capacity(len));
    // The largest multiple of the alphabet size that fits in a byte.
    let limit = 256 - (256 % alphabet.len());
    let mut pool = Zeroizing::new([0u8; 64]);
    while out.len() < len {
        fill(pool.as_mut())?;
        for &b in pool.iter() {
            if (b as usize) < limit && out.len() < len {
                out.push(char::from(alphabet[b as usize % alphabet.len()]));
            }
        }
    }
    Ok(out)
}

/// The six-character suffix Secrets Manager appends to a secret's ARN.
pub fn arn_suffix() -> Result<String> {
    let s = pick(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 6)?;
    Ok(s.as_str().to_owned())
}

const LETTERS_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const WITH_PUNCTUATION: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,-.:;<=>?@[]^_{|}~";

/// A random password for rotation, like Secrets Manager's `GetRandomPassword`.
pub fn password(len: usize, punctuation: bool) -> Result<Zeroizing<String>> {
    pick(
        if punctuation {
            WITH_PUNCTUATION
        } else {
            LETTERS_DIGITS
        },
        len,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_has_version_and_variant() {
        let u = uuid_v4().unwrap();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(u, uuid_v4().unwrap());
    }

    #[test]
    fn password_uses_alphabet() {
        let p = password(200, false).unwrap();
        assert_eq!(p.len(), 200);
        assert!(p.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(arn_suffix().unwrap().len(), 6);
    }
}
