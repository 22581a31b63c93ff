//! How numbers are written for people: one rule for every output.
//!
//! - **Tables** (`classify` table, Markdown and HTML, `headroom`, `diff`, `sweep`, `matrix`,
//!   `license`, `catalog`, `cluster`, charts) show at most [`TABLE_DIGITS`] significant digits,
//!   rounded half away from zero, with trailing zeros removed and the whole-number part never
//!   rounded: `2.90909`, `19.4496`, `15832`, `1234568`. Magnitudes below 10^-6 or from 10^15 up
//!   are written in scientific notation (`1.23457e-7`). Signed figures (margins) carry `+` or `-`.
//!   Percentages follow the same rule (`-50.6667%`).
//! - **Exact values** (`explain`, and the `exact` strings of JSON) are the value itself: the
//!   decimal expansion when it terminates (`5.92`, `0.000125`, `11200`), otherwise the reduced
//!   fraction (`32/11`). `explain` follows a fraction with its first digits (`32/11 (2.90909...)`).
//! - **Boundaries** where a verdict changes ([`boundary`]) are exact when they terminate, and
//!   otherwise their first digits followed by `...`, never a rounded value.
//! - **Machine formats** (JSON numbers, CSV) carry full precision (the nearest `f64`, or
//!   [`machine`]); they are never rounded for display.
//!
//! Every formatter reads the exact rational; none goes through `f64`, so a figure that sits on
//! a threshold prints as the threshold (`5.92`, never `5.919999`).

use crate::exact::Exact;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, Zero};

/// Significant digits shown in tables.
pub const TABLE_DIGITS: usize = 6;

/// Below this magnitude tables switch to scientific notation (10^-6).
const SMALL_EXP: i64 = -6;
/// From this magnitude up tables switch to scientific notation (10^15).
const LARGE_EXP: i64 = 15;

fn pow10(k: u32) -> BigInt {
    BigInt::from(10u8).pow(k)
}

/// `floor(log10(a))` for `a > 0`.
fn magnitude(a: &Exact) -> i64 {
    let digits = |n: &BigInt| n.to_string().len() as i64;
    let mut e = digits(a.numer()) - digits(a.denom());
    // 10^e <= a < 10^(e+1), starting from an estimate that is off by at most one.
    let ten = |k: i64| {
        if k >= 0 {
            Exact::from_integer(pow10(k as u32))
        } else {
            Exact::new(BigInt::one(), pow10((-k) as u32))
        }
    };
    while *a < ten(e) {
        e -= 1;
    }
    while *a >= ten(e + 1) {
        e += 1;
    }
    e
}

/// `round(a * 10^places)` for `a >= 0`: half away from zero when `round` is true, else toward
/// zero.
fn scaled(a: &Exact, places: i64, round: bool) -> BigInt {
    let s = if places >= 0 {
        a * Exact::from_integer(pow10(places as u32))
    } else {
        a / Exact::from_integer(pow10((-places) as u32))
    };
    let (q, r) = s.numer().div_rem(s.denom());
    if round && (r * BigInt::from(2u8)) >= *s.denom() {
        q + 1
    } else {
        q
    }
}

/// The integer `n` written with `places` decimals, trailing zeros (and a bare point) removed.
fn with_point(n: &BigInt, places: usize) -> String {
    point(n, places, true)
}

/// The integer `n` written with `places` decimals; trailing zeros removed when `trim`.
fn point(n: &BigInt, places: usize, trim: bool) -> String {
    let digits = n.to_string();
    if places == 0 {
        return digits;
    }
    let padded = format!("{digits:0>width$}", width = places + 1);
    let (i, f) = padded.split_at(padded.len() - places);
    let f = if trim { f.trim_end_matches('0') } else { f };
    if f.is_empty() {
        i.to_string()
    } else {
        format!("{i}.{f}")
    }
}

