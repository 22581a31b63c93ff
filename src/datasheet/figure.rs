//! A figure with its provenance: `814 mm^2`, or `{ value: 814 mm^2, source: x, basis: estimated }`.

use crate::exact::{self, Exact, NumberError};
use crate::units::{parse_quantity, Quantity, QuantityError};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;

/// How a figure is known. Ordered from weakest to strongest, so the weakest basis of several
/// figures is their minimum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// A third-party measurement or estimate (die-shot area, press figure).
    Estimated,
    /// Computed by the datasheet's author (or by tppcalc) from reported figures.
    Derived,
    /// Printed by the vendor. The default.
    #[default]
    Reported,
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Basis::Estimated => "estimated",
            Basis::Derived => "derived",
            Basis::Reported => "reported",
        })
    }
}

/// Where a figure comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Provenance {
    /// The `id` of an entry under the datasheet's `sources:`.
    pub source: Option<String>,
    /// How the figure is known.
    pub basis: Basis,
    /// Free text, e.g. conflicting figures from other sources.
    pub note: Option<String>,
}

/// A value together with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure<T> {
    /// The typed value.
    pub value: T,
    /// Where it comes from.
    pub provenance: Provenance,
}

impl<T> Figure<T> {
    /// A reported figure with no source (as users write them).
    pub fn reported(value: T) -> Self {
        Figure {
            value,
            provenance: Provenance::default(),
        }
    }

    /// The basis of this figure.
    pub fn basis(&self) -> Basis {
        self.provenance.basis
    }
}

/// A YAML scalar as written.
#[derive(Debug, Clone)]
pub enum Scalar {
    /// A string.
    Text(String),
    /// A number (integers arrive as numbers too).
    Number(f64),
    /// `true` or `false`.
    Bool(bool),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Text(s) => write!(f, "`{s}`"),
            Scalar::Number(n) => write!(f, "`{n}`"),
            Scalar::Bool(b) => write!(f, "`{b}`"),
        }
    }
}

impl Scalar {
    /// The scalar as written, without the backticks of its `Display` (`4800`, `true`,
    /// `600 GB/s`): what an error says it found.
    pub fn written(&self) -> String {
        match self {
            Scalar::Text(s) => s.clone(),
            Scalar::Number(n) => n.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

/// Why a YAML scalar is not a figure of the type expected. The loader adds the file, the line
/// and column and the field path; `Display` is the message users read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FigureError {
    /// A quantity whose text does not parse (unknown unit, wrong dimension, bad number), or a
    /// bare number where a unit is required.
    #[error(transparent)]
    Quantity(#[from] QuantityError),
    /// A quantity expected, `true` or `false` found.
    #[error("expected {what} such as `{example}`, found `{found}`")]
    NotAQuantity {
        /// The quantity expected.
        what: &'static str,
        /// An example of a valid value.
        example: &'static str,
        /// The scalar found, as written.
        found: String,
    },
    /// `true` or `false` expected.
    #[error("expected `true` or `false`, found `{found}`")]
    NotABool {
        /// The scalar found, as written.
        found: String,
    },
    /// A number that is not finite.
    #[error("expected a finite number, found `{found}`")]
    NotFinite {
        /// The scalar found, as written.
        found: String,
    },
    /// A plain number expected, a text that is not one found.
    #[error("expected a plain number such as `2`, found `{found}`: {source}")]
    BadNumber {
        /// The text found.
        found: String,
        /// What is wrong with the number.
        source: NumberError,
    },
    /// A plain number expected, `true` or `false` found.
    #[error("expected a plain number such as `2`, found `{found}`")]
    NotANumber {
        /// The scalar found, as written.
        found: String,
    },
    /// A number of zero or less where only a positive one makes sense.
    #[error("expected a number greater than zero, found `{found}`")]
    NotPositive {
        /// The scalar found, as written.
        found: String,
    },
    /// A whole number of at least 1 expected (`count`).
    #[error("expected a whole number of at least 1, found `{found}`")]
    NotACount {
        /// The scalar found, as written.
        found: String,
    },
}

/// A type a figure can hold, built from a YAML scalar.
pub trait FigureValue: Sized {
    /// Builds the value, or says what was expected and what was found.
    fn from_scalar(s: Scalar) -> Result<Self, FigureError>;
}

impl<Q: Quantity> FigureValue for Q {
    fn from_scalar(s: Scalar) -> Result<Self, FigureError> {
        match s {
            Scalar::Text(t) => Ok(parse_quantity(&t)?),
            Scalar::Number(n) => Err(QuantityError::MissingUnit {
                what: Q::WHAT,
                example: Q::EXAMPLE,
                found: n.to_string(),
            }
            .into()),
            Scalar::Bool(b) => Err(FigureError::NotAQuantity {
                what: Q::WHAT,
                example: Q::EXAMPLE,
                found: b.to_string(),
            }),
        }
    }
}

impl FigureValue for bool {
    fn from_scalar(s: Scalar) -> Result<Self, FigureError> {
        match s {
            Scalar::Bool(b) => Ok(b),
            other => Err(FigureError::NotABool { found: other.written() }),
        }
    }
}

/// A plain positive number (`transistors`, `sparsity_factor`, `macs_per_clock`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Positive(pub Exact);

impl FigureValue for Positive {
    fn from_scalar(s: Scalar) -> Result<Self, FigureError> {
        let x = match &s {
            Scalar::Number(n) => {
                exact::from_f64_literal(*n).ok_or_else(|| FigureError::NotFinite { found: s.written() })?
            }
            Scalar::Text(t) => exact::parse_decimal(t).map_err(|source| FigureError::BadNumber {
                found: t.clone(),
                source,
            })?,
            Scalar::Bool(_) => return Err(FigureError::NotANumber { found: s.written() }),
        };
        if num_traits::Signed::is_positive(&x) {
            Ok(Positive(x))
        } else {
            Err(FigureError::NotPositive { found: s.written() })
        }
    }
}

/// A positive whole number (`count`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Count(pub u64);

impl FigureValue for Count {
    fn from_scalar(s: Scalar) -> Result<Self, FigureError> {
        match s {
            Scalar::Number(n) if n.fract() == 0.0 && (1.0..=1e12).contains(&n) => Ok(Count(n as u64)),
            other => Err(FigureError::NotACount { found: other.written() }),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scalar (string, number or boolean)")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        if v.is_finite() {
            Ok(Scalar::Number(v))
        } else {
            Err(E::custom(format!("expected a finite number, found `{v}`")))
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v as f64))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
}

impl<'de, T: FigureValue> Deserialize<'de> for Figure<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FigureVisitor(PhantomData))
    }
}

