//! The "supercomputer" test (15 CFR 772.1): does an installation have a collective maximum
//! theoretical compute capacity of 100 or more FP64 petaflops, or 200 or more FP32 petaflops,
//! within a 41,600 ft^3 or smaller envelope?
//!
//! An installation is a `kind: cluster` file: racks of parts or systems (by id), each rack type
//! with a count and a volume. The envelope is the set of whole racks with the most capacity
//! whose volumes fit in the envelope volume, found exactly (a bounded knapsack over the rack
//! types, by branch and bound on exact rationals); each precision gets its own envelope, since
//! the two thresholds may need different racks. Thresholds and readings are data
//! ([`Definition`]), with their citation and how sure they are.

use crate::catalog::Catalog;
use crate::datasheet::{Count, Figure, Origin, Part, PartId, Precision, Source};
use crate::error::{Error, ErrorKind, Errors};
use crate::exact::{self, Exact};
use crate::units::{Quantity, Throughput, Volume};
use crate::yaml;
use num_traits::ToPrimitive;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How a part's capacity at a precision is read from its processing units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reading {
    /// The highest figure any one unit gives (vector or matrix, whichever is higher).
    Highest,
    /// The units' figures added up.
    Sum,
}

impl fmt::Display for Reading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reading::Highest => "highest",
            Reading::Sum => "sum",
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound = "")]
struct AtLeast<T: crate::datasheet::FigureValue> {
    at_least: Figure<T>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound = "")]