/// `a >= 0` to `digits` significant digits: rounded, with trailing zeros removed; or truncated
/// (when `round` is false), keeping every digit, as the start of an expansion that goes on.
fn significant(a: &Exact, digits: usize, round: bool) -> String {
    if a.is_zero() {
        return "0".into();
    }
    let e = magnitude(a);
    let digits = digits as i64;
    if !(SMALL_EXP..LARGE_EXP).contains(&e) {
        let mut e = e;
        let mut m = scaled(a, digits - 1 - e, round);
        if m >= pow10(digits as u32) {
            // 9.999996e-7 rounds to 1e-6.
            m /= BigInt::from(10u8);
            e += 1;
        }
        return format!("{}e{e}", point(&m, (digits - 1) as usize, round));
    }
    let places = (digits - 1 - e).max(0);
    point(&scaled(a, places, round), places as usize, round)
}

fn signed_with(x: &Exact, body: impl Fn(&Exact) -> String, plus: bool) -> String {
    let s = body(&x.abs());
    if x.is_negative() && s != "0" {
        format!("-{s}")
    } else if plus && x.is_positive() {
        format!("+{s}")
    } else {
        s
    }
}

/// A figure for a table: at most [`TABLE_DIGITS`] significant digits, the whole-number part
/// in full.
///
/// ```
/// use tppcalc::{exact::{int, parse_decimal}, numfmt::table};
/// assert_eq!(table(&(int(32) / int(11))), "2.90909");
/// assert_eq!(table(&parse_decimal("11200").unwrap()), "11200");
/// assert_eq!(table(&parse_decimal("1234567.89").unwrap()), "1234568");
/// assert_eq!(table(&parse_decimal("-0.000000123456789").unwrap()), "-1.23457e-7");
/// ```
pub fn table(x: &Exact) -> String {
    signed_with(x, |a| significant(a, TABLE_DIGITS, true), false)
}

/// As [`table`], with `+` before a positive figure (margins): `+768`, `-3.01091`, `0`.
pub fn signed(x: &Exact) -> String {
    signed_with(x, |a| significant(a, TABLE_DIGITS, true), true)
}

/// A share as a percentage for tables: `x` = 0.5 gives `50%`; signed when `plus`.
///
/// ```
/// use tppcalc::{exact::int, numfmt::percent};
/// assert_eq!(percent(&(int(-76) / int(150)), true), "-50.6667%");
/// assert_eq!(percent(&(int(12) / int(25)), true), "+48%");
/// ```
pub fn percent(share: &Exact, plus: bool) -> String {
    let p = share * Exact::from_integer(BigInt::from(100u8));
    format!("{}%", signed_with(&p, |a| significant(a, TABLE_DIGITS, true), plus))
}

/// A boundary (a figure at which a verdict changes), as `headroom` prints it: the exact
/// decimal when it terminates (`1684.5703125`: a reader types it back in), otherwise the first
/// [`TABLE_DIGITS`] digits, truncated, followed by `...` (`75/74` is `1.01351...`), so that the
/// text never shows a rounded value as if it were the boundary.
///
/// ```
/// use tppcalc::{exact::{int, parse_decimal}, numfmt::boundary};
/// assert_eq!(boundary(&(int(75) / int(74))), "1.01351...");
/// assert_eq!(boundary(&(int(2) / int(3))), "0.666666...");
/// assert_eq!(boundary(&parse_decimal("1684.5703125").unwrap()), "1684.5703125");
/// ```
pub fn boundary(x: &Exact) -> String {
    terminating(x).unwrap_or_else(|| format!("{}...", signed_with(x, |a| significant(a, TABLE_DIGITS, false), false)))
}

/// `x` rounded (half away from zero) to `places` decimals, every decimal kept: `19.45`,
/// `5285`. Only to compare with a figure someone printed to that many decimals (published
/// values); tables use [`table`].
///
/// ```
/// use tppcalc::{exact::int, numfmt::decimals};
/// assert_eq!(decimals(&(int(15832) / int(814)), 2), "19.45");
/// assert_eq!(decimals(&(int(-1) / int(2)), 0), "-1");
/// assert_eq!(decimals(&int(4), 2), "4.00");
/// ```
pub fn decimals(x: &Exact, places: usize) -> String {
    signed_with(x, |a| point(&scaled(a, places as i64, true), places, false), false)
}

