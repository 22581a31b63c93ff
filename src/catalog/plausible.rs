//! Physical plausibility checks: figures no real part can have, so that a unit slip (`400 cm^2`
//! meant as mm^2, a PFLOPS figure written as TFLOPS, MHz written as GHz) is caught before it
//! turns into a verdict.
//!
//! Each check has a name. The checks marked as errors stop a datasheet from loading; the
//! others are warnings that `tppcalc check` prints (and `check --strict` fails on). A datasheet
//! that really has such a figure says so, per check, with a reason:
//! `acknowledge: { die-area-reticle: "two reticle-size dies stitched into one" }`; the
//! acknowledgement then appears in `explain` and in the audit record of every verdict.
//!
//! The bounds and their physical sources are listed in `docs/datasheet-format.md`.

use crate::datasheet::{Check, Chip, Construction, DieRole, Memory};
use crate::exact::{self, Exact};
use crate::metrics::{unit_candidates, DenseFrom, Interpretation};
use crate::units::{format_quantity, Quantity};

/// The lithography reticle (exposure field): 26 mm x 33 mm.
pub const RETICLE_MM2: i64 = 858;
/// Largest area of a monolithic die: the reticle plus a 5% margin (die areas are often quoted
/// with seal rings and scribe lines).
pub const MAX_MONOLITHIC_DIE_MM2: i64 = 900;
/// The area of a 300 mm wafer, pi x (150 mm)^2 = 70,685.8 mm^2, rounded up: no die is larger.
pub const WAFER_MM2: i64 = 70_686;
/// Smallest area of a logic die.
pub const MIN_LOGIC_DIE_MM2: i64 = 1;
/// Highest clock, in GHz (shipped processors boost to about 6 GHz).
pub const MAX_CLOCK_GHZ: i64 = 10;
/// Highest TPP per mm^2 of logic die area: about eight times the densest shipped silicon with
/// vendor figures (NVIDIA GB200: dense FP4 10 PFLOPS over two dies of 814 mm^2, 24.6 per
/// mm^2) and over four times the Cerebras WSE-3 estimate (43.3).
pub const MAX_THROUGHPUT_DENSITY: i64 = 200;
/// Highest TPP of a chip with no wafer-scale die: about sixteen times the largest shipped
/// package (AMD Instinct MI355X, 60,398).
pub const MAX_PACKAGE_TPP: i64 = 1_000_000;
/// Highest memory bandwidth density, GB/s per mm^2: about twice the densest HBM4 stack (2.8
/// TB/s at 11 Gb/s per pin over a 2048-bit interface, on no less than the 11 mm x 11 mm = 121
/// mm^2 footprint of an HBM3E stack: 23 GB/s per mm^2).
pub const MAX_BANDWIDTH_DENSITY: i64 = 50;
/// Lowest TPP per mm^2 of logic die area before a warning: a twentieth of the least dense
/// shipped accelerator (NVIDIA T4, 1.9).
pub const MIN_THROUGHPUT_DENSITY: &str = "0.1";
/// Lowest ratio of operations per second at the fastest precision to bytes per second of DRAM
/// bandwidth before a warning: the shipped chips do 74 (NVIDIA H20) to over 1,000; vector
/// processors built for bandwidth about 6 (NEC SX-Aurora, FP32).
pub const MIN_OPS_PER_BYTE: i64 = 4;
/// Lowest fastest dense figure of a chip before a warning, in TOPS.
pub const MIN_FASTEST_TOPS: i64 = 1;
/// Highest TPP per watt of power: about ten times the most energy-efficient shipped silicon
/// (NVIDIA B300: dense FP4 14 PFLOPS x 4 bits over 1,100 W, 51 per W; edge NPUs do 14 to 16,
/// the Google Coral Edge TPU 16).
pub const MAX_TPP_PER_WATT: i64 = 500;
/// Lowest TPP per watt before a warning: a fiftieth of the least efficient shipped accelerator
/// (NVIDIA H20, 5.9 per W).
pub const MIN_TPP_PER_WATT: &str = "0.1";

/// One finding of a plausibility check, whether or not the datasheet acknowledges it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Implausible {
    /// The check.
    pub check: Check,
    /// The field path.
    pub field: String,
    /// What is wrong and the likely slip.
    pub message: String,
    /// Whether it stops the datasheet from loading (else a `check` warning).
    pub error: bool,
}

fn area_text(x: &Exact) -> String {
    format!("{} mm^2", short(x))
}

