//! `tppcalc license`: is a licence required to ship a part to a destination, under which
//! paragraph and review policy, and which licence exceptions are available.

use super::{with_part, DocFormat, Output, PartArgs};
use tppcalc::datasheet::{Catalog, Part};
use tppcalc::error::{Error, ErrorKind};
use tppcalc::licensing;
use tppcalc::report::{self, license};
use tppcalc::rules::RuleSet;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    target: PartArgs,
    /// Destination: an ISO 3166-1 alpha-2 code (`CN`, `VN`, `DE`), or `all` for every country
    /// in the country groups plus any other country.
    #[arg(long = "to", value_name = "CC|all")]
    to: String,
    /// Where the end user is headquartered (ISO code). Unknown when omitted: answers that
    /// depend on it are indeterminate.
    #[arg(long = "end-user-hq", value_name = "CC")]
    end_user_hq: Option<String>,
    /// Where the end user's ultimate parent company is headquartered, if elsewhere.
    #[arg(long = "parent-hq", value_name = "CC")]
    parent_hq: Option<String>,
    /// The end user's category, where a rule names categories (the July 2026 UAE rule).
    /// Unknown when omitted: answers that depend on it are indeterminate.
    #[arg(long = "end-user-type", value_enum, value_name = "TYPE")]
    end_user_type: Option<licensing::EndUserType>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocFormat::Text)]
    format: DocFormat,
}

pub fn run(a: Args) -> Output {
    with_part(&a.target, |catalog, part, rule_sets| {
        answer(&a, catalog, part, rule_sets)
    })
}

fn answer(a: &Args, catalog: &Catalog, part: &Part, rule_sets: &[RuleSet]) -> Output {
    let [rules] = rule_sets else {
        return Output::errors(&[Error::new(
            ErrorKind::Usage,
            "`license` answers under one rule set: give `--rules` once",
        )]);
    };
    let to = licensing::To::parse(&a.to);
    let all = to == licensing::To::All;
    let answers = match licensing::ask_typed(
        catalog,
        part,
        rules,
        &to,
        a.end_user_hq.as_deref(),
        a.parent_hq.as_deref(),
        a.end_user_type,
    ) {
        Ok(x) => x,
        Err(e) => return Output::errors(&[e]),
    };
    let stdout = match (a.format, all) {
        (DocFormat::Json, false) => report::json::render(&answers[0]),
        (DocFormat::Json, true) => report::json::render(&answers),
        (DocFormat::Text, false) => license::text(&answers[0]),
        (DocFormat::Text, true) => license::table(&answers),
        (DocFormat::Markdown, false) => license::markdown(&answers[0]),
        (DocFormat::Markdown, true) => license::markdown_table(&answers),
    };
    Output::ok(stdout)
}
