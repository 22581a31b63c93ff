//! `tppcalc classify`.

use super::{load_catalog, resolve_rules, Format, Output, RuleArgs, BAD_INPUT, FAIL_ON};
use clap::ValueEnum;
use std::path::PathBuf;
use tppcalc::report::{self, Row};
use tppcalc::rules::RuleRegistry;
use tppcalc::verdict;

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
    /// indeterminate (`indeterminate`).
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Classify the files that load even when others are bad (still exits 2).
    #[arg(long)]
    keep_going: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Controlled,
    Indeterminate,
}

pub fn run(a: Args) -> Output {
    let loaded = load_catalog(&a.paths);
    let mut registry = RuleRegistry::shipped();
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
    let mut rows = Vec::new();
    for part in loaded.catalog.parts() {
        for rs in &rule_sets {
            let v = verdict::classify(&loaded.catalog, part, rs);
            rows.push(Row::from_verdict(&v, rs));
        }
    }
    let stdout = match a.format {
        Format::Table => report::table::rows(&rows),
        Format::Json => report::json::rows(&rows),
        Format::Csv => report::csv::rows(&rows),
        Format::Markdown => report::markdown::rows(&rows),
    };
    let failed = match a.fail_on {
        Some(FailOn::Controlled) => rows
            .iter()
            .filter(|r| r.status != "not_controlled")
            .collect::<Vec<_>>(),
        Some(FailOn::Indeterminate) => rows
            .iter()
            .filter(|r| r.status == "indeterminate")
            .collect(),
        None => vec![],
    };
    let mut out = Output::ok(stdout);
    if !errors.is_empty() {
        let e = Output::errors(&errors);
        out.stderr = e.stderr;
        out.stderr.push_str(&format!(
            "{bad_files} of {} files could not be loaded; the other files were classified (--keep-going)\n",
            loaded.files_seen
        ));
        out.code = BAD_INPUT;
        return out;
    }
    if !failed.is_empty() {
        for r in &failed {
            out.stderr.push_str(&format!(
                "fail: {} under {}: {}{} ({})\n",
                r.part,
                r.rules,
                r.status,
                r.eccn.as_ref().map(|e| format!(" {e}")).unwrap_or_default(),
                r.why()
            ));
        }
        out.code = FAIL_ON;
    }
    out
}
