//! `tppcalc chart` and `tppcalc report`.

#[cfg(feature = "charts")]
use super::{load_catalog, resolve_rules, write_or_print};
use super::{OneRuleArgs, Output};
use std::path::PathBuf;
#[cfg(feature = "charts")]
use tppcalc::catalog::LoadOutcome;
#[cfg(feature = "charts")]
use tppcalc::error::{Error, ErrorKind};
#[cfg(feature = "charts")]
use tppcalc::report::{chart, explain, html, Row};
#[cfg(feature = "charts")]
use tppcalc::rules::{RuleRegistry, RuleSet};
#[cfg(feature = "charts")]
use tppcalc::verdict::Verdict;

#[derive(clap::Args, Debug)]
#[cfg_attr(not(feature = "charts"), allow(dead_code))]
pub struct ChartArgs {
    /// Datasheet files or directories. Default: the embedded catalog.
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rules: OneRuleArgs,
    /// Write the SVG here (default: stdout).
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
#[cfg_attr(not(feature = "charts"), allow(dead_code))]
pub struct ReportArgs {
    /// Datasheet files or directories. Default: the embedded catalog.
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rules: OneRuleArgs,
    /// Write the HTML here (default: stdout).
    #[arg(long)]
    output: Option<PathBuf>,
}

#[cfg(feature = "charts")]
fn setup(paths: &[PathBuf], args: &OneRuleArgs) -> Result<(LoadOutcome, RuleSet, Vec<Verdict>), Vec<Error>> {
    let loaded = load_catalog(paths);
    if !loaded.errors.is_empty() {
        return Err(loaded.errors);
    }
    let mut registry = RuleRegistry::shipped();
    let mut sets = resolve_rules(&mut registry, &args.as_rule_args(), false)?;
    if sets.len() != 1 {
        return Err(vec![Error::new(
            ErrorKind::Usage,
            "this command draws one rule set: give one `--rules`",
        )]);
    }
    let rules = sets.remove(0);
    let verdicts = tppcalc::app::verdicts(&loaded.catalog, &rules);
    Ok((loaded, rules, verdicts))
}

/// Without the `charts` feature: says which feature the command needs.
#[cfg(not(feature = "charts"))]
pub fn run_chart(_: ChartArgs) -> Output {
    super::feature_off("chart", "charts")
}

/// Without the `charts` feature: says which feature the command needs.
#[cfg(not(feature = "charts"))]
pub fn run_report(_: ReportArgs) -> Output {
    super::feature_off("report", "charts")
}

#[cfg(feature = "charts")]
pub fn run_chart(a: ChartArgs) -> Output {
    let (loaded, rules, verdicts) = match setup(&a.paths, &a.rules) {
        Ok(x) => x,
        Err(e) => return Output::errors(&e),
    };
    write_or_print(
        chart::tpp_pd_map(&rules, &chart::points(&loaded.catalog, &verdicts, &rules)),
        a.output.as_ref(),
    )
}

#[cfg(feature = "charts")]
pub fn run_report(a: ReportArgs) -> Output {
    let (loaded, rules, verdicts) = match setup(&a.paths, &a.rules) {
        Ok(x) => x,
        Err(e) => return Output::errors(&e),
    };
    let svg = chart::tpp_pd_map(&rules, &chart::points(&loaded.catalog, &verdicts, &rules));
    let rows: Vec<Row> = verdicts.iter().map(|v| Row::from_verdict(v, &rules)).collect();
    let explanations: Vec<(String, String)> = verdicts
        .iter()
        .map(|v| (v.part.0.clone(), explain::text(&explain::build(v, &rules))))
        .collect();
    let mut notes = vec![
        format!("Rule set `{}` ({}): {}.", rules.id, rules.status, rules.title),
        format!("Cites: {}.", rules.citations.join("; ")),
    ];
    if !rules.overrides.is_empty() {
        notes.push(format!("Overrides: {}.", rules.override_args().join(", ")));
    }
    let title = format!("tppcalc report: {} parts under {}", rows.len(), rules.display_name());
    write_or_print(
        html::page(&title, &svg, &rows, &explanations, &notes),
        a.output.as_ref(),
    )
}
