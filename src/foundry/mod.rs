//! The foundry presumption (Note 1 to 3A090.a): when a "front-end fabricator" or "OSAT" exports
//! an "applicable advanced logic integrated circuit", it must presume the IC is 3A090.a and
//! designed or marketed for datacenters, unless a designer's attestation or an attested
//! "aggregated approximated transistor count" overcomes the presumption.
//!
//! Downstream of [`crate::verdict`]: the designer route reads the part's own classification.
//! Thresholds, years and routes come from the rule set's `foundry` section
//! ([`FoundryRules`]); process names, node classes and densities from a cited table
//! ([`ProcessTable`]). Every comparison is exact; "below 30 billion" is `<`.

mod error;
pub mod processes;

pub use error::CountUnknown;

pub use crate::rules::foundry::{parse_date, CountTest, FoundryError, FoundryRaw, FoundryRules, HbmCondition, Route};
pub use processes::{Process, ProcessTable};

use crate::audit::Audit;
use crate::catalog::Catalog;
use crate::countries::{CountryGroups, CountrySnapshots, Place};
use crate::datasheet::{DieRole, Figure, Part};
use crate::error::{Error, ErrorKind};
use crate::exact::{self, Exact};
use crate::rules::{Eccn, RuleSet, Status, Tri};
use crate::units::Quantity;
use num_traits::ToPrimitive;
use serde::Serialize;
use std::fmt;

/// Last year a completion date may fall in (a later year is taken for a slip).
pub const LAST_YEAR: i32 = 2100;

/// Who packages the IC (`--packaged-by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Packager {
    /// The "front-end fabricator" itself (paragraph b).
    Fabricator,
    /// An approved "OSAT" company listed in Supplement No. 7 to part 740 (paragraph c).
    ApprovedOsat,
    /// Anyone else.
    Other,
}

impl fmt::Display for Packager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Packager::Fabricator => "fabricator",
            Packager::ApprovedOsat => "approved-osat",
            Packager::Other => "other",
        })
    }
}

/// The IC designer's standing (`--designer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Designer {
    /// Listed in Supplement No. 6 to part 740.
    Approved,
    /// Meets paragraph a.(2) or a.(3) of the note.
    Authorized,
    /// Neither.
    Other,
}

impl fmt::Display for Designer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Designer::Approved => "approved",
            Designer::Authorized => "authorized",
            Designer::Other => "other",
        })
    }
}

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presumption {
    /// The IC must be treated as 3A090.a and designed or marketed for datacenters.
    Applies,
    /// A route overcomes the presumption.
    Overcome,
    /// The IC is not an applicable advanced logic IC.
    NotApplicable,
    /// The answer depends on something unknown.
    Indeterminate,
}

impl fmt::Display for Presumption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Presumption::Applies => "applies",
            Presumption::Overcome => "overcome",
            Presumption::NotApplicable => "not_applicable",
            Presumption::Indeterminate => "indeterminate",
        })
    }
}

/// Which route overcame the presumption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteKind {
    /// Paragraph a: the designer's attestation of TPP and performance density.
    Designer,
    /// Paragraph b or c: the attested transistor count.
    TransistorCount,
}

impl fmt::Display for RouteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RouteKind::Designer => "designer",
            RouteKind::TransistorCount => "transistor_count",
        })
    }
}

/// What the user says about the transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The date the export, reexport or transfer is completed (`YYYY-MM-DD`).
    pub completed: String,
    /// Who packages the IC; `None`: not said (the count route cannot be confirmed).
    pub packaged_by: Option<Packager>,
    /// Where it is packaged (ISO code); `None`: not said.
    pub packaged_in: Option<String>,
    /// The designer's standing; `None`: not said (the designer route is not available).
    pub designer: Option<Designer>,
}

/// One logic die's approximated count (Technical Note 1), when the count is not the datasheet's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DieCount {
    /// The die's name, or `dies[i]`.
    pub die: String,
    /// The process as the datasheet writes it.
    pub process: Option<String>,
    /// The process table's name for it.
    pub table_process: Option<String>,
    /// The density used, MTr/mm^2, exact decimal.
    pub density_mtr_per_mm2: Option<String>,
    /// The density's source id in the process table.
    pub density_source: Option<String>,
    /// Die area in mm^2, exact decimal.
    pub area_mm2: Option<String>,
    /// How many such dies.
    pub count: u64,
}

