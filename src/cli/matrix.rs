//! `tppcalc matrix`.

use super::{free_at_exit, load_catalog, Output};
use clap::ValueEnum;
use std::path::PathBuf;
use tppcalc::report::matrix;
use tppcalc::rules::RuleRegistry;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Datasheet files or directories (searched recursively). Default: the embedded catalog.
    paths: Vec<PathBuf>,
    /// A shipped rule-set id or a rule file, one column each; repeatable. Default: every
    /// shipped rule set, in order of effective date.
    #[arg(long = "rules", value_name = "ID|FILE")]
    rules: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MatrixFormat::Table)]
    format: MatrixFormat,
}

/// Output formats of `matrix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatrixFormat {
    Table,
    Markdown,
    Csv,
    Json,
}

pub fn run(a: Args) -> Output {
    let (loaded, mut registry) = rayon::join(|| load_catalog(&a.paths), RuleRegistry::shipped);
    if !loaded.errors.is_empty() {
        return Output::errors(&loaded.errors);
    }
    let mut ids = Vec::new();
    for r in &a.rules {
        match registry.add_arg(r) {
            Ok(id) => ids.push(id),
            Err(e) => return Output::errors(&[e]),
        }
    }
    if ids.is_empty() {
        ids = registry.shipped_ids();
    }
    let mut sets = Vec::new();
    let mut errors = Vec::new();
    for id in &ids {
        match registry.resolve(id, &[]) {
            Ok(r) => sets.push(r),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Output::errors(&errors);
    }
    let m = matrix::build(&loaded.catalog, &sets);
    let out = Output::ok(match a.format {
        MatrixFormat::Table => matrix::table(&m),
        MatrixFormat::Markdown => matrix::markdown(&m),
        MatrixFormat::Csv => matrix::csv(&m),
        MatrixFormat::Json => matrix::json(&m),
    });
    free_at_exit(loaded);
    out
}
