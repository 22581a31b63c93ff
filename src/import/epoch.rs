//! Epoch AI's Machine Learning Hardware dataset (CSV) to datasheets.
//!
//! The dataset (<https://epoch.ai/data/machine-learning-hardware>, CC BY) has one row per
//! accelerator, and writes each column's unit in its header in SI base units:
//! `FP8 performance (FLOP/s)`, `Memory bandwidth (byte/s)`, `TDP (W)`. The importer reads the
//! unit from the header, so a column in another scale (`(TFLOP/s)`, `(GB/s)`) converts too, and
//! a known column in a unit it cannot convert stops the import rather than being misread.
//!
//! Each row becomes one `kind: chip` datasheet:
//!
//! | column | datasheet |
//! |---|---|
//! | `Hardware name`, `Manufacturer` | `name`, `vendor`, and the `id` (slug of both, unique) |
//! | `Type` | the processing unit's name (`GPU`, `TPU`, ...) |
//! | `Release date` | `released` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) |
//! | `FP64 (double precision) performance`, `FP32 (single precision) performance`, `TF32 (TensorFloat-32) performance`, `Tensor-FP16/BF16 performance`, `FP16 (half precision) performance`, `FP8 performance`, `FP4 performance` (FLOP/s) | `compute[0].dense`: `fp64`, `fp32`, `tf32`, `bf16`, `fp16`, `fp8`, `fp4` in TFLOPS |
//! | `INT8 performance`, `INT4 performance` (OP/s) | `int8`, `int4` in TOPS |
//! | `Memory` or `Memory size per board` (bytes), `Memory bandwidth` (byte/s) | `memory.capacity`, `memory.bandwidth` |
//! | `TDP` (W) | `power` |
//! | `Process size` (nm), `Notes` | `notes` |
//! | `Link to datasheet` | a second entry under `sources` |
//!
//! Conversions are exact: `1.979e15` FLOP/s is written `1979 TFLOPS`, never a rounded float.
//! Every figure cites the source `epoch-ml-hardware` with basis `estimated` (a third-party
//! compilation; check it against the vendor's datasheet and change the basis to `reported`).
//! Throughputs are entered as dense (no sparsity): if a figure were a sparse one, TPP comes out
//! too high, never too low, so the error is on the side of control.
//!
//! Left out, because the dataset does not say them in the terms the rules use: die areas and
//! transistor types (`dies`), the datacenter flag, and `interconnect` (the dataset's intranode
//! bandwidth has no stated direction convention; the rules read the aggregate bidirectional
//! rate). Verdicts that depend on them are `indeterminate` and name them, as they should.
//!
//! A row that cannot be converted (empty name or manufacturer, a figure that is not a number
//! or is negative, no throughput at all, a malformed date) is reported with its line and
//! reason and skipped; the other rows are still converted. Zero figures are left out (the
//! format has no zero throughput, and a zero never raises TPP). Unknown columns are ignored
//! and listed.

use super::writer::Writer;
use super::ImportError;
use crate::catalog::parse_part;
use crate::datasheet::{Origin, PartId};
use crate::error::{Error, ErrorKind, Location};
use crate::exact::{self, Exact};
use num_traits::{Signed, Zero};
use std::collections::BTreeSet;

/// The source id every imported figure cites.
pub const SOURCE_ID: &str = "epoch-ml-hardware";
/// The dataset's title.
pub const SOURCE_TITLE: &str = "Epoch AI, Machine Learning Hardware dataset";
/// The dataset's page.
pub const SOURCE_URL: &str = "https://epoch.ai/data/machine-learning-hardware";

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Manufacturer,
    Type,
    Released,
    /// A throughput, by precision key; `true` for integer (OP/s) columns.
    Throughput(&'static str, bool),
    Capacity,
    Bandwidth,
    Power,
    Process,
    Link,
    Notes,
}

