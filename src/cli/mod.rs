//! Command-line definitions (clap) and one small handler per command. Handlers build report
//! models through the library and return the text to print and the exit code; `main` prints.

mod catalog;
mod chart;
mod check;
mod classify;
mod cluster;
mod diff;
mod explain;
mod foundry;
mod generate;
mod headroom;
mod import;
mod license;
mod matrix;
mod progress;
mod rules;
mod serve;
mod shell;
mod sweep;

use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;
use tppcalc::catalog::{Catalog, LoadOutcome};
use tppcalc::datasheet::Part;
use tppcalc::error::{Error, ErrorKind};
use tppcalc::rules::{RuleRegistry, RuleSet, SetValue};

/// Exit code: success.
pub const OK: u8 = 0;
/// Exit code: a `--fail-on` condition was met.
pub const FAIL_ON: u8 = 1;
/// Exit code: bad usage or bad input.
pub const BAD_INPUT: u8 = 2;

/// What a command produced.
#[derive(Debug, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    /// Non-essential messages for stderr (`wrote FILE`, summaries); `--quiet` drops them.
    pub notes: String,
    pub code: u8,
}

/// Options every command may read: colour and quiet, from the global flags.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ctx {
    /// Colour the table's status column and `explain`'s verdict.
    pub color: bool,
    /// Show no progress (notes are dropped by `run`).
    pub quiet: bool,
}

impl Output {
    fn ok(stdout: String) -> Output {
        Output {
            stdout,
            ..Default::default()
        }
    }

    fn errors(errors: &[Error]) -> Output {
        let mut stderr = String::new();
        for e in errors {
            stderr.push_str(&format!("error: {e}\n"));
        }
        Output {
            stderr,
            code: BAD_INPUT,
            ..Default::default()
        }
    }
}

#[derive(Parser, Debug)]
#[command(name = "tppcalc", version, about = "Classifies AI accelerators under export-control rules (ECCN 3A090/4A090)", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Colour the status column and verdicts: `auto` (stdout is a terminal and NO_COLOR is
    /// unset), `always`, `never`. JSON, CSV and JUnit are never coloured.
    #[arg(long, value_enum, global = true, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    color: ColorWhen,
    /// Print no notes (`wrote FILE`, summaries) and no progress on stderr; errors still print.
    #[arg(long, short, global = true)]
    quiet: bool,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Classify datasheets (default: the embedded catalog) under one or more rule sets.
    Classify(classify::Args),
    /// Explain one part's verdict: metrics, derivations, clauses, margins.
    Explain(explain::Args),
    /// Validate and lint datasheets and rule files.
    Check(check::Args),
    /// List the shipped rule sets, or show one.
    Rules(rules::Args),
    /// How far a part is from each line, and the exact figures that would change its verdict.
    Headroom(headroom::Args),
    /// Vary one threshold, or every part's throughput, over a catalog.
    Sweep(sweep::Args),
    /// Compare two rule sets: flipped parts and the exact regions where verdicts differ.
    Diff(diff::Args),
    /// One row per part, one column per rule set: the ECCN each version gives, `-` or `?`.
    Matrix(matrix::Args),
    /// Draw the TPP x performance density map of a rule set with the parts on it (SVG).
    #[cfg_attr(
        not(feature = "charts"),
        command(
            about = "Draw the TPP x performance density map (SVG) [not in this build: needs the `charts` feature]"
        )
    )]
    Chart(chart::ChartArgs),
    /// Write a self-contained HTML report: chart, verdict table, explanations.
    #[cfg_attr(
        not(feature = "charts"),
        command(about = "Write a self-contained HTML report [not in this build: needs the `charts` feature]")
    )]
    Report(chart::ReportArgs),
    /// Print the catalog table (the content of docs/catalog.md).
    Catalog(catalog::Args),
    /// Whether shipping a part to a destination needs a licence, under which policy and
    /// licence exceptions.
    License(license::Args),
    /// Whether the foundry presumption (Note 1 to 3A090.a) applies to an IC a front-end
    /// fabricator or OSAT exports, or which route overcomes it.
    Foundry(foundry::Args),
    /// Whether an installation (a `kind: cluster` file of racks) is a "supercomputer" under
    /// 15 CFR 772.1: FP64 and FP32 petaflops within the best 41,600 ft^3 envelope.
    Cluster(cluster::Args),
    /// Convert another tool's data into datasheets.
    #[command(subcommand)]
    Import(import::Source),
    /// Print a shell completion script: `tppcalc completions bash > ~/.local/share/bash-completion/completions/tppcalc`.
    Completions(shell::CompletionsArgs),
    /// Print the man page (roff): `tppcalc man > tppcalc.1`.
    Man,
    /// Write synthetic datasheets (seeded, realistic) for benchmarks and scale runs.
    Generate(generate::Args),
    /// Serve the scenario explorer (a page and a JSON API) on 127.0.0.1 until Ctrl-C.
    #[cfg_attr(
        not(feature = "web"),
        command(about = "Serve the scenario explorer [not in this build: needs the `web` feature]")
    )]
    Serve(serve::Args),
}

