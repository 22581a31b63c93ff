//! `tppcalc sweep`.

use super::progress::Progress;
use super::{free_at_exit, load_catalog, resolve_rules, write_or_print, Ctx, Output, RuleArgs};
use clap::ValueEnum;
use std::path::PathBuf;
use tppcalc::error::{Error, ErrorKind};
use tppcalc::exact::{self, Exact};
#[cfg(feature = "charts")]
use tppcalc::report::chart;
use tppcalc::report::{self, sweep as render};
use tppcalc::rules::RuleRegistry;
use tppcalc::whatif::{self, SweepParam};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Datasheet files or directories. Default: the embedded catalog.
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
    /// The threshold to vary, as a `set` key: `3A090.a.1.tpp.at_least`.
    #[arg(long, value_name = "KEY", conflicts_with = "scale_throughput", requires_all = ["from", "to"])]
    param: Option<String>,
    /// First value of `--param`.
    #[arg(long, allow_hyphen_values = true)]
    from: Option<String>,
    /// Last value of `--param`.
    #[arg(long, allow_hyphen_values = true)]
    to: Option<String>,
    /// Scale every part's throughput over a range: `0.5..1.5`.
    #[arg(long, value_name = "FROM..TO")]
    scale_throughput: Option<String>,
    /// Number of steps, ends included (2 to 100000).
    #[arg(long, default_value_t = 11)]
    steps: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SweepFormat::Csv)]
    format: SweepFormat,
    /// Write to this file instead of stdout.
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepFormat {
    Csv,
    Json,
    Svg,
}

fn number(flag: &str, text: &str) -> Result<Exact, Error> {
    exact::parse_decimal(text).map_err(|e| {
        Error::new(
            ErrorKind::Usage,
            format!("`{flag}`: expected a number, found `{text}`: {e}"),
        )
    })
}

pub fn run(a: Args, ctx: Ctx) -> Output {
    #[cfg(not(feature = "charts"))]
    if matches!(a.format, SweepFormat::Svg) {
        return super::feature_off("sweep --format svg", "charts");
    }
    let (param, from, to) = match (&a.param, &a.scale_throughput) {
        (Some(key), None) => {
            let from = a.from.as_deref().map(|t| number("--from", t));
            let to = a.to.as_deref().map(|t| number("--to", t));
            match (from, to) {
                (Some(Ok(f)), Some(Ok(t))) => (SweepParam::Threshold(key.clone()), f, t),
                (Some(Err(e)), _) | (_, Some(Err(e))) => return Output::errors(&[e]),
                _ => return Output::errors(&[Error::new(ErrorKind::Usage, "`--param` needs `--from` and `--to`")]),
            }
        }
        (None, Some(range)) => {
            let Some((f, t)) = range.split_once("..") else {
                return Output::errors(&[Error::new(
                    ErrorKind::Usage,
                    format!("`--scale-throughput`: expected a range such as `0.5..1.5`, found `{range}`"),
                )]);
            };
            match (number("--scale-throughput", f), number("--scale-throughput", t)) {
                (Ok(f), Ok(t)) if num_traits::Signed::is_positive(&f) => (SweepParam::ThroughputScale, f, t),
                (Ok(_), Ok(_)) => {
                    return Output::errors(&[Error::new(
                        ErrorKind::Usage,
                        "`--scale-throughput`: the range must start above zero",
                    )])
                }
                (Err(e), _) | (_, Err(e)) => return Output::errors(&[e]),
            }
        }
        _ => {
            return Output::errors(&[Error::new(
                ErrorKind::Usage,
                "give either `--param KEY --from A --to B` or `--scale-throughput FROM..TO`",
            )])
        }
    };
    let values = match whatif::sweep::steps(&from, &to, a.steps) {
        Ok(v) => v,
        Err(e) => return Output::errors(&[e]),
    };
    let loaded = load_catalog(&a.paths);
    if !loaded.errors.is_empty() {
        return Output::errors(&loaded.errors);
    }
    let mut registry = RuleRegistry::shipped();
    let rules = match resolve_rules(&mut registry, &a.rules, false) {
        Ok(mut r) if r.len() == 1 => r.remove(0),
        Ok(_) => {
            return Output::errors(&[Error::new(
                ErrorKind::Usage,
                "`sweep` runs under one rule set: give one `--rules`",
            )])
        }
        Err(e) => return Output::errors(&e),
    };
    let mut progress = Progress::new("sweeping", values.len() as u64, ctx.quiet);
    let s = whatif::sweep::sweep_with_progress(&loaded.catalog, &rules, &param, &values, &mut |_| progress.inc());
    progress.finish();
    let s = match s {
        Ok(s) => s,
        Err(mut e) => {
            // The library applies each step as a `set`; the user wrote `--param`.
            if let Some(key) = e.field.as_deref().and_then(|f| f.strip_prefix("--set ")) {
                e.field = Some(format!("--param {key}"));
            }
            return Output::errors(&[e]);
        }
    };
    let text = match a.format {
        SweepFormat::Csv => render::csv(&s),
        SweepFormat::Json => report::json::render(&render::build(&s, &rules.id)),
        #[cfg(feature = "charts")]
        SweepFormat::Svg => chart::sweep_chart(&s),
        #[cfg(not(feature = "charts"))]
        SweepFormat::Svg => return super::feature_off("sweep --format svg", "charts"),
    };
    free_at_exit((loaded, s));
    write_or_print(text, a.output.as_ref())
}