/// Who takes a route of Note 1: the designer (paragraph a), or the party that packages the IC
/// (paragraphs b and c).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteBy {
    /// Paragraph a.
    Designer,
    /// The front-end fabricator packages it.
    Fabricator,
    /// An approved OSAT packages it.
    ApprovedOsat,
}

impl fmt::Display for RouteBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RouteBy::Designer => "designer",
            RouteBy::Fabricator => "fabricator",
            RouteBy::ApprovedOsat => "approved_osat",
        })
    }
}

/// What a route does to the presumption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteResult {
    /// It overcomes it.
    Overcomes,
    /// It does not.
    DoesNotOvercome,
    /// It depends on something unknown.
    Undecided,
    /// Nobody said who takes it.
    NotTaken,
}

impl fmt::Display for RouteResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RouteResult::Overcomes => "overcomes",
            RouteResult::DoesNotOvercome => "does not overcome",
            RouteResult::Undecided => "undecided",
            RouteResult::NotTaken => "not taken",
        })
    }
}

/// Whether the part is an "applicable advanced logic integrated circuit".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AdvancedLogic {
    /// It is.
    Yes,
    /// It is not.
    No,
    /// The datasheet does not say enough.
    Unknown,
}

impl fmt::Display for AdvancedLogic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AdvancedLogic::Yes => "yes",
            AdvancedLogic::No => "no",
            AdvancedLogic::Unknown => "unknown",
        })
    }
}

/// One route's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteAnswer {
    /// `designer`, `fabricator` or `approved_osat`.
    pub route: RouteBy,
    /// `overcomes`, `does_not_overcome`, `undecided` or `not_taken`.
    pub result: RouteResult,
    /// Why, in plain words.
    pub reason: String,
}

/// The answer of `tppcalc foundry`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    /// The part id.
    pub part: String,
    /// Its name.
    pub name: String,
    /// The rule set, with any overrides.
    pub rules: String,
    /// The completion date asked about.
    pub completed: String,
    /// The answer.
    pub presumption: Presumption,
    /// The route that overcame the presumption, if one did.
    pub route: Option<RouteKind>,
    /// Whether the part is an "applicable advanced logic integrated circuit": `yes`, `no` or
    /// `unknown`.
    pub advanced_logic: AdvancedLogic,
    /// The aggregated (approximated) transistor count of the package, rounded up to a whole
    /// transistor; `null` when it cannot be had.
    pub aggregated_transistor_count: Option<u64>,
    /// `datasheet`, or `density x area` (the densities are in `count_dies`); `null` when unknown.
    pub count_basis: Option<String>,
    /// For `density x area`: each logic die's density, area and count.
    pub count_dies: Vec<DieCount>,
    /// The highest count threshold open to this package in that year ("below" it overcomes).
    pub threshold: Option<u64>,
    /// Whether the package contains high-bandwidth memory; `null` when the datasheet does not say.
    pub hbm: Option<bool>,
    /// Which count tests cover the year, in words (and why 2028 has only one).
    pub year_rule: String,
    /// Who packages the IC, as given.
    pub packaged_by: Option<Packager>,
    /// Where, as given (ISO code).
    pub packaged_in: Option<String>,
    /// The designer's standing, as given.
    pub designer: Option<Designer>,
    /// Each route's result.
    pub routes: Vec<RouteAnswer>,
    /// The reasoning, step by step.
    pub reasons: Vec<String>,
    /// Note 1 to 3A090.a, verbatim.
    pub text: String,
    /// Its citation.
    pub citation: String,
    /// How the text was obtained and how sure it is.
    pub source: String,
    /// Points the text leaves open.
    pub open_points: Vec<String>,
    /// Tool version, rule-set and datasheet digests, country groups used.
    pub audit: Audit,
}

fn billions(x: &Exact) -> String {
    format!("{} billion", crate::numfmt::exact(&exact::scale10(x.clone(), -9)))
}

