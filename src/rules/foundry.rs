//! The `foundry` section of a rule set: Note 1 to 3A090.a as data (its verbatim text, the
//! transistor-count tests with their years, the routes that overcome the presumption), and the
//! `--set foundry.…` overrides that move them.

use crate::datasheet::Scalar;
use crate::exact::{self, Exact};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether a count test needs a package without high-bandwidth memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HbmCondition {
    /// Any package.
    Any,
    /// Only a package that "does not contain high-bandwidth memory".
    Absent,
}

impl fmt::Display for HbmCondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HbmCondition::Any => "any",
            HbmCondition::Absent => "absent",
        })
    }
}

/// One transistor-count test of paragraphs b and c: the count must be below `below`, in the
/// years `from_year..=to_year` (open ends when absent), for the packages `hbm` names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountTest {
    /// `any-year`, `no-hbm-2027`, ...
    pub id: String,
    /// The count must be strictly below this ("below 30 billion transistors").
    #[serde(serialize_with = "exact_str")]
    pub below: Exact,
    /// Which packages.
    pub hbm: HbmCondition,
    /// First calendar year of completion (inclusive).
    pub from_year: Option<i32>,
    /// Last calendar year of completion (inclusive).
    pub to_year: Option<i32>,
    /// The words of the note this test stands for.
    pub text: String,
}

impl CountTest {
    /// Whether the test covers transactions completed in `year`.
    pub fn covers(&self, year: i32) -> bool {
        self.from_year.is_none_or(|f| year >= f) && self.to_year.is_none_or(|t| year <= t)
    }

    /// `2027`, `2029 or later`, `any year`, `2025 to 2027`.
    pub fn years(&self) -> String {
        match (self.from_year, self.to_year) {
            (None, None) => "any year".into(),
            (Some(f), Some(t)) if f == t => format!("{f}"),
            (Some(f), Some(t)) => format!("{f} to {t}"),
            (Some(f), None) => format!("{f} or later"),
            (None, Some(t)) => format!("{t} or earlier"),
        }
    }
}

fn exact_str<S: serde::Serializer>(x: &Exact, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&x.to_string())
}

/// A route that can overcome the presumption.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Route {
    /// Whether the route is available under this rule set.
    pub enabled: bool,
    /// Places the packaging must be outside of (`MO`, `D:5`); empty: anywhere.
    pub packaged_outside: Vec<String>,
    /// The paragraph's words.
    pub text: String,
}

