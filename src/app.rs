//! Use cases: what the command line (`src/cli/`) and the web API (`src/web/`) both do, in one
//! place. Each function takes what was asked (paths, rule choices, a part) and returns a report
//! model; the caller renders it. The CLI adds only argument parsing, progress and exit codes;
//! the web adds only JSON bodies and HTTP statuses. So `POST /api/classify` and
//! `tppcalc classify --format json` run the same (parallel) code and give the same rows.
//!
//! ```
//! use tppcalc::app;
//! use tppcalc::rules::RuleRegistry;
//! let catalog = app::load_catalog(&[]).catalog;
//! let rules = app::resolve_rules(&mut RuleRegistry::shipped(), &app::RuleChoice::ids(["us-2023-11"])).unwrap();
//! let rows = app::classify(&catalog, &rules);
//! assert_eq!(rows.len(), catalog.len());
//! let h20 = app::explain(&catalog, catalog.get("nvidia-h20").unwrap(), &rules[0], "nvidia-h20");
//! assert_eq!(h20.verdict.status, tppcalc::rules::Status::NotControlled);
//! ```

use crate::catalog::{Catalog, LoadOutcome};
use crate::datasheet::Part;
use crate::error::{Error, ErrorKind};
use crate::licensing::{self, Answer, EndUserType, To};
use crate::report::{diff::DiffReport, explain::Explain, headroom::HeadroomReport, Row, RowBuilder};
use crate::rules::{Reading, RuleRegistry, RuleSet, RuleStatus, SetValue};
use crate::verdict::{self, Verdict};
use crate::whatif;
use std::path::PathBuf;

/// The catalog in use: the datasheet files and directories given (searched recursively), or
/// the embedded catalog when none is given.
pub fn load_catalog(paths: &[PathBuf]) -> LoadOutcome {
    if paths.is_empty() {
        Catalog::embedded()
    } else {
        Catalog::load_args(paths)
    }
}

/// Which rule sets a question is asked under: `--rules`, `--set`, `--on`, `--as` and
/// `--all-rules` on the command line.
#[derive(Debug, Clone, Default)]
pub struct RuleChoice {
    /// Shipped ids or rule files (the command line only; a server names ids). Empty: the
    /// default, the newest in-force rule set (or the one in force `on`).
    pub rules: Vec<String>,
    /// Overrides, applied to every chosen rule set in order.
    pub set: Vec<SetValue>,
    /// The rule set and the country groups in force on this day (`YYYY-MM-DD`).
    pub on: Option<String>,
    /// The reading asked for; `None`: enforced, unless the rule set is only codified.
    pub reading: Option<Reading>,
    /// Every shipped rule set too.
    pub all: bool,
}

impl RuleChoice {
    /// These rule sets (ids or files), nothing else.
    pub fn ids<S: Into<String>>(ids: impl IntoIterator<Item = S>) -> RuleChoice {
        RuleChoice {
            rules: ids.into_iter().map(Into::into).collect(),
            ..RuleChoice::default()
        }
    }
}

