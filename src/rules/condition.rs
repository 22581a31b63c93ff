//! Conditions: bounds on metrics with exact inclusivity, flags, `contains`, and `any_of`.

use super::{ConditionError, Eccn};
use crate::datasheet::Scalar;
use crate::exact::{self, Exact};
use crate::units::{parse_quantity, InformationRate, Quantity};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{json, Value};
use std::fmt;

/// A numeric metric a rule can bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MetricKey {
    /// Total processing performance.
    Tpp,
    /// TPP per mm^2 of applicable die area.
    PerformanceDensity,
    /// Aggregate bidirectional transfer rate (GB/s).
    Interconnect,
    /// Total DRAM bandwidth (GB/s).
    MemoryBandwidth,
    /// GB/s per mm^2 (memory parts).
    MemoryBandwidthDensity,
}

impl MetricKey {
    /// Every metric, in a fixed order.
    pub const ALL: [MetricKey; 5] = [
        MetricKey::Tpp,
        MetricKey::PerformanceDensity,
        MetricKey::Interconnect,
        MetricKey::MemoryBandwidth,
        MetricKey::MemoryBandwidthDensity,
    ];

    /// The key as written in rule files.
    pub fn name(self) -> &'static str {
        match self {
            MetricKey::Tpp => "tpp",
            MetricKey::PerformanceDensity => "performance_density",
            MetricKey::Interconnect => "interconnect",
            MetricKey::MemoryBandwidth => "memory_bandwidth",
            MetricKey::MemoryBandwidthDensity => "memory_bandwidth_density",
        }
    }

    /// A short label for reports.
    pub fn label(self) -> &'static str {
        match self {
            MetricKey::Tpp => "TPP",
            MetricKey::PerformanceDensity => "performance density",
            MetricKey::Interconnect => "interconnect",
            MetricKey::MemoryBandwidth => "memory bandwidth",
            MetricKey::MemoryBandwidthDensity => "memory bandwidth density",
        }
    }

    /// The unit thresholds are written in, for display (`""` for plain numbers).
    pub fn unit(self) -> &'static str {
        match self {
            MetricKey::Tpp => "",
            MetricKey::PerformanceDensity => " per mm^2",
            MetricKey::Interconnect | MetricKey::MemoryBandwidth => " GB/s",
            MetricKey::MemoryBandwidthDensity => " GB/s per mm^2",
        }
    }

    /// Whether thresholds carry a bandwidth unit.
    pub fn is_bandwidth(self) -> bool {
        matches!(self, MetricKey::Interconnect | MetricKey::MemoryBandwidth)
    }

    /// Parses a key.
    pub fn parse(s: &str) -> Option<MetricKey> {
        MetricKey::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Index into fixed arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Reads a threshold: a plain number, or a bandwidth with a unit for bandwidth metrics.
    pub fn threshold(self, s: &Scalar) -> Result<Exact, ConditionError> {
        if self.is_bandwidth() {
            match s {
                Scalar::Text(t) => Ok(parse_quantity::<InformationRate>(t)?.canonical()),
                other => Err(ConditionError::BandwidthWithoutUnit { found: other.written() }),
            }
        } else {
            let x = match s {
                Scalar::Number(n) => {
                    exact::from_f64_literal(*n).ok_or_else(|| ConditionError::NotANumber { found: s.written() })?
                }
                Scalar::Text(t) => exact::parse_decimal(t).map_err(|source| ConditionError::BadNumber {
                    found: t.clone(),
                    source,
                })?,
                Scalar::Bool(_) => return Err(ConditionError::NotANumber { found: s.written() }),
            };
            // Every metric is positive, so a threshold of zero or less bounds nothing real
            // (`at_least: 0` would hold for every part, `below: 0` for none).
            if num_traits::Signed::is_positive(&x) {
                Ok(x)
            } else {
                Err(ConditionError::NotPositive { found: s.written() })
            }
        }
    }
}

