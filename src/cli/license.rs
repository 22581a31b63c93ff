//! `tppcalc license`: is a licence required to ship a part to a destination, under which
//! paragraph and review policy, and which licence exceptions are available.

use super::{load_part, resolve_rules, DocFormat, Output, RuleArgs};
use std::path::PathBuf;
use tppcalc::audit::Audit;
use tppcalc::error::{Error, ErrorKind};
use tppcalc::licensing::{self, eval::all_destinations, Destination, Question};
use tppcalc::report::{self, license};
use tppcalc::rules::RuleRegistry;
use tppcalc::verdict;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A part id from the catalog in use, or a path to a datasheet file.
    part: String,
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
    let (catalog, id) = match load_part(&a.part, &a.catalog) {
        Ok(x) => x,
        Err(e) => return Output::errors(&e),
    };
    let part = catalog.get(&id).expect("found above");
    let mut registry = RuleRegistry::shipped();
    let rule_sets = match resolve_rules(&mut registry, &a.rules, false) {
        Ok(r) => r,
        Err(e) => return Output::errors(&e),
    };
    let [rules] = rule_sets.as_slice() else {
        return Output::errors(&[Error::new(
            ErrorKind::Usage,
            "`license` answers under one rule set: give `--rules` once",
        )]);
    };
    let groups = match licensing::eval::context(rules) {
        Ok((_, g)) => g,
        Err(e) => return Output::errors(&[e]),
    };
    let code =
        |c: &Option<String>| -> Result<Option<String>, Error> { c.as_deref().map(|c| groups.code(c)).transpose() };
    let (end_user_hq, parent_hq) = match (code(&a.end_user_hq), code(&a.parent_hq)) {
        (Ok(h), Ok(p)) => (h, p),
        (Err(e), _) | (_, Err(e)) => return Output::errors(&[e]),
    };
    let all = a.to.eq_ignore_ascii_case("all");
    let destinations = if all {
        all_destinations(groups)
    } else {
        match groups.code(&a.to) {
            Ok(c) => vec![Destination::Country(c)],
            Err(e) => return Output::errors(&[e]),
        }
    };
    let v = verdict::classify(&catalog, part, rules);
    let audit = Audit::new(rules, &v.datasheet_digest);
    let mut answers = Vec::new();
    for d in destinations {
        if all && Some(&d) == rules.jurisdiction.clone().map(Destination::Country).as_ref() {
            continue;
        }
        let q = Question {
            destination: d,
            end_user_hq: end_user_hq.clone(),
            parent_hq: parent_hq.clone(),
        };
        match licensing::answer(&v, rules, &q, &audit) {
            Ok(x) => answers.push(x),
            Err(e) => return Output::errors(&[e]),
        }
    }
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
