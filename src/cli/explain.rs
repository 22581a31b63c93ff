//! `tppcalc explain`.

use super::{load_catalog, resolve_rules, DocFormat, Output, RuleArgs};
use std::path::{Path, PathBuf};
use tppcalc::error::{Error, ErrorKind};
use tppcalc::report::{self, explain};
use tppcalc::rules::RuleRegistry;
use tppcalc::verdict;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A part id from the catalog in use, or a path to a datasheet file.
    part: String,
    #[command(flatten)]
    rules: RuleArgs,
    /// The catalog in use: datasheet files or directories. Default: the embedded catalog.
    #[arg(long = "catalog", value_name = "PATH")]
    catalog: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocFormat::Text)]
    format: DocFormat,
}

pub fn run(a: Args) -> Output {
    let as_path = Path::new(&a.part);
    let from_file = a.catalog.is_empty()
        && (a.part.ends_with(".yaml") || a.part.ends_with(".yml") || as_path.exists());
    let loaded = if from_file {
        load_catalog(&[as_path.to_path_buf()])
    } else {
        load_catalog(&a.catalog)
    };
    if !loaded.errors.is_empty() {
        return Output::errors(&loaded.errors);
    }
    let part = if from_file {
        loaded.catalog.parts().next()
    } else {
        loaded.catalog.get(&a.part)
    };
    let Some(part) = part else {
        let near = loaded.catalog.near(&a.part);
        let hint = if near.is_empty() {
            String::new()
        } else {
            format!(
                "; did you mean {}?",
                near.iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Output::errors(&[Error::new(
            ErrorKind::UnknownReference,
            format!(
                "unknown part `{}`: not an id in the catalog nor a datasheet file{hint}",
                a.part
            ),
        )]);
    };
    let mut registry = RuleRegistry::shipped();
    let rule_sets = match resolve_rules(&mut registry, &a.rules, false) {
        Ok(r) => r,
        Err(e) => return Output::errors(&e),
    };
    let mut stdout = String::new();
    let mut docs = Vec::new();
    for rs in &rule_sets {
        let v = verdict::classify(&loaded.catalog, part, rs);
        docs.push(explain::build(&v, rs));
    }
    match a.format {
        // One rule set gives one object; several give an array.
        DocFormat::Json if docs.len() == 1 => stdout = report::json::render(&docs[0]),
        DocFormat::Json => stdout = report::json::render(&docs),
        DocFormat::Text => {
            for (i, d) in docs.iter().enumerate() {
                if i > 0 {
                    stdout.push('\n');
                }
                stdout.push_str(&explain::text(d));
            }
        }
        DocFormat::Markdown => {
            for d in &docs {
                stdout.push_str(&explain::markdown(d));
            }
        }
    }
    Output::ok(stdout)
}