impl fmt::Display for MetricKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A yes/no fact a rule can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FlagKey {
    /// Designed or marketed for use in datacenters.
    Datacenter,
    /// Memory co-packaged with a processor.
    CoPackagedWithProcessor,
}

impl FlagKey {
    /// Every flag.
    pub const ALL: [FlagKey; 2] = [FlagKey::Datacenter, FlagKey::CoPackagedWithProcessor];

    /// The key as written.
    pub fn name(self) -> &'static str {
        match self {
            FlagKey::Datacenter => "datacenter",
            FlagKey::CoPackagedWithProcessor => "co_packaged_with_processor",
        }
    }

    /// Parses a key.
    pub fn parse(s: &str) -> Option<FlagKey> {
        FlagKey::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Index into fixed arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The four bound keys and their comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BoundKey {
    /// `>=` ("or more").
    AtLeast,
    /// `>` ("greater than").
    Above,
    /// `<` ("less than").
    Below,
    /// `<=`.
    AtMost,
}

impl BoundKey {
    /// Every key.
    pub const ALL: [BoundKey; 4] = [BoundKey::AtLeast, BoundKey::Above, BoundKey::Below, BoundKey::AtMost];

    /// As written.
    pub fn name(self) -> &'static str {
        match self {
            BoundKey::AtLeast => "at_least",
            BoundKey::Above => "above",
            BoundKey::Below => "below",
            BoundKey::AtMost => "at_most",
        }
    }

    /// The comparison sign.
    pub fn symbol(self) -> &'static str {
        match self {
            BoundKey::AtLeast => ">=",
            BoundKey::Above => ">",
            BoundKey::Below => "<",
            BoundKey::AtMost => "<=",
        }
    }

    /// Parses a key.
    pub fn parse(s: &str) -> Option<BoundKey> {
        BoundKey::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Whether `value` satisfies `value <op> threshold`, exactly.
    pub fn holds(self, value: &Exact, threshold: &Exact) -> bool {
        match self {
            BoundKey::AtLeast => value >= threshold,
            BoundKey::Above => value > threshold,
            BoundKey::Below => value < threshold,
            BoundKey::AtMost => value <= threshold,
        }
    }

    /// Whether this is a lower bound.
    pub fn is_lower(self) -> bool {
        matches!(self, BoundKey::AtLeast | BoundKey::Above)
    }
}

/// One or two comparisons on one metric: a lower bound, an upper bound, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    /// The comparisons, lower bound first.
    pub limits: Vec<(BoundKey, Exact)>,
}

impl Bound {
    /// Whether `value` satisfies every comparison.
    ///
    /// ```
    /// use tppcalc::rules::{Bound, BoundKey};
    /// use tppcalc::exact::int;
    /// let b = Bound { limits: vec![(BoundKey::AtLeast, int(2400)), (BoundKey::Below, int(4800))] };
    /// assert!(b.holds(&int(2400)) && !b.holds(&int(4800)) && !b.holds(&int(2399)));
    /// ```
    pub fn holds(&self, value: &Exact) -> bool {
        self.limits.iter().all(|(k, t)| k.holds(value, t))
    }

    /// Human-readable: `>= 2400 and < 4800`.
    pub fn describe(&self, unit: &str) -> String {
        self.limits
            .iter()
            .map(|(k, t)| format!("{} {}{unit}", k.symbol(), crate::numfmt::exact(t)))
            .collect::<Vec<_>>()
            .join(" and ")
    }
}

/// One entry of a `when` map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A bound on a metric.
    Bound(MetricKey, Bound),
    /// A flag that must have the given value.
    Flag(FlagKey, bool),
    /// Some contained part is in this ECCN (systems).
    Contains(Eccn),
    /// Any of these conditions holds.
    AnyOf(Vec<Condition>),
}

/// A `when` map: every term must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Condition {
    /// The terms, in file order.
    pub terms: Vec<Term>,
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

