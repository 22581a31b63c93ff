//! The datasheet model: chips, memory parts and systems, as the datasheet format (version 1)
//! describes them. Physical figures are typed (`uom` quantities) from the moment they are read.
//!
//! The structs here are deserialized directly from YAML (through [`crate::yaml`]); the checks
//! that span several fields run when a file is read (see [`crate::catalog::parse_part`]).

mod check;
mod figure;
mod precision;

pub use check::Check;
pub use figure::{Basis, Count, Figure, FigureError, FigureValue, Positive, Provenance, Scalar};
pub use precision::{BadPrecision, Precision};

use crate::exact;
use crate::units::{Area, Frequency, Information, InformationRate, Power, Throughput};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// Which schema a datasheet follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PartKind {
    /// An integrated circuit with processing units (3A090.a/.b).
    Chip,
    /// An HBM stack or packaged DRAM device (3A090.c).
    Memory,
    /// A computer, board or assembly that contains parts (4A090).
    System,
}

impl fmt::Display for PartKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PartKind::Chip => "chip",
            PartKind::Memory => "memory",
            PartKind::System => "system",
        })
    }
}

/// A part id: `[a-z0-9-]+`, unique within a catalog.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PartId(pub String);

/// A part id that is not lowercase letters, digits and `-` (at most 128 characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected an id of lowercase letters, digits and `-` (at most 128), found `{0}`")]
pub struct BadPartId(pub String);

impl PartId {
    /// Checks the id's spelling.
    pub fn parse(s: &str) -> Result<PartId, BadPartId> {
        if !s.is_empty()
            && s.len() <= 128
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            Ok(PartId(s.to_string()))
        } else {
            Err(BadPartId(s.to_string()))
        }
    }
}

impl<'de> Deserialize<'de> for PartId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PartId::parse(&s).map_err(de::Error::custom)
    }
}

impl fmt::Display for PartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A release date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Released(pub String);

impl<'de> Deserialize<'de> for Released {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = match Scalar::deserialize(d)? {
            Scalar::Text(t) => t,
            Scalar::Number(n) if n.fract() == 0.0 => format!("{n}"),
            other => {
                return Err(de::Error::custom(format!(
                    "expected a date such as `2022-09`, found {other}"
                )))
            }
        };
        let parts: Vec<&str> = s.split('-').collect();
        let ok = matches!(parts.len(), 1..=3)
            && parts[0].len() == 4
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            && parts.iter().skip(1).all(|p| p.len() == 2);
        if ok {
            Ok(Released(s))
        } else {
            Err(de::Error::custom(format!(
                "expected a date such as `2022`, `2022-09` or `2022-09-20`, found `{s}`"
            )))
        }
    }
}

/// An entry under `sources:`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Referenced by figures' `source`.
    pub id: String,
    /// Title of the document.
    pub title: String,
    /// Where to find it.
    pub url: Option<String>,
    /// Free text (e.g. access date, page).
    pub note: Option<String>,
}

/// Fields every kind of datasheet shares.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    /// The part id.
    pub id: PartId,
    /// Display name.
    pub name: String,
    /// Vendor.
    pub vendor: String,
    /// Product family.
    pub family: Option<String>,
    /// Release date.
    pub released: Option<Released>,
    /// Cited documents.
    pub sources: Vec<Source>,
    /// Free text.
    pub notes: Option<String>,
    /// Where the datasheet was read from.
    pub origin: Origin,
    /// `sha256:<hex>` of the file's text as read (see [`crate::digest`]).
    pub digest: String,
    /// Plausibility checks the datasheet acknowledges, each with its reason
    /// (`acknowledge: { die-area-reticle: "..." }`; see [`crate::catalog::plausible`]).
    pub acknowledged: BTreeMap<Check, String>,
}

/// A map from precision to figure in which a repeated key is an error.
pub type PrecisionMap<T> = BTreeMap<Precision, Figure<T>>;

