//! `tppcalc diff`.

use super::{load_catalog, DocFormat, Output};
use std::path::PathBuf;
use tppcalc::report::{self, diff as render};
use tppcalc::rules::{RuleRegistry, SetValue};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Rule set A: a shipped id or a rule file.
    rules_a: String,
    /// Rule set B: a shipped id or a rule file.
    rules_b: String,
    /// Datasheet files or directories whose verdicts to compare. Default: the embedded catalog.
    paths: Vec<PathBuf>,
    /// Override applied to rule set B only: `--set KEY=VALUE`; repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocFormat::Text)]
    format: DocFormat,
}

pub fn run(a: Args) -> Output {
    // The datasheets and the shipped rule sets are read at the same time.
    let (loaded, mut registry) = rayon::join(|| load_catalog(&a.paths), RuleRegistry::shipped);
    let mut sets = Vec::new();
    for s in &a.set {
        match SetValue::parse(s) {
            Ok(v) => sets.push(v),
            Err(e) => return Output::errors(&[e]),
        }
    }
    let resolve = |registry: &mut RuleRegistry, arg: &str, sets: &[SetValue]| {
        registry.add_arg(arg).and_then(|id| registry.resolve(&id, sets))
    };
    let ra = match resolve(&mut registry, &a.rules_a, &[]) {
        Ok(r) => r,
        Err(e) => return Output::errors(&[e]),
    };
    let rb = match resolve(&mut registry, &a.rules_b, &sets) {
        Ok(r) => r,
        Err(e) => return Output::errors(&[e]),
    };
    if !loaded.errors.is_empty() {
        return Output::errors(&loaded.errors);
    }
    let d = tppcalc::app::diff(&loaded.catalog, &ra, &rb);
    Output::ok(match a.format {
        DocFormat::Text => render::text(&d),
        DocFormat::Json => report::json::render(&d),
        DocFormat::Markdown => render::markdown(&d),
    })
}
