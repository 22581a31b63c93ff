//! A figure with its provenance: `814 mm^2`, or `{ value: 814 mm^2, source: x, basis: estimated }`.

use crate::exact::{self, Exact};
use crate::units::{parse_quantity, Quantity};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;

/// How a figure is known. Ordered from weakest to strongest, so the weakest basis of several
/// figures is their minimum.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize,
)]
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

/// A type a figure can hold, built from a YAML scalar.
pub trait FigureValue: Sized {
    /// Builds the value, or says what was expected.
    fn from_scalar(s: Scalar) -> Result<Self, String>;
}

impl<Q: Quantity> FigureValue for Q {
    fn from_scalar(s: Scalar) -> Result<Self, String> {
        match s {
            Scalar::Text(t) => parse_quantity(&t).map_err(|e| e.to_string()),
            Scalar::Number(n) => Err(format!(
                "expected {} such as `{}`, found `{n}` (no unit)",
                Q::WHAT,
                Q::EXAMPLE
            )),
            Scalar::Bool(b) => Err(format!(
                "expected {} such as `{}`, found `{b}`",
                Q::WHAT,
                Q::EXAMPLE
            )),
        }
    }
}

impl FigureValue for bool {
    fn from_scalar(s: Scalar) -> Result<Self, String> {
        match s {
            Scalar::Bool(b) => Ok(b),
            other => Err(format!("expected `true` or `false`, found {other}")),
        }
    }
}

/// A plain positive number (`transistors`, `sparsity_factor`, `macs_per_clock`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Positive(pub Exact);

impl FigureValue for Positive {
    fn from_scalar(s: Scalar) -> Result<Self, String> {
        let x = match &s {
            Scalar::Number(n) => exact::from_f64_literal(*n)
                .ok_or_else(|| format!("expected a finite number, found {s}"))?,
            Scalar::Text(t) => exact::parse_decimal(t)
                .map_err(|e| format!("expected a plain number such as `2`, found {s}: {e}"))?,
            Scalar::Bool(_) => {
                return Err(format!("expected a plain number such as `2`, found {s}"))
            }
        };
        if num_traits::Signed::is_positive(&x) {
            Ok(Positive(x))
        } else {
            Err(format!("expected a number greater than zero, found {s}"))
        }
    }
}

/// A positive whole number (`count`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Count(pub u64);

impl FigureValue for Count {
    fn from_scalar(s: Scalar) -> Result<Self, String> {
        match s {
            Scalar::Number(n) if n.fract() == 0.0 && (1.0..=1e12).contains(&n) => {
                Ok(Count(n as u64))
            }
            other => Err(format!(
                "expected a whole number of at least 1, found {other}"
            )),
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
