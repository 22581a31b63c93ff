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

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};

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
        Ok(small) => BigInt::from(small),
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
        match (n.to_i64(), p.to_i64()) {
            (Some(n), Some(p)) => reduced(n.into(), p.into()),
            _ => Exact::new(n, p),
        }
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

/// Numerator and denominator as machine integers, when both fit in an `i64` (every figure a
/// datasheet prints, in base units, does).
fn small(x: &Exact) -> Option<(i128, i128)> {
    Some((x.numer().to_i64()?.into(), x.denom().to_i64()?.into()))
}

/// `n / d` in lowest terms, from machine integers (`d != 0`), without big-integer division.
fn reduced(n: i128, d: i128) -> Exact {
    let g = num_integer::Integer::gcd(&n, &d);
    let (n, d) = (n / g, d / g);
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    Exact::new_raw(BigInt::from(n), BigInt::from(d))
}

/// `a * b`, exactly. The same value as `a * b` on [`Exact`]; faster when both fit in machine
/// integers (products of two `i64` fit in an `i128`), which is what metric computation meets.
///
/// ```
/// use tppcalc::exact::{mul, parse_decimal};
/// let (a, b) = (parse_decimal("145.8").unwrap(), parse_decimal("16").unwrap());
/// assert_eq!(mul(&a, &b), a * b);
/// ```
pub fn mul(a: &Exact, b: &Exact) -> Exact {
    match (small(a), small(b)) {
        (Some((an, ad)), Some((bn, bd))) => reduced(an * bn, ad * bd),
        _ => a * b,
    }
}

/// `a / b`, exactly (`b` must not be zero), with the fast path of [`mul`].
pub fn div(a: &Exact, b: &Exact) -> Exact {
    match (small(a), small(b)) {
        (Some((an, ad)), Some((bn, bd))) if bn != 0 => reduced(an * bd, ad * bn),
        _ => a / b,
    }
}

/// `a + b`, exactly, with the fast path of [`mul`] (each cross product is below 2^126, so
/// their sum fits in an `i128`).
pub fn add(a: &Exact, b: &Exact) -> Exact {
    match (small(a), small(b)) {
        (Some((an, ad)), Some((bn, bd))) => reduced(an * bd + bn * ad, ad * bd),
        _ => a + b,
    }
}

/// The exact order of `a` and `b`, with the fast path of [`mul`] (denominators are positive,
/// so cross-multiplying keeps the order).
pub fn cmp(a: &Exact, b: &Exact) -> std::cmp::Ordering {
    match (small(a), small(b)) {
        (Some((an, ad)), Some((bn, bd))) => (an * bd).cmp(&(bn * ad)),
        _ => a.cmp(b),
    }
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

    proptest::proptest! {
        /// The machine-integer fast paths give exactly what big-rational arithmetic gives, on
        /// small values, values near the `i64` edge and values beyond it (the fallback).
        #[test]
        fn fast_paths_agree_with_big_rationals(
            an in proptest::prop_oneof![-1000i64..1000, proptest::num::i64::ANY],
            ad in proptest::prop_oneof![1i64..1000, 1i64..=i64::MAX],
            bn in proptest::prop_oneof![-1000i64..1000, proptest::num::i64::ANY],
            bd in proptest::prop_oneof![1i64..1000, 1i64..=i64::MAX],
            big in proptest::bool::ANY,
        ) {
            let a = Exact::new(BigInt::from(an), BigInt::from(ad));
            let mut b = Exact::new(BigInt::from(bn), BigInt::from(bd));
            if big {
                b *= Exact::from_integer(BigInt::from(u64::MAX) * BigInt::from(3u8));
            }
            proptest::prop_assert_eq!(mul(&a, &b), &a * &b);
            proptest::prop_assert_eq!(add(&a, &b), &a + &b);
            proptest::prop_assert_eq!(cmp(&a, &b), a.cmp(&b));
            if !b.is_zero() {
                proptest::prop_assert_eq!(div(&a, &b), &a / &b);
            }
            // Results are in lowest terms with a positive denominator, as `Ratio::new` makes them.
            let r = div(&b, &a.clone().max(int(1)));
            proptest::prop_assert_eq!(Exact::new(r.numer().clone(), r.denom().clone()), r);
        }
    }

    #[test]
    fn fast_paths_handle_signs_zero_and_the_i64_edge() {
        let m = Exact::from_integer(BigInt::from(i64::MIN));
        let one = int(1);
        for (a, b) in [
            (int(-3), int(6)),
            (int(0), int(-7)),
            (m.clone(), m.clone()),
            (m.clone(), -&one),
        ] {
            assert_eq!(mul(&a, &b), &a * &b);
            assert_eq!(div(&a, &b), &a / &b);
            assert_eq!(add(&a, &b), &a + &b);
            assert_eq!(cmp(&a, &b), a.cmp(&b));
        }
        assert_eq!(from_parts(BigInt::from(3414), -7), parse_decimal("341.4e-6").unwrap());
    }
}
