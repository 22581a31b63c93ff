//! `tppcalc explain`.

use super::{render_per_rule_set, with_part, Ctx, DocFormat, Output, PartArgs};
use tppcalc::report::explain;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    target: PartArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocFormat::Text)]
    format: DocFormat,
}

pub fn run(a: Args, ctx: Ctx) -> Output {
    with_part(&a.target, |catalog, part, rule_sets| {
        let docs: Vec<explain::Explain> = rule_sets
            .iter()
            .map(|rs| tppcalc::app::explain(catalog, part, rs, &a.target.part))
            .collect();
        Output::ok(render_per_rule_set(
            &docs,
            a.format,
            |d| explain::text_styled(d, ctx.color),
            explain::markdown,
        ))
    })
}
