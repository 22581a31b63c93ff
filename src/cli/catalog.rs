//! `tppcalc catalog`: the catalog document that `docs/catalog.md` holds (one verdict column per
//! rule set, grouped by vendor, with the published-values comparison), or, with
//! `--compare FILE.csv`, the parts whose figures differ from an Epoch AI hardware CSV.

use super::{load_catalog, resolve_rules, Output, RuleArgs, BAD_INPUT};
use std::fmt::Write;
use std::path::PathBuf;
use tppcalc::error::{Error, ErrorKind};
use tppcalc::import::compare;
use tppcalc::report::catalog;
use tppcalc::rules::RuleRegistry;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Datasheet files or directories. Default: the embedded catalog.
    paths: Vec<PathBuf>,
    /// Verdict columns; default: every shipped rule set (with `--compare`: the current one).
    #[command(flatten)]
    rules: RuleArgs,
    /// An Epoch AI hardware CSV: list the catalog parts whose figures differ from it.
    #[arg(long, value_name = "FILE.csv")]
    compare: Option<PathBuf>,
    /// With `--compare`: the relative difference, in percent, above which a figure is listed.
    #[arg(long, value_name = "PERCENT", default_value_t = 5.0)]
    tolerance: f64,
}

pub fn run(a: Args) -> Output {
    let loaded = load_catalog(&a.paths);
    if !loaded.errors.is_empty() {
        return Output::errors(&loaded.errors);
    }
    let mut registry = RuleRegistry::shipped();
    let all = a.compare.is_none() && a.rules.is_empty();
    let rules = match resolve_rules(&mut registry, &a.rules, all) {
        Ok(r) => r,
        Err(e) => return Output::errors(&e),
    };
    let Some(file) = a.compare else {
        return Output::ok(catalog::document(&loaded.catalog, &rules));
    };
    if !(a.tolerance >= 0.0 && a.tolerance.is_finite()) {
        return Output::errors(&[Error::new(
            ErrorKind::Syntax,
            format!(
                "--tolerance: expected a percentage of at least 0, such as `5`, found `{}`",
                a.tolerance
            ),
        )]);
    }
    let name = file.display().to_string();
    let read = tppcalc::files::open_regular(&file).and_then(|mut f| {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).map(|_| bytes)
    });
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            return Output::errors(&[Error::new(
                ErrorKind::Read,
                format!("cannot read: {}", e.to_string().to_lowercase()),
            )
            .in_file(name)])
        }
    };
    let current = rules.last().expect("at least one rule set");
    match compare::compare(&bytes, &loaded.catalog, current, a.tolerance) {
        Ok(c) => {
            let mut out = Output::ok(render(&c, &current.id));
            for e in &c.errors {
                let _ = writeln!(out.stderr, "{}", e.clone().in_file(name.clone()));
            }
            if !c.errors.is_empty() {
                out.code = BAD_INPUT;
            }
            out
        }
        Err(e) => Output::errors(&[e.in_file(name)]),
    }
}

fn num(x: f64) -> String {
    tppcalc::numfmt::table_f64(x)
}

fn signed_f64(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", num(x))
    } else {
        num(x)
    }
}

/// The comparison as Markdown: one line per differing figure, then the rows that agree and
/// the rows that match no catalog part.
fn render(c: &compare::Comparison, rules: &str) -> String {
    let mut s = String::new();
    let differing: Vec<&compare::Match> = c.matched.iter().filter(|m| !m.differences.is_empty()).collect();
    let _ = writeln!(
        s,
        "{} of {} matched rows differ from the catalog by more than {}% (TPP under {rules}).\n",
        differing.len(),
        c.matched.len(),
        num(c.tolerance_pct)
    );
    if !differing.is_empty() {
        let _ = writeln!(
            s,
            "| part | CSV row | figure | catalog | CSV | difference |\n|---|---|---|---:|---:|---:|"
        );
        for m in &differing {
            for d in &m.differences {
                let (ours, diff) = match d.catalog {
                    Some(o) if o != 0.0 => (num(o), format!("{}%", signed_f64((d.epoch - o) / o * 100.0))),
                    Some(o) => (num(o), "-".into()),
                    None => ("not given".into(), "-".into()),
                };
                let _ = writeln!(
                    s,
                    "| `{}` | {} (line {}) | {} | {} | {} | {} |",
                    m.part,
                    m.name.replace('|', "\\|"),
                    m.line,
                    d.field,
                    ours,
                    num(d.epoch),
                    diff
                );
            }
        }
        s.push('\n');
    }
    let agree: Vec<String> = c
        .matched
        .iter()
        .filter(|m| m.differences.is_empty())
        .map(|m| format!("`{}`", m.part))
        .collect();
    if !agree.is_empty() {
        let _ = writeln!(s, "Agree within the tolerance: {}.\n", agree.join(", "));
    }
    if !c.unmatched.is_empty() {
        let names: Vec<String> = c.unmatched.iter().map(|(l, n)| format!("{n} (line {l})")).collect();
        let _ = writeln!(s, "No catalog chip of the same name: {}.", names.join(", "));
    }
    s
}
