//! `tppcalc headroom`.

use super::{part_and_rules, DocFormat, Output, PartArgs};
use tppcalc::report::{self, headroom as render};
use tppcalc::whatif;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    target: PartArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocFormat::Text)]
    format: DocFormat,
}

pub fn run(a: Args) -> Output {
    let (catalog, id, rule_sets) = match part_and_rules(&a.target) {
        Ok(x) => x,
        Err(e) => return Output::errors(&e),
    };
    let part = catalog.get(&id).expect("found above");
    let reports: Vec<render::HeadroomReport> = rule_sets
        .iter()
        .map(|rs| render::build(&whatif::headroom(&catalog, part, rs), rs))
        .collect();
    let stdout = match a.format {
        DocFormat::Json if reports.len() == 1 => report::json::render(&reports[0]),
        DocFormat::Json => report::json::render(&reports),
        DocFormat::Text => reports.iter().map(render::text).collect::<Vec<_>>().join("\n"),
        DocFormat::Markdown => reports.iter().map(render::markdown).collect::<Vec<_>>().join("\n"),
    };
    Output::ok(stdout)
}