/// Resolves the rule sets of a choice: each named rule set (an id of `registry`, or a rule
/// file, which is added to it), every shipped one with `all`, or the default; then `set`,
/// the reading and the date. Every rule set that does not resolve is reported.
pub fn resolve_rules(registry: &mut RuleRegistry, choice: &RuleChoice) -> Result<Vec<RuleSet>, Vec<Error>> {
    let mut ids = Vec::new();
    for r in &choice.rules {
        ids.push(registry.add_arg(r).map_err(|e| vec![e])?);
    }
    if choice.all {
        for id in registry.shipped_ids() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    if let Some(d) = &choice.on {
        crate::rules::check_date(d).map_err(|e| vec![e])?;
    }
    if ids.is_empty() {
        let reading = choice.reading.unwrap_or(Reading::Enforced);
        let id = match (&choice.on, reading) {
            (Some(d), r) => registry.in_force_on(d, r).map_err(|e| vec![e])?,
            // The codified reading today: as of the newest shipped rule set.
            (None, Reading::Codified) => {
                let newest = registry
                    .shipped_ids()
                    .iter()
                    .filter_map(|id| registry.resolve(id, &[]).ok()?.effective)
                    .max()
                    .unwrap_or_default();
                registry.in_force_on(&newest, Reading::Codified).map_err(|e| vec![e])?
            }
            (None, Reading::Enforced) => registry.default_id().ok_or_else(|| {
                vec![Error::new(
                    ErrorKind::UnknownReference,
                    "no shipped rule set is in force",
                )]
            })?,
        };
        ids.push(id);
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for id in ids {
        let resolved = registry.resolve(&id, &choice.set).and_then(|mut r| {
            match choice.reading {
                Some(Reading::Enforced) if r.status == RuleStatus::NotEnforced => {
                    return Err(Error::new(
                        ErrorKind::Usage,
                        format!(
                            "rule set `{}` is codified but not enforced, so it has no enforced reading: drop `--as enforced` to read its text, or give `--on YYYY-MM-DD` without `--rules` for the rule set enforced that day",
                            r.id
                        ),
                    ))
                }
                Some(reading) => r.reading = Some(reading),
                None if choice.on.is_some() && r.reading.is_none() => r.reading = Some(Reading::Enforced),
                None => {}
            }
            match &choice.on {
                Some(d) => r.on_date(d),
                None => Ok(r),
            }
        });
        match resolved {
            Ok(r) => out.push(r),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Classifies every part of `catalog` under every rule set, in parallel, and hands each
/// verdict with its report row to `f` as soon as it is made: results in part order, and for
/// each part in rule-set order (`f` also gets the index of the rule set). Verdicts are never
/// all in memory at once.
pub fn classify_with<T: Send>(
    catalog: &Catalog,
    rule_sets: &[RuleSet],
    f: impl Fn(Row, Verdict, usize) -> T + Sync,
) -> Vec<T> {
    let builders: Vec<RowBuilder> = {
        use rayon::prelude::*;
        rule_sets.par_iter().map(RowBuilder::new).collect()
    };
    verdict::classify_all_with(catalog, rule_sets, |v, index| f(builders[index].row(&v), v, index))
}

/// The report rows of every part under every rule set (as [`classify_with`]).
pub fn classify(catalog: &Catalog, rule_sets: &[RuleSet]) -> Vec<Row> {
    classify_with(catalog, rule_sets, |row, _, _| row)
}

/// The verdicts of every part under one rule set, in part order, classified in parallel (for
/// charts and reports that need more than rows).
pub fn verdicts(catalog: &Catalog, rules: &RuleSet) -> Vec<Verdict> {
    verdict::classify_all(catalog, std::slice::from_ref(rules))
}

/// One part's verdict explained: metrics, derivations, clauses, margins, and whether the
/// foundry presumption may apply (`subject`: how the user named the part, for the
/// `tppcalc foundry` command it suggests).
pub fn explain(catalog: &Catalog, part: &Part, rules: &RuleSet, subject: &str) -> Explain {
    crate::report::explain::build(&verdict::classify(catalog, part, rules), rules).with_foundry(part, rules, subject)
}

/// How far one part is from each line, and the figures that would change its verdict.
pub fn headroom(catalog: &Catalog, part: &Part, rules: &RuleSet) -> HeadroomReport {
    crate::report::headroom::build(&whatif::headroom(catalog, part, rules), rules)
}

/// Two rule sets compared: the parts of `catalog` whose verdict differs, and the exact regions
/// where verdicts differ (both computed at the same time).
pub fn diff(catalog: &Catalog, a: &RuleSet, b: &RuleSet) -> DiffReport {
    let (parts, regions) = rayon::join(|| whatif::diff_verdicts(catalog, a, b), || whatif::diff_regions(a, b));
    crate::report::diff::build(a, b, &parts, &regions)
}

/// Whether shipping `part` to `to` needs a licence under `rules`, and on which terms.
pub fn license(
    catalog: &Catalog,
    part: &Part,
    rules: &RuleSet,
    to: &To,
    end_user_hq: Option<&str>,
    parent_hq: Option<&str>,
    end_user_type: Option<EndUserType>,
) -> Result<Vec<Answer>, Error> {
    licensing::ask_typed(catalog, part, rules, to, end_user_hq, parent_hq, end_user_type)
}