pub(crate) fn unique_map<'de, D, K, V>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    struct V_<K, V>(std::marker::PhantomData<(K, V)>);
    impl<'de, K: Deserialize<'de> + Ord + fmt::Display, V: Deserialize<'de>> de::Visitor<'de> for V_<K, V> {
        type Value = BTreeMap<K, V>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map")
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(k) = m.next_key::<K>()? {
                if out.contains_key(&k) {
                    return Err(de::Error::custom(format!("duplicate key `{k}`")));
                }
                let v = m.next_value()?;
                out.insert(k, v);
            }
            Ok(out)
        }
    }
    d.deserialize_map(V_(std::marker::PhantomData))
}

pub(crate) fn unique_map_opt<'de, D, K, V>(d: D) -> Result<Option<BTreeMap<K, V>>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    unique_map(d).map(Some)
}

/// The largest sparsity factor accepted. Structured sparsity as shipped doubles the peak (2:4);
/// 16 leaves room for denser schemes, and anything beyond is a slip (a sparse figure divided by
/// the wrong one, or a ratio written upside down).
pub const MAX_SPARSITY_FACTOR: u32 = 16;

/// Reads `sparsity_factor`: a plain number above 1 (sparsity adds throughput, it never takes
/// any away) and at most [`MAX_SPARSITY_FACTOR`].
fn sparsity_factor<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Figure<Positive>>, D::Error> {
    let f = Figure::<Positive>::deserialize(d)?;
    let x = &f.value.0;
    if *x <= crate::exact::int(1) || *x > crate::exact::int(MAX_SPARSITY_FACTOR.into()) {
        return Err(de::Error::custom(format!(
            "expected a sparsity factor such as `2` (sparse figure / dense figure), above 1 and at most {MAX_SPARSITY_FACTOR}, found `{}`",
            crate::numfmt::exact(x)
        )));
    }
    Ok(Some(f))
}

/// A processing unit: its peak throughput by precision, dense and/or sparse, and optionally its
/// microarchitecture (unit count, clock, MACs per clock).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessingUnit {
    /// Name of the unit (`GPU`, `Tensor Cores`, ...).
    pub unit: String,
    /// Dense (no sparsity) peak throughput by precision.
    #[serde(default, deserialize_with = "unique_map")]
    pub dense: PrecisionMap<Throughput>,
    /// Peak throughput with structured sparsity, as some datasheets print it.
    #[serde(default, deserialize_with = "unique_map")]
    pub sparse: PrecisionMap<Throughput>,
    /// Sparse figure / dense figure (default 2), with 1 < factor <= [`MAX_SPARSITY_FACTOR`].
    #[serde(default, deserialize_with = "sparsity_factor")]
    pub sparsity_factor: Option<Figure<Positive>>,
    /// Microarchitecture form: identical units on the IC.
    pub count: Option<Figure<Count>>,
    /// Microarchitecture form: maximum (boost) clock.
    pub clock: Option<Figure<Frequency>>,
    /// Microarchitecture form: dense multiply-accumulates per unit per clock, by precision.
    #[serde(default, deserialize_with = "unique_map_opt")]
    pub macs_per_clock: Option<BTreeMap<Precision, Figure<Positive>>>,
}

/// Whether a die holds logic or memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DieRole {
    /// Logic (counts towards the applicable die area when non-planar).
    Logic,
    /// Memory (never counts).
    Memory,
}

/// The transistor architecture of a die's process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transistor {
    /// Planar (does not count towards the applicable die area).
    Planar,
    /// FinFET (non-planar).
    Finfet,
    /// Gate-all-around (non-planar).
    Gaafet,
}

impl Transistor {
    /// FinFET and GAAFET are non-planar.
    pub fn is_non_planar(self) -> bool {
        !matches!(self, Transistor::Planar)
    }
}

/// What a logic die does in a chiplet package (optional; used by the `compute-only` die-area
/// interpretation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DieFunction {
    /// Compute dies (GPU chiplets, XCDs).
    Compute,
    /// I/O or base dies.
    Io,
    /// Cache dies.
    Cache,
}

