//! `tppcalc cluster`: is an installation a "supercomputer" (15 CFR 772.1)?

use super::{load_catalog, DocFormat, Output};
use clap::ValueEnum;
use std::path::PathBuf;
use tppcalc::cluster::{self, Definition, Knobs, Reading};
use tppcalc::datasheet::Origin;
use tppcalc::error::{Error, ErrorKind};
use tppcalc::report;

/// How a part's capacity at a precision is read from its processing units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReadingArg {
    /// The highest figure any one unit gives (vector or matrix).
    Highest,
    /// The units' figures added up.
    Sum,
}

impl From<ReadingArg> for Reading {
    fn from(r: ReadingArg) -> Reading {
        match r {
            ReadingArg::Highest => Reading::Highest,
            ReadingArg::Sum => Reading::Sum,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A `kind: cluster` file: racks of parts or systems by id, each with `count` and `volume`.
    file: PathBuf,
    /// The catalog the part ids refer to: datasheet files or directories. Default: the
    /// embedded catalog.
    #[arg(long = "catalog", value_name = "PATH")]
    catalog: Vec<PathBuf>,
    /// How a part's FP64 capacity is read (default: the definition's, `highest`).
    #[arg(long = "fp64-reading", value_enum)]
    fp64_reading: Option<ReadingArg>,
    /// How a part's FP32 capacity is read (default: the definition's, `highest`).
    #[arg(long = "fp32-reading", value_enum)]
    fp32_reading: Option<ReadingArg>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocFormat::Text)]
    format: DocFormat,
}

pub fn run(a: Args) -> Output {
    let file = a.file.display().to_string();
    let bytes = match tppcalc::yaml::read_file(&a.file) {
        Ok(b) => b,
        Err(e) => {
            return Output::errors(&[Error::new(
                ErrorKind::Read,
                format!(
                    "cannot read: {}",
                    e.to_string().split(" (os error").next().unwrap_or("").to_lowercase()
                ),
            )
            .in_file(file)])
        }
    };
    let text = match tppcalc::yaml::decode(&bytes) {
        Ok(t) => t,
        Err(e) => return Output::errors(&[e.in_file(file)]),
    };
    let loaded = load_catalog(&a.catalog);
    if !loaded.errors.is_empty() {
        return Output::errors(&loaded.errors);
    }
    let c = match cluster::parse_cluster(text, &Origin::File(a.file.clone()), &loaded.catalog) {
        Ok(c) => c,
        Err(e) => return Output::errors(&e.0),
    };
    let knobs = Knobs {
        fp64: a.fp64_reading.map(Reading::from),
        fp32: a.fp32_reading.map(Reading::from),
    };
    let answer = cluster::assess(&loaded.catalog, &c, Definition::shipped(), knobs);
    Output::ok(match a.format {
        DocFormat::Json => report::json::render(&answer),
        DocFormat::Text => report::cluster::text(&answer),
        DocFormat::Markdown => report::cluster::markdown(&answer),
    })
}
