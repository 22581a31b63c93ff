//! Physical quantities: parsing unit strings at the edge, typed `uom` values inside.
//!
//! Every physical figure in a datasheet is a string such as `"814 mm^2"`, `"1979 TFLOPS"` or
//! `"3.35 TB/s"`. This module is where such strings become typed quantities; nothing past the
//! loader sees a string or a bare unit-less float for a physical figure.
//!
//! Quantities are `uom` quantities with exact rational storage, held in `uom`'s SI base units
//! (square metre, byte per second, byte, hertz, watt) ([`crate::exact::Exact`]).
//! tppcalc builds them from their SI base value, computed with exact powers of ten, rather than
//! through `uom`'s conversion coefficients (which are `f64` constants), so `826 mm^2` is
//! exactly `826 mm^2` when it is compared with anything.

use crate::exact::{self, Exact, NumberError};
use num_bigint::BigInt;
use num_traits::Signed;
use std::marker::PhantomData;
use std::sync::LazyLock;

pub use uom::si::bigrational::{Area, Frequency, Information, InformationRate, Power, Volume};

/// A processing rate in operations per second (a multiply-accumulate counts as two operations,
/// as datasheets print it). A distinct type from a clock [`Frequency`], though both are `1/s`.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub struct Throughput(pub Frequency);

/// How a unit symbol scales to its quantity's canonical unit: `10^pow10 * 2^pow2 * mul / div`.
#[derive(Debug, Clone, Copy)]
pub struct UnitDef {
    /// The symbol as written in a datasheet, e.g. `TB/s`.
    pub symbol: &'static str,
    pow10: i32,
    pow2: u32,
    div: u32,
    mul: u64,
}

const fn u(symbol: &'static str, pow10: i32) -> UnitDef {
    UnitDef {
        symbol,
        pow10,
        pow2: 0,
        div: 1,
        mul: 1,
    }
}

const fn u2(symbol: &'static str, pow10: i32, pow2: u32, div: u32) -> UnitDef {
    UnitDef {
        symbol,
        pow10,
        pow2,
        div,
        mul: 1,
    }
}

/// A unit that is a whole multiple of a power of ten: `mul x 10^pow10` (a cubic foot is
/// exactly 28316846592 x 10^-12 m^3, since a foot is 0.3048 m).
const fn u_mul(symbol: &'static str, pow10: i32, mul: u64) -> UnitDef {
    UnitDef {
        symbol,
        pow10,
        pow2: 0,
        div: 1,
        mul,
    }
}

/// `value / factor`, without a reduction when the value is a whole multiple of a whole factor
/// (the common case: `1979 TFLOPS` is 1979 x 10^12 Hz).
fn from_base_value(value: &Exact, factor: &Exact) -> Exact {
    if value.is_integer() && factor.is_integer() && num_traits::Zero::is_zero(&(value.numer() % factor.numer())) {
        return Exact::from_integer(value.numer() / factor.numer());
    }
    exact::div(value, factor)
}

/// A kind of physical quantity that a datasheet string can hold.
pub trait Quantity: Sized + Clone + PartialOrd + std::fmt::Debug {
    /// What the quantity is called in messages, with its article: `a throughput`.
    const WHAT: &'static str;
    /// An example value for messages: `1979 TFLOPS`.
    const EXAMPLE: &'static str;
    /// The canonical display unit; rule thresholds for this quantity are in this unit.
    const CANONICAL: &'static str;
    /// Accepted units, case-sensitive.
    const UNITS: &'static [UnitDef];
    /// The canonical unit is `10^BASE_POW10` of `uom`'s SI base unit (TOPS: 12, mm^2: -6).
    const BASE_POW10: i64;
    /// Builds the quantity from a value in the canonical unit.
    fn from_canonical(x: Exact) -> Self;
    /// Builds the quantity from a value in `uom`'s SI base unit.
    fn from_base(x: Exact) -> Self;
    /// The value in the canonical unit, exactly.
    fn canonical(&self) -> Exact;
}

macro_rules! uom_quantity {
    ($ty:ty, $what:expr, $example:expr, $canonical:expr, $to_base:expr, $pow10:expr, [$($unit:expr),* $(,)?]) => {
        impl Quantity for $ty {
            const BASE_POW10: i64 = $pow10;
            const WHAT: &'static str = $what;
            const EXAMPLE: &'static str = $example;
            const CANONICAL: &'static str = $canonical;
            const UNITS: &'static [UnitDef] = &[$($unit),*];
            fn from_canonical(x: Exact) -> Self {
                // Built in the SI base unit directly: `uom`'s `new` would convert through its
                // `f64` coefficients, which is slow for rationals and not needed here.
                Self::from_base(exact::mul(&x, $to_base()))
            }
            fn from_base(x: Exact) -> Self {
                Self { dimension: PhantomData, units: PhantomData, value: x }
            }
            fn canonical(&self) -> Exact {
                from_base_value(&self.value, $to_base())
            }
        }
    };
}

