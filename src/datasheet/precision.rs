//! Precision names (`fp8`, `int4`, `mxfp6`) and their bit lengths.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A precision key: lowercase letters followed by the bit length (`fp8`, `tf32`, `mxfp6`).
///
/// ```
/// use tppcalc::datasheet::Precision;
/// let p = Precision::parse("tf32").unwrap();
/// assert_eq!(p.bit_length(&Default::default()), 32);
/// let overrides = [("tf32".to_string(), 19)].into_iter().collect();
/// assert_eq!(p.bit_length(&overrides), 19);
/// assert!(Precision::parse("FP8").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Precision(String);

/// A precision name that is not lowercase letters then a bit length from 1 to 1024.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a precision such as `fp8`, `bf16` or `int4` (lowercase letters then the bit length), found `{0}`")]
pub struct BadPrecision(pub String);

impl Precision {
    /// Checks the spelling: `<lowercase letters><digits>`, bit length 1 to 1024.
    pub fn parse(s: &str) -> Result<Precision, BadPrecision> {
        let letters = s.bytes().take_while(|b| b.is_ascii_lowercase()).count();
        let digits = &s[letters..];
        let ok = letters > 0
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
            && digits.len() <= 4
            && digits.parse::<u32>().is_ok_and(|n| (1..=1024).contains(&n));
        if ok {
            Ok(Precision(s.to_string()))
        } else {
            Err(BadPrecision(s.to_string()))
        }
    }

    /// The name as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The trailing number of the name.
    pub fn nominal_bits(&self) -> u32 {
        let letters = self.0.bytes().take_while(|b| b.is_ascii_lowercase()).count();
        self.0[letters..].parse().unwrap_or(0)
    }

    /// The bit length used for TPP: the rule set's override if it has one, else the trailing
    /// number of the name.
    pub fn bit_length(&self, overrides: &BTreeMap<String, u32>) -> u32 {
        overrides.get(&self.0).copied().unwrap_or_else(|| self.nominal_bits())
    }

    /// Whether the format is floating point (for display: TFLOPS versus TOPS).
    pub fn is_float(&self) -> bool {
        !self.0.starts_with("int") && !self.0.starts_with("uint")
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Precision {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Precision::parse(&s).map_err(de::Error::custom)
    }
}