/// Known columns by name (the header without its unit).
const COLUMNS: &[(&str, Field)] = &[
    ("Hardware name", Field::Name),
    ("Manufacturer", Field::Manufacturer),
    ("Type", Field::Type),
    ("Release date", Field::Released),
    ("FP64 (double precision) performance", Field::Throughput("fp64", false)),
    ("FP32 (single precision) performance", Field::Throughput("fp32", false)),
    ("TF32 (TensorFloat-32) performance", Field::Throughput("tf32", false)),
    ("Tensor-FP16/BF16 performance", Field::Throughput("bf16", false)),
    ("FP16 (half precision) performance", Field::Throughput("fp16", false)),
    ("FP8 performance", Field::Throughput("fp8", false)),
    ("FP4 performance", Field::Throughput("fp4", false)),
    ("INT8 performance", Field::Throughput("int8", true)),
    ("INT4 performance", Field::Throughput("int4", true)),
    ("Memory", Field::Capacity),
    ("Memory size per board", Field::Capacity),
    ("Memory bandwidth", Field::Bandwidth),
    ("TDP", Field::Power),
    ("Process size", Field::Process),
    ("Link to datasheet", Field::Link),
    ("Notes", Field::Notes),
];

/// Units a header may carry, per kind of field, as a power of ten to the datasheet's unit.
fn unit_scale(field: Field, unit: Option<&str>) -> Option<i64> {
    match (field, unit) {
        (Field::Throughput(..), Some(u)) => match u {
            "FLOP/s" | "OP/s" | "FLOPS" | "OPS" => Some(-12),
            "GFLOP/s" | "GOP/s" | "GFLOPS" | "GOPS" => Some(-3),
            "TFLOP/s" | "TOP/s" | "TFLOPS" | "TOPS" => Some(0),
            "PFLOP/s" | "POP/s" | "PFLOPS" | "POPS" => Some(3),
            _ => None,
        },
        (Field::Capacity, Some(u)) => match u {
            "bytes" | "byte" | "Byte" | "Bytes" | "B" => Some(-9),
            "GB" => Some(0),
            "TB" => Some(3),
            _ => None,
        },
        (Field::Bandwidth, Some(u)) => match u {
            "byte/s" | "bytes/s" | "Byte/s" | "B/s" => Some(-9),
            "GB/s" => Some(0),
            "TB/s" => Some(3),
            _ => None,
        },
        (Field::Power, Some("W")) => Some(0),
        (Field::Power, Some("kW")) => Some(3),
        (Field::Process, Some("nm")) => Some(0),
        (Field::Throughput(..) | Field::Capacity | Field::Bandwidth | Field::Power | Field::Process, _) => None,
        (_, None) => Some(0),
        (_, Some(_)) => None,
    }
}

/// `FP8 performance (FLOP/s)` -> (`FP8 performance`, `FLOP/s`).
fn split_header(h: &str) -> (&str, Option<&str>) {
    let h = h.trim();
    match (h.ends_with(')'), h.rfind(" (")) {
        (true, Some(i)) => (&h[..i], Some(&h[i + 2..h.len() - 1])),
        _ => (h, None),
    }
}

/// A column the importer reads.
#[derive(Debug, Clone)]
struct Column {
    index: usize,
    header: String,
    field: Field,
    scale: i64,
}

/// One datasheet made from one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Datasheet {
    /// The part id.
    pub id: String,
    /// A file name for it: `<id>.yaml`.
    pub file_name: String,
    /// The row's line in the CSV file (the header is line 1).
    pub line: usize,
    /// The datasheet, as YAML text.
    pub yaml: String,
}

/// The result of an import.
#[derive(Debug, Clone, Default)]
pub struct Import {
    /// One datasheet per converted row, in row order.
    pub datasheets: Vec<Datasheet>,
    /// One error per row that could not be converted, in row order.
    pub errors: Vec<Error>,
    /// Data rows read.
    pub rows: usize,
    /// Headers the importer does not read.
    pub ignored_columns: Vec<String>,
}

