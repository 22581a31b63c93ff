//! `tppcalc license`: is a licence required to ship a part to a destination, under which
//! paragraph and review policy, and which licence exceptions are available.

use super::{with_part_all, DocFormat, Output, PartArgs};
use tppcalc::catalog::Catalog;
use tppcalc::datasheet::Part;
use tppcalc::error::{Error, ErrorKind};
use tppcalc::licensing;
use tppcalc::report::{self, license};
use tppcalc::rules::RuleSet;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    target: PartArgs,
    /// Destination: an ISO 3166-1 alpha-2 code (`CN`, `VN`, `DE`), several separated by commas
    /// (`CN,MO,HK`: one table), or `all` for every country in the country groups plus any other
    /// country.
    #[arg(long = "to", value_name = "CC[,CC...]|all")]
    to: String,
    /// Where the end user is headquartered (ISO code), or `same` for the destination of each
    /// row. Unknown when omitted: answers that depend on it are indeterminate.
    #[arg(long = "end-user-hq", value_name = "CC|same")]
    end_user_hq: Option<String>,
    /// Answer under every shipped rule set (one column each; with a list of destinations).
    #[arg(long)]
    all_rules: bool,
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
    with_part_all(&a.target, a.all_rules, |catalog, part, rule_sets| {
        if a.all_rules || rule_sets.len() > 1 || a.to.contains(',') {
            matrix(&a, catalog, part, rule_sets)
        } else {
            answer(&a, catalog, part, rule_sets)
        }
    })
}

/// Several destinations under several rule sets: one table.
fn matrix(a: &Args, catalog: &Catalog, part: &Part, rule_sets: &[RuleSet]) -> Output {
    let codes: Vec<&str> = a.to.split(',').map(str::trim).filter(|c| !c.is_empty()).collect();
    if codes.is_empty() || codes.iter().any(|c| c.eq_ignore_ascii_case("all")) {
        return Output::errors(&[Error::new(
            ErrorKind::Usage,
            "with several rule sets, `--to` takes a list of country codes (`CN,MO,HK`), not `all`",
        )]);
    }
    let mut columns = Vec::new();
    for rules in rule_sets {
        let mut col = Vec::new();
        for c in &codes {
            let hq = match a.end_user_hq.as_deref() {
                Some(h) if h.eq_ignore_ascii_case("same") => Some(*c),
                other => other,
            };
            match tppcalc::app::license(
                catalog,
                part,
                rules,
                &licensing::To::Country(c.to_string()),
                hq,
                a.parent_hq.as_deref(),
                a.end_user_type,
            ) {
                Ok(mut x) => col.append(&mut x),
                Err(e) => return Output::errors(&[e]),
            }
        }
        columns.push(col);
    }
    let stdout = match a.format {
        DocFormat::Json => report::json::render(&columns.iter().flatten().collect::<Vec<_>>()),
        DocFormat::Text => license::matrix(&columns),
        DocFormat::Markdown => license::markdown_matrix(&columns),
    };
    Output::ok(stdout)
}

fn answer(a: &Args, catalog: &Catalog, part: &Part, rule_sets: &[RuleSet]) -> Output {
    let [rules] = rule_sets else {
        return Output::errors(&[Error::new(
            ErrorKind::Usage,
            "`license` answers under one rule set: give `--rules` once",
        )]);
    };
    if a.end_user_hq.as_deref().is_some_and(|h| h.eq_ignore_ascii_case("same")) && a.to.eq_ignore_ascii_case("all") {
        return Output::errors(&[Error::new(
            ErrorKind::Usage,
            "`--end-user-hq same` needs a list of destinations, not `all`",
        )]);
    }
    let to = licensing::To::parse(&a.to);
    let all = to == licensing::To::All;
    let answers = match tppcalc::app::license(
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