impl Condition {
    /// The condition as a JSON value with exact thresholds (`{"terms": [...]}`), as it appears
    /// in rule-set digests and in the licensing section of a rules listing.
    pub fn to_json(&self) -> Value {
        self.fold(
            &mut |_, leaf| match leaf {
                Leaf::Bound(k, b) => json!({ "bound": {
                    "metric": k.name(),
                    "limits": b.limits.iter().map(|(bk, x)| json!([bk.name(), x.to_string()])).collect::<Vec<_>>(),
                }}),
                Leaf::Flag(k, v) => json!({ "flag": { "name": k.name(), "value": v } }),
                Leaf::Contains(e) => json!({ "contains": e.0 }),
            },
            &|terms| json!({ "terms": terms.collect::<Vec<_>>() }),
            &|branches| json!({ "any_of": branches.collect::<Vec<_>>() }),
        )
    }

    /// The one walk over a condition's structure: `leaf` maps each entry other than `any_of`
    /// (with the `any_of` branch indexes taken to reach it, outermost first), `all` combines
    /// the entries of a map (every one must hold), `any` the branches of an `any_of`. Both get
    /// their children lazily, so they may stop early.
    ///
    /// ```
    /// use tppcalc::rules::{Condition, Leaf};
    /// let c: Condition = tppcalc::yaml::from_str(
    ///     "tpp: { at_least: 1600 }\nany_of: [ { datacenter: true }, { interconnect: { at_least: 600 GB/s } } ]",
    /// ).unwrap();
    /// // Count the leaves.
    /// let n = c.fold(&mut |_, _| 1, &|it| it.sum(), &|it| it.sum());
    /// assert_eq!(n, 3);
    /// // The paths of the leaves.
    /// let mut paths = vec![];
    /// c.for_each_leaf(&mut |path, leaf| paths.push((path.to_vec(), matches!(leaf, Leaf::Flag(..)))));
    /// assert_eq!(paths, [(vec![], false), (vec![0], true), (vec![1], false)]);
    /// ```
    pub fn fold<'a, T>(
        &'a self,
        leaf: &mut dyn FnMut(&[usize], Leaf<'a>) -> T,
        all: &dyn Fn(&mut dyn Iterator<Item = T>) -> T,
        any: &dyn Fn(&mut dyn Iterator<Item = T>) -> T,
    ) -> T {
        self.fold_at(&mut Vec::new(), leaf, all, any)
    }

    fn fold_at<'a, T>(
        &'a self,
        path: &mut Vec<usize>,
        leaf: &mut dyn FnMut(&[usize], Leaf<'a>) -> T,
        all: &dyn Fn(&mut dyn Iterator<Item = T>) -> T,
        any: &dyn Fn(&mut dyn Iterator<Item = T>) -> T,
    ) -> T {
        let mut terms = self.terms.iter().map(|t| match t {
            Term::Bound(k, b) => leaf(path, Leaf::Bound(*k, b)),
            Term::Flag(k, v) => leaf(path, Leaf::Flag(*k, *v)),
            Term::Contains(e) => leaf(path, Leaf::Contains(e)),
            Term::AnyOf(cs) => {
                let mut branches = cs.iter().enumerate().map(|(i, c)| {
                    path.push(i);
                    let r = c.fold_at(path, leaf, all, any);
                    path.pop();
                    r
                });
                any(&mut branches)
            }
        });
        all(&mut terms)
    }

    /// Calls `f` on every leaf, in file order, with its `any_of` path (see [`Condition::fold`]).
    pub fn for_each_leaf<'a>(&'a self, f: &mut dyn FnMut(&[usize], Leaf<'a>)) {
        let drain = |it: &mut dyn Iterator<Item = ()>| it.for_each(drop);
        self.fold(f, &drain, &drain);
    }