/// The resolved `foundry` section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundryRules {
    /// The date the presumption took effect.
    pub effective: String,
    /// Where the text is codified and which Federal Register documents made it.
    pub citation: String,
    /// How the text was obtained and how sure it is.
    pub source: String,
    /// Note 1 to 3A090.a, verbatim.
    pub text: String,
    /// Technical Note 1 to 3A090.a, verbatim.
    pub technical_note: String,
    /// The ECCN the presumption places the IC in.
    pub presumed_eccn: String,
    /// The transistor-count tests, in file order.
    pub count_tests: Vec<CountTest>,
    /// Paragraph a: an approved or authorized designer's attestation of TPP and PD.
    pub designer: Route,
    /// Paragraph b: packaging by the front-end fabricator.
    pub fabricator: Route,
    /// Paragraph c: packaging by an approved OSAT.
    pub approved_osat: Route,
    /// Points the text leaves open, in plain words.
    pub open_points: Vec<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct CountTestRaw {
    id: String,
    below: Scalar,
    hbm: HbmCondition,
    from_year: Option<i32>,
    to_year: Option<i32>,
    text: String,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RouteRaw {
    enabled: bool,
    #[serde(default)]
    packaged_outside: Vec<String>,
    text: String,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RoutesRaw {
    designer: RouteRaw,
    fabricator: RouteRaw,
    approved_osat: RouteRaw,
}

/// `foundry:` as written in a rule file. A child rule set's section replaces its parent's whole.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct FoundryRaw {
    effective: String,
    citation: String,
    source: String,
    text: String,
    technical_note: String,
    presumed_eccn: String,
    count_tests: Vec<CountTestRaw>,
    routes: RoutesRaw,
    #[serde(default)]
    open_points: Vec<String>,
}

/// A whole number of transistors from a scalar: `30000000000`, `"30000000000"`, `30e9`.
fn count_value(s: &Scalar) -> Result<Exact, String> {
    let x = match s {
        Scalar::Number(n) => exact::from_f64_literal(*n).ok_or_else(|| format!("expected a number, found {s}"))?,
        Scalar::Text(t) => exact::parse_decimal(t.trim())
            .map_err(|e| format!("expected a number of transistors such as `30000000000`, found {s}: {e}"))?,
        Scalar::Bool(_) => {
            return Err(format!(
                "expected a number of transistors such as `30000000000`, found {s}"
            ))
        }
    };
    if !x.is_integer() || x <= exact::int(0) {
        return Err(format!(
            "expected a whole number of transistors greater than zero, found {s}"
        ));
    }
    Ok(x)
}

fn check_years(t: &CountTest) -> Result<(), String> {
    for y in [t.from_year, t.to_year].into_iter().flatten() {
        if !(1900..=2200).contains(&y) {
            return Err(format!("expected a year from 1900 to 2200, found `{y}`"));
        }
    }
    if let (Some(f), Some(to)) = (t.from_year, t.to_year) {
        if f > to {
            return Err(format!("`from_year` {f} is after `to_year` {to}"));
        }
    }
    Ok(())
}

impl FoundryRaw {
    /// Checks the section and builds it; errors are (field path under `foundry`, message).
    pub fn resolve(self) -> Result<FoundryRules, crate::rules::FieldError> {
        if super::check_date(&self.effective).is_err() {
            return Err(crate::rules::FieldError::new(
                "foundry.effective".into(),
                format!("expected a date such as `2025-01-16`, found `{}`", self.effective),
            ));
        }
        let mut tests = Vec::new();
        for (i, t) in self.count_tests.into_iter().enumerate() {
            let below = count_value(&t.below)
                .map_err(|m| crate::rules::FieldError::new(format!("foundry.count_tests[{i}].below"), m))?;
            if tests.iter().any(|o: &CountTest| o.id == t.id) {
                return Err(crate::rules::FieldError::new(
                    format!("foundry.count_tests[{i}].id"),
                    format!("duplicate count test id `{}`", t.id),
                ));
            }
            let test = CountTest {
                id: t.id,
                below,
                hbm: t.hbm,
                from_year: t.from_year,
                to_year: t.to_year,
                text: t.text,
            };
            check_years(&test).map_err(|m| crate::rules::FieldError::new(format!("foundry.count_tests[{i}]"), m))?;
            tests.push(test);
        }
        if tests.is_empty() {
            return Err(crate::rules::FieldError::new(
                "foundry.count_tests".into(),
                "expected at least one count test".into(),
            ));
        }
        let route = |r: RouteRaw| Route {
            enabled: r.enabled,
            packaged_outside: r.packaged_outside,
            text: r.text,
        };
        Ok(FoundryRules {
            effective: self.effective,
            citation: self.citation,
            source: self.source,
            text: self.text,
            technical_note: self.technical_note,
            presumed_eccn: self.presumed_eccn,
            count_tests: tests,
            designer: route(self.routes.designer),
            fabricator: route(self.routes.fabricator),
            approved_osat: route(self.routes.approved_osat),
            open_points: self.open_points,
        })
    }
}

fn year_value(s: &Scalar) -> Result<Option<i32>, String> {
    match s {
        Scalar::Text(t) if t == "none" || t.is_empty() => Ok(None),
        Scalar::Text(t) => t
            .parse::<i32>()
            .map(Some)
            .map_err(|_| format!("expected a year such as `2028` or `none`, found `{t}`")),
        Scalar::Number(n) if n.fract() == 0.0 => Ok(Some(*n as i32)),
        other => Err(format!("expected a year such as `2028` or `none`, found {other}")),
    }
}

fn bool_value(s: &Scalar) -> Result<bool, String> {
    match s {
        Scalar::Bool(b) => Ok(*b),
        other => Err(format!("expected `true` or `false`, found {other}")),
    }
}

impl FoundryRules {
    /// Applies `--set foundry.<rest>=value`: `<test>.below`, `<test>.from_year`,
    /// `<test>.to_year` (a year or `none`), `<test>.hbm` (`any` or `absent`), or
    /// `routes.<designer|fabricator|approved_osat>` (`true` or `false`).
    ///
    /// ```
    /// use tppcalc::rules::{RuleRegistry, SetValue};
    /// let r = RuleRegistry::shipped();
    /// let s = SetValue::parse("foundry.no-hbm-2027.to_year=2028").unwrap();
    /// let rs = r.resolve("us-2026-01", &[s]).unwrap();
    /// let f = rs.foundry.unwrap();
    /// assert!(f.count_tests.iter().any(|t| t.id == "no-hbm-2027" && t.covers(2028)));
    /// let typo = SetValue::parse("foundry.no-hbm-2028.below=1").unwrap();
    /// assert!(r.resolve("us-2026-01", &[typo]).is_err());
    /// ```
    pub fn apply_set(&mut self, rest: &str, value: &Scalar) -> Result<(), String> {
        if let Some(route) = rest.strip_prefix("routes.") {
            let b = bool_value(value).map_err(|m| format!("`foundry.{rest}`: {m}"))?;
            let r = match route {
                "designer" => &mut self.designer,
                "fabricator" => &mut self.fabricator,
                "approved_osat" => &mut self.approved_osat,
                other => {
                    return Err(format!(
                        "`foundry.routes.{other}` names nothing: expected `designer`, `fabricator` or `approved_osat`"
                    ))
                }
            };
            r.enabled = b;
            return Ok(());
        }
        let ids: Vec<String> = self.count_tests.iter().map(|t| format!("`{}`", t.id)).collect();
        let (id, field) = rest.rsplit_once('.').ok_or_else(|| {
            format!(
                "`foundry.{rest}` names nothing: expected `foundry.<test>.<below|from_year|to_year|hbm>` with a test among {}, or `foundry.routes.<route>`",
                ids.join(", ")
            )
        })?;
        let Some(t) = self.count_tests.iter_mut().find(|t| t.id == id) else {
            return Err(format!(
                "`foundry.{rest}` names no count test: expected one of {}",
                ids.join(", ")
            ));
        };
        match field {
            "below" => t.below = count_value(value).map_err(|m| format!("`foundry.{rest}`: {m}"))?,
            "from_year" => t.from_year = year_value(value).map_err(|m| format!("`foundry.{rest}`: {m}"))?,
            "to_year" => t.to_year = year_value(value).map_err(|m| format!("`foundry.{rest}`: {m}"))?,
            "hbm" => {
                t.hbm = match value {
                    Scalar::Text(v) if v == "any" => HbmCondition::Any,
                    Scalar::Text(v) if v == "absent" => HbmCondition::Absent,
                    other => return Err(format!("`foundry.{rest}`: expected `any` or `absent`, found {other}")),
                }
            }
            other => {
                return Err(format!(
                    "`foundry.{rest}` names nothing: a count test has `below`, `from_year`, `to_year` and `hbm`, not `{other}`"
                ))
            }
        }
        check_years(t).map_err(|m| format!("`foundry.{rest}`: {m}"))
    }

    /// The count tests that cover transactions completed in `year`.
    pub fn tests_in(&self, year: i32) -> Vec<&CountTest> {
        self.count_tests.iter().filter(|t| t.covers(year)).collect()
    }
}