/// A number for a message: the exact decimal when short, else six significant digits (in
/// scientific notation at any magnitude, `1.23457e308`; see [`crate::numfmt::table`]).
fn short(x: &Exact) -> String {
    match crate::numfmt::terminating(x) {
        Some(text) if text.len() <= 16 => text,
        _ => crate::numfmt::table(x),
    }
}

const X1000: &str =
    "is a throughput off by 1000 (a TOPS figure written with POPS or PFLOPS, or a GOPS figure with TOPS or TFLOPS)?";
const DIV1000: &str =
    "is a throughput off by 1000 (a POPS or PFLOPS figure written with TOPS or TFLOPS, or a TOPS figure with GOPS)?";

/// TPP under the default interpretation (bit length as in the name), and the field path of the
/// figure that sets the largest unit's TPP.
fn tpp_and_field(c: &Chip) -> (Exact, Option<String>) {
    let interp = Interpretation::default();
    let mut total = exact::int(0);
    // (TPP, field) of the largest contribution.
    let mut top: Option<(Exact, String)> = None;
    for (i, u) in c.compute.iter().enumerate() {
        let cands = unit_candidates(u, &interp);
        let Some(best) = cands.iter().max_by(|a, b| exact::cmp(&a.tpp.0, &b.tpp.0)) else {
            continue;
        };
        total = exact::add(&total, &best.tpp.0);
        let group = match best.from {
            DenseFrom::Dense => "dense",
            DenseFrom::Sparse { .. } => "sparse",
            DenseFrom::Microarchitecture => "macs_per_clock",
        };
        let field = format!("compute[{i}].{group}.{}", best.precision);
        if top.as_ref().is_none_or(|t| t.0 < best.tpp.0) {
            top = Some((best.tpp.0.clone(), field));
        }
    }
    (total, top.map(|(_, f)| f))
}

/// Total area of the logic dies, when every logic die gives its area (planar dies included:
/// this is about silicon, not about the rules' applicable area). `None` when there are no
/// logic dies or one lacks an area.
fn logic_area(c: &Chip) -> Option<Exact> {
    let dies = c.dies.as_ref()?;
    let mut sum = exact::int(0);
    let mut any = false;
    for d in dies.iter().filter(|d| d.role == DieRole::Logic) {
        let count = d.count.as_ref().map_or(1, |f| f.value.0);
        sum = exact::add(
            &sum,
            &exact::mul(&d.area.as_ref()?.value.canonical(), &exact::int(count as i64)),
        );
        any = true;
    }
    (any && sum > exact::int(0)).then_some(sum)
}

