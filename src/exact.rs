//! Exact rational numbers for every figure that is compared with a threshold.
//!
//! Datasheets and rule texts write decimals (`5.92`, `3.35 TB/s`, `814 mm^2`). Binary floating
//! point cannot hold most of them, and `uom` stores quantities in SI base units, so with `f64`
//! storage `826 mm^2` reads back as `825.9999999999999`. tppcalc therefore keeps every figure
//! as an exact rational ([`Exact`]): decimal literals are parsed digit by digit, unit prefixes
//! are exact powers of ten (or two), and TPP, performance density and bandwidth density are
//! computed without rounding. A figure that sits exactly on a threshold compares as equal to
//! it, which is what "or more" (`>=`) and "less than" (`<`) in the rule text require.
//!
//! `f64` appears only at the edges: for display and for JSON output.
//!
//! This module is the reference arithmetic: every operation is the one of [`BigRational`].
//! Its one fast path, machine integers for values that fit in an `i64`, lives in [`small`]
//! (with the reference it copies, the test that proves it and what it buys).

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};

pub mod small;

/// An exact rational number.
pub type Exact = BigRational;

/// Longest number literal accepted, in characters. Longer literals are rejected so that a
/// hostile file cannot make the parser build enormous integers.
pub const MAX_LITERAL_LEN: usize = 64;

/// Largest decimal exponent accepted in a literal (`1e300` is fine, `1e400` is not: it is
/// outside the range of any physical figure and of `f64`).
pub const MAX_EXPONENT: i64 = 300;

/// Why a number literal was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// The text is not a decimal number.
    #[error("`{0}` is not a number")]
    NotANumber(String),
    /// The literal is longer than [`MAX_LITERAL_LEN`].
    #[error("number literal is longer than {MAX_LITERAL_LEN} characters")]
    TooLong,
    /// The value is outside the range tppcalc accepts (`|exponent| > 300`).
    #[error("`{0}` is out of range: expected a magnitude between 1e-300 and 1e300")]
    OutOfRange(String),
    /// NaN or infinity.
    #[error("`{0}` is not a finite number")]
    NotFinite(String),
}

/// Parses a decimal literal such as `1979`, `3.35`, `-0.5`, `80e9` or `1.2E-3` exactly.
///
/// ```
/// use tppcalc::exact::{parse_decimal, to_f64};
/// let x = parse_decimal("5.92").unwrap();
/// assert_eq!(x * parse_decimal("100").unwrap(), parse_decimal("592").unwrap());
/// assert_eq!(to_f64(&parse_decimal("80e9").unwrap()), 80e9);
/// assert!(parse_decimal("1e400").is_err());
/// ```
pub fn parse_decimal(text: &str) -> Result<Exact, NumberError> {
    let (n, exp) = parse_decimal_parts(text)?;
    Ok(scale10(Exact::from_integer(n), exp))
}

/// Parses a decimal literal into an integer and a power of ten (`3.35` is `(335, -2)`), with
/// the checks of [`parse_decimal`]. Zero is `(0, 0)`.
pub fn parse_decimal_parts(text: &str) -> Result<(BigInt, i64), NumberError> {
    let s = text.trim();
    if s.len() > MAX_LITERAL_LEN {
        return Err(NumberError::TooLong);
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.trim_start_matches(['+', '-']),
        "nan" | ".nan" | "inf" | ".inf" | "infinity"
    ) {
        return Err(NumberError::NotFinite(s.to_string()));
    }
    let bad = || NumberError::NotANumber(s.to_string());
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (int_part, frac_part) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    let digits_ok = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    if (int_part.is_empty() && frac_part.is_empty()) || !digits_ok(int_part) || !digits_ok(frac_part) {
        return Err(bad());
    }
    let mut exp: i64 = match exponent {
        None => 0,
        Some(e) => {
            let (eneg, edigits) = match e.as_bytes().first() {
                Some(b'-') => (true, &e[1..]),
                Some(b'+') => (false, &e[1..]),
                _ => (false, e),
            };
            if edigits.is_empty() || !digits_ok(edigits) || edigits.len() > 6 {
                return Err(bad());
            }
            let v: i64 = edigits.parse().map_err(|_| bad())?;
            if eneg {
                -v
            } else {
                v
            }
        }
    };
    // Work on the digit string: strip leading zeros, and move trailing zeros into the exponent,
    // so that the magnitude check is honest and small numbers never need big-integer division.
    let all = format!("{int_part}{frac_part}");
    exp -= frac_part.len() as i64;
    let significant = all.trim_start_matches('0');
    let trimmed = significant.trim_end_matches('0');
    if trimmed.is_empty() {
        return Ok((BigInt::zero(), 0));
    }
    exp += (significant.len() - trimmed.len()) as i64;
    let magnitude = exp + trimmed.len() as i64 - 1;
    if !(-MAX_EXPONENT..=MAX_EXPONENT).contains(&magnitude) {
        return Err(NumberError::OutOfRange(s.to_string()));
    }
    let mut n: BigInt = match trimmed.parse::<u64>() {
        Ok(n) => BigInt::from(n),
        Err(_) => trimmed.parse().map_err(|_| bad())?,
    };
    if negative {
        n = -n;
    }
    Ok((n, exp))
}