/// An optional figure for a table: `unknown` when absent.
pub fn table_or_unknown(x: Option<&Exact>) -> String {
    x.map_or_else(|| "unknown".into(), table)
}

/// The terminating decimal expansion of `x`, when it has one (of at most 400 places).
pub fn terminating(x: &Exact) -> Option<String> {
    let mut d = x.denom().clone();
    let (two, five) = (BigInt::from(2u8), BigInt::from(5u8));
    let (mut twos, mut fives) = (0u32, 0u32);
    while (&d % &two).is_zero() {
        d /= &two;
        twos += 1;
    }
    while (&d % &five).is_zero() {
        d /= &five;
        fives += 1;
    }
    if !d.is_one() || twos.max(fives) > 400 {
        return None;
    }
    let places = twos.max(fives);
    let n = (x.abs() * Exact::from_integer(pow10(places))).to_integer();
    let body = with_point(&n, places as usize);
    Some(if x.is_negative() { format!("-{body}") } else { body })
}

/// The exact value: the decimal expansion when it terminates, otherwise the reduced fraction.
/// This is what JSON `exact` strings hold.
///
/// ```
/// use tppcalc::{exact::{int, parse_decimal}, numfmt::exact};
/// assert_eq!(exact(&parse_decimal("989.50").unwrap()), "989.5");
/// assert_eq!(exact(&parse_decimal("-0.000125").unwrap()), "-0.000125");
/// assert_eq!(exact(&(int(40) / int(3))), "40/3");
/// assert_eq!(exact(&(int(-828) / int(275))), "-828/275");
/// ```
pub fn exact(x: &Exact) -> String {
    terminating(x).unwrap_or_else(|| format!("{}/{}", x.numer(), x.denom()))
}

/// The exact value as `explain` prints it: as [`exact`], with the first [`TABLE_DIGITS`]
/// digits of a fraction after it: `40/3 (13.3333...)`.
///
/// ```
/// use tppcalc::{exact::{int, parse_decimal}, numfmt::explain};
/// assert_eq!(explain(&(int(40) / int(3))), "40/3 (13.3333...)");
/// assert_eq!(explain(&(int(2) / int(3))), "2/3 (0.666666...)");
/// assert_eq!(explain(&parse_decimal("11200").unwrap()), "11200");
/// ```
pub fn explain(x: &Exact) -> String {
    match terminating(x) {
        Some(s) => s,
        None => format!(
            "{}/{} ({}...)",
            x.numer(),
            x.denom(),
            signed_with(x, |a| significant(a, TABLE_DIGITS, false), false)
        ),
    }
}

/// As [`explain`], with `+` before a positive value (margins): `+72/55 (+1.30909...)`.
pub fn explain_signed(x: &Exact) -> String {
    if !x.is_positive() {
        return explain(x);
    }
    match terminating(x) {
        Some(s) => format!("+{s}"),
        None => format!(
            "+{}/{} (+{}...)",
            x.numer(),
            x.denom(),
            significant(x, TABLE_DIGITS, false)
        ),
    }
}

/// A figure for a machine format (CSV): the exact decimal when it terminates, otherwise the
/// nearest `f64` (the number JSON carries).
pub fn machine(x: &Exact) -> String {
    terminating(x).unwrap_or_else(|| crate::exact::to_f64(x).to_string())
}

