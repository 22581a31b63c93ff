//! The machine-integer fast path of exact arithmetic: `mul`, `div`, `add` and `cmp` of two
//! rationals whose numerator and denominator both fit in an `i64`, computed in `i128`, with
//! the result reduced to lowest terms as [`BigRational`] reduces it.
//!
//! - **Reference it copies:** the same operations on [`BigRational`] (`a * b`, `a / b`,
//!   `a + b`, `a.cmp(b)`, `Ratio::new`), which [`crate::exact`] calls whenever this module
//!   answers `None`. This is the only module with `i128` arithmetic; nothing else in the crate
//!   shortcuts exact arithmetic.
//! - **Why it is exact:** a product of two `i64` fits in an `i128` (|x| <= 2^126), and so does
//!   the sum of two such products (`add`); denominators are positive, so cross-multiplying
//!   keeps the order (`cmp`). The gcd reduction gives the lowest terms with a positive
//!   denominator, the form `Ratio::new` makes, so equal values compare and hash alike.
//! - **Test that proves it:** `tests/it/fast_paths.rs`,
//!   `machine_integer_shortcuts_agree_with_big_rationals` (5,000 random pairs per run, biased to
//!   the `i64` extremes and to printed decimals, some past `i64` so the fallback runs too;
//!   compares values and lowest terms), and the unit tests below (signs, zero, `i64::MIN`).
//! - **What it buys:** on 14,400 pairs of datasheet figures (`cargo bench --bench engine`,
//!   `exact_ops_shortcut` against `exact_ops_bigrational`) the operations are 10 to 13 times
//!   faster at the median (2.3 to 4.5 ms against 31.1 to 43.9 ms, three runs on 2026-12-03);
//!   metric computation of one datasheet (`compute_metrics`) went from 33.5 µs to 6.0 µs when
//!   it came in, and is 4.9 to 5.4 µs today (docs/performance.md, "The fast paths against
//!   their references").

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::ToPrimitive;
use std::cmp::Ordering;

/// Numerator and denominator as machine integers, when both fit in an `i64` (every figure a
/// datasheet prints, in base units, does).
fn parts(x: &BigRational) -> Option<(i128, i128)> {
    Some((x.numer().to_i64()?.into(), x.denom().to_i64()?.into()))
}

/// `n / d` in lowest terms with a positive denominator, from machine integers (`d != 0`),
/// without big-integer division.
pub fn ratio(n: i128, d: i128) -> BigRational {
    let g = num_integer::Integer::gcd(&n, &d);
    let (n, d) = (n / g, d / g);
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    BigRational::new_raw(BigInt::from(n), BigInt::from(d))
}

/// `n / d` as [`ratio`] when both fit in an `i64` (`d != 0`); `None` otherwise.
pub fn ratio_of(n: &BigInt, d: &BigInt) -> Option<BigRational> {
    Some(ratio(n.to_i64()?.into(), d.to_i64()?.into()))
}

/// `a * b`, when both fit; `None` otherwise.
pub fn mul(a: &BigRational, b: &BigRational) -> Option<BigRational> {
    let ((an, ad), (bn, bd)) = (parts(a)?, parts(b)?);
    Some(ratio(an * bn, ad * bd))
}

/// `a / b`, when both fit and `b` is not zero; `None` otherwise.
pub fn div(a: &BigRational, b: &BigRational) -> Option<BigRational> {
    let ((an, ad), (bn, bd)) = (parts(a)?, parts(b)?);
    (bn != 0).then(|| ratio(an * bd, ad * bn))
}

/// `a + b`, when both fit; `None` otherwise (each cross product is below 2^126, so their sum
/// fits in an `i128`).
pub fn add(a: &BigRational, b: &BigRational) -> Option<BigRational> {
    let ((an, ad), (bn, bd)) = (parts(a)?, parts(b)?);
    Some(ratio(an * bd + bn * ad, ad * bd))
}

/// The order of `a` and `b`, when both fit; `None` otherwise.
pub fn cmp(a: &BigRational, b: &BigRational) -> Option<Ordering> {
    let ((an, ad), (bn, bd)) = (parts(a)?, parts(b)?);
    Some((an * bd).cmp(&(bn * ad)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_traits::Zero;

    fn q(n: i64, d: i64) -> BigRational {
        BigRational::new(BigInt::from(n), BigInt::from(d))
    }

    proptest::proptest! {
        /// Each shortcut gives exactly what big-rational arithmetic gives, on small values,
        /// values near the `i64` edge and values beyond it (where it must answer `None`).
        #[test]
        fn each_shortcut_is_the_big_rational_operation(
            an in proptest::prop_oneof![-1000i64..1000, proptest::num::i64::ANY],
            ad in proptest::prop_oneof![1i64..1000, 1i64..=i64::MAX],
            bn in proptest::prop_oneof![-1000i64..1000, proptest::num::i64::ANY],
            bd in proptest::prop_oneof![1i64..1000, 1i64..=i64::MAX],
            big in proptest::bool::ANY,
        ) {
            let a = q(an, ad);
            let mut b = q(bn, bd);
            if big {
                b *= BigRational::from_integer(BigInt::from(u64::MAX) * BigInt::from(3u8));
            }
            let fits = parts(&b).is_some();
            proptest::prop_assert_eq!(mul(&a, &b).is_some(), fits);
            proptest::prop_assert_eq!(mul(&a, &b).unwrap_or_else(|| &a * &b), &a * &b);
            proptest::prop_assert_eq!(add(&a, &b).unwrap_or_else(|| &a + &b), &a + &b);
            proptest::prop_assert_eq!(cmp(&a, &b).unwrap_or_else(|| a.cmp(&b)), a.cmp(&b));
            if !b.is_zero() {
                proptest::prop_assert_eq!(div(&a, &b).unwrap_or_else(|| &a / &b), &a / &b);
            } else {
                proptest::prop_assert_eq!(div(&a, &b), None);
            }
            // Results are in lowest terms with a positive denominator, as `Ratio::new` makes them.
            if let Some(r) = div(&b, &a.clone().max(q(1, 1))) {
                proptest::prop_assert_eq!(BigRational::new(r.numer().clone(), r.denom().clone()), r);
            }
        }
    }

    #[test]
    fn signs_zero_and_the_i64_edge() {
        let m = BigRational::from_integer(BigInt::from(i64::MIN));
        for (a, b) in [
            (q(-3, 1), q(6, 1)),
            (q(0, 1), q(-7, 1)),
            (m.clone(), m.clone()),
            (m.clone(), q(-1, 1)),
        ] {
            assert_eq!(mul(&a, &b).unwrap(), &a * &b);
            assert_eq!(div(&a, &b).unwrap(), &a / &b);
            assert_eq!(add(&a, &b).unwrap(), &a + &b);
            assert_eq!(cmp(&a, &b).unwrap(), a.cmp(&b));
        }
        assert_eq!(ratio(6, -4), q(-3, 2));
        assert_eq!(
            ratio_of(&BigInt::from(3414), &BigInt::from(10_000_000)).unwrap(),
            q(3414, 10_000_000)
        );
        assert_eq!(ratio_of(&(BigInt::from(u64::MAX) * 2), &BigInt::from(1)), None);
    }
}