struct AtMost<T: crate::datasheet::FigureValue> {
    at_most: Figure<T>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdsRaw {
    fp64: AtLeast<Throughput>,
    fp32: AtLeast<Throughput>,
    envelope: AtMost<Volume>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadingsRaw {
    fp64: Reading,
    fp32: Reading,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DefinitionRaw {
    #[allow(dead_code)]
    kind: String,
    id: String,
    title: String,
    citation: String,
    wording: String,
    verbatim: bool,
    source: String,
    thresholds: ThresholdsRaw,
    readings: ReadingsRaw,
    #[serde(default)]
    open_points: Vec<String>,
}

/// The definition of "supercomputer" as data (`specs/supercomputer/`).
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    /// `ear-772-1`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Where the definition is codified.
    pub citation: String,
    /// Its wording (verbatim only when `verbatim`).
    pub wording: String,
    /// Whether `wording` is the regulation's own text.
    pub verbatim: bool,
    /// How the wording and numbers were obtained, and how sure they are.
    pub source: String,
    /// "100 or more double-precision (64-bit) petaflops" (`>=`).
    pub fp64_at_least: Throughput,
    /// "200 or more single-precision (32-bit) petaflops" (`>=`).
    pub fp32_at_least: Throughput,
    /// "within a 41,600 ft^3 or smaller envelope" (`<=`).
    pub envelope_at_most: Volume,
    /// How a part's FP64 capacity is read.
    pub fp64_reading: Reading,
    /// How a part's FP32 capacity is read.
    pub fp32_reading: Reading,
    /// What the definition as read leaves open.
    pub open_points: Vec<String>,
    /// `sha256:` of the file's text.
    pub digest: String,
}

impl Definition {
    /// Reads a definition file.
    pub fn from_text(origin: &Origin, text: &str) -> Result<Definition, Error> {
        let raw: DefinitionRaw = yaml::from_str(text).map_err(|e| e.in_file(origin.to_string()))?;
        if raw.kind != "supercomputer" {
            return Err(Error::new(
                ErrorKind::Schema,
                format!("expected `kind: supercomputer`, found `{}`", raw.kind),
            )
            .in_file(origin.to_string())
            .at_field("kind")
            .at(yaml::locate(text, "kind")));
        }
        Ok(Definition {
            id: raw.id,
            title: raw.title,
            citation: raw.citation,
            wording: raw.wording,
            verbatim: raw.verbatim,
            source: raw.source,
            fp64_at_least: raw.thresholds.fp64.at_least.value,
            fp32_at_least: raw.thresholds.fp32.at_least.value,
            envelope_at_most: raw.thresholds.envelope.at_most.value,
            fp64_reading: raw.readings.fp64,
            fp32_reading: raw.readings.fp32,
            open_points: raw.open_points,
            digest: crate::audit::sha256_text(text),
        })
    }

    /// The shipped definition (`specs/supercomputer/ear-772-1.yaml`).
    ///
    /// ```
    /// use tppcalc::units::Quantity;
    /// let d = tppcalc::cluster::Definition::shipped();
    /// assert_eq!(d.fp64_at_least.canonical(), tppcalc::exact::int(100_000)); // TFLOPS
    /// assert!(!d.verbatim);
    /// ```
    pub fn shipped() -> &'static Definition {
        static DEF: std::sync::LazyLock<Definition> = std::sync::LazyLock::new(|| {
            let path = "specs/supercomputer/ear-772-1.yaml";
            let text = crate::embedded::FILES
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, t)| *t)
                .expect("the supercomputer definition is embedded");
            Definition::from_text(&Origin::Embedded(path), text).expect("the shipped definition is valid (tested)")
        });
        &DEF
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContainedRaw {
    part: String,
    count: Option<Figure<Count>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RackRaw {
    name: Option<String>,
    contains: Vec<ContainedRaw>,
    count: Figure<Count>,
    volume: Figure<Volume>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClusterRaw {
    #[allow(dead_code)]
    kind: String,
    id: PartId,
    name: String,
    racks: Vec<RackRaw>,
    #[serde(default)]
    sources: Vec<Source>,
    notes: Option<String>,
}

/// One rack type: what one rack holds, how many identical racks, and one rack's volume.
#[derive(Debug, Clone, PartialEq)]
pub struct Rack {
    /// A label (`rack[0]` when none).
    pub name: String,
    /// Parts or systems in one rack, by id, with counts.
    pub contains: Vec<(PartId, u64)>,
    /// Identical racks.
    pub count: u64,
    /// The volume of one rack.
    pub volume: Volume,
}

/// A `kind: cluster` file.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Its id.
    pub id: PartId,
    /// Its name.
    pub name: String,
    /// The rack types.
    pub racks: Vec<Rack>,
    /// Cited documents.
    pub sources: Vec<Source>,
    /// Free text.
    pub notes: Option<String>,
    /// `sha256:` of the file's text.
    pub digest: String,
}

/// Reads a cluster file, resolving every part id against `catalog`. Every unknown id is
/// reported, with its position and near ids.
///
/// ```
/// use tppcalc::cluster::parse_cluster;
/// use tppcalc::datasheet::Origin;
/// use tppcalc::catalog::Catalog;
/// let catalog = Catalog::embedded().catalog;
/// let text = "kind: cluster\nid: pod\nname: Pod\nracks:\n  - contains: [{ part: nvidia-h100-sxm5-80gb, count: 8 }]\n    count: 1250\n    volume: 100 ft^3\n";
/// let c = parse_cluster(text, &Origin::Inline, &catalog).unwrap();
/// assert_eq!(c.racks[0].count, 1250);
/// let typo = text.replace("sxm5-80gb", "sxm");
/// let e = parse_cluster(&typo, &Origin::Inline, &catalog).unwrap_err();
/// assert!(e.0[0].to_string().contains("did you mean"), "{}", e);
/// ```
pub fn parse_cluster(text: &str, origin: &Origin, catalog: &Catalog) -> Result<Cluster, Errors> {
    let file = origin.to_string();
    let raw: ClusterRaw = yaml::from_str(text).map_err(|e| e.in_file(file.clone()))?;
    let fail = |kind: ErrorKind, field: String, m: String| {
        Error::new(kind, m)
            .in_file(file.clone())
            .at(yaml::locate(text, &field))
            .at_field(field)
    };
    if raw.kind != "cluster" {
        return Err(fail(
            ErrorKind::Schema,
            "kind".into(),
            format!("expected `kind: cluster`, found `{}`", raw.kind),
        )
        .into());
    }
    let mut errors = Vec::new();
    if raw.racks.is_empty() {
        errors.push(fail(
            ErrorKind::Schema,
            "racks".into(),
            "expected at least one rack".into(),
        ));
    }
    let known: Vec<&str> = raw.sources.iter().map(|s| s.id.as_str()).collect();
    let mut racks = Vec::new();
    for (i, r) in raw.racks.iter().enumerate() {
        if r.contains.is_empty() {
            errors.push(fail(
                ErrorKind::Schema,
                format!("racks[{i}].contains"),
                "expected at least one part or system in the rack".into(),
            ));
        }
        for (field, src) in [
            ("count", &r.count.provenance.source),
            ("volume", &r.volume.provenance.source),
        ] {
            if let Some(s) = src {
                if !known.contains(&s.as_str()) {
                    errors.push(fail(
                        ErrorKind::UnknownReference,
                        format!("racks[{i}].{field}.source"),
                        format!("unknown source `{s}`; the file's `sources:` has {}", list(&known)),
                    ));
                }
            }
        }
        let mut contains = Vec::new();
        for (j, c) in r.contains.iter().enumerate() {
            let field = format!("racks[{i}].contains[{j}].part");
            match catalog.get(&c.part) {
                Some(p) => contains.push((p.id().clone(), c.count.as_ref().map_or(1, |f| f.value.0))),
                None => errors.push(fail(
                    ErrorKind::UnknownReference,
                    field,
                    format!(
                        "unknown part `{}`: no part in the catalog has that id{}",
                        c.part,
                        catalog.did_you_mean(&c.part)
                    ),
                )),
            }
        }
        racks.push(Rack {
            name: r.name.clone().unwrap_or_else(|| format!("racks[{i}]")),
            contains,
            count: r.count.value.0,
            volume: r.volume.value.clone(),
        });
    }
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    Ok(Cluster {
        id: raw.id,
        name: raw.name,
        racks,
        sources: raw.sources,
        notes: raw.notes,
        digest: crate::audit::sha256_text(text),
    })
}

fn list(known: &[&str]) -> String {
    if known.is_empty() {
        "none".into()
    } else {
        known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
    }
}

/// A unit's dense figure at a precision: the dense figure, else the sparse one divided by the
/// sparsity factor, else the microarchitecture form.
fn unit_figure(u: &crate::datasheet::ProcessingUnit, p: &Precision) -> Option<Exact> {
    if let Some(d) = u.dense.get(p) {
        return Some(d.value.canonical());
    }
    if let Some(s) = u.sparse.get(p) {
        let factor = u
            .sparsity_factor
            .as_ref()
            .map_or_else(|| exact::int(2), |f| f.value.0.clone());
        return Some(s.value.canonical() / factor);
    }
    let macs = u.macs_per_clock.as_ref()?.get(p)?;
    crate::datasheet::micro_dense(u, &macs.value).map(|t| t.canonical())
}

/// A part's capacity at a precision in TFLOPS, or the ids of the parts that give no figure.
/// Memory parts have none and count as zero; systems add their contents.
pub fn capacity(catalog: &Catalog, part: &Part, p: &Precision, reading: Reading) -> Result<Exact, Vec<String>> {
    match part {
        Part::Chip(c) => {
            let figures: Vec<Exact> = c.compute.iter().filter_map(|u| unit_figure(u, p)).collect();
            if figures.is_empty() {
                return Err(vec![c.meta.id.0.clone()]);
            }
            Ok(match reading {
                Reading::Highest => figures.into_iter().max().expect("non-empty"),
                Reading::Sum => figures.into_iter().fold(exact::int(0), |a, b| a + b),
            })
        }
        Part::Memory(_) => Ok(exact::int(0)),
        Part::System(s) => {
            let mut total = exact::int(0);
            let mut missing = Vec::new();
            for c in &s.contains {
                match catalog.get(&c.part.0) {
                    Some(inner) => match capacity(catalog, inner, p, reading) {
                        Ok(x) => total += x * exact::int(c.count as i64),
                        Err(m) => missing.extend(m),
                    },
                    None => missing.push(c.part.0.clone()),
                }
            }
            if missing.is_empty() {
                Ok(total)
            } else {
                missing.sort();
                missing.dedup();
                Err(missing)
            }
        }
    }
}

/// Largest number of branch-and-bound nodes the envelope search visits; past it the answer
/// uses the best envelope found and the relaxation's bound (and says so).
pub const MAX_SEARCH_NODES: u64 = 2_000_000;

/// The best choice of whole racks: counts per rack type, its value, and whether the search
/// finished (else `bound` is an upper bound on the best value).
#[derive(Debug, Clone, PartialEq)]
pub struct Best {
    /// How many racks of each type.
    pub counts: Vec<u64>,
    /// Their total value.
    pub value: Exact,
    /// Whether the search proved `value` optimal.
    pub exact: bool,
    /// An upper bound on the optimum (equal to `value` when `exact`).
    pub bound: Exact,
}

/// Maximises `sum k_i * value_i` subject to `sum k_i * volume_i <= cap`, `0 <= k_i <= n_i`,
/// exactly: branch and bound with the fractional (greedy) relaxation as the bound.
///
/// ```
/// use tppcalc::cluster::best_racks;
/// use tppcalc::exact::int;
/// // Two dense racks (value 10, volume 6) or three sparse ones (value 7, volume 4) in 12:
/// let b = best_racks(&[(5, int(6), int(10)), (5, int(4), int(7))], &int(12));
/// assert_eq!(b.value, int(21)); // three sparse racks beat two dense ones
/// assert_eq!(b.counts, [0, 3]);
/// ```
pub fn best_racks(types: &[(u64, Exact, Exact)], cap: &Exact) -> Best {
    let n = types.len();
    // Only types that add value and fit at all, densest first.
    let mut order: Vec<usize> = (0..n)
        .filter(|&i| types[i].2 > exact::int(0) && types[i].1 <= *cap && types[i].0 > 0)
        .collect();
    order.sort_by(|&a, &b| {
        let da = &types[a].2 / &types[a].1;
        let db = &types[b].2 / &types[b].1;
        db.cmp(&da).then(a.cmp(&b))
    });
    struct S<'a> {
        types: &'a [(u64, Exact, Exact)],
        order: Vec<usize>,
        best: Exact,
        best_counts: Vec<u64>,
        counts: Vec<u64>,
        nodes: u64,
        cut: bool,
    }
    fn bound(s: &S, j: usize, room: &Exact, value: &Exact) -> Exact {
        let mut room = room.clone();
        let mut v = value.clone();
        for &i in &s.order[j..] {
            let (n, vol, val) = &s.types[i];
            let all = vol * exact::int(*n as i64);
            if all <= room {
                room -= &all;
                v += val * exact::int(*n as i64);
            } else {
                v += val * (&room / vol);
                break;
            }
        }
        v
    }
    fn go(s: &mut S, j: usize, room: Exact, value: Exact) {
        s.nodes += 1;
        if s.nodes > MAX_SEARCH_NODES {
            s.cut = true;
            return;
        }
        if value > s.best {
            s.best = value.clone();
            s.best_counts = s.counts.clone();
        }
        if j == s.order.len() {
            return;
        }
        if bound(s, j, &room, &value) <= s.best {
            return;
        }
        let i = s.order[j];
        let (n, vol, val) = (s.types[i].0, s.types[i].1.clone(), s.types[i].2.clone());
        let fit = (&room / &vol).floor().to_integer().to_u64().unwrap_or(u64::MAX);
        let max = n.min(fit);
        for k in (0..=max).rev() {
            let used = &vol * exact::int(k as i64);
            s.counts[i] = k;
            go(s, j + 1, &room - &used, &value + &val * exact::int(k as i64));
            if s.cut {
                break;
            }
        }
        s.counts[i] = 0;
    }
    let mut s = S {
        types,
        order,
        best: exact::int(0),
        best_counts: vec![0; n],
        counts: vec![0; n],
        nodes: 0,
        cut: false,
    };
    let top = bound(&s, 0, cap, &exact::int(0));
    go(&mut s, 0, cap.clone(), exact::int(0));
    Best {
        counts: s.best_counts,
        exact: !s.cut,
        bound: if s.cut { top } else { s.best.clone() },
        value: s.best,
    }
}

/// An envelope: whole racks, their volume and capacities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Envelope {
    /// How many racks in all.
    pub racks: u64,
    /// How many of each rack type, in file order.
    pub rack_counts: Vec<u64>,
    /// Their volume in ft^3.
    pub volume_ft3: f64,
    /// Their FP64 capacity in petaflops (`null` when a part in them gives no FP64 figure).
    pub fp64_pflops: Option<f64>,
    /// Their FP32 capacity in petaflops (`null` likewise).
    pub fp32_pflops: Option<f64>,
}