/// Output formats of `classify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
    /// JUnit XML, one test case per part and rule set, for CI systems.
    Junit,
}

/// Output formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    Text,
    Json,
    Markdown,
}

/// Rule-set selection shared by commands.
#[derive(clap::Args, Debug, Clone)]
pub struct RuleArgs {
    /// A shipped rule-set id or a rule file; repeatable. Default: the newest in-force rule set.
    #[arg(long = "rules", value_name = "ID|FILE")]
    rules: Vec<String>,
    /// Override a threshold: `--set 3A090.a.1.tpp.at_least=4000`; repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// The rule set and the country groups in force on this day (`YYYY-MM-DD`). With
    /// `--rules`, that rule set read with the country groups of the day.
    #[arg(long = "on", value_name = "YYYY-MM-DD")]
    on: Option<String>,
    /// Which reading: what is enforced (default) or what the eCFR codifies (the AI Diffusion
    /// rule, us-2025-01, is codified but not enforced since 2025-05-13).
    #[arg(long = "as", value_enum, value_name = "READING")]
    reading: Option<tppcalc::rules::Reading>,
}

/// Rule-set selection for commands that work under one rule set (`sweep`, `chart`, `report`):
/// as [`RuleArgs`], with a single `--rules`.
#[derive(clap::Args, Debug, Clone)]
pub struct OneRuleArgs {
    /// A shipped rule-set id or a rule file (one). Default: the newest in-force rule set.
    #[arg(long = "rules", value_name = "ID|FILE")]
    rules: Option<String>,
    /// Override a threshold: `--set 3A090.a.1.tpp.at_least=4000`; repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// The rule set and the country groups in force on this day (`YYYY-MM-DD`). With
    /// `--rules`, that rule set read with the country groups of the day.
    #[arg(long = "on", value_name = "YYYY-MM-DD")]
    on: Option<String>,
    /// Which reading: what is enforced (default) or what the eCFR codifies (the AI Diffusion
    /// rule, us-2025-01, is codified but not enforced since 2025-05-13).
    #[arg(long = "as", value_enum, value_name = "READING")]
    reading: Option<tppcalc::rules::Reading>,
}

impl OneRuleArgs {
    /// The same selection as [`RuleArgs`], for [`resolve_rules`].
    fn as_rule_args(&self) -> RuleArgs {
        RuleArgs {
            rules: self.rules.iter().cloned().collect(),
            set: self.set.clone(),
            on: self.on.clone(),
            reading: self.reading,
        }
    }
}

impl RuleArgs {
    /// No rule set and no override was named.
    fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.set.is_empty()
    }
}

/// Runs the command line and returns what to print.
pub fn run(args: impl IntoIterator<Item = OsString>) -> Output {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let text = e.render().to_string();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => Output::ok(text),
                _ => Output {
                    stderr: text,
                    code: BAD_INPUT,
                    ..Default::default()
                },
            };
        }
    };
    let color = match cli.color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        // NO_COLOR, CLICOLOR, CLICOLOR_FORCE, TERM=dumb and whether stdout is a terminal.
        ColorWhen::Auto => anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never,
    };
    let ctx = Ctx {
        color,
        quiet: cli.quiet,
    };
    let mut out = match cli.command {
        Command::Classify(a) => classify::run(a, ctx),
        Command::Explain(a) => explain::run(a, ctx),
        Command::Check(a) => check::run(a),
        Command::Rules(a) => rules::run(a),
        Command::Headroom(a) => headroom::run(a),
        Command::Sweep(a) => sweep::run(a, ctx),
        Command::Diff(a) => diff::run(a),
        Command::Matrix(a) => matrix::run(a),
        Command::Chart(a) => chart::run_chart(a),
        Command::Report(a) => chart::run_report(a),
        Command::Catalog(a) => catalog::run(a),
        Command::License(a) => license::run(a),
        Command::Foundry(a) => foundry::run(a),
        Command::Cluster(a) => cluster::run(a),
        Command::Import(s) => import::run(s),
        Command::Completions(a) => shell::completions(a),
        Command::Man => shell::man(),
        Command::Serve(a) => serve::run(a),
        Command::Generate(a) => generate::run(a),
    };
    if !cli.quiet && !out.notes.is_empty() {
        out.stderr = std::mem::take(&mut out.notes) + &out.stderr;
    }
    out
}

/// Loads the catalog in use: the given paths and part ids of the embedded catalog (a path
/// wins when both exist), or the embedded catalog.
fn load_catalog(paths: &[PathBuf]) -> LoadOutcome {
    tppcalc::app::load_catalog(paths)
}

