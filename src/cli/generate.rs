//! `tppcalc generate`: write synthetic datasheets for scale runs (see docs/performance.md).

use super::{Output, OK};
use std::path::PathBuf;
use tppcalc::error::{Error, ErrorKind};
use tppcalc::synthetic;

/// Largest number of files `generate` writes in one run.
const MAX_COUNT: u64 = 1_000_000;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// How many datasheets (1 to 1000000).
    #[arg(long)]
    count: u64,
    /// The seed: the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The directory to write into (created if missing).
    #[arg(long)]
    out: PathBuf,
}

pub fn run(a: Args) -> Output {
    if !(1..=MAX_COUNT).contains(&a.count) {
        return Output::errors(&[Error::new(
            ErrorKind::Usage,
            format!("`--count` must be from 1 to {MAX_COUNT}, found `{}`", a.count),
        )]);
    }
    let fail = |e: std::io::Error| {
        Output::errors(&[Error::new(
            ErrorKind::Write,
            format!("cannot write: {}", e.to_string().to_lowercase()),
        )
        .in_file(a.out.display().to_string())])
    };
    if let Err(e) = std::fs::create_dir_all(&a.out) {
        return fail(e);
    }
    for g in synthetic::generate_many(a.seed, a.count) {
        if let Err(e) = std::fs::write(a.out.join(&g.file_name), g.text) {
            return fail(e);
        }
    }
    Output {
        notes: format!(
            "wrote {} datasheets to {} (seed {})\n",
            a.count,
            a.out.display(),
            a.seed
        ),
        code: OK,
        ..Default::default()
    }
}