// Conversion factors to SI base units, built once: every figure goes through them.
static TERA: LazyLock<Exact> = LazyLock::new(|| exact::scale10(exact::int(1), 12));
static MM2_IN_M2: LazyLock<Exact> = LazyLock::new(|| exact::scale10(exact::int(1), -6));
static GIGA: LazyLock<Exact> = LazyLock::new(|| exact::scale10(exact::int(1), 9));
static MEGA: LazyLock<Exact> = LazyLock::new(|| exact::scale10(exact::int(1), 6));
static ONE: LazyLock<Exact> = LazyLock::new(|| exact::int(1));

fn tera() -> &'static Exact {
    &TERA
}
fn mm2_in_m2() -> &'static Exact {
    &MM2_IN_M2
}
fn giga() -> &'static Exact {
    &GIGA
}
fn mega() -> &'static Exact {
    &MEGA
}
fn one() -> &'static Exact {
    &ONE
}

uom_quantity!(
    Area,
    "an area",
    "814 mm^2",
    "mm^2",
    mm2_in_m2,
    -6,
    [u("mm^2", 0), u("mm²", 0), u("mm2", 0), u("cm^2", 2)]
);
uom_quantity!(
    InformationRate,
    "a bandwidth",
    "3.35 TB/s",
    "GB/s",
    giga,
    9,
    [
        u("GB/s", 0),
        u("TB/s", 3),
        u("MB/s", -3),
        u2("GiB/s", -9, 30, 1),
        u2("TiB/s", -9, 40, 1),
        u2("Gbit/s", 0, 0, 8),
        u2("Tbit/s", 3, 0, 8)
    ]
);
uom_quantity!(
    Information,
    "a capacity",
    "80 GB",
    "GB",
    giga,
    9,
    [
        u("GB", 0),
        u("TB", 3),
        u("MB", -3),
        u2("GiB", -9, 30, 1),
        u2("TiB", -9, 40, 1)
    ]
);
uom_quantity!(
    Frequency,
    "a frequency",
    "1830 MHz",
    "MHz",
    mega,
    6,
    [u("MHz", 0), u("GHz", 3)]
);
uom_quantity!(Power, "a power", "700 W", "W", one, 0, [u("W", 0), u("kW", 3)]);
uom_quantity!(
    Volume,
    "a volume",
    "100 ft^3",
    "m^3",
    one,
    0,
    [
        u("m^3", 0),
        u("m³", 0),
        u("L", -3),
        u_mul("ft^3", -12, 28_316_846_592),
        u_mul("ft³", -12, 28_316_846_592)
    ]
);

/// One cubic foot in cubic metres, exactly (0.3048^3).
pub fn cubic_foot_m3() -> Exact {
    exact::scale10(exact::int(28_316_846_592), -12)
}

impl Quantity for Throughput {
    const BASE_POW10: i64 = 12;
    const WHAT: &'static str = "a throughput";
    const EXAMPLE: &'static str = "1979 TFLOPS";
    const CANONICAL: &'static str = "TOPS";
    const UNITS: &'static [UnitDef] = &[
        u("TOPS", 0),
        u("TFLOPS", 0),
        u("TOP/s", 0),
        u("TFLOP/s", 0),
        u("POPS", 3),
        u("PFLOPS", 3),
        u("POP/s", 3),
        u("PFLOP/s", 3),
        u("GOPS", -3),
        u("GFLOPS", -3),
        u("GOP/s", -3),
        u("GFLOP/s", -3),
    ];
    fn from_canonical(x: Exact) -> Self {
        Self::from_base(exact::mul(&x, tera()))
    }
    fn from_base(x: Exact) -> Self {
        Throughput(Frequency {
            dimension: PhantomData,
            units: PhantomData,
            value: x,
        })
    }
    fn canonical(&self) -> Exact {
        from_base_value(&self.0.value, tera())
    }
}

