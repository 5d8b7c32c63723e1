//! Secrets: random tokens and ids, their SHA-256 hashes, and constant-time comparison.
//!
//! A token is 32 bytes from the operating system's generator, written as 64 hex digits.
//! The database keeps only `SHA-256(token)`; a token is checked by hashing what the client
//! sent and comparing the two hashes in constant time.

use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// Symbols of join codes: no 0/O or 1/I, so that a code read aloud or off a screen is
/// typed right. 32 symbols, so 5 random bits pick one without bias.
const CODE_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("randomness: {e}")))?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// A new secret token: 256 random bits as 64 lowercase hex digits.
pub fn new_token() -> Result<String, AppError> {
    Ok(hex(&random_bytes::<32>()?))
}

/// A new opaque id: 128 random bits as 32 hex digits.
pub fn new_id() -> Result<String, AppError> {
    Ok(hex(&random_bytes::<16>()?))
}

/// A new join code: 8 letters and digits (40 bits), e.g. `K7PMQ3RX`, shown as `K7PM-Q3RX`.
pub fn new_join_code() -> Result<String, AppError> {
    let bytes = random_bytes::<8>()?;
    Ok(bytes
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(b & 31)]))
        .collect())
}

/// Normalises a join code as a person may type it: case, spaces and dashes do not matter.
/// `None` if what remains is not 8 symbols of the alphabet.
pub fn normalise_join_code(text: &str) -> Option<String> {
    let code: String = text
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == 8 && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// `SHA-256(token)`.
pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Whether two byte strings are equal, in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// The bearer token of a request, if it has a well-formed one (64 hex digits).
pub fn bearer(headers: &HeaderMap) -> Result<&str, AppError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(AppError::Unauthorized)?;
    let token = value
        .strip_prefix("Bearer ")
        .ok_or(AppError::Unauthorized)?
        .trim();
    if token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(token)
    } else {
        Err(AppError::Unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_hex_and_hash_to_32_bytes() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(constant_time_eq(&hash_token(&a), &hash_token(&a)));
        assert!(!constant_time_eq(&hash_token(&a), &hash_token(&b)));
        assert!(!constant_time_eq(b"ab", b"abc"));
    }

    #[test]
    fn join_codes_normalise_as_typed() {
        let code = new_join_code().unwrap();
        assert_eq!(normalise_join_code(&code).as_deref(), Some(code.as_str()));
        let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
        assert_eq!(normalise_join_code(&typed).as_deref(), Some(code.as_str()));
        assert_eq!(normalise_join_code("ABCD-EFG"), None);
        assert_eq!(normalise_join_code("ABCD-EFG0"), None);
    }
}