/// Every plausibility finding of a chip, acknowledged or not.
pub fn chip_findings(c: &Chip) -> Vec<Implausible> {
    let mut out = Vec::new();
    let mut push = |check: Check, field: String, message: String| {
        // Without dies, a package TPP is only a warning: the part may be wafer-scale.
        let error = check.is_error() && !(check == Check::ThroughputPackage && c.dies.is_none());
        out.push(Implausible {
            check,
            field,
            message,
            error,
        })
    };
    let reticle = exact::int(MAX_MONOLITHIC_DIE_MM2);
    let wafer = exact::int(WAFER_MM2);
    let mut wafer_scale = false;
    for (i, d) in c.dies.iter().flatten().enumerate() {
        let construction = d.construction.unwrap_or_default();
        wafer_scale |= construction == Construction::WaferScale;
        let Some(a) = &d.area else { continue };
        let mm2 = a.value.canonical();
        let field = format!("dies[{i}].area");
        if mm2 > wafer {
            push(
                Check::DieAreaWafer,
                field.clone(),
                format!(
                    "die area `{}` is larger than a 300 mm wafer ({WAFER_MM2} mm^2), so no die can have it: did you give cm^2 for mm^2 (`{}` if the number is in mm^2)? is this a package or board area?",
                    area_text(&mm2),
                    area_text(&(mm2.clone() / exact::int(100))),
                ),
            );
        } else if mm2 > reticle && construction == Construction::Monolithic {
            push(
                Check::DieAreaReticle,
                field.clone(),
                format!(
                    "die area `{}` is larger than a lithography reticle (26 mm x 33 mm = {RETICLE_MM2} mm^2; at most {MAX_MONOLITHIC_DIE_MM2} mm^2 with a margin) for a single die: did you give cm^2 for mm^2 (`{}` if the number is in mm^2)? is this a package area? is the die stitched across reticles or a whole wafer (then it says `construction: stitched` or `construction: wafer-scale`)?",
                    area_text(&mm2),
                    area_text(&(mm2.clone() / exact::int(100))),
                ),
            );
        }
        if d.role == DieRole::Logic && mm2 < exact::int(MIN_LOGIC_DIE_MM2) {
            push(
                Check::DieAreaMin,
                field,
                format!(
                    "logic die area `{}` is below {MIN_LOGIC_DIE_MM2} mm^2, smaller than any processor die: is the number in cm^2 (1 cm^2 = 100 mm^2, so `{}`)?",
                    area_text(&mm2),
                    area_text(&(mm2.clone() * exact::int(100))),
                ),
            );
        }
    }
    let max_clock_mhz = exact::int(MAX_CLOCK_GHZ * 1000);
    for (i, u) in c.compute.iter().enumerate() {
        if let Some(clock) = &u.clock {
            let mhz = clock.value.canonical();
            if mhz > max_clock_mhz {
                push(
                    Check::ClockMax,
                    format!("compute[{i}].clock"),
                    format!(
                        "clock `{} GHz` is above {MAX_CLOCK_GHZ} GHz, faster than any processor ships: did you give MHz as GHz (`{} MHz`)?",
                        short(&(mhz.clone() / exact::int(1000))),
                        short(&(mhz / exact::int(1000))),
                    ),
                );
            }
        }
    }
    let (tpp, top) = tpp_and_field(c);
    let Some(top_field) = top else {
        return out;
    };
    let area = logic_area(c);
    if let Some(area) = &area {
        let density = exact::div(&tpp, area);
        if density > exact::int(MAX_THROUGHPUT_DENSITY) {
            push(
                Check::ThroughputDensity,
                top_field.clone(),
                format!(
                    "TPP {} over {} of logic die area is {} per mm^2, above {MAX_THROUGHPUT_DENSITY} (about eight times the densest shipped silicon): {X1000} is a die area in cm^2 written with mm^2? is a sparse figure entered as dense?",
                    short(&tpp),
                    area_text(area),
                    short(&density),
                ),
            );
        }
        let floor = exact::parse_decimal(MIN_THROUGHPUT_DENSITY).expect("literal");
        if density < floor {
            push(
                Check::ThroughputDensityLow,
                top_field.clone(),
                format!(
                    "TPP {} over {} of logic die area is {} per mm^2, below {MIN_THROUGHPUT_DENSITY} (a twentieth of the least dense shipped accelerator): {DIV1000} is the area a package or board area?",
                    short(&tpp),
                    area_text(area),
                    short(&density),
                ),
            );
        }
    }
    if tpp > exact::int(MAX_PACKAGE_TPP) && !wafer_scale {
        push(
            Check::ThroughputPackage,
            top_field.clone(),
            format!(
                "TPP {} is above {MAX_PACKAGE_TPP}, more than any package of reticle-size dies delivers (about sixteen times the largest shipped one): {X1000} is the part wafer-scale (then its die says `construction: wafer-scale`)?",
                short(&tpp),
            ),
        );
    }
    // The fastest dense figure (most operations per second, whatever the bit length).
    let interp = Interpretation::default();
    let fastest = c
        .compute
        .iter()
        .flat_map(|u| unit_candidates(u, &interp))
        .map(|k| (k.dense.canonical(), k.precision.to_string()))
        .max_by(|a, b| exact::cmp(&a.0, &b.0));
    if let Some((tops, precision)) = fastest {
        if tops < exact::int(MIN_FASTEST_TOPS) {
            push(
                Check::ThroughputLow,
                top_field.clone(),
                format!(
                    "the fastest dense figure, `{} TOPS` ({precision}), is below {MIN_FASTEST_TOPS} TOPS: {DIV1000}",
                    short(&tops),
                ),
            );
        }
        let bandwidth = c.memory.as_ref().and_then(|m| m.bandwidth.as_ref());
        if let Some(bw) = bandwidth {
            // TOPS x 1000 = G operations per second, over GB/s.
            let gb_s = bw.value.canonical();
            if gb_s > exact::int(0) {
                let ops_per_byte = exact::div(&exact::mul(&tops, &exact::int(1000)), &gb_s);
                if ops_per_byte < exact::int(MIN_OPS_PER_BYTE) {
                    push(
                        Check::OpsPerByteLow,
                        top_field.clone(),
                        format!(
                            "the fastest dense figure, `{} TOPS` ({precision}), is {} operations per byte of DRAM bandwidth (`{}`), below {MIN_OPS_PER_BYTE} (processors do several operations per byte they move): {DIV1000} is the bandwidth in TB/s written with GB/s?",
                            short(&tops),
                            short(&ops_per_byte),
                            format_quantity(&bw.value),
                        ),
                    );
                }
            }
        }
        if let Some(link) = &c.interconnect {
            let gb_s = link.value.canonical();
            if gb_s > exact::int(0) {
                let ops_per_byte = exact::div(&exact::mul(&tops, &exact::int(1000)), &gb_s);
                if ops_per_byte < exact::int(MIN_OPS_PER_BYTE) {
                    push(
                        Check::OpsPerInterconnectByteLow,
                        top_field.clone(),
                        format!(
                            "the fastest dense figure, `{} TOPS` ({precision}), is {} operations per byte of interconnect (`{}`), below {MIN_OPS_PER_BYTE} (shipped chips do over 300 per byte they exchange): {DIV1000} is the interconnect in TB/s written with GB/s?",
                            short(&tops),
                            short(&ops_per_byte),
                            format_quantity(&link.value),
                        ),
                    );
                }
            }
        }
    }
    if let Some(power) = &c.power {
        let watts = power.value.canonical();
        if watts > exact::int(0) {
            let per_watt = exact::div(&tpp, &watts);
            if per_watt > exact::int(MAX_TPP_PER_WATT) {
                push(
                    Check::ThroughputPerWatt,
                    top_field.clone(),
                    format!(
                        "TPP {} over `{}` of power is {} per W, above {MAX_TPP_PER_WATT} per W (about ten times the most energy-efficient shipped silicon): {X1000} is the power in kW written with W, or in W written with mW?",
                        short(&tpp),
                        format_quantity(&power.value),
                        short(&per_watt),
                    ),
                );
            }
            let floor = exact::parse_decimal(MIN_TPP_PER_WATT).expect("literal");
            if per_watt < floor {
                push(
                    Check::ThroughputPerWattLow,
                    top_field,
                    format!(
                        "TPP {} over `{}` of power is {} per W, below {MIN_TPP_PER_WATT} per W (a fiftieth of the least efficient shipped accelerator): {DIV1000} is the power in W written with kW?",
                        short(&tpp),
                        format_quantity(&power.value),
                        short(&per_watt),
                    ),
                );
            }
        }
    }
    out
}