/// Why a quantity string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    /// A bare number where a unit is required.
    #[error("expected {what} such as `{example}`, found `{found}` (no unit)")]
    MissingUnit {
        /// The quantity expected.
        what: &'static str,
        /// An example of a valid value.
        example: &'static str,
        /// The text found.
        found: String,
    },
    /// A unit of another quantity, e.g. `GB/s` where an area is expected.
    #[error("expected {what} such as `{example}`, found `{found}`: `{unit}` is a unit of {other}")]
    WrongDimension {
        /// The quantity expected.
        what: &'static str,
        /// An example of a valid value.
        example: &'static str,
        /// The text found.
        found: String,
        /// The unit found.
        unit: String,
        /// The quantity that unit measures.
        other: &'static str,
    },
    /// A unit tppcalc does not know.
    #[error("expected {what} such as `{example}`, found `{found}`: unknown unit `{unit}` (accepted: {accepted})")]
    UnknownUnit {
        /// The quantity expected.
        what: &'static str,
        /// An example of a valid value.
        example: &'static str,
        /// The text found.
        found: String,
        /// The unit found.
        unit: String,
        /// The accepted units, comma-separated.
        accepted: String,
    },
    /// The number part is not a finite decimal.
    #[error("expected {what} such as `{example}`, found `{found}`: {source}")]
    Number {
        /// The quantity expected.
        what: &'static str,
        /// An example of a valid value.
        example: &'static str,
        /// The text found.
        found: String,
        /// What is wrong with the number.
        source: NumberError,
    },
    /// Zero or negative where only a positive value makes physical sense.
    #[error("expected {what} greater than zero, found `{found}`")]
    NotPositive {
        /// The quantity expected.
        what: &'static str,
        /// The text found.
        found: String,
    },
}

fn unit_dimension(symbol: &str) -> Option<&'static str> {
    fn has<Q: Quantity>(s: &str) -> bool {
        Q::UNITS.iter().any(|u| u.symbol == s)
    }
    if has::<Throughput>(symbol) {
        Some(Throughput::WHAT)
    } else if has::<Area>(symbol) {
        Some(Area::WHAT)
    } else if has::<InformationRate>(symbol) {
        Some(InformationRate::WHAT)
    } else if has::<Information>(symbol) {
        Some(Information::WHAT)
    } else if has::<Frequency>(symbol) {
        Some(Frequency::WHAT)
    } else if has::<Power>(symbol) {
        Some(Power::WHAT)
    } else if has::<Volume>(symbol) {
        Some(Volume::WHAT)
    } else {
        None
    }
}

/// Splits `"3.35 TB/s"` into the number text and the unit text.
fn split_number(text: &str) -> (&str, &str) {
    let t = text.trim();
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    (&t[..i], t[i..].trim())
}

/// Parses a quantity string such as `"814 mm^2"` into a typed quantity.
///
/// ```
/// use tppcalc::units::{parse_quantity, Area, InformationRate, Quantity, Throughput};
/// use tppcalc::exact::parse_decimal;
/// let area: Area = parse_quantity("826 mm^2").unwrap();
/// assert_eq!(area.canonical(), parse_decimal("826").unwrap()); // exactly, not 825.99...
/// let bw: InformationRate = parse_quantity("3.35 TB/s").unwrap();
/// assert_eq!(bw.canonical(), parse_decimal("3350").unwrap());
/// let err = parse_quantity::<Throughput>("1979").unwrap_err();
/// assert_eq!(err.to_string(), "expected a throughput such as `1979 TFLOPS`, found `1979` (no unit)");
/// assert!(parse_quantity::<Area>("814 GB/s").is_err());
/// ```
pub fn parse_quantity<Q: Quantity>(text: &str) -> Result<Q, QuantityError> {
    let found = text.trim().to_string();
    let (number, unit) = split_number(text);
    if number.is_empty() {
        // No digits first: the first word is the number (`NaN TFLOPS`, `inf mm^2`, `lots TOPS`).
        let word = unit.split_whitespace().next().unwrap_or("");
        let source = match exact::parse_decimal(word) {
            Err(e) => e,
            Ok(_) => NumberError::NotANumber(word.to_string()),
        };
        return Err(QuantityError::Number {
            what: Q::WHAT,
            example: Q::EXAMPLE,
            found,
            source,
        });
    }
    if unit.is_empty() {
        // Distinguish "no unit" from "not a number at all".
        return match exact::parse_decimal(number) {
            Ok(_) => Err(QuantityError::MissingUnit {
                what: Q::WHAT,
                example: Q::EXAMPLE,
                found,
            }),
            Err(source) => Err(QuantityError::Number {
                what: Q::WHAT,
                example: Q::EXAMPLE,
                found,
                source,
            }),
        };
    }
    let Some(def) = Q::UNITS.iter().find(|d| d.symbol == unit) else {
        return Err(match unit_dimension(unit) {
            Some(other) => QuantityError::WrongDimension {
                what: Q::WHAT,
                example: Q::EXAMPLE,
                found,
                unit: unit.to_string(),
                other: other.trim_start_matches("a ").trim_start_matches("an "),
            },
            None => QuantityError::UnknownUnit {
                what: Q::WHAT,
                example: Q::EXAMPLE,
                found,
                unit: unit.to_string(),
                accepted: Q::UNITS
                    .iter()
                    .map(|d| format!("`{}`", d.symbol))
                    .collect::<Vec<_>>()
                    .join(", "),
            },
        });
    };
    let (n, exp) = exact::parse_decimal_parts(number).map_err(|source| QuantityError::Number {
        what: Q::WHAT,
        example: Q::EXAMPLE,
        found: found.clone(),
        source,
    })?;
    if !n.is_positive() {
        return Err(QuantityError::NotPositive { what: Q::WHAT, found });
    }
    // Straight to the SI base unit: one power of ten for the number, the unit's prefix and the
    // canonical unit together, so a figure costs at most one reduction.
    let n = if def.pow2 > 0 {
        n * BigInt::from(2u8).pow(def.pow2)
    } else {
        n
    };
    let n = if def.mul != 1 { n * BigInt::from(def.mul) } else { n };
    let base = exact::from_parts(n, exp + def.pow10 as i64 + Q::BASE_POW10);
    Ok(Q::from_base(if def.div == 1 {
        base
    } else {
        exact::div(&base, &exact::int(def.div as i64))
    }))
}

