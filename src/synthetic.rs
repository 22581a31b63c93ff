//! A deterministic generator of realistic synthetic datasheets, for benchmarks and scale runs.
//!
//! The same seed gives the same files on every platform. The datasheets look like the shipped
//! catalog's: one or two processing units with four to seven precisions, sparse or dense
//! figures, dies with provenance, memory, interconnect, sources; about one in ten leaves out
//! the die area or the datacenter flag, so `indeterminate` verdicts occur as they do in life.

use fastrand::Rng;
use std::fmt::Write;

/// One generated datasheet: its file name and YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// `synthetic-000042.yaml`.
    pub file_name: String,
    /// The datasheet.
    pub text: String,
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

/// A number with `decimals` decimals between `lo` and `hi` (as written in a datasheet).
fn figure(rng: &mut Rng, lo: f64, hi: f64, decimals: usize) -> String {
    let x = lo + (hi - lo) * rng.f64();
    format!("{x:.decimals$}")
}

/// Generates datasheet number `index` of the stream for `seed`.
///
/// ```
/// use tppcalc::synthetic::generate;
/// let a = generate(7, 3);
/// assert_eq!(a, generate(7, 3));
/// let part = tppcalc::catalog::parse_part(&a.text, &tppcalc::datasheet::Origin::Inline).unwrap();
/// assert_eq!(part.id().0, "synthetic-000003");
/// ```
pub fn generate(seed: u64, index: u64) -> Generated {
    let mut rng = Rng::with_seed(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index);
    let id = format!("synthetic-{index:06}");
    let mut s = String::with_capacity(2048);
    let vendor = pick(&mut rng, &["Acme", "Globex", "Initech", "Umbrella", "Hooli"]);
    let _ = writeln!(
        s,
        "kind: chip\nid: {id}\nname: {vendor} SX-{index}\nvendor: {vendor}\nfamily: Synthetic"
    );
    let _ = writeln!(s, "released: \"{}-{:02}\"", rng.u32(2019..2027), rng.u32(1..13));
    if rng.u8(..10) != 0 {
        let _ = writeln!(s, "datacenter: {{ value: {}, source: brief }}", rng.bool());
    }
    let _ = writeln!(s, "compute:");
    let units = if rng.u8(..5) == 0 { 2 } else { 1 };
    // TPP of the chip: every unit's precisions are on one ladder, so each gives 16 x dense fp16.
    let mut tpp = 0.0;
    for u in 0..units {
        // Peak dense fp16 from 20 to 2500 TFLOPS; other precisions derived by the usual ratios.
        let fp16: f64 = 20.0 + 2480.0 * rng.f64().powi(2);
        tpp += 16.0 * fp16;
        let sparse = rng.bool();
        let _ = writeln!(
            s,
            "  - unit: {}",
            if u == 0 { "Matrix engines" } else { "Vector cores" }
        );
        let key = if sparse { "sparse" } else { "dense" };
        let scale = if sparse { 2.0 } else { 1.0 };
        let _ = writeln!(s, "    {key}:");
        let _ = writeln!(s, "      fp16: {{ value: {:.1} TFLOPS, source: brief }}", fp16 * scale);
        let _ = writeln!(s, "      bf16: {{ value: {:.1} TFLOPS, source: brief }}", fp16 * scale);
        if rng.bool() {
            let _ = writeln!(
                s,
                "      fp8: {{ value: {:.1} TFLOPS, source: brief }}",
                2.0 * fp16 * scale
            );
            let _ = writeln!(
                s,
                "      int8: {{ value: {:.1} TOPS, source: brief }}",
                2.0 * fp16 * scale
            );
        }
        let _ = writeln!(
            s,
            "      tf32: {{ value: {:.1} TFLOPS, source: whitepaper, basis: derived }}",
            fp16 * scale / 2.0
        );
        if rng.bool() {
            let _ = writeln!(
                s,
                "      int4: {{ value: {:.1} TOPS, source: brief, basis: estimated }}",
                4.0 * fp16 * scale
            );
        }
        if !sparse {
            let _ = writeln!(s, "      fp64: {{ value: {:.2} TFLOPS, source: brief }}", fp16 / 16.0);
        }
    }
    if rng.u8(..10) != 0 {
        let _ = writeln!(s, "dies:");
        let chiplets = rng.u8(..4) == 0;
        if chiplets {
            let _ = writeln!(
                s,
                "  - {{ name: XCD, role: logic, transistor: finfet, process: N5, function: compute, area: {{ value: {} mm^2, source: die-shot, basis: estimated }}, count: {{ value: 8, source: brief }} }}",
                figure(&mut rng, 80.0, 160.0, 1)
            );
            let _ = writeln!(
                s,
                "  - {{ name: IOD, role: logic, transistor: finfet, process: N6, function: io, area: {{ value: {} mm^2, source: die-shot, basis: estimated }}, count: {{ value: 4, source: brief }} }}",
                figure(&mut rng, 250.0, 400.0, 1)
            );
        } else {
            let _ = writeln!(
                s,
                "  - {{ name: Die, role: logic, transistor: {}, process: {}, area: {{ value: {} mm^2, source: whitepaper }} }}",
                pick(&mut rng, &["finfet", "finfet", "finfet", "gaafet"]),
                pick(&mut rng, &["TSMC N7", "TSMC N5", "TSMC 4N", "Samsung 8LPP", "SMIC N+2"]),
                // At least TPP / 180 mm^2, so the performance density stays physical (the
                // plausibility bound is 200 per mm^2).
                figure(&mut rng, (tpp / 180.0).max(150.0), 850.0, 1)
            );
        }
    }
    let _ = writeln!(
        s,
        "memory: {{ type: HBM3, capacity: {{ value: {} GB, source: brief }}, bandwidth: {{ value: {} TB/s, source: brief }} }}",
        rng.u32(16..193),
        figure(&mut rng, 0.3, 8.0, 2)
    );
    if rng.u8(..10) != 0 {
        let _ = writeln!(
            s,
            "interconnect: {{ value: {} GB/s, source: brief }}",
            pick(&mut rng, &["64", "128", "300", "400", "600", "900", "1800"])
        );
    }
    // At least TPP / 400 W, so the TPP per watt stays physical (the plausibility bound is 500).
    let _ = writeln!(
        s,
        "power: {{ value: {} W, source: brief }}",
        rng.u32(75..1200).max((tpp / 400.0).ceil() as u32)
    );
    let _ = writeln!(
        s,
        "transistors: {{ value: {}e9, source: whitepaper }}",
        rng.u32(10..210)
    );
    let _ = writeln!(s, "sources:\n  - id: brief\n    title: {vendor} SX-{index} product brief (synthetic)\n    url: https://example.com/{id}");
    let _ = writeln!(
        s,
        "  - id: whitepaper\n    title: {vendor} architecture whitepaper (synthetic)"
    );
    let _ = writeln!(s, "  - id: die-shot\n    title: Die-shot analysis (synthetic)");
    let _ = writeln!(
        s,
        "notes: Synthetic datasheet generated by tppcalc for benchmarks (seed {seed}); not a real product."
    );
    Generated {
        file_name: format!("{id}.yaml"),
        text: s,
    }
}

/// Generates `count` datasheets for `seed`.
pub fn generate_many(seed: u64, count: u64) -> impl Iterator<Item = Generated> {
    (0..count).map(move |i| generate(seed, i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::parse_part;
    use crate::datasheet::Origin;

    #[test]
    fn every_generated_datasheet_loads() {
        for g in generate_many(1, 500) {
            parse_part(&g.text, &Origin::Inline).unwrap_or_else(|e| panic!("{}: {e}\n{}", g.file_name, g.text));
        }
    }

    #[test]
    fn the_stream_depends_only_on_the_seed() {
        assert_eq!(generate(5, 10), generate(5, 10));
        assert_ne!(generate(5, 10).text, generate(6, 10).text);
    }
}