/// `n x 10^exp` as an exact value, with at most one reduction (none when `exp >= 0`).
pub fn from_parts(n: BigInt, exp: i64) -> Exact {
    let p = match exp.unsigned_abs() {
        k @ 0..=19 => BigInt::from(10u64.pow(k as u32)),
        k => BigInt::from(10u8).pow(k as u32),
    };
    if exp >= 0 {
        Exact::from_integer(n * p)
    } else {
        small::ratio_of(&n, &p).unwrap_or_else(|| Exact::new(n, p))
    }
}

/// `x * 10^exp`, exactly.
pub fn scale10(x: Exact, exp: i64) -> Exact {
    if exp == 0 {
        return x;
    }
    let p = match exp.unsigned_abs() {
        k @ 0..=19 => Exact::from_integer(BigInt::from(10u64.pow(k as u32))),
        k => Exact::from_integer(BigInt::from(10u8).pow(k as u32)),
    };
    if exp >= 0 {
        x * p
    } else {
        x / p
    }
}

/// `a * b`, exactly: the product of big rationals, through the machine-integer fast path of
/// [`small`] when both values fit in an `i64` over `i64` (every figure a datasheet prints, in
/// base units, does).
///
/// ```
/// use tppcalc::exact::{mul, parse_decimal};
/// let (a, b) = (parse_decimal("145.8").unwrap(), parse_decimal("16").unwrap());
/// assert_eq!(mul(&a, &b), a * b);
/// ```
pub fn mul(a: &Exact, b: &Exact) -> Exact {
    small::mul(a, b).unwrap_or_else(|| a * b)
}

/// `a / b`, exactly (`b` must not be zero), through [`small`] when it can.
pub fn div(a: &Exact, b: &Exact) -> Exact {
    small::div(a, b).unwrap_or_else(|| a / b)
}

/// `a + b`, exactly, through [`small`] when it can.
pub fn add(a: &Exact, b: &Exact) -> Exact {
    small::add(a, b).unwrap_or_else(|| a + b)
}

/// The exact order of `a` and `b`, through [`small`] when it can.
pub fn cmp(a: &Exact, b: &Exact) -> std::cmp::Ordering {
    small::cmp(a, b).unwrap_or_else(|| a.cmp(b))
}

/// An exact value from an integer.
pub fn int(n: i64) -> Exact {
    Exact::from_integer(BigInt::from(n))
}

/// Recovers the decimal literal a YAML author wrote from the `f64` the YAML parser produced.
///
/// Rust prints an `f64` as the shortest decimal that reads back to the same `f64`, so any
/// literal of up to 15 significant digits (every figure a datasheet or rule prints) comes back
/// exactly: `5.92_f64` gives `5.92`, not `5.9199999999999999289...`. Returns `None` for NaN and
/// infinities.
pub fn from_f64_literal(x: f64) -> Option<Exact> {
    if !x.is_finite() {
        return None;
    }
    parse_decimal(&format!("{x:e}")).ok()
}

/// The nearest `f64`, for display and JSON output only.
pub fn to_f64(x: &Exact) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_literals_datasheets_use() {
        for (text, num, den) in [
            ("1", 1i64, 1i64),
            ("814", 814, 1),
            ("3.35", 335, 100),
            ("0.5", 1, 2),
            ("80e9", 80_000_000_000, 1),
            ("1.2E-3", 12, 10_000),
            ("+7", 7, 1),
            ("-2.50", -5, 2),
            (".5", 1, 2),
            ("5.", 5, 1),
        ] {
            assert_eq!(
                parse_decimal(text).unwrap(),
                Exact::new(BigInt::from(num), BigInt::from(den)),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_what_is_not_a_finite_decimal() {
        for text in [
            "", "-", ".", "e5", "1e", "1.2.3", "abc", "1,5", "0x10", "nan", ".inf", "-inf", "1e400", "1e-400",
        ] {
            assert!(parse_decimal(text).is_err(), "{text}");
        }
        assert_eq!(parse_decimal(&"1".repeat(65)), Err(NumberError::TooLong));
    }

    #[test]
    fn recovers_typed_literals_from_f64() {
        for text in ["5.92", "0.1", "1979", "3.2", "4799.999", "1.18"] {
            let f: f64 = text.parse().unwrap();
            assert_eq!(from_f64_literal(f).unwrap(), parse_decimal(text).unwrap());
        }
        assert_eq!(from_f64_literal(f64::NAN), None);
    }

    #[test]
    fn from_parts_reduces_small_and_big_values_alike() {
        assert_eq!(from_parts(BigInt::from(3414), -7), parse_decimal("341.4e-6").unwrap());
        assert_eq!(from_parts(BigInt::from(5), -25), parse_decimal("5e-25").unwrap());
        assert_eq!(from_parts(BigInt::from(-12), 3), int(-12_000));
    }
}