/// Converts the dataset's CSV text. `Err` when the file as a whole cannot be read (no header,
/// a required column missing, a known column in a unit it cannot convert); row problems are
/// in [`Import::errors`].
///
/// ```
/// use tppcalc::import::epoch;
/// let csv = "Hardware name,Manufacturer,Type,FP8 performance (FLOP/s),Memory bandwidth (byte/s)\n\
///            X1,ACME,GPU,1.979e15,3.35e12\n\
///            X2,ACME,GPU,lots,\n";
/// let out = epoch::convert(csv.as_bytes()).unwrap();
/// assert_eq!(out.datasheets.len(), 1);
/// assert_eq!(out.datasheets[0].id, "acme-x1");
/// assert!(out.datasheets[0].yaml.contains("fp8: { value: 1979 TFLOPS, source: epoch-ml-hardware, basis: estimated }"));
/// assert!(out.datasheets[0].yaml.contains("bandwidth: { value: 3350 GB/s"));
/// assert_eq!(out.errors.len(), 1);
/// assert!(out.errors[0].message.contains("row 2 (`X2`)"));
/// ```
pub fn convert(csv: &[u8]) -> Result<Import, Error> {
    let mut reader = ::csv::ReaderBuilder::new().flexible(false).from_reader(csv);
    let headers = reader
        .headers()
        .map_err(|e| Error::new(ErrorKind::Syntax, format!("cannot read the CSV header: {e}")))?
        .clone();
    let mut columns = Vec::new();
    let mut ignored = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (index, header) in headers.iter().enumerate() {
        let (name, unit) = split_header(header);
        let Some(&(_, field)) = COLUMNS.iter().find(|(n, _)| *n == name) else {
            ignored.push(header.to_string());
            continue;
        };
        let Some(scale) = unit_scale(field, unit) else {
            return Err(Error::new(
                ErrorKind::Schema,
                format!(
                    "column `{header}`: unit `{}` cannot be converted (expected e.g. `{}`)",
                    unit.unwrap_or(""),
                    example_unit(field)
                ),
            )
            .at(Some(Location {
                line: 1,
                column: index + 1,
            })));
        };
        if !seen.insert(name) {
            return Err(Error::new(ErrorKind::Schema, format!("column `{name}` appears twice")));
        }
        columns.push(Column {
            index,
            header: header.to_string(),
            field,
            scale,
        });
    }
    // Two spellings of the same figure would collide.
    if seen.contains("Memory") && seen.contains("Memory size per board") {
        return Err(Error::new(
            ErrorKind::Schema,
            "columns `Memory` and `Memory size per board` both give the capacity; keep one",
        ));
    }
    for required in ["Hardware name", "Manufacturer"] {
        if !seen.contains(required) {
            return Err(Error::new(
                ErrorKind::Schema,
                format!("missing column `{required}` (expected Epoch AI's ML hardware CSV)"),
            ));
        }
    }
    if !columns.iter().any(|c| matches!(c.field, Field::Throughput(..))) {
        return Err(Error::new(
            ErrorKind::Schema,
            "no performance column such as `FP8 performance (FLOP/s)`: nothing to compute TPP from",
        ));
    }

    let mut out = Import {
        ignored_columns: ignored,
        ..Default::default()
    };
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for record in reader.records() {
        out.rows += 1;
        let row = out.rows;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                out.errors.push(
                    Error::new(ErrorKind::Syntax, format!("row {row}: {}", csv_reason(&e)))
                        .at(line.map(|line| Location { line, column: 1 })),
                );
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(row + 1);
        let cell = |f: Field| -> Option<(&Column, &str)> {
            columns
                .iter()
                .find(|c| c.field == f)
                .map(|c| (c, record.get(c.index).unwrap_or("").trim()))
        };
        let name = cell(Field::Name).map(|(_, v)| v).unwrap_or("");
        match convert_row(&columns, &record, row, &mut ids) {
            Ok((id, yaml)) => {
                out.datasheets.push(Datasheet {
                    file_name: format!("{id}.yaml"),
                    id,
                    line,
                    yaml,
                });
            }
            Err(reason) => {
                let who = if name.is_empty() {
                    String::new()
                } else {
                    format!(" (`{name}`)")
                };
                out.errors.push(
                    Error::new(ErrorKind::Value, format!("row {row}{who}: {reason}"))
                        .at(Some(Location { line, column: 1 })),
                );
            }
        }
    }
    Ok(out)
}

fn example_unit(f: Field) -> &'static str {
    match f {
        Field::Throughput(_, false) => "FLOP/s",
        Field::Throughput(_, true) => "OP/s",
        Field::Capacity => "bytes",
        Field::Bandwidth => "byte/s",
        Field::Power => "W",
        Field::Process => "nm",
        _ => "no unit",
    }
}

fn csv_reason(e: &::csv::Error) -> String {
    match e.kind() {
        ::csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("expected {expected_len} fields as in the header, found {len}")
        }
        ::csv::ErrorKind::Utf8 { .. } => "invalid UTF-8: expected a UTF-8 text file".to_string(),
        _ => e.to_string().to_lowercase(),
    }
}

/// A lowercase id from free text: ASCII letters and digits, other runs become `-`.
fn slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