/// How a die was made with respect to the lithography reticle (optional, default
/// `monolithic`). Read by the die-area plausibility checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Construction {
    /// Exposed in one reticle field: at most about 858 mm^2.
    #[default]
    Monolithic,
    /// Several reticle fields stitched into one die.
    Stitched,
    /// A whole wafer used as one die (Cerebras WSE).
    WaferScale,
}

impl fmt::Display for Construction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Construction::Monolithic => "monolithic",
            Construction::Stitched => "stitched",
            Construction::WaferScale => "wafer-scale",
        })
    }
}

/// A die in the package.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Die {
    /// Die name (`GH100`).
    pub name: Option<String>,
    /// Logic or memory.
    pub role: DieRole,
    /// Planar or non-planar.
    pub transistor: Option<Transistor>,
    /// Process, free text (`TSMC 4N`).
    pub process: Option<String>,
    /// Die area; required for logic dies to know the applicable die area.
    pub area: Option<Figure<Area>>,
    /// How many such dies (default 1).
    pub count: Option<Figure<Count>>,
    /// Compute, I/O or cache (optional).
    pub function: Option<DieFunction>,
    /// Monolithic, stitched or wafer-scale (optional, default monolithic).
    pub construction: Option<Construction>,
}

/// On-package memory of a chip.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChipMemory {
    /// `HBM3`, `GDDR6`, ...
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Capacity.
    pub capacity: Option<Figure<Information>>,
    /// Total DRAM bandwidth of the package.
    pub bandwidth: Option<Figure<InformationRate>>,
}

/// `kind: chip`.
#[derive(Debug, Clone, PartialEq)]
pub struct Chip {
    /// Shared fields.
    pub meta: Meta,
    /// Designed or marketed for use in datacenters; `None` = unknown.
    pub datacenter: Option<Figure<bool>>,
    /// Processing units (at least one).
    pub compute: Vec<ProcessingUnit>,
    /// Dies; `None` = unknown.
    pub dies: Option<Vec<Die>>,
    /// On-package memory.
    pub memory: Option<ChipMemory>,
    /// Aggregate bidirectional transfer rate to ICs other than volatile memories.
    pub interconnect: Option<Figure<InformationRate>>,
    /// Power.
    pub power: Option<Figure<Power>>,
    /// Transistor count.
    pub transistors: Option<Figure<Positive>>,
}

/// `kind: memory`.
#[derive(Debug, Clone, PartialEq)]
pub struct Memory {
    /// Shared fields.
    pub meta: Meta,
    /// Bandwidth of the stack, or of the packaged device.
    pub bandwidth: Figure<InformationRate>,
    /// Area of the stack, or of the package.
    pub area: Figure<Area>,
    /// Whether the stack is in a package.
    pub packaged: bool,
    /// Co-packaged with a logic IC whose dominant function is processing.
    pub co_packaged_with_processor: Option<Figure<bool>>,
    /// Capacity.
    pub capacity: Option<Figure<Information>>,
    /// `HBM3E`, ...
    pub memory_type: Option<String>,
}

/// One entry of a system's `contains`.
#[derive(Debug, Clone, PartialEq)]
pub struct Contained {
    /// The contained part's id (paths are resolved to ids when the catalog loads).
    pub part: PartId,
    /// How many.
    pub count: u64,
}

/// `kind: system`.
#[derive(Debug, Clone, PartialEq)]
pub struct System {
    /// Shared fields.
    pub meta: Meta,
    /// Designed or marketed for use in datacenters; `None` = unknown.
    pub datacenter: Option<Figure<bool>>,
    /// Contained parts.
    pub contains: Vec<Contained>,
}

/// A datasheet of any kind.
// Parts live in the catalog and are passed by reference; the size difference costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// An IC with processing units.
    Chip(Chip),
    /// An HBM stack or packaged DRAM.
    Memory(Memory),
    /// A system containing parts.
    System(System),
}

impl Part {
    /// Shared fields.
    pub fn meta(&self) -> &Meta {
        match self {
            Part::Chip(c) => &c.meta,
            Part::Memory(m) => &m.meta,
            Part::System(s) => &s.meta,
        }
    }