fn ceil_u64(x: &Exact) -> Option<u64> {
    x.ceil().to_integer().to_u64()
}

/// Which count tests cover a year, in words.
pub fn year_rule(f: &FoundryRules, year: i32) -> String {
    let covering = f.tests_in(year);
    let mut parts: Vec<String> = covering
        .iter()
        .map(|t| match t.hbm {
            HbmCondition::Any => format!("below {} (any package)", billions(&t.below)),
            HbmCondition::Absent => format!("below {} (no high-bandwidth memory in the package)", billions(&t.below)),
        })
        .collect();
    if parts.is_empty() {
        parts.push("no count test covers this year".into());
    }
    let mut s = format!("transactions completed in {year}: {}", parts.join("; "));
    let absent_elsewhere: Vec<&CountTest> = f
        .count_tests
        .iter()
        .filter(|t| t.hbm == HbmCondition::Absent && !t.covers(year))
        .collect();
    if !absent_elsewhere.is_empty() && !covering.iter().any(|t| t.hbm == HbmCondition::Absent) {
        let others: Vec<String> = absent_elsewhere
            .iter()
            .map(|t| format!("{} for {}", billions(&t.below), t.years()))
            .collect();
        let any: Vec<String> = covering
            .iter()
            .filter(|t| t.hbm == HbmCondition::Any)
            .map(|t| billions(&t.below))
            .collect();
        s.push_str(&format!(
            ". The text names no figure for a package without high-bandwidth memory in {year} ({}), so only the {} test applies",
            others.join(", "),
            if any.is_empty() { "no".to_string() } else { any.join(" and ") }
        ));
    }
    s
}

/// Whether the package contains HBM, from the chip's memory type: `HBM...` yes; a named other
/// type (GDDR, LPDDR, DDR) or `none` no; anything else or nothing unknown.
pub fn has_hbm(part: &Part) -> Option<bool> {
    let Part::Chip(c) = part else { return None };
    let kind = c.memory.as_ref()?.kind.as_ref()?.trim().to_lowercase();
    if kind.starts_with("hbm") {
        Some(true)
    } else if ["gddr", "lpddr", "ddr"].iter().any(|p| kind.starts_with(p)) || kind == "none" {
        Some(false)
    } else {
        None
    }
}

/// Whether a chip is an "applicable advanced logic integrated circuit": a logic die made with a
/// non-planar transistor or at the 16/14 nm node or below. With the reasons.
pub fn advanced_logic(part: &Part, table: &ProcessTable) -> (Tri, Vec<String>) {
    let mut reasons = Vec::new();
    let Part::Chip(c) = part else {
        return (Tri::NotMet, vec!["not a logic integrated circuit".into()]);
    };
    let Some(dies) = &c.dies else {
        return (
            Tri::Undecided,
            vec!["the datasheet lists no dies: the process and transistor architecture are unknown".into()],
        );
    };
    let mut results = Vec::new();
    for (i, d) in dies.iter().enumerate().filter(|(_, d)| d.role == DieRole::Logic) {
        let name = d.name.clone().unwrap_or_else(|| format!("dies[{i}]"));
        let p = d.process.as_deref().and_then(|p| table.lookup(p));
        let transistor = d.transistor.or(p.map(|p| p.transistor));
        let non_planar = transistor.map(|t| t.is_non_planar());
        let node = p.map(|p| p.at_or_below_16_14nm);
        let r = if non_planar == Some(true) || node == Some(true) {
            let why = match (non_planar, node, p) {
                (Some(true), _, _) => format!(
                    "logic die {name} uses a non-planar transistor ({})",
                    match transistor {
                        Some(crate::datasheet::Transistor::Gaafet) => "gate-all-around",
                        _ => "FinFET",
                    }
                ),
                (_, _, Some(p)) => format!(
                    "logic die {name} is made on {} ({}), at or below the 16/14 nm node",
                    p.name, p.node
                ),
                _ => format!("logic die {name} is advanced"),
            };
            reasons.push(why);
            Tri::Met
        } else if non_planar == Some(false) && node == Some(false) {
            reasons.push(format!(
                "logic die {name} is planar on {}, above the 16/14 nm node",
                p.map_or("its process".to_string(), |p| p.name.clone())
            ));
            Tri::NotMet
        } else {
            let process = d.process.as_deref().unwrap_or("not given");
            reasons.push(match (transistor, p) {
                (None, None) => format!(
                    "logic die {name}: the process (`{process}`) is not in the process table and the transistor architecture is not given"
                ),
                (Some(_), None) => format!(
                    "logic die {name} is planar, but its process (`{process}`) is not in the process table, so whether it is at or below the 16/14 nm node is unknown"
                ),
                _ => format!("logic die {name}: node class unknown"),
            });
            Tri::Undecided
        };
        results.push(r);
    }
    if results.is_empty() {
        reasons.push("the datasheet lists no logic die".into());
        return (Tri::Undecided, reasons);
    }
    // Any logic die at an advanced node makes it one (three-valued `or`).
    let t = results.iter().fold(Tri::NotMet, |a, r| a.or(*r));
    (t, reasons)
}

