//! `tppcalc explain`.

use super::{part_and_rules, Ctx, DocFormat, Output, PartArgs};
use tppcalc::report::{self, explain};
use tppcalc::verdict;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    target: PartArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocFormat::Text)]
    format: DocFormat,
}

pub fn run(a: Args, ctx: Ctx) -> Output {
    let (catalog, id, rule_sets) = match part_and_rules(&a.target) {
        Ok(x) => x,
        Err(e) => return Output::errors(&e),
    };
    let part = catalog.get(&id).expect("found above");
    let docs: Vec<explain::Explain> = rule_sets
        .iter()
        .map(|rs| explain::build(&verdict::classify(&catalog, part, rs), rs))
        .collect();
    let stdout = match a.format {
        // One rule set gives one object; several give an array.
        DocFormat::Json if docs.len() == 1 => report::json::render(&docs[0]),
        DocFormat::Json => report::json::render(&docs),
        DocFormat::Text => docs
            .iter()
            .map(|d| explain::text_styled(d, ctx.color))
            .collect::<Vec<_>>()
            .join("\n"),
        DocFormat::Markdown => docs.iter().map(explain::markdown).collect::<Vec<_>>().join("\n"),
    };
    Output::ok(stdout)
}