/// Both precisions' best envelopes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Envelopes {
    /// The racks with the most FP64 capacity.
    pub fp64: Envelope,
    /// The racks with the most FP32 capacity.
    pub fp32: Envelope,
}

/// The thresholds used, for display.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Thresholds {
    /// FP64 petaflops, at least.
    pub fp64_pflops: f64,
    /// FP32 petaflops, at least.
    pub fp32_pflops: f64,
    /// Envelope, ft^3, at most.
    pub envelope_ft3: f64,
}

/// What the answer was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterAudit {
    /// The tool's version.
    pub tool_version: String,
    /// The definition's id.
    pub definition: String,
    /// `sha256:` of the definition file.
    pub definition_digest: String,
    /// `sha256:` of the cluster file.
    pub cluster_digest: String,
    /// `sha256:` over the datasheets of the parts named (`<id> <digest>` lines, in id order).
    pub datasheets_digest: String,
}

/// The answer of `tppcalc cluster`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterAnswer {
    /// The cluster id.
    pub cluster: String,
    /// Its name.
    pub name: String,
    /// `yes`, `no` or `indeterminate`.
    pub supercomputer: crate::tri::Decision,
    /// The whole installation's FP64 capacity, petaflops (`null` when a part gives no figure).
    pub fp64_pflops: Option<f64>,
    /// The whole installation's FP32 capacity, petaflops.
    pub fp32_pflops: Option<f64>,
    /// The whole installation's volume, ft^3.
    pub volume_ft3: f64,
    /// The envelope that decides (FP64's unless only FP32's reaches its threshold).
    pub envelope: Envelope,
    /// Both precisions' envelopes.
    pub envelopes: Envelopes,
    /// The thresholds.
    pub thresholds: Thresholds,
    /// How each precision's capacity is read (`highest` or `sum`).
    pub readings: std::collections::BTreeMap<String, String>,
    /// Parts without a figure at a precision (`<id>: fp64`).
    pub missing: Vec<String>,
    /// The reasoning.
    pub reasons: Vec<String>,
    /// Where the definition is codified.
    pub citation: String,
    /// Its wording.
    pub wording: String,
    /// Whether the wording is verbatim.
    pub verbatim: bool,
    /// How the wording and numbers were obtained.
    pub source: String,
    /// What the definition as read leaves open.
    pub open_points: Vec<String>,
    /// What the answer was computed from.
    pub audit: ClusterAudit,
}

