//! `tppcalc headroom`.

use super::{render_per_rule_set, with_part, DocFormat, Output, PartArgs};
use tppcalc::report::headroom as render;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    target: PartArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocFormat::Text)]
    format: DocFormat,
}

pub fn run(a: Args) -> Output {
    with_part(&a.target, |catalog, part, rule_sets| {
        let reports: Vec<render::HeadroomReport> = rule_sets
            .iter()
            .map(|rs| tppcalc::app::headroom(catalog, part, rs))
            .collect();
        Output::ok(render_per_rule_set(&reports, a.format, render::text, render::markdown))
    })
}