    /// Calls `f` on every single comparison (each limit of a bound on its own), every flag and
    /// every `contains`, in file order, with its `any_of` path: the terms `explain` and the
    /// evaluation trace list.
    pub fn for_each_atom<'a>(&'a self, f: &mut dyn FnMut(&[usize], Atom<'a>)) {
        self.for_each_leaf(&mut |path, leaf| match leaf {
            Leaf::Bound(metric, b) => {
                for (op, threshold) in &b.limits {
                    f(
                        path,
                        Atom::Bound {
                            metric,
                            op: *op,
                            threshold,
                        },
                    )
                }
            }
            Leaf::Flag(flag, want) => f(path, Atom::Flag { flag, want }),
            Leaf::Contains(e) => f(path, Atom::Contains(e)),
        });
    }

    /// Calls `f` on every bound, including those inside `any_of`.
    pub fn for_each_bound(&self, f: &mut impl FnMut(MetricKey, &Bound)) {
        self.for_each_leaf(&mut |_, leaf| {
            if let Leaf::Bound(k, b) = leaf {
                f(k, b)
            }
        });
    }

    /// Calls `f` on every bound, including those inside `any_of`, to change it.
    pub fn for_each_bound_mut(&mut self, f: &mut dyn FnMut(MetricKey, &mut Bound)) {
        for t in &mut self.terms {
            match t {
                Term::Bound(k, b) => f(*k, b),
                Term::AnyOf(cs) => cs.iter_mut().for_each(|c| c.for_each_bound_mut(f)),
                Term::Flag(..) | Term::Contains(_) => {}
            }
        }
    }

    /// Human-readable form: `tpp >= 1600 and performance_density >= 5.92`.
    pub fn describe(&self) -> String {
        if self.terms.is_empty() {
            return "always".to_string();
        }
        self.fold(
            &mut |_, leaf| match leaf {
                Leaf::Bound(k, b) => format!("{} {}", k.name(), b.describe(k.unit())),
                Leaf::Flag(k, v) => format!("{} is {v}", k.name()),
                Leaf::Contains(e) => format!("contains a part in {e}"),
            },
            &|terms| terms.collect::<Vec<_>>().join(" and "),
            &|branches| format!("({})", branches.collect::<Vec<_>>().join(" or ")),
        )
    }
}

/// An entry of a `when` map other than `any_of`, as [`Condition::fold`] hands it over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf<'a> {
    /// A bound (one or two comparisons) on a metric.
    Bound(MetricKey, &'a Bound),
    /// A flag that must have the given value.
    Flag(FlagKey, bool),
    /// Some contained part is in this ECCN.
    Contains(&'a Eccn),
}

/// One test of a condition: a single comparison of a metric with a threshold, a flag, or a
/// `contains`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Atom<'a> {
    /// `metric op threshold`.
    Bound {
        /// The metric.
        metric: MetricKey,
        /// The comparison.
        op: BoundKey,
        /// The threshold, in the metric's rule unit.
        threshold: &'a Exact,
    },
    /// The flag must have the value `want`.
    Flag {
        /// The flag.
        flag: FlagKey,
        /// The value it must have.
        want: bool,
    },
    /// Some contained part is in this ECCN.
    Contains(&'a Eccn),
}

impl fmt::Display for Atom<'_> {
    /// `tpp >= 4800`, `datacenter is false`, `contains a part in 3A090.a`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Atom::Bound { metric, op, threshold } => write!(
                f,
                "{} {} {}{}",
                metric.name(),
                op.symbol(),
                crate::numfmt::exact(threshold),
                metric.unit()
            ),
            Atom::Flag { flag, want } => write!(f, "{} is {want}", flag.name()),
            Atom::Contains(e) => write!(f, "contains a part in {e}"),
        }
    }
}

/// The prefix that names an `any_of` path in `set` keys and reports: `any_of[1].` for branch 1,
/// `any_of[0].any_of[2].` for a branch inside a branch, `` at the top.
pub fn branch_prefix(path: &[usize]) -> String {
    path.iter().map(|i| format!("any_of[{i}].")).collect()
}