fn pflops(tflops: &Exact) -> f64 {
    exact::to_f64(&exact::scale10(tflops.clone(), -3))
}

fn ft3(m3: &Exact) -> f64 {
    exact::to_f64(&(m3 / crate::units::cubic_foot_m3()))
}

fn words(tflops: &Exact) -> String {
    format!("{} PFLOPS", crate::numfmt::table(&exact::scale10(tflops.clone(), -3)))
}

fn ft3_words(m3: &Exact) -> String {
    format!("{} ft^3", crate::numfmt::table(&(m3 / crate::units::cubic_foot_m3())))
}

/// One precision's per-rack capacities: known lower bound per rack and whether any part is
/// missing the figure.
struct PerRack {
    value: Vec<Exact>,
    unknown: Vec<bool>,
}

fn per_rack(catalog: &Catalog, c: &Cluster, p: &Precision, reading: Reading, missing: &mut Vec<String>) -> PerRack {
    let mut value = Vec::new();
    let mut unknown = Vec::new();
    for r in &c.racks {
        let mut v = exact::int(0);
        let mut u = false;
        for (id, n) in &r.contains {
            let part = catalog.get(&id.0).expect("resolved when parsed");
            match capacity(catalog, part, p, reading) {
                Ok(x) => v += x * exact::int(*n as i64),
                Err(ids) => {
                    u = true;
                    for i in ids {
                        let m = format!("{i}: {p}");
                        if !missing.contains(&m) {
                            missing.push(m);
                        }
                    }
                }
            }
        }
        value.push(v);
        unknown.push(u);
    }
    PerRack { value, unknown }
}

