//! `tppcalc import`: converts another tool's data into datasheets.
//!
//! `tppcalc import epoch FILE.csv --out DIR` writes one datasheet per row to `DIR/<id>.yaml`
//! (the folder is created; files of the same name are replaced, others are left alone). Rows
//! that cannot be converted are named on stderr with their line and reason, and make the exit
//! code 2; the rows that converted are still written, as `classify --keep-going` still
//! classifies what loads.

use super::{Output, BAD_INPUT, OK};
use std::path::PathBuf;
use tppcalc::error::{Error, ErrorKind};
use tppcalc::import::epoch;

#[derive(clap::Subcommand, Debug)]
pub enum Source {
    /// Epoch AI's Machine Learning Hardware dataset (CSV): one datasheet per row.
    Epoch(EpochArgs),
}

#[derive(clap::Args, Debug)]
pub struct EpochArgs {
    /// The dataset's CSV file.
    file: PathBuf,
    /// The folder to write the datasheets to (created if needed).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

pub fn run(s: Source) -> Output {
    match s {
        Source::Epoch(a) => run_epoch(a),
    }
}

fn run_epoch(a: EpochArgs) -> Output {
    let file = a.file.display().to_string();
    let in_file = |e: Error| e.in_file(file.clone());
    // A pipe or device named here is refused, never waited on.
    let read = tppcalc::files::open_regular(&a.file).and_then(|mut f| {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).map(|_| bytes)
    });
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            return Output::errors(&[in_file(Error::new(
                ErrorKind::Read,
                format!("cannot read: {}", e.to_string().to_lowercase()),
            ))])
        }
    };
    let import = match epoch::convert(&bytes) {
        Ok(i) => i,
        Err(e) => return Output::errors(&[in_file(e)]),
    };
    if let Err(e) = std::fs::create_dir_all(&a.out) {
        return Output::errors(&[Error::new(
            ErrorKind::Write,
            format!("cannot create the folder: {}", e.to_string().to_lowercase()),
        )
        .in_file(a.out.display().to_string())]);
    }
    let mut errors: Vec<Error> = import.errors.into_iter().map(in_file).collect();
    let mut written = 0;
    for d in &import.datasheets {
        let path = a.out.join(&d.file_name);
        match std::fs::write(&path, &d.yaml) {
            Ok(()) => written += 1,
            Err(e) => errors.push(
                Error::new(
                    ErrorKind::Write,
                    format!("cannot write: {}", e.to_string().to_lowercase()),
                )
                .in_file(path.display().to_string()),
            ),
        }
    }
    let mut out = if errors.is_empty() {
        Output::ok(String::new())
    } else {
        Output::errors(&errors)
    };
    if !import.ignored_columns.is_empty() {
        let cols: Vec<String> = import.ignored_columns.iter().map(|c| format!("`{c}`")).collect();
        out.notes.push_str(&format!("ignored columns: {}\n", cols.join(", ")));
    }
    out.notes.push_str(&format!(
        "wrote {written} datasheets to {} ({} of {} rows converted)\n",
        a.out.display(),
        import.datasheets.len(),
        import.rows
    ));
    out.code = if errors.is_empty() { OK } else { BAD_INPUT };
    out
}