fn bound_key(k: &str) -> Result<BoundKey, ConditionError> {
    BoundKey::parse(k).ok_or_else(|| ConditionError::UnknownBound { key: k.to_string() })
}

pub(crate) fn read_bound(key: MetricKey, raw: Vec<(String, Scalar)>) -> Result<Bound, ConditionError> {
    let mut limits = Vec::new();
    for (k, v) in raw {
        let bk = bound_key(&k)?;
        let t = key.threshold(&v)?;
        limits.push((bk, t));
    }
    check_bound(key, limits)
}

/// Checks that one or two limits make a bound that some value satisfies.
fn check_bound(key: MetricKey, mut limits: Vec<(BoundKey, Exact)>) -> Result<Bound, ConditionError> {
    let lowers = limits.iter().filter(|(k, _)| k.is_lower()).count();
    let uppers = limits.len() - lowers;
    if limits.is_empty() {
        return Err(ConditionError::NoLimit);
    }
    if lowers > 1 || uppers > 1 {
        return Err(ConditionError::TooManyLimits);
    }
    limits.sort_by_key(|(k, _)| !k.is_lower());
    if let [(lk, lo), (uk, hi)] = limits.as_slice() {
        let empty = lo > hi || (lo == hi && (*lk == BoundKey::Above || *uk == BoundKey::Below));
        if empty {
            return Err(ConditionError::Empty {
                bound: Bound { limits },
                unit: key.unit(),
            });
        }
    }
    Ok(Bound { limits })
}

/// Reads a bound such as `{ at_least: 4800 }` as the value of a metric key, so that an error in
/// one limit carries that limit's field path (`when.tpp.at_least`).
struct BoundSeed(MetricKey);

impl<'de> de::DeserializeSeed<'de> for BoundSeed {
    type Value = Bound;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Bound, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BoundSeed {
    type Value = Bound;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a bound such as `{ at_least: 4800 }`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Bound, A::Error> {
        let mut names: Vec<String> = Vec::new();
        let mut limits = Vec::new();
        while let Some(k) = m.next_key::<String>()? {
            if names.contains(&k) {
                return Err(de::Error::custom(format!("duplicate key `{k}`")));
            }
            limits.push(m.next_value_seed(LimitSeed(self.0, &k))?);
            names.push(k);
        }
        check_bound(self.0, limits).map_err(de::Error::custom)
    }
}

/// One limit of a bound: the key is checked with the value, so errors point at the value.
struct LimitSeed<'a>(MetricKey, &'a str);

impl<'de> de::DeserializeSeed<'de> for LimitSeed<'_> {
    type Value = (BoundKey, Exact);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let v = Scalar::deserialize(d)?;
        let k = bound_key(self.1).map_err(de::Error::custom)?;
        let t = self.0.threshold(&v).map_err(de::Error::custom)?;
        Ok((k, t))
    }
}

/// The branches of an `any_of`, at least one.
struct Branches(Vec<Condition>);

impl<'de> Deserialize<'de> for Branches {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let cs = Vec::<Condition>::deserialize(d)?;
        if cs.is_empty() {
            return Err(de::Error::custom(
                "`any_of` needs at least one condition, found an empty list",
            ));
        }
        Ok(Branches(cs))
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ConditionVisitor)
    }
}

struct ConditionVisitor;

/// A map of scalars that keeps file order and rejects repeated keys.
#[derive(Clone)]
pub(crate) struct BoundMap(pub Vec<(String, Scalar)>);