/// Every plausibility finding of a memory part, acknowledged or not.
pub fn memory_findings(m: &Memory) -> Vec<Implausible> {
    let mut out = Vec::new();
    let mm2 = m.area.value.canonical();
    if !m.packaged && mm2 > exact::int(MAX_MONOLITHIC_DIE_MM2) {
        out.push(Implausible {
            error: true,
            check: Check::DieAreaReticle,
            field: "area".into(),
            message: format!(
                "stack area `{}` is larger than a lithography reticle (26 mm x 33 mm = {RETICLE_MM2} mm^2; at most {MAX_MONOLITHIC_DIE_MM2} mm^2 with a margin), and a stack is no larger than its base die: did you give cm^2 for mm^2 (`{}` if the number is in mm^2)? is this a package area (then say `packaged: true`)?",
                area_text(&mm2),
                area_text(&(mm2.clone() / exact::int(100))),
            ),
        });
    }
    if mm2 < exact::int(MIN_LOGIC_DIE_MM2) {
        out.push(Implausible {
            error: true,
            check: Check::DieAreaMin,
            field: "area".into(),
            message: format!(
                "area `{}` is below {MIN_LOGIC_DIE_MM2} mm^2, smaller than any memory die: is the number in cm^2 (1 cm^2 = 100 mm^2, so `{}`)?",
                area_text(&mm2),
                area_text(&(mm2.clone() * exact::int(100))),
            ),
        });
    }
    if mm2 > exact::int(0) {
        let density = exact::div(&m.bandwidth.value.canonical(), &mm2);
        if density > exact::int(MAX_BANDWIDTH_DENSITY) {
            out.push(Implausible {
                error: true,
                check: Check::BandwidthDensity,
                field: "bandwidth".into(),
                message: format!(
                    "bandwidth `{}` over `{}` is {} GB/s per mm^2, above {MAX_BANDWIDTH_DENSITY} GB/s per mm^2 (about twice the densest HBM4 stack): is the bandwidth in GB/s written with TB/s? is the area one die's rather than the stack's or package's?",
                    format_quantity(&m.bandwidth.value),
                    area_text(&mm2),
                    short(&density),
                ),
            });
        }
    }
    out
}
