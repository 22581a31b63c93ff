//! `tppcalc foundry`: does the foundry presumption (Note 1 to 3A090.a) apply to a part?

use super::{load_part, resolve_rules, DocFormat, Output, RuleArgs};
use clap::ValueEnum;
use std::path::PathBuf;
use tppcalc::catalog::Catalog;
use tppcalc::datasheet::Part;
use tppcalc::error::{Error, ErrorKind};
use tppcalc::foundry::{self, Designer, Packager, Question};
use tppcalc::report;
use tppcalc::rules::{RuleRegistry, RuleSet};

/// Who packages the IC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PackagedBy {
    /// The front-end fabricator (paragraph b of the note).
    Fabricator,
    /// An approved OSAT listed in Supplement No. 7 to part 740 (paragraph c).
    ApprovedOsat,
    /// Anyone else.
    Other,
}

/// The IC designer's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DesignerArg {
    /// Listed in Supplement No. 6 to part 740.
    Approved,
    /// Meets paragraph a.(2) or a.(3) of the note.
    Authorized,
    /// Neither.
    Other,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A part id from the catalog in use, or a path to a datasheet file; `all` for a table of
    /// every chip in the catalog (one column per `--completed`).
    part: String,
    /// The date the export, reexport or transfer is completed (`YYYY-MM-DD`); repeatable with
    /// `all`.
    #[arg(long = "completed", value_name = "YYYY-MM-DD", required = true)]
    completed: Vec<String>,
    /// Who packages the IC. Not given: the transistor-count route is not taken.
    #[arg(long = "packaged-by", value_enum)]
    packaged_by: Option<PackagedBy>,
    /// Where the IC is packaged (ISO 3166-1 alpha-2 code, e.g. `TW`).
    #[arg(long = "packaged-in", value_name = "CC")]
    packaged_in: Option<String>,
    /// The IC designer's standing. Not given: the designer route is not taken.
    #[arg(long = "designer", value_enum)]
    designer: Option<DesignerArg>,
    #[command(flatten)]
    rules: RuleArgs,
    /// The catalog in use: datasheet files or directories. Default: the embedded catalog.
    #[arg(long = "catalog", value_name = "PATH")]
    catalog: Vec<PathBuf>,
    /// Output format (`all` prints a table: text and Markdown alike, or JSON).
    #[arg(long, value_enum, default_value_t = DocFormat::Text)]
    format: DocFormat,
}

fn question(a: &Args, completed: &str) -> Question {
    Question {
        completed: completed.to_string(),
        packaged_by: a.packaged_by.map(|p| match p {
            PackagedBy::Fabricator => Packager::Fabricator,
            PackagedBy::ApprovedOsat => Packager::ApprovedOsat,
            PackagedBy::Other => Packager::Other,
        }),
        packaged_in: a.packaged_in.clone(),
        designer: a.designer.map(|d| match d {
            DesignerArg::Approved => Designer::Approved,
            DesignerArg::Authorized => Designer::Authorized,
            DesignerArg::Other => Designer::Other,
        }),
    }
}

fn one_rule_set(a: &Args) -> Result<RuleSet, Vec<Error>> {
    let rule_sets = resolve_rules(&mut RuleRegistry::shipped(), &a.rules, false)?;
    match <[RuleSet; 1]>::try_from(rule_sets) {
        Ok([r]) => Ok(r),
        Err(_) => Err(vec![Error::new(
            ErrorKind::Usage,
            "`foundry` answers under one rule set: give `--rules` once",
        )]),
    }
}

pub fn run(a: Args) -> Output {
    if a.part == "all" {
        return table(&a);
    }
    let [completed] = a.completed.as_slice() else {
        return Output::errors(&[Error::new(
            ErrorKind::Usage,
            "give `--completed` once for one part (several only with `all`)",
        )]);
    };
    let loaded = load_part(&a.part, &a.catalog).and_then(|(c, id)| Ok((c, id, one_rule_set(&a)?)));
    let (catalog, id, rules) = match loaded {
        Ok(x) => x,
        Err(e) => return Output::errors(&e),
    };
    let part = catalog.get(&id).expect("load_part found it");
    match foundry::ask(&catalog, part, &rules, &question(&a, completed)) {
        Ok(answer) => Output::ok(match a.format {
            DocFormat::Json => report::json::render(&answer),
            DocFormat::Text => report::foundry::text(&answer),
            DocFormat::Markdown => report::foundry::markdown(&answer),
        }),
        Err(e) => Output::errors(&[e]),
    }
}

/// `foundry all`: one row per chip, one column per completion date.
fn table(a: &Args) -> Output {
    let loaded = super::load_catalog(&a.catalog);
    if !loaded.errors.is_empty() {
        return Output::errors(&loaded.errors);
    }
    let rules = match one_rule_set(a) {
        Ok(r) => r,
        Err(e) => return Output::errors(&e),
    };
    let catalog: &Catalog = &loaded.catalog;
    let mut rows = Vec::new();
    let mut answers = Vec::new();
    for part in catalog.parts().filter(|p| matches!(p, Part::Chip(_))) {
        let mut cells = Vec::new();
        for c in &a.completed {
            match foundry::ask(catalog, part, &rules, &question(a, c)) {
                Ok(ans) => {
                    cells.push(match ans.route {
                        Some(r) => format!("{} ({r})", ans.presumption),
                        None => ans.presumption.to_string(),
                    });
                    answers.push(ans);
                }
                Err(e) => return Output::errors(&[e]),
            }
        }
        rows.push((part.id().0.clone(), cells));
    }
    Output::ok(match a.format {
        DocFormat::Json => report::json::render(&answers),
        _ => report::foundry::presumption_table(&caption(a, &rules.id), &a.completed, &rows),
    })
}

/// What a `foundry all` table assumes, in words: `Under us-2026-07; packaged by the front-end
/// fabricator in TW; designer not given.`
fn caption(a: &Args, rules: &str) -> String {
    let by = match a.packaged_by {
        Some(PackagedBy::Fabricator) => "packaged by the front-end fabricator",
        Some(PackagedBy::ApprovedOsat) => "packaged by an approved OSAT",
        Some(PackagedBy::Other) => "packaged by another company",
        None => "packager not given",
    };
    let place = a.packaged_in.as_deref().map_or(", place not given".to_string(), |cc| {
        format!(" in {}", cc.trim().to_uppercase())
    });
    let designer = match a.designer {
        Some(DesignerArg::Approved) => "an approved IC designer",
        Some(DesignerArg::Authorized) => "an authorized IC designer",
        Some(DesignerArg::Other) => "a designer neither approved nor authorized",
        None => "designer not given",
    };
    format!("Under {rules}; {by}{place}; {designer}.")
}