/// Formats a quantity in its canonical unit, exactly: `parse_quantity(&format_quantity(q)) == q`.
///
/// ```
/// use tppcalc::units::{format_quantity, parse_quantity, InformationRate};
/// let bw: InformationRate = parse_quantity("3.35 TB/s").unwrap();
/// assert_eq!(format_quantity(&bw), "3350 GB/s");
/// ```
pub fn format_quantity<Q: Quantity>(q: &Q) -> String {
    format!("{} {}", crate::numfmt::exact(&q.canonical()), Q::CANONICAL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact::parse_decimal;

    fn canon<Q: Quantity>(s: &str) -> Exact {
        parse_quantity::<Q>(s).unwrap().canonical()
    }

    #[test]
    fn every_accepted_unit_scales_exactly() {
        assert_eq!(canon::<Throughput>("1.979 PFLOPS"), parse_decimal("1979").unwrap());
        assert_eq!(canon::<Throughput>("500 GOP/s"), parse_decimal("0.5").unwrap());
        assert_eq!(canon::<Area>("8.14 cm^2"), parse_decimal("814").unwrap());
        assert_eq!(canon::<Area>("814 mm²"), parse_decimal("814").unwrap());
        assert_eq!(
            canon::<InformationRate>("1 GiB/s"),
            parse_decimal("1.073741824").unwrap()
        );
        assert_eq!(canon::<InformationRate>("4800 Gbit/s"), parse_decimal("600").unwrap());
        assert_eq!(canon::<Information>("1 TiB"), parse_decimal("1099.511627776").unwrap());
        assert_eq!(canon::<Frequency>("1.83 GHz"), parse_decimal("1830").unwrap());
        assert_eq!(canon::<Power>("1.2 kW"), parse_decimal("1200").unwrap());
        assert_eq!(canon::<Volume>("1 ft^3"), parse_decimal("0.028316846592").unwrap());
        assert_eq!(canon::<Volume>("41600 ft^3"), parse_decimal("1177.9808182272").unwrap());
        assert_eq!(canon::<Volume>("250 L"), parse_decimal("0.25").unwrap());
        assert_eq!(canon::<Volume>("2 m^3"), parse_decimal("2").unwrap());
    }

    #[test]
    fn uom_base_values_are_exact() {
        let a: Area = parse_quantity("826 mm^2").unwrap();
        assert_eq!(a.value, parse_decimal("0.000826").unwrap());
        // uom's base unit of information is the byte.
        let bw: InformationRate = parse_quantity("3.35 TB/s").unwrap();
        assert_eq!(bw.value, parse_decimal("3.35e12").unwrap());
        let c: Information = parse_quantity("1 GiB").unwrap();
        assert_eq!(c.value, parse_decimal("1073741824").unwrap());
        let t: Throughput = parse_quantity("1979 TFLOPS").unwrap();
        assert_eq!(t.0.value, parse_decimal("1.979e15").unwrap());
    }

    #[test]
    fn units_are_case_sensitive_and_dimension_checked() {
        assert!(matches!(
            parse_quantity::<Area>("814 MM^2"),
            Err(QuantityError::UnknownUnit { .. })
        ));
        let e = parse_quantity::<Area>("814 GB/s").unwrap_err();
        assert!(matches!(e, QuantityError::WrongDimension { .. }), "{e}");
        assert_eq!(
            e.to_string(),
            "expected an area such as `814 mm^2`, found `814 GB/s`: `GB/s` is a unit of bandwidth"
        );
    }

    #[test]
    fn zero_and_negative_are_rejected() {
        assert!(matches!(
            parse_quantity::<Area>("0 mm^2"),
            Err(QuantityError::NotPositive { .. })
        ));
        assert!(matches!(
            parse_quantity::<Area>("-5 mm^2"),
            Err(QuantityError::NotPositive { .. })
        ));
        assert!(matches!(
            parse_quantity::<Area>("1e400 mm^2"),
            Err(QuantityError::Number { .. })
        ));
    }
}