/// The package's aggregated transistor count: the datasheet's, else the sum over logic dies of
/// density x area x count (Technical Note 1). `Err` says why it cannot be had.
pub fn aggregated_count(part: &Part, table: &ProcessTable) -> Result<(Exact, String, Vec<DieCount>), CountUnknown> {
    let Part::Chip(c) = part else {
        return Err(CountUnknown::NotAnIc);
    };
    if let Some(t) = &c.transistors {
        return Ok((t.value.0.clone(), "datasheet".into(), vec![]));
    }
    let Some(dies) = &c.dies else {
        return Err(CountUnknown::NoDies);
    };
    let mut total = exact::int(0);
    let mut out = Vec::new();
    let mut any = false;
    for (i, d) in dies.iter().enumerate().filter(|(_, d)| d.role == DieRole::Logic) {
        any = true;
        let name = d.name.clone().unwrap_or_else(|| format!("dies[{i}]"));
        let Some(area) = &d.area else {
            return Err(CountUnknown::NoArea { die: name });
        };
        let Some(p) = d.process.as_deref().and_then(|p| table.lookup(p)) else {
            return Err(CountUnknown::UnknownProcess {
                die: name,
                process: d.process.clone(),
            });
        };
        let Some(density) = &p.density else {
            return Err(CountUnknown::NoDensity {
                die: name,
                process: p.name.clone(),
            });
        };
        let n = d.count.as_ref().map_or(1, |c| c.value.0);
        let mm2 = area.value.canonical();
        total += exact::scale10(density.value.0.clone(), 6) * mm2.clone() * exact::int(n as i64);
        out.push(DieCount {
            die: name,
            process: d.process.clone(),
            table_process: Some(p.name.clone()),
            density_mtr_per_mm2: Some(crate::numfmt::exact(&density.value.0)),
            density_source: density.provenance.source.clone(),
            area_mm2: Some(crate::numfmt::exact(&mm2)),
            count: n,
        });
    }
    if !any {
        return Err(CountUnknown::NoLogicDie);
    }
    Ok((total, "density x area".into(), out))
}

fn combine_routes(results: &[Tri]) -> Tri {
    results.iter().fold(Tri::NotMet, |a, r| a.or(*r))
}