    /// The part id.
    pub fn id(&self) -> &PartId {
        &self.meta().id
    }

    /// The kind.
    pub fn kind(&self) -> PartKind {
        match self {
            Part::Chip(_) => PartKind::Chip,
            Part::Memory(_) => PartKind::Memory,
            Part::System(_) => PartKind::System,
        }
    }
}

/// Where a datasheet or rule file was read from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// A file on disk, as the user named or found it.
    File(PathBuf),
    /// A file embedded in the binary, by its path in the repository (`specs/...`).
    Embedded(&'static str),
    /// Text passed in directly (the web API, tests).
    Inline,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(p) => write!(f, "{}", p.display()),
            Origin::Embedded(p) => write!(f, "{p}"),
            Origin::Inline => write!(f, "<input>"),
        }
    }
}

/// Every figure of a part with its field path, in file order. Used by the source check and by
/// the `check` lints.
pub fn provenances<'a>(part: &'a Part) -> Vec<(String, &'a Provenance)> {
    let mut out: Vec<(String, &'a Provenance)> = Vec::new();
    let mut push = |path: String, p: &'a Provenance| out.push((path, p));
    match part {
        Part::Chip(c) => {
            if let Some(f) = &c.datacenter {
                push("datacenter".into(), &f.provenance);
            }
            for (i, u) in c.compute.iter().enumerate() {
                for (p, f) in &u.dense {
                    push(format!("compute[{i}].dense.{p}"), &f.provenance);
                }
                for (p, f) in &u.sparse {
                    push(format!("compute[{i}].sparse.{p}"), &f.provenance);
                }
                if let Some(f) = &u.sparsity_factor {
                    push(format!("compute[{i}].sparsity_factor"), &f.provenance);
                }
                if let Some(f) = &u.count {
                    push(format!("compute[{i}].count"), &f.provenance);
                }
                if let Some(f) = &u.clock {
                    push(format!("compute[{i}].clock"), &f.provenance);
                }
                for (p, f) in u.macs_per_clock.iter().flatten() {
                    push(format!("compute[{i}].macs_per_clock.{p}"), &f.provenance);
                }
            }
            for (i, d) in c.dies.iter().flatten().enumerate() {
                if let Some(f) = &d.area {
                    push(format!("dies[{i}].area"), &f.provenance);
                }
                if let Some(f) = &d.count {
                    push(format!("dies[{i}].count"), &f.provenance);
                }
            }
            if let Some(m) = &c.memory {
                if let Some(f) = &m.capacity {
                    push("memory.capacity".into(), &f.provenance);
                }
                if let Some(f) = &m.bandwidth {
                    push("memory.bandwidth".into(), &f.provenance);
                }
            }
            if let Some(f) = &c.interconnect {
                push("interconnect".into(), &f.provenance);
            }
            if let Some(f) = &c.power {
                push("power".into(), &f.provenance);
            }
            if let Some(f) = &c.transistors {
                push("transistors".into(), &f.provenance);
            }
        }
        Part::Memory(m) => {
            push("bandwidth".into(), &m.bandwidth.provenance);
            push("area".into(), &m.area.provenance);
            if let Some(f) = &m.co_packaged_with_processor {
                push("co_packaged_with_processor".into(), &f.provenance);
            }
            if let Some(f) = &m.capacity {
                push("capacity".into(), &f.provenance);
            }
        }
        Part::System(s) => {
            if let Some(f) = &s.datacenter {
                push("datacenter".into(), &f.provenance);
            }
        }
    }
    out
}

/// Dense peak from the microarchitecture form, in TOPS: 2 x count x clock x MACs per clock.
pub fn micro_dense(u: &ProcessingUnit, macs: &Positive) -> Option<Throughput> {
    let count = u.count.as_ref()?.value.0;
    let clock_hz = u.clock.as_ref()?.value.value.clone();
    let ops = exact::int(2) * exact::int(count as i64) * clock_hz * macs.0.clone();
    Some(Throughput(Frequency {
        dimension: std::marker::PhantomData,
        units: std::marker::PhantomData,
        value: ops,
    }))
}