struct FigureVisitor<T>(PhantomData<T>);

impl<T: FigureValue> FigureVisitor<T> {
    fn scalar<E: de::Error>(s: Scalar) -> Result<Figure<T>, E> {
        T::from_scalar(s).map(Figure::reported).map_err(E::custom)
    }
}

impl<'de, T: FigureValue> Visitor<'de> for FigureVisitor<T> {
    type Value = Figure<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a figure, or a map with `value`, `source`, `basis` and `note`")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Self::scalar(Scalar::Text(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Self::scalar(ScalarVisitor.visit_f64(v)?)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Self::scalar(Scalar::Number(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Self::scalar(Scalar::Number(v as f64))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Self::scalar(Scalar::Bool(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut value: Option<Scalar> = None;
        let mut prov = Provenance::default();
        let mut seen = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(de::Error::custom(format!("duplicate field `{key}`")));
            }
            match key.as_str() {
                "value" => value = Some(map.next_value()?),
                "source" => prov.source = Some(map.next_value()?),
                "basis" => prov.basis = map.next_value()?,
                "note" => prov.note = Some(map.next_value()?),
                other => {
                    return Err(de::Error::custom(format!(
                        "unknown field `{other}`, expected one of `value`, `source`, `basis`, `note`"
                    )))
                }
            }
            seen.push(key);
        }
        let value = value.ok_or_else(|| de::Error::custom("missing field `value`"))?;
        let value = T::from_scalar(value).map_err(de::Error::custom)?;
        Ok(Figure {
            value,
            provenance: prov,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::{Area, Throughput};

    fn text(s: &str) -> Scalar {
        Scalar::Text(s.to_string())
    }

    #[test]
    fn each_bad_scalar_gives_its_variant_and_message() {
        let e = Area::from_scalar(Scalar::Number(814.0)).unwrap_err();
        assert!(
            matches!(e, FigureError::Quantity(QuantityError::MissingUnit { .. })),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "expected an area such as `814 mm^2`, found `814` (no unit)"
        );
        let e = Throughput::from_scalar(text("989 GB/s")).unwrap_err();
        assert!(
            matches!(e, FigureError::Quantity(QuantityError::WrongDimension { .. })),
            "{e:?}"
        );
        let e = Area::from_scalar(Scalar::Bool(true)).unwrap_err();
        assert_eq!(
            e,
            FigureError::NotAQuantity {
                what: Area::WHAT,
                example: Area::EXAMPLE,
                found: "true".into()
            }
        );
        assert_eq!(e.to_string(), "expected an area such as `814 mm^2`, found `true`");

        let e = bool::from_scalar(text("yes")).unwrap_err();
        assert_eq!(e, FigureError::NotABool { found: "yes".into() });
        assert_eq!(e.to_string(), "expected `true` or `false`, found `yes`");

        let e = Positive::from_scalar(text("two")).unwrap_err();
        assert!(matches!(&e, FigureError::BadNumber { found, source: NumberError::NotANumber(_) } if found == "two"));
        assert_eq!(
            e.to_string(),
            "expected a plain number such as `2`, found `two`: `two` is not a number"
        );
        let e = Positive::from_scalar(Scalar::Bool(false)).unwrap_err();
        assert_eq!(e, FigureError::NotANumber { found: "false".into() });
        let e = Positive::from_scalar(Scalar::Number(0.0)).unwrap_err();
        assert_eq!(e, FigureError::NotPositive { found: "0".into() });
        assert_eq!(e.to_string(), "expected a number greater than zero, found `0`");
        let e = Positive::from_scalar(text("-1")).unwrap_err();
        assert_eq!(e, FigureError::NotPositive { found: "-1".into() });

        for bad in [Scalar::Number(0.5), Scalar::Number(0.0), text("2")] {
            let e = Count::from_scalar(bad).unwrap_err();
            assert!(matches!(e, FigureError::NotACount { .. }), "{e:?}");
        }
        assert_eq!(
            Count::from_scalar(Scalar::Number(1.5)).unwrap_err().to_string(),
            "expected a whole number of at least 1, found `1.5`"
        );
    }
}
