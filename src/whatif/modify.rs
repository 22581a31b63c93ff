//! Modified copies of a datasheet: what a "what if" changes. Used to verify answers by
//! re-classifying, and by sweeps over datasheet figures.

use crate::datasheet::{Figure, Part, ProcessingUnit};
use crate::exact::Exact;
use crate::units::{Area, Frequency, Quantity, Throughput};

fn scale_unit_figures(u: &mut ProcessingUnit, s: &Exact) {
    let scale = |f: &mut Figure<Throughput>| f.value = Throughput::from_canonical(f.value.canonical() * s);
    u.dense.values_mut().for_each(scale);
    u.sparse.values_mut().for_each(scale);
    if let Some(c) = &mut u.clock {
        c.value = Frequency::from_canonical(c.value.canonical() * s);
    }
}

/// A copy with every throughput figure (and every clock) of every processing unit scaled by `s`.
pub fn scale_throughput(part: &Part, s: &Exact) -> Part {
    let mut p = part.clone();
    if let Part::Chip(c) = &mut p {
        c.compute.iter_mut().for_each(|u| scale_unit_figures(u, s));
    }
    p
}

/// A copy with one processing unit's throughput (and clock) scaled by `s`: a clock change.
pub fn scale_unit(part: &Part, unit: usize, s: &Exact) -> Part {
    let mut p = part.clone();
    if let Part::Chip(c) = &mut p {
        if let Some(u) = c.compute.get_mut(unit) {
            scale_unit_figures(u, s);
        }
    }
    p
}

/// A copy with one processing unit's `count` set to `n`, its throughput scaled to match.
pub fn set_unit_count(part: &Part, unit: usize, n: u64) -> Part {
    let mut p = part.clone();
    if let Part::Chip(c) = &mut p {
        if let Some(u) = c.compute.get_mut(unit) {
            if let Some(count) = &mut u.count {
                let s = crate::exact::int(n as i64) / crate::exact::int(count.value.0 as i64);
                count.value.0 = n;
                let scale = |f: &mut Figure<Throughput>| f.value = Throughput::from_canonical(f.value.canonical() * &s);
                u.dense.values_mut().for_each(scale);
                u.sparse.values_mut().for_each(scale);
            }
        }
    }
    p
}

/// A copy with every die's area scaled by `s` (the applicable die area scales by `s`).
pub fn scale_die_area(part: &Part, s: &Exact) -> Part {
    let mut p = part.clone();
    if let Part::Chip(c) = &mut p {
        for d in c.dies.iter_mut().flatten() {
            if let Some(a) = &mut d.area {
                a.value = Area::from_canonical(a.value.canonical() * s);
            }
        }
    }
    p
}

/// A copy of `part` with one headroom figure set to `x` (the value a headroom line is drawn
/// over): used to check headroom answers by classifying the modified part. `None` when the
/// figure does not apply to the part.
pub fn with_figure(part: &Part, figure: &super::headroom::Figure, x: &Exact) -> Option<Part> {
    use super::headroom::Figure as F;
    use crate::rules::MetricKey;
    use crate::units::InformationRate;
    let mut p = part.clone();
    match (figure, &mut p) {
        (F::ThroughputScale, Part::Chip(_)) => Some(scale_throughput(part, x)),
        (F::Clock { unit, .. }, Part::Chip(c)) => {
            let clock0 = c.compute.get(*unit)?.clock.as_ref()?.value.canonical();
            Some(scale_unit(part, *unit, &(x / clock0)))
        }
        (F::UnitCount { unit, .. }, Part::Chip(_)) => {
            let n = x.to_integer();
            (x.is_integer() && n > num_bigint::BigInt::from(0))
                .then(|| set_unit_count(part, *unit, u64::try_from(n).unwrap_or(u64::MAX)))
        }
        (F::DieArea, Part::Chip(_)) => {
            // Scale every die alike; the applicable area scales with them.
            let applicable = crate::metrics::compute(part, &Default::default())
                .applicable_die_area?
                .known()?
                .canonical();
            // No die counts (all logic dies planar): scaling cannot reach any other area.
            if !num_traits::Signed::is_positive(&applicable) {
                return None;
            }
            Some(scale_die_area(part, &(x / applicable)))
        }
        (F::Metric(MetricKey::Interconnect), Part::Chip(c)) => {
            let mut f = c
                .interconnect
                .clone()
                .unwrap_or_else(|| Figure::reported(InformationRate::from_canonical(x.clone())));
            f.value = InformationRate::from_canonical(x.clone());
            c.interconnect = Some(f);
            Some(p)
        }
        (F::Metric(MetricKey::MemoryBandwidth), Part::Memory(m)) => {
            m.bandwidth.value = InformationRate::from_canonical(x.clone());
            Some(p)
        }
        (F::MemoryArea, Part::Memory(m)) => {
            m.area.value = Area::from_canonical(x.clone());
            Some(p)
        }
        _ => None,
    }
}