fn envelope_of(c: &Cluster, counts: &[u64], f64r: &PerRack, f32r: &PerRack) -> Envelope {
    let mut vol = exact::int(0);
    let mut v64 = exact::int(0);
    let mut v32 = exact::int(0);
    let (mut u64_, mut u32_) = (false, false);
    for (i, k) in counts.iter().enumerate() {
        if *k == 0 {
            continue;
        }
        let kk = exact::int(*k as i64);
        vol += c.racks[i].volume.canonical() * &kk;
        v64 += &f64r.value[i] * &kk;
        v32 += &f32r.value[i] * &kk;
        u64_ |= f64r.unknown[i];
        u32_ |= f32r.unknown[i];
    }
    Envelope {
        racks: counts.iter().sum(),
        rack_counts: counts.to_vec(),
        volume_ft3: ft3(&vol),
        fp64_pflops: (!u64_).then(|| pflops(&v64)),
        fp32_pflops: (!u32_).then(|| pflops(&v32)),
    }
}

/// Readings that override the definition's (`--fp64-reading`, `--fp32-reading`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Knobs {
    /// FP64 reading, if not the definition's.
    pub fp64: Option<Reading>,
    /// FP32 reading, if not the definition's.
    pub fp32: Option<Reading>,
}

/// Is the installation a "supercomputer"?
pub fn assess(catalog: &Catalog, c: &Cluster, def: &Definition, knobs: Knobs) -> ClusterAnswer {
    let r64 = knobs.fp64.unwrap_or(def.fp64_reading);
    let r32 = knobs.fp32.unwrap_or(def.fp32_reading);
    let p64 = Precision::parse("fp64").expect("literal");
    let p32 = Precision::parse("fp32").expect("literal");
    let mut missing = Vec::new();
    let f64r = per_rack(catalog, c, &p64, r64, &mut missing);
    let f32r = per_rack(catalog, c, &p32, r32, &mut missing);
    let cap = def.envelope_at_most.canonical();
    let mut reasons = Vec::new();

    let mut total_vol = exact::int(0);
    for r in &c.racks {
        total_vol += r.volume.canonical() * exact::int(r.count as i64);
    }
    let total = |pr: &PerRack| -> Option<Exact> {
        if pr.unknown.iter().any(|u| *u) {
            return None;
        }
        Some(
            c.racks
                .iter()
                .zip(&pr.value)
                .fold(exact::int(0), |a, (r, v)| a + v * exact::int(r.count as i64)),
        )
    };
    reasons.push(format!(
        "{} racks in {} rack type(s), {} in all; the envelope is at most {}",
        c.racks.iter().map(|r| r.count).sum::<u64>(),
        c.racks.len(),
        ft3_words(&total_vol),
        ft3_words(&cap)
    ));
    for r in c.racks.iter().filter(|r| r.volume.canonical() > cap) {
        reasons.push(format!(
            "one rack of {} ({}) is larger than the envelope: it cannot be in one",
            r.name,
            ft3_words(&r.volume.canonical())
        ));
    }

    let decide = |pr: &PerRack,
                  threshold: &Exact,
                  what: &str,
                  reasons: &mut Vec<String>|
     -> (crate::rules::Tri, Vec<u64>) {
        use crate::rules::Tri;
        let types: Vec<(u64, Exact, Exact)> = c
            .racks
            .iter()
            .zip(&pr.value)
            .map(|(r, v)| (r.count, r.volume.canonical(), v.clone()))
            .collect();
        let best = best_racks(&types, &cap);
        let unknown_fits = c
            .racks
            .iter()
            .zip(&pr.unknown)
            .any(|(r, u)| *u && r.volume.canonical() <= cap);
        let t = if best.value >= *threshold {
            reasons.push(format!(
                "{what}: whole racks within the envelope reach {} (at least {} needed){}",
                words(&best.value),
                words(threshold),
                if pr.unknown.iter().any(|u| *u) {
                    ", not counting parts without a figure"
                } else {
                    ""
                }
            ));
            Tri::Met
        } else if unknown_fits {
            reasons.push(format!(
                "{what}: the racks with known figures reach at most {} within the envelope (below {}), but parts without a {what} figure could reach it",
                words(&best.value),
                words(threshold)
            ));
            Tri::Undecided
        } else if !best.exact && best.bound >= *threshold {
            reasons.push(format!(
                "{what}: the envelope search stopped after {MAX_SEARCH_NODES} steps with {} found and at most {} possible: undecided",
                words(&best.value),
                words(&best.bound)
            ));
            Tri::Undecided
        } else {
            reasons.push(format!(
                "{what}: the most any set of whole racks within the envelope reaches is {}, below {}",
                words(&best.value),
                words(threshold)
            ));
            Tri::NotMet
        };
        (t, best.counts)
    };
    let (t64, c64) = decide(&f64r, &def.fp64_at_least.canonical(), "fp64", &mut reasons);
    let (t32, c32) = decide(&f32r, &def.fp32_at_least.canonical(), "fp32", &mut reasons);
    use crate::rules::Tri;
    let answer = crate::tri::Decision::from(t64.or(t32));
    let e64 = envelope_of(c, &c64, &f64r, &f32r);
    let e32 = envelope_of(c, &c32, &f64r, &f32r);
    let envelope = if t64 != Tri::Met && t32 == Tri::Met {
        e32.clone()
    } else {
        e64.clone()
    };
    if !def.verbatim {
        reasons
            .push("the definition's wording and numbers come from secondary sources, not the regulation's text".into());
    }
    missing.sort();
    let mut digests: Vec<(String, String)> = Vec::new();
    for r in &c.racks {
        for (id, _) in &r.contains {
            collect_digests(catalog, id, &mut digests);
        }
    }
    digests.sort();
    digests.dedup();
    let lines: String = digests.iter().map(|(i, d)| format!("{i} {d}\n")).collect();
    ClusterAnswer {
        cluster: c.id.0.clone(),
        name: c.name.clone(),
        supercomputer: answer,
        fp64_pflops: total(&f64r).map(|x| pflops(&x)),
        fp32_pflops: total(&f32r).map(|x| pflops(&x)),
        volume_ft3: ft3(&total_vol),
        envelope,
        envelopes: Envelopes { fp64: e64, fp32: e32 },
        thresholds: Thresholds {
            fp64_pflops: pflops(&def.fp64_at_least.canonical()),
            fp32_pflops: pflops(&def.fp32_at_least.canonical()),
            envelope_ft3: ft3(&cap),
        },
        readings: [
            ("fp64".to_string(), r64.to_string()),
            ("fp32".to_string(), r32.to_string()),
        ]
        .into_iter()
        .collect(),
        missing,
        reasons,
        citation: def.citation.clone(),
        wording: def.wording.clone(),
        verbatim: def.verbatim,
        source: def.source.clone(),
        open_points: def.open_points.clone(),
        audit: ClusterAudit {
            tool_version: crate::audit::TOOL_VERSION.to_string(),
            definition: def.id.clone(),
            definition_digest: def.digest.clone(),
            cluster_digest: c.digest.clone(),
            datasheets_digest: crate::audit::sha256_text(&lines),
        },
    }
}

fn collect_digests(catalog: &Catalog, id: &PartId, out: &mut Vec<(String, String)>) {
    let Some(p) = catalog.get(&id.0) else { return };
    out.push((id.0.clone(), p.meta().digest.clone()));
    if let Part::System(s) = p {
        for c in &s.contains {
            if !out.iter().any(|(i, _)| *i == c.part.0) {
                collect_digests(catalog, &c.part, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knapsack_is_exact_on_a_small_case_by_brute_force() {
        let types = vec![
            (3u64, exact::int(5), exact::int(9)),
            (4, exact::int(3), exact::int(5)),
            (2, exact::int(7), exact::int(13)),
        ];
        for cap in 0..40 {
            let cap_x = exact::int(cap);
            let b = best_racks(&types, &cap_x);
            let mut best = exact::int(0);
            for a in 0..=3 {
                for bb in 0..=4 {
                    for c in 0..=2 {
                        if 5 * a + 3 * bb + 7 * c <= cap {
                            best = best.max(exact::int(9 * a + 5 * bb + 13 * c));
                        }
                    }
                }
            }
            assert_eq!(b.value, best, "cap {cap}");
            assert!(b.exact);
            assert_eq!(b.value, b.bound);
        }
    }
}