/// The part id: the manufacturer's and the name's slugs (the manufacturer once, when the name
/// already starts with it), made unique with `-2`, `-3`, ...
fn unique_id(manufacturer: &str, name: &str, ids: &mut BTreeSet<String>) -> Result<String, ImportError> {
    let (m, n) = (slug(manufacturer), slug(name));
    let base = if n == m || n.starts_with(&format!("{m}-")) {
        n
    } else {
        format!("{m}-{n}").trim_matches('-').to_string()
    };
    if base.is_empty() {
        return Err(ImportError::NoIdLetters);
    }
    let base: String = base
        .chars()
        .take(120)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string();
    let mut id = base.clone();
    let mut k = 2;
    while ids.contains(&id) {
        id = format!("{base}-{k}");
        k += 1;
    }
    PartId::parse(&id)?;
    ids.insert(id.clone());
    Ok(id)
}

/// A figure in the datasheet's unit, exactly: the cell's decimal times 10^scale. `None` for an
/// empty cell or zero.
fn figure(col: &Column, cell: &str) -> Result<Option<Exact>, ImportError> {
    if cell.is_empty() {
        return Ok(None);
    }
    let x = exact::parse_decimal(cell).map_err(|source| ImportError::NotANumber {
        column: col.header.clone(),
        found: cell.to_string(),
        source,
    })?;
    if x.is_negative() {
        return Err(ImportError::Negative {
            column: col.header.clone(),
            found: cell.to_string(),
        });
    }
    if x.is_zero() {
        return Ok(None);
    }
    Ok(Some(exact::scale10(x, col.scale)))
}

/// `2022-03-22`, `2022-03-22 00:00:00`, `2022-03` or `2022`.
fn release_date(cell: &str) -> Result<Option<String>, ImportError> {
    if cell.is_empty() {
        return Ok(None);
    }
    let date = cell.split([' ', 'T']).next().unwrap_or(cell);
    let parts: Vec<&str> = date.split('-').collect();
    let ok = matches!(parts.len(), 1..=3)
        && parts[0].len() == 4
        && parts.iter().skip(1).all(|p| p.len() == 2)
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(Some(date.to_string()))
    } else {
        Err(ImportError::ReleaseDate {
            found: cell.to_string(),
        })
    }
}

