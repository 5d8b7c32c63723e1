//! The [`Fingerprint`]: a content hash that says whether two definitions score alike.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::Statement;

/// A SHA-256 hash of what scoring depends on in a definition: each statement's id, cell and
/// weight, and nothing else.
///
/// Two definitions with the same fingerprint score any response alike; rewording or
/// translating a statement, or changing the title or version, keeps the fingerprint.
///
/// # The rule
///
/// For each statement, one line of UTF-8 text:
///
/// ```text
/// id TAB force TAB perspective TAB orientation TAB weight LF
/// ```
///
/// with the slugs of [`Force`](crate::Force), [`Perspective`](crate::Perspective) and
/// [`Orientation`](crate::Orientation), and the weight as the shortest decimal that reads
/// back as the same IEEE-754 double, in positional notation without exponent, without a
/// trailing `.0` (`1`, `0.5`, `2.25`, `0.001`). Sort the lines by byte value, concatenate
/// them, and take the SHA-256 of the result. The fingerprint is the digest in 64 lowercase
/// hexadecimal digits. For the canonical definition the first line is
/// `power.people.mechanistic.1\tpower\tpeople\tmechanistic\t1\n`.
///
/// In Python, for example:
///
/// ```text
/// lines = sorted(f"{i['id']}\t{i['force']}\t{i['perspective']}\t{i['orientation']}\t{w}\n"
///                for i in doc["indicators"])   # w: weight formatted as above
/// hashlib.sha256("".join(lines).encode()).hexdigest()
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint([u8; 32]);

/// Text that is not 64 lowercase hexadecimal digits.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("fingerprint `{}` is not 64 lowercase hexadecimal digits", crate::text::quote(&.0))]
pub struct ParseFingerprintError(String);

impl Fingerprint {
    /// The fingerprint of a set of statements, by the rule above.
    pub fn of<'a>(indicators: impl IntoIterator<Item = &'a Statement>) -> Fingerprint {
        let mut lines: Vec<String> = indicators
            .into_iter()
            .map(|i| {
                let cell = i.cell();
                format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    i.id(),
                    cell.force,
                    cell.perspective,
                    cell.orientation,
                    i.weight()
                )
            })
            .collect();
        lines.sort_unstable();
        let mut hash = Sha256::new();
        for line in &lines {
            hash.update(line.as_bytes());
        }
        Fingerprint(hash.finalize().into())
    }

    /// The 32 bytes of the digest.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The first 8 hexadecimal digits, enough to tell definitions apart by eye.
    pub fn short(&self) -> String {
        self.to_string()[..8].to_owned()
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

impl FromStr for Fingerprint {
    type Err = ParseFingerprintError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ParseFingerprintError(s.to_owned());
        let digits = s.as_bytes();
        if digits.len() != 64 {
            return Err(bad());
        }
        let nibble = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
            *byte = (nibble(pair[0]).ok_or_else(bad)? << 4) | nibble(pair[1]).ok_or_else(bad)?;
        }
        Ok(Fingerprint(out))
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