/// A figure known only as an `f64` (chart coordinates, a number read back from JSON), for a
/// table: the shortest decimal that reads back to it, then [`table`].
pub fn table_f64(x: f64) -> String {
    match crate::exact::from_f64_literal(x) {
        Some(e) => table(&e),
        None => x.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact::{int, parse_decimal};

    fn d(s: &str) -> Exact {
        parse_decimal(s).unwrap()
    }

    #[test]
    fn tables_show_six_significant_digits_and_whole_integers() {
        for (x, want) in [
            ("0", "0"),
            ("5.92", "5.92"),
            ("15832", "15832"),
            ("11200.0000", "11200"),
            ("123456.7", "123457"),
            ("1234567.89", "1234568"),
            ("999999.5", "1000000"),
            ("9.999996", "10"),
            ("0.5", "0.5"),
            ("0.000125", "0.000125"),
            ("0.00000123456789", "0.00000123457"),
            ("0.000000123456789", "1.23457e-7"),
            ("0.0000009999996", "1e-6"),
            ("1e15", "1e15"),
            ("123456789012345678", "1.23457e17"),
            ("999999999999999", "999999999999999"),
            ("-2432", "-2432"),
            ("-3.01090909", "-3.01091"),
            ("2.5", "2.5"),
            ("0.0000025", "0.0000025"),
        ] {
            assert_eq!(table(&d(x)), want, "{x}");
        }
        assert_eq!(table(&(int(32) / int(11))), "2.90909");
        assert_eq!(table(&(int(40) / int(3))), "13.3333");
        assert_eq!(table(&(int(-2) / int(3))), "-0.666667");
        assert_eq!(table(&(int(75) / int(74))), "1.01351");
        assert_eq!(table(&(int(7916) / int(407))), "19.4496");
    }

    #[test]
    fn rounding_is_half_away_from_zero_on_the_exact_value() {
        // 2.000005 is exactly halfway at 6 digits; the nearest f64 is 2.00000499999...,
        // which `format!("{:.5}")` rounds down.
        assert_eq!(format!("{:.5}", 2.000005f64), "2.00000");
        assert_eq!(table(&d("2.000005")), "2.00001");
        assert_eq!(table(&d("-2.000005")), "-2.00001");
        assert_eq!(table(&d("1.0000004999")), "1");
    }

    #[test]
    fn signed_and_percent() {
        assert_eq!(signed(&d("768")), "+768");
        assert_eq!(signed(&d("-32")), "-32");
        assert_eq!(signed(&d("0")), "0");
        assert_eq!(percent(&(int(-32) / int(2400)), true), "-1.33333%");
        assert_eq!(percent(&(int(1) / int(3)), false), "33.3333%");
        assert_eq!(percent(&int(0), true), "0%");
    }

    #[test]
    fn exact_values_terminate_or_are_fractions() {
        assert_eq!(exact(&d("2368")), "2368");
        assert_eq!(exact(&d("-0.5")), "-0.5");
        assert_eq!(exact(&(int(32) / int(11))), "32/11");
        assert_eq!(exact(&(int(1) / int(1024))), "0.0009765625");
        assert_eq!(exact(&d("1e300")), format!("1{}", "0".repeat(300)));
        assert_eq!(explain(&(int(32) / int(11))), "32/11 (2.90909...)");
        assert_eq!(explain(&(int(-828) / int(275))), "-828/275 (-3.01090...)");
        assert_eq!(explain_signed(&(int(72) / int(55))), "+72/55 (+1.30909...)");
        assert_eq!(boundary(&(int(-1) / int(3))), "-0.333333...");
        assert_eq!(boundary(&(int(1) / int(4))), "0.25");
        assert_eq!(explain_signed(&d("11200")), "+11200");
        assert_eq!(explain_signed(&d("-32")), "-32");
        assert_eq!(
            explain(&(int(1) / int(3_000_000_000i64))),
            "1/3000000000 (3.33333e-10...)"
        );
    }

    #[test]
    fn machine_figures_keep_full_precision() {
        assert_eq!(machine(&d("19.45")), "19.45");
        assert_eq!(machine(&(int(7916) / int(407))), (7916.0f64 / 407.0).to_string());
        assert_eq!(table_f64(2.909090909090909), "2.90909");
        assert_eq!(table_f64(100.0), "100");
    }
}