/// The designer route: the part classified under the rule set with the presumption's
/// "designed or marketed for datacenters" kept (the attestation covers only TPP and PD).
fn designer_route(
    catalog: &Catalog,
    part: &Part,
    rules: &RuleSet,
    f: &FoundryRules,
    d: Option<Designer>,
) -> (Tri, String) {
    if !f.designer.enabled {
        return (Tri::NotMet, "this rule set disables the designer route".into());
    }
    match d {
        None => return (Tri::NotMet, "no designer standing given (`--designer`): the route is not taken".into()),
        Some(Designer::Other) => {
            return (
                Tri::NotMet,
                "the designer is neither approved (Supplement No. 6 to part 740) nor authorized: its attestation does not overcome the presumption".into(),
            )
        }
        Some(_) => {}
    }
    let forced = match part {
        Part::Chip(c) => {
            let mut c = c.clone();
            c.datacenter = Some(Figure::reported(true));
            Part::Chip(c)
        }
        other => other.clone(),
    };
    let v = crate::verdict::classify(catalog, &forced, rules);
    let eccn = Eccn(f.presumed_eccn.clone());
    let ins: Vec<bool> = v.evaluation.met_sets.iter().map(|s| s.contains(&eccn)).collect();
    let who = d.map(|d| d.to_string()).unwrap_or_default();
    if !ins.is_empty() && ins.iter().all(|x| *x) {
        (
            Tri::NotMet,
            format!(
                "the {who} designer's TPP and performance density place the IC in {eccn} under {} (designed for datacenters, as presumed): the attestation cannot show otherwise",
                rules.id
            ),
        )
    } else if ins.iter().all(|x| !*x) {
        let what = match (&v.evaluation.status, &v.evaluation.eccn) {
            (Status::Controlled, Some(e)) => format!("in {e}, not {eccn}"),
            _ => format!("not in {eccn}"),
        };
        (
            Tri::Met,
            format!(
                "the {who} designer's TPP and performance density place the IC {what} under {} even as designed for datacenters: its attestation overcomes the presumption",
                rules.id
            ),
        )
    } else {
        (
            Tri::Undecided,
            format!(
                "the IC's classification under {} is indeterminate (missing {}): whether the designer's attestation can show it is not {eccn} is unknown",
                rules.id,
                v.missing_fields().join(", ")
            ),
        )
    }
}

/// What `explain` says about the foundry presumption: whether Note 1 to 3A090.a could apply to
/// the part as made, and the command that answers it for a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// `yes`, `no` or `unknown`: whether the part is an "applicable advanced logic integrated
    /// circuit" (a logic die with a non-planar transistor or at the 16/14 nm node or below).
    pub applicable_advanced_logic: String,
    /// What that rests on, one line per logic die.
    pub reasons: Vec<String>,
    /// In plain words.
    pub summary: String,
    /// The command that answers the presumption for a transaction (fill in the date and place).
    pub command: String,
    /// Where the note is.
    pub citation: String,
}

/// The foundry mention for `explain`: `None` when the rule set has no `foundry` section or the
/// part is not a chip. `subject` is how the user named the part (an id or a path).
///
/// ```
/// use tppcalc::catalog::Catalog;
/// use tppcalc::rules::RuleRegistry;
/// let catalog = Catalog::embedded().catalog;
/// let rules = RuleRegistry::shipped().resolve("us-2026-07", &[]).unwrap();
/// let m = tppcalc::foundry::mention(catalog.get("nvidia-l4").unwrap(), &rules, "nvidia-l4").unwrap();
/// assert_eq!(m.applicable_advanced_logic, "yes");
/// assert!(m.command.starts_with("tppcalc foundry nvidia-l4 --completed YYYY-MM-DD"));
/// let old = RuleRegistry::shipped().resolve("us-2024-12", &[]).unwrap();
/// assert!(tppcalc::foundry::mention(catalog.get("nvidia-l4").unwrap(), &old, "nvidia-l4").is_none());
/// ```
pub fn mention(part: &Part, rules: &RuleSet, subject: &str) -> Option<Mention> {
    let f = rules.foundry.as_ref()?;
    if !matches!(part, Part::Chip(_)) {
        return None;
    }
    let (adv, reasons) = advanced_logic(part, ProcessTable::shipped());
    let summary = match adv {
        Tri::Met => "the presumption can apply to it as made: a front-end fabricator or OSAT exporting it must presume it is 3A090.a and designed or marketed for datacenters, unless the designer's attestation or an attested transistor count overcomes the presumption (it binds only them)",
        Tri::NotMet => "the presumption does not apply to it as made: no logic die is non-planar or at or below the 16/14 nm node",
        Tri::Undecided => "the presumption may apply: whether it is an applicable advanced logic IC is unknown; give the logic dies' process and transistor architecture to settle it",
    };
    let quoted = if !subject.is_empty()
        && subject
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./+:@".contains(&b))
    {
        subject.to_string()
    } else {
        format!("'{}'", subject.replace('\'', r"'\''"))
    };
    Some(Mention {
        applicable_advanced_logic: match adv {
            Tri::Met => "yes",
            Tri::NotMet => "no",
            Tri::Undecided => "unknown",
        }
        .to_string(),
        reasons,
        summary: summary.to_string(),
        command: format!(
            "tppcalc foundry {quoted} --completed YYYY-MM-DD --packaged-by fabricator --packaged-in CC --rules {}",
            rules.id
        ),
        citation: f.citation.clone(),
    })
}