impl<'de> Deserialize<'de> for BoundMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BoundMap;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a bound such as `{ at_least: 4800 }`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<BoundMap, A::Error> {
                let mut out: Vec<(String, Scalar)> = Vec::new();
                while let Some(k) = m.next_key::<String>()? {
                    if out.iter().any(|(o, _)| *o == k) {
                        return Err(de::Error::custom(format!("duplicate key `{k}`")));
                    }
                    out.push((k, m.next_value()?));
                }
                Ok(BoundMap(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Visitor<'de> for ConditionVisitor {
    type Value = Condition;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a condition map such as `{ tpp: { at_least: 4800 } }`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Condition, A::Error> {
        let mut terms = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        while let Some(k) = m.next_key::<String>()? {
            if seen.contains(&k) {
                return Err(de::Error::custom(format!("duplicate key `{k}`")));
            }
            if let Some(metric) = MetricKey::parse(&k) {
                terms.push(Term::Bound(metric, m.next_value_seed(BoundSeed(metric))?));
            } else if let Some(flag) = FlagKey::parse(&k) {
                terms.push(Term::Flag(flag, m.next_value()?));
            } else if k == "contains" {
                terms.push(Term::Contains(Eccn(m.next_value()?)));
            } else if k == "any_of" {
                let Branches(cs) = m.next_value()?;
                terms.push(Term::AnyOf(cs));
            } else {
                return Err(de::Error::custom(format!(
                    "unknown condition `{k}`, expected one of `tpp`, `performance_density`, `interconnect`, `memory_bandwidth`, `memory_bandwidth_density`, `datacenter`, `co_packaged_with_processor`, `contains`, `any_of`"
                )));
            }
            seen.push(k);
        }
        Ok(Condition { terms })
    }
}

pub(crate) use read_bound as parse_bound;
pub(crate) use BoundMap as OrderedScalars;

#[cfg(test)]
mod error_tests {
    use super::*;
    use crate::exact::NumberError;

    fn text(s: &str) -> Scalar {
        Scalar::Text(s.to_string())
    }

    #[test]
    fn each_bad_threshold_or_bound_gives_its_variant_and_message() {
        let e = MetricKey::Interconnect.threshold(&Scalar::Number(600.0)).unwrap_err();
        assert_eq!(e, ConditionError::BandwidthWithoutUnit { found: "600".into() });
        assert_eq!(
            e.to_string(),
            "expected a bandwidth such as `600 GB/s`, found `600` (no unit)"
        );
        let e = MetricKey::Interconnect.threshold(&text("600 TFLOPS")).unwrap_err();
        assert!(matches!(e, ConditionError::Bandwidth(_)), "{e:?}");

        let e = MetricKey::Tpp.threshold(&Scalar::Bool(true)).unwrap_err();
        assert_eq!(e, ConditionError::NotANumber { found: "true".into() });
        assert_eq!(e.to_string(), "expected a number such as `4800`, found `true`");
        let e = MetricKey::Tpp.threshold(&text("4,800")).unwrap_err();
        assert!(
            matches!(&e, ConditionError::BadNumber { found, source: NumberError::NotANumber(_) } if found == "4,800")
        );
        assert_eq!(
            e.to_string(),
            "expected a number such as `4800`, found `4,800`: `4,800` is not a number"
        );
        let e = MetricKey::Tpp.threshold(&text("0")).unwrap_err();
        assert_eq!(e, ConditionError::NotPositive { found: "0".into() });

        let e = read_bound(MetricKey::Tpp, vec![("at_leats".into(), text("4800"))]).unwrap_err();
        assert_eq!(e, ConditionError::UnknownBound { key: "at_leats".into() });
        assert_eq!(read_bound(MetricKey::Tpp, vec![]).unwrap_err(), ConditionError::NoLimit);
        let two_lower = vec![("at_least".into(), text("1")), ("above".into(), text("2"))];
        assert_eq!(
            read_bound(MetricKey::Tpp, two_lower).unwrap_err(),
            ConditionError::TooManyLimits
        );
        let empty = vec![("above".into(), text("600 GB/s")), ("below".into(), text("600 GB/s"))];
        let e = read_bound(MetricKey::Interconnect, empty).unwrap_err();
        assert!(
            matches!(&e, ConditionError::Empty { unit: " GB/s", bound } if bound.limits.len() == 2),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "the bound `> 600 GB/s and < 600 GB/s` holds for no value"
        );
    }
}