/// Leaves `value` to the operating system instead of freeing it: the command's process ends
/// right after, and freeing a large catalog allocation by allocation costs about a tenth of a
/// second at 10,000 parts. For what a command holds until it returns; never in the server.
fn free_at_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Loads the catalog in use and finds one part in it: by id, or as a datasheet file.
fn load_part(part: &str, catalog: &[PathBuf]) -> Result<(Catalog, String), Vec<Error>> {
    let as_path = std::path::Path::new(part);
    let from_file = catalog.is_empty() && (part.ends_with(".yaml") || part.ends_with(".yml") || as_path.exists());
    let loaded = if from_file {
        load_catalog(&[as_path.to_path_buf()])
    } else {
        load_catalog(catalog)
    };
    if !loaded.errors.is_empty() {
        return Err(loaded.errors);
    }
    let id = if from_file {
        loaded.catalog.parts().next().map(|p| p.id().0.clone())
    } else {
        loaded.catalog.get(part).map(|p| p.id().0.clone())
    };
    match id {
        Some(id) => Ok((loaded.catalog, id)),
        None => Err(vec![Error::new(
            ErrorKind::UnknownReference,
            format!(
                "unknown part `{part}`: not an id in the {} nor a datasheet file{}{}",
                if catalog.is_empty() {
                    "embedded catalog"
                } else {
                    "catalog given with --catalog"
                },
                loaded.catalog.did_you_mean(part),
                if catalog.is_empty() {
                    "; for a part of your own, give its datasheet file (`path/to/sku.yaml`), or the folder it is in with `--catalog DIR`"
                } else {
                    "; for a datasheet outside that catalog, give its file path"
                }
            ),
        )]),
    }
}

/// The arguments of commands about one part: the part, the rule sets, the catalog in use.
#[derive(clap::Args, Debug, Clone)]
pub struct PartArgs {
    /// A part id from the catalog in use, or a path to a datasheet file.
    part: String,
    #[command(flatten)]
    rules: RuleArgs,
    /// The catalog in use: datasheet files or directories. Default: the embedded catalog.
    #[arg(long = "catalog", value_name = "PATH")]
    catalog: Vec<PathBuf>,
}

/// Runs `run` on the part a command names (see [`load_part`]) under the rule sets it names, or
/// reports why either cannot be had.
fn with_part(a: &PartArgs, run: impl FnOnce(&Catalog, &Part, &[RuleSet]) -> Output) -> Output {
    with_part_all(a, false, run)
}

/// As [`with_part`]; `all`: under every shipped rule set too.
fn with_part_all(a: &PartArgs, all: bool, run: impl FnOnce(&Catalog, &Part, &[RuleSet]) -> Output) -> Output {
    let resolved = load_part(&a.part, &a.catalog)
        .and_then(|(catalog, id)| Ok((catalog, id, resolve_rules(&mut RuleRegistry::shipped(), &a.rules, all)?)));
    match resolved {
        Ok((catalog, id, rule_sets)) => run(&catalog, catalog.get(&id).expect("load_part found it"), &rule_sets),
        Err(e) => Output::errors(&e),
    }
}

/// Renders one document per rule set: one JSON object for one rule set, an array for several;
/// text and Markdown documents one after another.
fn render_per_rule_set<T: serde::Serialize>(
    docs: &[T],
    format: DocFormat,
    text: impl Fn(&T) -> String,
    markdown: impl Fn(&T) -> String,
) -> String {
    match (format, docs) {
        (DocFormat::Json, [one]) => tppcalc::report::json::render(one),
        (DocFormat::Json, _) => tppcalc::report::json::render(&docs),
        (DocFormat::Text, _) => docs.iter().map(text).collect::<Vec<_>>().join("\n"),
        (DocFormat::Markdown, _) => docs.iter().map(markdown).collect::<Vec<_>>().join("\n"),
    }
}

/// The answer of a command this build of tppcalc leaves out (`cargo build
/// --no-default-features`): the command still parses, and says which Cargo feature brings it
/// back. Exit code 2, as for any usage error.
#[cfg(any(not(feature = "charts"), not(feature = "web")))]
fn feature_off(command: &str, feature: &str) -> Output {
    Output::errors(&[Error::new(
        ErrorKind::Usage,
        format!(
            "`tppcalc {command}` needs the `{feature}` feature, which this build of tppcalc leaves out; build with it: `cargo install tppcalc --features {feature}` (it is on by default: drop `--no-default-features`)"
        ),
    )])
}

/// Writes `text` to `path`, or returns it for stdout when there is no path.
fn write_or_print(text: String, path: Option<&PathBuf>) -> Output {
    match path {
        None => Output::ok(text),
        Some(p) => match std::fs::write(p, text) {
            Ok(()) => Output {
                notes: format!("wrote {}\n", p.display()),
                ..Default::default()
            },
            Err(e) => Output::errors(&[Error::new(
                ErrorKind::Write,
                format!("cannot write: {}", e.to_string().to_lowercase()),
            )
            .in_file(p.display().to_string())]),
        },
    }
}

/// Resolves the rule sets a command runs under (see [`tppcalc::app::resolve_rules`]).
fn resolve_rules(registry: &mut RuleRegistry, args: &RuleArgs, all: bool) -> Result<Vec<RuleSet>, Vec<Error>> {
    let mut set = Vec::new();
    for s in &args.set {
        set.push(SetValue::parse(s).map_err(|e| vec![e])?);
    }
    let choice = tppcalc::app::RuleChoice {
        rules: args.rules.clone(),
        set,
        on: args.on.clone(),
        reading: args.reading,
        all,
    };
    tppcalc::app::resolve_rules(registry, &choice)
}
