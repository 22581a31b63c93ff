//! `tppcalc classify`.

use super::progress::Progress;
use super::{free_at_exit, load_catalog, resolve_rules, Ctx, Format, Output, RuleArgs, BAD_INPUT, FAIL_ON};
use clap::ValueEnum;
use std::path::PathBuf;
use tppcalc::datasheet::Origin;
use tppcalc::report::{self, gate, junit};
use tppcalc::rules::{RuleRegistry, Status};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Datasheet files or directories (searched recursively). Default: the embedded catalog.
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
    /// Use every shipped rule set.
    #[arg(long)]
    all_rules: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Exit 1 when a verdict is controlled or indeterminate (`controlled`, fail closed), or
    /// indeterminate (`indeterminate`). Each failing part is named on stderr with the deciding
    /// clause and margin, or the missing figures.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Classify the files that load even when others are bad (still exits 2).
    #[arg(long)]
    keep_going: bool,
    /// Start CSV output with a UTF-8 byte-order mark, so that Excel opens non-ASCII names
    /// correctly on double-click (pandas and most tools do not need it).
    #[arg(long)]
    csv_bom: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Controlled,
    Indeterminate,
}

impl FailOn {
    /// Whether a verdict status fails this gate.
    fn fails(self, status: Status) -> bool {
        match self {
            FailOn::Controlled => status != Status::NotControlled,
            FailOn::Indeterminate => status == Status::Indeterminate,
        }
    }
}

pub fn run(a: Args, ctx: Ctx) -> Output {
    // The datasheets and the shipped rule sets are read at the same time.
    let (loaded, mut registry) = rayon::join(|| load_catalog(&a.paths), RuleRegistry::shipped);
    let mut errors = loaded.errors.clone();
    let mut found_rules = Vec::new();
    for rf in &loaded.rule_files {
        // Rule files found among the paths are validated, and usable by id with --rules.
        match registry.add_text(rf.origin.clone(), &rf.text, false) {
            Ok(id) => found_rules.push(id),
            Err(e) => errors.push(e),
        }
    }
    // Every file found is classified or reported: a rule file that does not resolve is an error
    // even when no `--rules` selects it.
    for id in found_rules {
        if let Err(e) = registry.resolve(&id, &[]) {
            errors.push(e);
        }
    }
    let rule_sets = match resolve_rules(&mut registry, &a.rules, a.all_rules) {
        Ok(r) => r,
        Err(e) => {
            errors.extend(e);
            return Output::errors(&errors);
        }
    };
    // Files with an error, counted once each (a file may have several).
    let bad_files = errors
        .iter()
        .filter_map(|e| e.file.as_deref())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if !errors.is_empty() && !a.keep_going {
        let mut out = Output::errors(&errors);
        out.stderr.push_str(&format!(
            "{bad_files} of {} files could not be loaded; nothing was classified (use --keep-going to classify the rest)\n",
            loaded.files_seen
        ));
        return out;
    }
    // The gate used for `--fail-on` and for JUnit failures (default: fail closed).
    let gate = a.fail_on.unwrap_or(FailOn::Controlled);
    let mut progress = Progress::new(
        "classifying",
        (loaded.catalog.len() * rule_sets.len()) as u64,
        ctx.quiet,
    );
    // Gate cases (with the sentence that explains each verdict) are for JUnit and --fail-on only.
    let want_cases = a.format == Format::Junit || a.fail_on.is_some();
    // Verdicts come part by part, and for each part rule set by rule set; each becomes a row
    // (and a gate case) as soon as it is made. Without cases the rows are the result as it is
    // (not copied into a second list: with 10,000 files and three rule sets that is 30 MB).
    let (rows, cases) = if !want_cases {
        let rows = tppcalc::app::classify_with(&loaded.catalog, &rule_sets, |row, _, _| row);
        progress.inc_by(rows.len() as u64);
        (rows, Vec::new())
    } else {
        let made = tppcalc::app::classify_with(&loaded.catalog, &rule_sets, |row, v, index| {
            let rs = &rule_sets[index];
            let part = loaded.catalog.get(&v.part.0).expect("classified from this catalog");
            let case = junit::Case {
                part: row.part.clone(),
                rules: row.rules.clone(),
                scenario: row.scenario.clone(),
                // Embedded parts are named by id (`explain ID` finds them); files by path.
                file: match &part.meta().origin {
                    Origin::File(p) => Some(p.display().to_string()),
                    Origin::Embedded(_) | Origin::Inline => None,
                },
                verdict: gate::reason(&v, rs),
                failure: gate.fails(row.status).then(|| row.status.to_string()),
            };
            (row, case)
        });
        progress.inc_by(made.len() as u64);
        made.into_iter().unzip()
    };
    progress.finish();
    let stdout = match a.format {
        Format::Table => report::table::rows_styled(&rows, ctx.color),
        Format::Json => report::json::rows(&rows),
        Format::Csv if a.csv_bom => format!("\u{FEFF}{}", report::csv::rows(&rows)),
        Format::Csv => report::csv::rows(&rows),
        Format::Markdown => report::markdown::rows(&rows),
        Format::Junit => {
            let load_errors: Vec<junit::LoadError> = errors
                .iter()
                .map(|e| junit::LoadError {
                    file: e.file.clone().unwrap_or_else(|| "<input>".into()),
                    message: e.to_string(),
                })
                .collect();
            junit::render(&cases, &load_errors)
        }
    };
    let mut out = Output::ok(stdout);
    let files_seen = loaded.files_seen;
    free_at_exit((loaded, rows));
    if !errors.is_empty() {
        let e = Output::errors(&errors);
        out.stderr = e.stderr;
        out.stderr.push_str(&format!(
            "{bad_files} of {files_seen} files could not be loaded; the other files were classified (--keep-going)\n"
        ));
        out.code = BAD_INPUT;
        return out;
    }
    if a.fail_on.is_some() {
        let failed: Vec<&junit::Case> = cases.iter().filter(|c| c.failure.is_some()).collect();
        for c in &failed {
            out.stderr.push_str(&format!(
                "fail: {} under {}: {}\n",
                c.part,
                report::rules_with(&c.rules, c.scenario.as_deref()),
                c.verdict
            ));
        }
        if !failed.is_empty() {
            out.code = FAIL_ON;
        }
    }
    out
}