/// Answers the foundry question for one part.
///
/// ```
/// use tppcalc::catalog::Catalog;
/// use tppcalc::foundry::{ask, Packager, Presumption, Question};
/// use tppcalc::rules::RuleRegistry;
/// let catalog = Catalog::embedded().catalog;
/// let rules = RuleRegistry::shipped().resolve("us-2026-01", &[]).unwrap();
/// // The L4: 35.8 billion transistors (datasheet), GDDR6, packaged in Taiwan by the fabricator.
/// let mut q = Question { completed: "2027-06-30".into(), packaged_by: Some(Packager::Fabricator),
///     packaged_in: Some("TW".into()), designer: None };
/// let l4 = catalog.get("nvidia-l4").unwrap();
/// assert_eq!(ask(&catalog, l4, &rules, &q).unwrap().presumption, Presumption::Applies); // not below 35
/// q.completed = "2029-01-01".into();
/// assert_eq!(ask(&catalog, l4, &rules, &q).unwrap().presumption, Presumption::Overcome); // below 40
/// ```
pub fn ask(catalog: &Catalog, part: &Part, rules: &RuleSet, q: &Question) -> Result<Answer, Error> {
    let f = rules.foundry.as_ref().ok_or_else(|| {
        Error::new(
            ErrorKind::Usage,
            format!(
                "rule set `{}` has no `foundry` section: Note 1 to 3A090.a took effect on 2025-01-16 (90 FR 5298); use `--rules us-2025-01` or later",
                rules.id
            ),
        )
    })?;
    let (year, _, _) =
        parse_date(&q.completed).map_err(|e| Error::new(ErrorKind::Usage, e.to_string()).at_field("--completed"))?;
    if q.completed.as_str() < f.effective.as_str() {
        return Err(Error::new(
            ErrorKind::Usage,
            format!(
                "completion date `{}` is before Note 1 to 3A090.a took effect ({}): the presumption did not exist then; check the date",
                q.completed, f.effective
            ),
        )
        .at_field("--completed"));
    }
    if year > LAST_YEAR {
        return Err(Error::new(
            ErrorKind::Usage,
            format!(
                "completion date `{}` is out of range: expected a year up to {LAST_YEAR}",
                q.completed
            ),
        )
        .at_field("--completed"));
    }
    if let Part::System(s) = part {
        return Err(Error::new(
            ErrorKind::Usage,
            format!(
                "`{}` is a system: the foundry presumption is about one integrated circuit; ask about the chips it contains ({})",
                s.meta.id,
                s.contains.iter().map(|c| format!("`{}`", c.part)).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let snapshots = CountrySnapshots::embedded();
    let groups: Option<&CountryGroups> = snapshots.on(&q.completed).or_else(|| snapshots.latest());
    let packaged_in = match (&q.packaged_in, groups) {
        (Some(cc), Some(g)) => Some(g.code(cc).map_err(|e| e.at_field("--packaged-in"))?),
        (Some(cc), None) => Some(cc.trim().to_uppercase()),
        (None, _) => None,
    };
    let table = ProcessTable::shipped();
    let mut reasons = Vec::new();
    let (adv, adv_reasons) = advanced_logic(part, table);
    reasons.extend(adv_reasons);
    let hbm = has_hbm(part);
    let count = aggregated_count(part, table);
    let tests = f.tests_in(year);
    let eligible: Vec<&CountTest> = tests
        .iter()
        .copied()
        .filter(|t| t.hbm == HbmCondition::Any || hbm == Some(false))
        .collect();
    let threshold = eligible.iter().map(|t| t.below.clone()).max();
    let yr = year_rule(f, year);

    let mut routes = Vec::new();
    let mut results = Vec::new();
    // Paragraph a.
    let (d, why) = designer_route(catalog, part, rules, f, q.designer);
    routes.push(RouteAnswer {
        route: RouteBy::Designer,
        result: route_word(d, q.designer.is_none()),
        reason: why,
    });
    results.push((d, RouteKind::Designer));
    // Paragraphs b and c.
    let (c, why) = count_route(
        f,
        q.packaged_by,
        packaged_in.as_deref(),
        groups,
        &count,
        &eligible,
        hbm,
        &tests,
    );
    routes.push(RouteAnswer {
        route: match q.packaged_by {
            Some(Packager::ApprovedOsat) => RouteBy::ApprovedOsat,
            _ => RouteBy::Fabricator,
        },
        result: route_word(c, q.packaged_by.is_none()),
        reason: why,
    });
    results.push((c, RouteKind::TransistorCount));

    let overall = combine_routes(&results.iter().map(|r| r.0).collect::<Vec<_>>());
    let route = results.iter().find(|r| r.0 == Tri::Met).map(|r| r.1);
    let presumption = match (adv, overall) {
        (Tri::NotMet, _) => Presumption::NotApplicable,
        (_, Tri::Met) => Presumption::Overcome,
        (_, Tri::Undecided) => Presumption::Indeterminate,
        (Tri::Met, Tri::NotMet) => Presumption::Applies,
        (Tri::Undecided, Tri::NotMet) => Presumption::Indeterminate,
    };
    match presumption {
        Presumption::NotApplicable => {
            reasons.push("not an applicable advanced logic integrated circuit: the presumption does not apply".into())
        }
        Presumption::Overcome => {
            if adv == Tri::Undecided {
                reasons.push("whether it is an applicable advanced logic IC is unknown, but a route overcomes the presumption either way".into());
            }
            for r in routes.iter().filter(|r| r.result == RouteResult::Overcomes) {
                reasons.push(r.reason.clone());
            }
        }
        Presumption::Applies => {
            reasons.push(format!(
                "no route overcomes the presumption: the IC must be treated as {} and designed or marketed for datacenters",
                f.presumed_eccn
            ));
            for r in &routes {
                reasons.push(r.reason.clone());
            }
        }
        Presumption::Indeterminate => {
            if adv == Tri::Undecided {
                reasons.push("whether it is an applicable advanced logic IC is unknown (add the logic dies' process or transistor architecture)".into());
            }
            for r in &routes {
                reasons.push(r.reason.clone());
            }
        }
    }
    let (count_value, basis, dies) = match &count {
        Ok((x, b, d)) => (ceil_u64(x), Some(b.clone()), d.clone()),
        Err(_) => (None, None, vec![]),
    };
    let mut audit = Audit::new(rules, &part.meta().digest);
    if let Some(g) = groups {
        audit.country_groups = Some(g.id.clone());
        audit.country_groups_digest = Some(g.digest.clone());
    }
    Ok(Answer {
        part: part.id().0.clone(),
        name: part.meta().name.clone(),
        rules: rules.display_name(),
        completed: q.completed.clone(),
        presumption,
        route,
        advanced_logic: match adv {
            Tri::Met => AdvancedLogic::Yes,
            Tri::NotMet => AdvancedLogic::No,
            Tri::Undecided => AdvancedLogic::Unknown,
        },
        aggregated_transistor_count: count_value,
        count_basis: basis,
        count_dies: dies,
        threshold: threshold.as_ref().and_then(ceil_u64),
        hbm,
        year_rule: yr,
        packaged_by: q.packaged_by,
        packaged_in,
        designer: q.designer,
        routes,
        reasons,
        text: f.text.clone(),
        citation: f.citation.clone(),
        source: f.source.clone(),
        open_points: f.open_points.clone(),
        audit,
    })
}

fn route_word(t: Tri, not_taken: bool) -> RouteResult {
    match (t, not_taken) {
        (Tri::Met, _) => RouteResult::Overcomes,
        (Tri::Undecided, _) => RouteResult::Undecided,
        (Tri::NotMet, true) => RouteResult::NotTaken,
        (Tri::NotMet, false) => RouteResult::DoesNotOvercome,
    }
}

#[allow(clippy::too_many_arguments)]
fn count_route(
    f: &FoundryRules,
    by: Option<Packager>,
    packaged_in: Option<&str>,
    groups: Option<&CountryGroups>,
    count: &Result<(Exact, String, Vec<DieCount>), CountUnknown>,
    eligible: &[&CountTest],
    hbm: Option<bool>,
    tests: &[&CountTest],
) -> (Tri, String) {
    let route = match by {
        None => {
            return (
                Tri::NotMet,
                "no packager given (`--packaged-by`): the transistor-count route is not taken".into(),
            )
        }
        Some(Packager::Other) => {
            return (
                Tri::NotMet,
                "packaged by neither the front-end fabricator nor an approved OSAT: no attested count can overcome the presumption".into(),
            )
        }
        Some(Packager::Fabricator) => &f.fabricator,
        Some(Packager::ApprovedOsat) => &f.approved_osat,
    };
    let who = match by {
        Some(Packager::ApprovedOsat) => "approved OSAT",
        _ => "front-end fabricator",
    };
    if !route.enabled {
        return (Tri::NotMet, format!("this rule set disables the {who} route"));
    }
    let mut location = Tri::NotMet; // NotMet: not inside an excluded place
    if !route.packaged_outside.is_empty() {
        let places = route.packaged_outside.join(" or ");
        let Some(cc) = packaged_in else {
            return (
                Tri::NotMet,
                format!("no packaging location given (`--packaged-in`): packaging outside {places} cannot be confirmed, so the count route is not open"),
            );
        };
        for p in &route.packaged_outside {
            let t = match groups {
                Some(g) => g.contains(&Place::parse(p), cc),
                None => Tri::Undecided,
            };
            match t {
                Tri::Met => {
                    return (
                        Tri::NotMet,
                        format!("packaged in {cc}, which is in {p}: the {who} route needs packaging outside {places}"),
                    )
                }
                Tri::Undecided => location = Tri::Undecided,
                Tri::NotMet => {}
            }
        }
    }
    let (n, basis) = match count {
        Ok((n, b, _)) => (n, b),
        Err(why) => {
            return (
                Tri::NotMet,
                format!("the aggregated transistor count cannot be confirmed ({why}): the presumption stands"),
            )
        }
    };
    let shown = ceil_u64(n).map_or_else(|| crate::numfmt::exact(n), |v| v.to_string());
    let hbm_words = match hbm {
        Some(true) => "the package contains high-bandwidth memory",
        Some(false) => "the package has no high-bandwidth memory",
        None => "whether the package contains high-bandwidth memory is unknown",
    };
    let skipped: Vec<String> = tests
        .iter()
        .filter(|t| !eligible.iter().any(|e| e.id == t.id))
        .map(|t| format!("below {}", billions(&t.below)))
        .collect();
    let skipped = if skipped.is_empty() {
        String::new()
    } else {
        format!(" ({hbm_words}, so {} does not apply)", skipped.join(", "))
    };
    let passing: Vec<&&CountTest> = eligible.iter().filter(|t| n < &t.below).collect();
    if let Some(t) = passing.iter().max_by_key(|t| t.below.clone()) {
        let r = if location == Tri::Undecided {
            Tri::Undecided
        } else {
            Tri::Met
        };
        let loc = if location == Tri::Undecided {
            format!(
                "; but whether {} is outside {} is unknown in the country groups used",
                packaged_in.unwrap_or("?"),
                route.packaged_outside.join(" or ")
            )
        } else {
            String::new()
        };
        return (
            r,
            format!(
                "the {who}'s attested count, {shown} transistors ({basis}), is below {}{skipped}{loc}",
                billions(&t.below)
            ),
        );
    }
    let max = eligible.iter().map(|t| t.below.clone()).max();
    (
        Tri::NotMet,
        format!(
            "the aggregated count, {shown} transistors ({basis}), is not below {}{skipped}",
            max.map_or_else(|| "any threshold open this year".into(), |m| billions(&m))
        ),
    )
}
