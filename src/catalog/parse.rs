//! Reading one datasheet: the file shapes, and the checks that span several fields.

use super::plausible;
use crate::datasheet::*;
use crate::error::{Error, ErrorKind, Errors};
use crate::exact::{self, Exact};
use crate::units::{Area, Information, InformationRate, Power, Quantity, Throughput};
use crate::yaml;
use num_traits::Signed;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The typed read must agree with the kind the file was dispatched on (it always does after
/// [`peek_kind`]; the quick path of the catalog loader relies on this check).
fn same_kind(read: &str, expected: &str) -> Result<(), Error> {
    if read == expected {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Schema,
            format!("expected `kind: {expected}`, found `{read}`"),
        )
        .at_field("kind"))
    }
}

/// The kinds of YAML file tppcalc reads.
pub(crate) const KNOWN_KINDS: [&str; 8] = [
    "chip",
    "memory",
    "system",
    "rules",
    "countries",
    "cluster",
    "processes",
    "supercomputer",
];

#[derive(Deserialize)]
struct KindPeek {
    kind: Option<Scalar>,
}

/// The `kind` of a YAML document, checked before the document is read by its schema.
pub(crate) fn peek_kind(text: &str) -> Result<String, Error> {
    if text.trim().is_empty() {
        return Err(Error::new(
            ErrorKind::Schema,
            "empty file: expected a YAML mapping with a `kind` field",
        ));
    }
    // One scan checks the limits and finds `kind`; a known kind needs nothing more. Anything
    // else goes through the deserializer, which says precisely what it found.
    let outline = yaml::check_limits(text)?;
    if let Some(k) = outline.kind.filter(|k| KNOWN_KINDS.contains(&k.as_str())) {
        return Ok(k);
    }
    let peek: KindPeek = yaml::from_checked_str(text).map_err(|e| {
        if e.message.starts_with("invalid type") {
            Error {
                message: format!(
                    "expected a mapping with a `kind` field, found {}",
                    e.message
                        .trim_start_matches("invalid type: ")
                        .split(',')
                        .next()
                        .unwrap_or("something else")
                ),
                ..e
            }
        } else {
            e
        }
    })?;
    match peek.kind {
        Some(Scalar::Text(k)) => Ok(k),
        Some(other) => Err(Error::new(
            ErrorKind::Schema,
            format!("expected `kind` to be one of `chip`, `memory`, `system`, `rules`, found {other}"),
        )
        .at_field("kind")
        .at(yaml::locate(text, "kind"))),
        None => Err(Error::new(
            ErrorKind::Schema,
            "missing field `kind` (expected `chip`, `memory`, `system` or `rules`)",
        )),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChipFile {
    #[allow(dead_code)]
    kind: String,
    id: PartId,
    name: String,
    vendor: String,
    family: Option<String>,
    released: Option<Released>,
    datacenter: Option<Figure<bool>>,
    compute: Vec<ProcessingUnit>,
    dies: Option<Vec<Die>>,
    memory: Option<ChipMemory>,
    interconnect: Option<Figure<InformationRate>>,
    power: Option<Figure<Power>>,
    transistors: Option<Figure<Positive>>,
    #[serde(default)]
    sources: Vec<Source>,
    notes: Option<String>,
    #[serde(default, deserialize_with = "unique_map")]
    acknowledge: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemoryFile {
    #[allow(dead_code)]
    kind: String,
    id: PartId,
    name: String,
    vendor: String,
    family: Option<String>,
    released: Option<Released>,
    bandwidth: Figure<InformationRate>,
    area: Figure<Area>,
    #[serde(default)]
    packaged: bool,
    co_packaged_with_processor: Option<Figure<bool>>,
    capacity: Option<Figure<Information>>,
    #[serde(rename = "type")]
    memory_type: Option<String>,
    #[serde(default)]
    sources: Vec<Source>,
    notes: Option<String>,
    #[serde(default, deserialize_with = "unique_map")]
    acknowledge: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContainedFile {
    part: String,
    count: Option<Figure<Count>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SystemFile {
    #[allow(dead_code)]
    kind: String,
    id: PartId,
    name: String,
    vendor: String,
    family: Option<String>,
    released: Option<Released>,
    datacenter: Option<Figure<bool>>,
    contains: Vec<ContainedFile>,
    #[serde(default)]
    sources: Vec<Source>,
    notes: Option<String>,
}

/// A system's `contains` entry as written: a part id or a relative path, resolved by the catalog.
#[derive(Debug, Clone)]
pub(crate) struct PendingRef {
    pub index: usize,
    pub written: String,
}

/// Reads one datasheet (`kind: chip`, `memory` or `system`) from YAML text.
///
/// Every error carries the field path and, where the text has one, the line and column; the
/// caller adds the file name.
///
/// ```
/// use tppcalc::datasheet::{Origin, Part};
/// use tppcalc::catalog::parse_part;
/// let text = "kind: chip\nid: demo\nname: Demo\nvendor: ACME\ncompute:\n  - unit: NPU\n    dense: { int8: 600 TOPS }\n";
/// let part = parse_part(text, &Origin::Inline).unwrap();
/// assert!(matches!(part, Part::Chip(_)));
/// let bad = text.replace("600 TOPS", "600");
/// let err = parse_part(&bad, &Origin::Inline).unwrap_err();
/// assert_eq!(err.field.as_deref(), Some("compute[0].dense.int8"));
/// assert!(err.message.contains("expected a throughput such as `1979 TFLOPS`, found `600`"));
/// ```
pub fn parse_part(text: &str, origin: &Origin) -> Result<Part, Error> {
    // The first problem (a catalog load reports them all).
    let (part, _) = parse_part_refs(text, origin).map_err(|Errors(mut es)| es.remove(0))?;
    Ok(part)
}

pub(crate) fn parse_part_refs(text: &str, origin: &Origin) -> Result<(Part, Vec<PendingRef>), Errors> {
    let kind = peek_kind(text)?;
    parse_part_of_kind(text, &kind, origin)
}

/// As [`parse_part_refs`], for a text whose `kind` [`peek_kind`] has already read (and whose
/// limits it has checked).
/// Every cross-field problem is reported, not only the first; a file that does not
/// deserialize has one error (the deserializer stops there).
pub(crate) fn parse_part_of_kind(text: &str, kind: &str, origin: &Origin) -> Result<(Part, Vec<PendingRef>), Errors> {
    parse_part_from(text, kind, origin, None)
}

/// As [`parse_part_of_kind`], reading the fields from `twin` (the build-time JSON twin of an
/// embedded file) when it is given and deserializes, from `text` otherwise. Everything else
/// (digest, positions in errors, checks) works on `text`.
pub(crate) fn parse_part_from(
    text: &str,
    kind: &str,
    origin: &Origin,
    twin: Option<&str>,
) -> Result<(Part, Vec<PendingRef>), Errors> {
    fn read<T: serde::de::DeserializeOwned>(text: &str, twin: Option<&str>) -> Result<T, Error> {
        match twin.and_then(yaml::twin::read) {
            Some(value) => Ok(value),
            None => yaml::from_checked_str(text),
        }
    }
    let fail = |kind: ErrorKind, path: &str, message: String| {
        Error::new(kind, message).at_field(path).at(yaml::locate(text, path))
    };
    let source_problems = |part: &Part| -> Vec<Error> {
        source_ref_problems(part)
            .into_iter()
            .map(|(p, m)| fail(ErrorKind::UnknownReference, &p, m))
            .collect()
    };
    let meta = |id, name, vendor, family, released, sources, notes| Meta {
        id,
        name,
        vendor,
        family,
        released,
        sources,
        notes,
        origin: origin.clone(),
        digest: crate::digest::sha256_text(text),
        acknowledged: BTreeMap::new(),
    };
    // `acknowledge:` names checks; unknown names and empty reasons are errors.
    let acknowledged = |written: BTreeMap<String, String>, errors: &mut Vec<Error>| {
        let mut out = BTreeMap::new();
        for (name, reason) in written {
            let path = format!("acknowledge.{name}");
            match Check::parse(&name) {
                None => errors.push(fail(
                    ErrorKind::UnknownReference,
                    &path,
                    format!(
                        "unknown plausibility check `{name}`{}; the checks are {}",
                        Check::nearest(&name)
                            .map(|c| format!(" (did you mean `{c}`?)"))
                            .unwrap_or_default(),
                        Check::ALL
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
                Some(_) if reason.trim().is_empty() => errors.push(fail(
                    ErrorKind::Schema,
                    &path,
                    format!("expected a reason why the check `{name}` does not apply, such as `{name}: \"two dies stitched into one\"`, found an empty text"),
                )),
                Some(check) => {
                    out.insert(check, reason);
                }
            }
        }
        out
    };
    // Plausibility errors the datasheet does not acknowledge.
    let implausible = |findings: Vec<plausible::Implausible>, acked: &BTreeMap<Check, String>| {
        findings
            .into_iter()
            .filter(|f| f.error && !acked.contains_key(&f.check))
            .map(|f| {
                let message = format!(
                    "{} If the figure is right, say why with `acknowledge: {{ {}: \"<reason>\" }}`",
                    f.message, f.check
                );
                fail(ErrorKind::Implausible, &f.field, message)
            })
            .collect::<Vec<Error>>()
    };
    match kind {
        "chip" => {
            let f: ChipFile = read(text, twin)?;
            same_kind(&f.kind, kind)?;
            check_sources(&f.sources).map_err(|(p, m)| fail(ErrorKind::DuplicateId, &p, m))?;
            let mut errors = Vec::new();
            let mut chip_meta = meta(f.id, f.name, f.vendor, f.family, f.released, f.sources, f.notes);
            chip_meta.acknowledged = acknowledged(f.acknowledge, &mut errors);
            let chip = Chip {
                meta: chip_meta,
                datacenter: f.datacenter,
                compute: f.compute,
                dies: f.dies,
                memory: f.memory,
                interconnect: f.interconnect,
                power: f.power,
                transistors: f.transistors,
            };
            let problems = chip_problems(&chip);
            let consistent = problems.is_empty();
            errors.extend(problems.into_iter().map(|(k, p, m)| fail(k, &p, m)));
            if consistent {
                // Plausibility reads the figures together; only once they agree.
                errors.extend(implausible(plausible::chip_findings(&chip), &chip.meta.acknowledged));
            }
            let part = Part::Chip(chip);
            errors.extend(source_problems(&part));
            if !errors.is_empty() {
                return Err(Errors(errors));
            }
            Ok((part, vec![]))
        }
        "memory" => {
            let f: MemoryFile = read(text, twin)?;
            same_kind(&f.kind, kind)?;
            check_sources(&f.sources).map_err(|(p, m)| fail(ErrorKind::DuplicateId, &p, m))?;
            let mut errors = Vec::new();
            let mut memory_meta = meta(f.id, f.name, f.vendor, f.family, f.released, f.sources, f.notes);
            memory_meta.acknowledged = acknowledged(f.acknowledge, &mut errors);
            let memory = Memory {
                meta: memory_meta,
                bandwidth: f.bandwidth,
                area: f.area,
                packaged: f.packaged,
                co_packaged_with_processor: f.co_packaged_with_processor,
                capacity: f.capacity,
                memory_type: f.memory_type,
            };
            errors.extend(implausible(
                plausible::memory_findings(&memory),
                &memory.meta.acknowledged,
            ));
            let part = Part::Memory(memory);
            errors.extend(source_problems(&part));
            if !errors.is_empty() {
                return Err(Errors(errors));
            }
            Ok((part, vec![]))
        }
        "system" => {
            let f: SystemFile = read(text, twin)?;
            same_kind(&f.kind, kind)?;
            check_sources(&f.sources).map_err(|(p, m)| fail(ErrorKind::DuplicateId, &p, m))?;
            if f.contains.is_empty() {
                return Err(fail(
                    ErrorKind::Schema,
                    "contains",
                    "expected at least one contained part".into(),
                )
                .into());
            }
            let mut pending = Vec::new();
            let mut contains = Vec::new();
            for (i, c) in f.contains.iter().enumerate() {
                let id = match PartId::parse(&c.part) {
                    Ok(id) => id,
                    Err(_) => {
                        pending.push(PendingRef {
                            index: i,
                            written: c.part.clone(),
                        });
                        PartId(String::new())
                    }
                };
                contains.push(Contained {
                    part: id,
                    count: c.count.as_ref().map_or(1, |f| f.value.0),
                });
            }
            let part = Part::System(System {
                meta: meta(f.id, f.name, f.vendor, f.family, f.released, f.sources, f.notes),
                datacenter: f.datacenter,
                contains,
            });
            let errors = source_problems(&part);
            if !errors.is_empty() {
                return Err(Errors(errors));
            }
            Ok((part, pending))
        }
        "cluster" | "processes" | "supercomputer" => Err(Errors::from(
            Error::new(
                ErrorKind::Schema,
                format!("this is a `kind: {kind}` file, not a part datasheet"),
            )
            .at_field("kind")
            .at(yaml::locate(text, "kind")),
        )),
        "rules" => Err(Errors::from(
            Error::new(ErrorKind::Schema, "this is a rule set (`kind: rules`), not a datasheet")
                .at_field("kind")
                .at(yaml::locate(text, "kind")),
        )),
        other => Err(fail(
            ErrorKind::Schema,
            "kind",
            format!("unknown kind `{other}`, expected `chip`, `memory`, `system` or `rules`"),
        )
        .into()),
    }
}

fn check_sources(sources: &[Source]) -> Result<(), (String, String)> {
    for (i, s) in sources.iter().enumerate() {
        if sources[..i].iter().any(|o| o.id == s.id) {
            return Err((format!("sources[{i}].id"), format!("duplicate source id `{}`", s.id)));
        }
    }
    Ok(())
}

/// Every figure's `source` must name an entry under `sources:`.
/// Every figure whose `source` names no entry under `sources:`, as (field path, message).
fn source_ref_problems(part: &Part) -> Vec<(String, String)> {
    let known: Vec<&str> = part.meta().sources.iter().map(|s| s.id.as_str()).collect();
    let mut problems = Vec::new();
    for (path, prov) in provenances(part) {
        if let Some(src) = &prov.source {
            if !known.contains(&src.as_str()) {
                let list = if known.is_empty() {
                    "none".to_string()
                } else {
                    known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                };
                problems.push((
                    format!("{path}.source"),
                    format!("unknown source `{src}`; the file's `sources:` has {list}"),
                ));
            }
        }
    }
    problems
}

/// `|a - b| <= tolerance * |b|`, exactly.
pub(crate) fn within(a: &Exact, b: &Exact, tolerance: &Exact) -> bool {
    (a - b).abs() <= tolerance * b.abs()
}

fn sparsity_factor(u: &ProcessingUnit) -> Exact {
    u.sparsity_factor
        .as_ref()
        .map_or_else(|| exact::int(2), |f| f.value.0.clone())
}

/// Every cross-field problem of a chip (not only the first), as (kind, field path, message).
fn chip_problems(c: &Chip) -> Vec<(ErrorKind, String, String)> {
    let mut problems = Vec::new();
    if c.compute.is_empty() {
        problems.push((
            ErrorKind::Schema,
            "compute".into(),
            "expected at least one processing unit".into(),
        ));
    }
    let half_percent = exact::parse_decimal("0.005").expect("literal");
    let one_percent = exact::parse_decimal("0.01").expect("literal");
    for (i, u) in c.compute.iter().enumerate() {
        let micro_given = [u.count.is_some(), u.clock.is_some(), u.macs_per_clock.is_some()];
        if micro_given.iter().any(|&g| g) && !micro_given.iter().all(|&g| g) {
            let missing: Vec<&str> = ["count", "clock", "macs_per_clock"]
                .iter()
                .zip(micro_given)
                .filter(|(_, g)| !g)
                .map(|(n, _)| *n)
                .collect();
            problems.push((
                ErrorKind::Schema,
                format!("compute[{i}]"),
                format!(
                    "the microarchitecture form needs `count`, `clock` and `macs_per_clock` together; missing {}",
                    missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
                ),
            ));
            continue;
        }
        if u.dense.is_empty() && u.sparse.is_empty() && u.macs_per_clock.as_ref().is_none_or(|m| m.is_empty()) {
            problems.push((
                ErrorKind::Schema,
                format!("compute[{i}]"),
                "expected at least one throughput figure under `dense`, `sparse` or `macs_per_clock`".into(),
            ));
            continue;
        }
        let factor = sparsity_factor(u);
        for (p, s) in &u.sparse {
            if let Some(d) = u.dense.get(p) {
                let expected = d.value.canonical() * factor.clone();
                if !within(&s.value.canonical(), &expected, &half_percent) {
                    problems.push((
                        ErrorKind::Inconsistent,
                        format!("compute[{i}].sparse.{p}"),
                        format!(
                            "sparse figure `{}` is not {} x the dense figure `{}` (within 0.5%); expected about `{}`",
                            crate::units::format_quantity(&s.value),
                            crate::numfmt::exact(&factor),
                            crate::units::format_quantity(&d.value),
                            crate::units::format_quantity(&Throughput::from_canonical(expected)),
                        ),
                    ));
                }
            }
        }
        for (p, m) in u.macs_per_clock.iter().flatten() {
            let Some(md) = micro_dense(u, &m.value) else {
                continue;
            };
            let given = u
                .dense
                .get(p)
                .map(|d| d.value.canonical())
                .or_else(|| u.sparse.get(p).map(|s| s.value.canonical() / factor.clone()));
            if let Some(given) = given {
                if !within(&md.canonical(), &given, &one_percent) {
                    problems.push((
                        ErrorKind::Inconsistent,
                        format!("compute[{i}].macs_per_clock.{p}"),
                        format!(
                            "2 x count x clock x macs_per_clock gives `{}`, but the datasheet's dense `{p}` is `{}` (they must agree within 1%)",
                            crate::units::format_quantity(&md),
                            crate::units::format_quantity(&Throughput::from_canonical(given)),
                        ),
                    ));
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shipped datasheet has a JSON twin that deserializes on its own (so the fast route
    /// is taken), and both routes give the same part.
    #[test]
    fn json_twins_of_shipped_datasheets_read_the_same_as_the_yaml() {
        let mut n = 0;
        for (path, text) in crate::embedded::FILES {
            let Some(kind) = yaml::quick::kind(text, &["chip", "memory", "system"]) else {
                continue;
            };
            let twin = yaml::twin::of(path).unwrap_or_else(|| panic!("{path}: no twin"));
            let deserializes = match kind {
                "chip" => yaml::twin::read::<ChipFile>(twin).is_some(),
                "memory" => yaml::twin::read::<MemoryFile>(twin).is_some(),
                _ => yaml::twin::read::<SystemFile>(twin).is_some(),
            };
            assert!(deserializes, "{path}: the twin does not deserialize");
            let origin = Origin::Embedded(path);
            let from_yaml = parse_part_from(text, kind, &origin, None).unwrap();
            let from_twin = parse_part_from(text, kind, &origin, Some(twin)).unwrap();
            assert_eq!(from_yaml.0, from_twin.0, "{path}");
            assert_eq!(from_yaml.1.len(), from_twin.1.len(), "{path}");
            n += 1;
        }
        assert!(n >= 60, "only {n} datasheets checked");
    }
}