fn convert_row(
    columns: &[Column],
    record: &::csv::StringRecord,
    row: usize,
    ids: &mut BTreeSet<String>,
) -> Result<(String, String), ImportError> {
    let get = |f: Field| -> Option<(&Column, &str)> {
        columns
            .iter()
            .find(|c| c.field == f)
            .map(|c| (c, record.get(c.index).unwrap_or("").trim()))
    };
    // A datasheet refuses control characters and hidden line breaks: a cell that holds one
    // cannot become one.
    for c in columns {
        if let Some(what) = record.get(c.index).and_then(crate::yaml::refused_in_text) {
            return Err(ImportError::RefusedText {
                column: c.header.clone(),
                what,
            });
        }
    }
    let text = |f: Field| get(f).map(|(_, v)| v).unwrap_or("");
    let name = text(Field::Name);
    let manufacturer = text(Field::Manufacturer);
    if name.is_empty() {
        return Err(ImportError::EmptyColumn {
            column: "Hardware name",
        });
    }
    if manufacturer.is_empty() {
        return Err(ImportError::EmptyColumn { column: "Manufacturer" });
    }
    let released = release_date(text(Field::Released))?;

    let mut dense: Vec<(&str, String)> = Vec::new();
    for c in columns {
        if let Field::Throughput(precision, integer) = c.field {
            if let Some(x) = figure(c, record.get(c.index).unwrap_or("").trim())? {
                let unit = if integer { "TOPS" } else { "TFLOPS" };
                dense.push((precision, format!("{} {unit}", crate::numfmt::exact(&x))));
            }
        }
    }
    if dense.is_empty() {
        return Err(ImportError::NoThroughput);
    }
    let quantity = |f: Field, unit: &str| -> Result<Option<String>, ImportError> {
        match get(f) {
            Some((c, v)) => Ok(figure(c, v)?.map(|x| format!("{} {unit}", crate::numfmt::exact(&x)))),
            None => Ok(None),
        }
    };
    let capacity = quantity(Field::Capacity, "GB")?;
    let bandwidth = quantity(Field::Bandwidth, "GB/s")?;
    let power = quantity(Field::Power, "W")?;
    let process = match get(Field::Process) {
        Some((c, v)) => figure(c, v)?.map(|x| crate::numfmt::exact(&x)),
        None => None,
    };
    let link = text(Field::Link);
    let unit = match text(Field::Type) {
        "" => "accelerator",
        t => t,
    };
    let id = unique_id(manufacturer, name, ids)?;

    let mut w = Writer::default();
    w.text(0, "kind", "chip");
    w.text(0, "id", &id);
    w.text(0, "name", name);
    w.text(0, "vendor", manufacturer);
    if let Some(r) = &released {
        w.text(0, "released", r);
    }
    w.open(0, "compute");
    w.item_text(1, "unit", unit);
    w.open(2, "dense");
    for (precision, value) in &dense {
        w.figure(3, precision, value, SOURCE_ID, "estimated");
    }
    if capacity.is_some() || bandwidth.is_some() {
        w.open(0, "memory");
        if let Some(c) = &capacity {
            w.figure(1, "capacity", c, SOURCE_ID, "estimated");
        }
        if let Some(b) = &bandwidth {
            w.figure(1, "bandwidth", b, SOURCE_ID, "estimated");
        }
    }
    if let Some(p) = &power {
        w.figure(0, "power", p, SOURCE_ID, "estimated");
    }
    w.open(0, "sources");
    w.item_text(1, "id", SOURCE_ID);
    w.text(2, "title", SOURCE_TITLE);
    w.text(2, "url", SOURCE_URL);
    w.text(
        2,
        "note",
        &format!("CC BY; CSV data row {row}, converted by `tppcalc import epoch`"),
    );
    if !link.is_empty() {
        w.item_text(1, "id", "datasheet");
        w.text(
            2,
            "title",
            &format!("Datasheet of the {name}, as linked from the Epoch AI dataset"),
        );
        w.text(2, "url", link);
    }
    let mut notes = String::from(
        "Imported from Epoch AI's Machine Learning Hardware dataset. Throughputs are entered as dense \
         (no sparsity), as listed there; check them against the vendor datasheet. The dataset has no \
         die areas, transistor types, datacenter flag or bidirectional interconnect rate: add \
         `dies`, `datacenter` and `interconnect` for a decided verdict.",
    );
    if let Some(p) = &process {
        notes.push_str(&format!(" Process size: {p} nm."));
    }
    let epoch_notes = text(Field::Notes);
    if !epoch_notes.is_empty() {
        notes.push_str(&format!(" Epoch notes: {epoch_notes}"));
    }
    w.text(0, "notes", &notes);
    let yaml = w.finish();
    // Every datasheet written must load: read it back with the datasheet parser.
    parse_part(&yaml, &Origin::Inline).map_err(|e| {
        ids.remove(&id);
        ImportError::DoesNotLoad(Box::new(e))
    })?;
    Ok((id, yaml))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_split_into_name_and_unit() {
        assert_eq!(
            split_header("FP64 (double precision) performance (FLOP/s)"),
            ("FP64 (double precision) performance", Some("FLOP/s"))
        );
        assert_eq!(split_header("Hardware name"), ("Hardware name", None));
        assert_eq!(split_header(" TDP (W) "), ("TDP", Some("W")));
    }

    #[test]
    fn ids_are_slugs_and_unique() {
        let mut ids = BTreeSet::new();
        assert_eq!(
            unique_id("NVIDIA", "NVIDIA H100 SXM5", &mut ids).unwrap(),
            "nvidia-h100-sxm5"
        );
        assert_eq!(
            unique_id("NVIDIA", "H100 SXM5", &mut ids).unwrap(),
            "nvidia-h100-sxm5-2"
        );
        assert_eq!(unique_id("Google", "TPU v5e", &mut ids).unwrap(), "google-tpu-v5e");
        assert_eq!(
            unique_id("AMD", "Instinct MI300X (OAM)", &mut ids).unwrap(),
            "amd-instinct-mi300x-oam"
        );
        assert!(unique_id("???", "!!!", &mut ids).is_err());
    }

    #[test]
    fn figures_scale_exactly() {
        let col = |scale| Column {
            index: 0,
            header: "h".into(),
            field: Field::Power,
            scale,
        };
        let d = |s: &str| exact::parse_decimal(s).unwrap();
        assert_eq!(figure(&col(-12), "1.979e15").unwrap(), Some(d("1979")));
        assert_eq!(figure(&col(-12), "66900000000000").unwrap(), Some(d("66.9")));
        assert_eq!(figure(&col(-9), "3.35E+12").unwrap(), Some(d("3350")));
        assert_eq!(figure(&col(-12), "0").unwrap(), None);
        assert_eq!(figure(&col(-12), "").unwrap(), None);
        assert!(figure(&col(-12), "-1").is_err());
        assert!(figure(&col(-12), "1,000").is_err());
    }

    #[test]
    fn release_dates() {
        assert_eq!(release_date("2022-03-22").unwrap().as_deref(), Some("2022-03-22"));
        assert_eq!(
            release_date("2022-03-22 00:00:00").unwrap().as_deref(),
            Some("2022-03-22")
        );
        assert_eq!(release_date("2022").unwrap().as_deref(), Some("2022"));
        assert!(release_date("March 2022").is_err());
        assert_eq!(release_date("").unwrap(), None);
    }

    #[test]
    fn a_byte_order_mark_ragged_rows_and_other_scales_are_handled() {
        let csv = "\u{feff}Hardware name,Manufacturer,FP8 performance (PFLOP/s),Memory bandwidth (TB/s)\n\
                   X1,ACME,1.979,3.35\n\
                   X2,ACME\n\
                   X3,ACME,0.5,\n";
        let out = convert(csv.as_bytes()).unwrap();
        assert_eq!(out.rows, 3);
        assert_eq!(out.datasheets.len(), 2);
        assert!(
            out.datasheets[0].yaml.contains("fp8: { value: 1979 TFLOPS"),
            "{}",
            out.datasheets[0].yaml
        );
        assert!(out.datasheets[0].yaml.contains("bandwidth: { value: 3350 GB/s"));
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].location.unwrap().line, 3);
        assert!(
            out.errors[0]
                .message
                .contains("row 2: expected 4 fields as in the header, found 2"),
            "{}",
            out.errors[0]
        );
        assert!(out.ignored_columns.is_empty());
    }

    #[test]
    fn a_known_column_in_an_unknown_unit_stops_the_import() {
        let e = convert(b"Hardware name,Manufacturer,FP8 performance (FLOP/ms)\nX,Y,1\n").unwrap_err();
        assert!(e.message.contains("unit `FLOP/ms` cannot be converted"), "{e}");
        let e = convert(b"Hardware name,Type,FP8 performance (FLOP/s)\nX,GPU,1\n").unwrap_err();
        assert!(e.message.contains("missing column `Manufacturer`"), "{e}");
    }

    #[test]
    fn each_bad_row_gives_its_variant_and_message() {
        let col = Column {
            index: 0,
            header: "TDP (W)".into(),
            field: Field::Power,
            scale: 0,
        };
        let e = figure(&col, "-1").unwrap_err();
        assert_eq!(
            e,
            ImportError::Negative {
                column: "TDP (W)".into(),
                found: "-1".into()
            }
        );
        assert_eq!(
            e.to_string(),
            "column `TDP (W)`: expected a number of at least zero, found `-1`"
        );
        let e = figure(&col, "1,000").unwrap_err();
        assert!(
            matches!(&e, ImportError::NotANumber { found, source: exact::NumberError::NotANumber(_), .. } if found == "1,000")
        );
        assert_eq!(
            e.to_string(),
            "column `TDP (W)`: expected a number such as `1.979e15`, found `1,000`: `1,000` is not a number"
        );
        let e = release_date("March 2022").unwrap_err();
        assert_eq!(
            e,
            ImportError::ReleaseDate {
                found: "March 2022".into()
            }
        );
        let mut ids = BTreeSet::new();
        assert_eq!(unique_id("???", "!!!", &mut ids), Err(ImportError::NoIdLetters));

        // Whole rows, through the importer: the row error keeps its words after `row N: `.
        let out = convert(
            "Hardware name,Manufacturer,FP8 performance (FLOP/s)\n,ACME,1e15\nX,,1e15\nX,ACME,0\nX,ACME,\"a\u{7}b\"\n"
                .as_bytes(),
        )
        .unwrap();
        let messages: Vec<&str> = out.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "row 1: column `Hardware name` is empty",
                "row 2 (`X`): column `Manufacturer` is empty",
                "row 3 (`X`): no throughput figure: every performance column is empty or zero",
                "row 4 (`X`): column `FP8 performance (FLOP/s)` holds control character U+0007, which a datasheet does not accept: expected printable text",
            ]
        );
    }
}
