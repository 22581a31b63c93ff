//! The `foundry` section of a rule set: Note 1 to 3A090.a as data (its verbatim text, the
//! transistor-count tests with their years, the routes that overcome the presumption), and the
//! `--set foundry.…` overrides that move them.

mod error;

use crate::datasheet::Scalar;
use crate::exact::{self, Exact};
pub use error::FoundryError;
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
fn count_value(s: &Scalar) -> Result<Exact, FoundryError> {
    let x = match s {
        Scalar::Number(n) => {
            exact::from_f64_literal(*n).ok_or_else(|| FoundryError::NotANumber { found: s.written() })?
        }
        Scalar::Text(t) => exact::parse_decimal(t.trim()).map_err(|e| FoundryError::NotACount {
            found: s.written(),
            source: Some(e),
        })?,
        Scalar::Bool(_) => {
            return Err(FoundryError::NotACount {
                found: s.written(),
                source: None,
            })
        }
    };
    if !x.is_integer() || x <= exact::int(0) {
        return Err(FoundryError::NotWholePositive { found: s.written() });
    }
    Ok(x)
}

fn check_years(t: &CountTest) -> Result<(), FoundryError> {
    for y in [t.from_year, t.to_year].into_iter().flatten() {
        if !(1900..=2200).contains(&y) {
            return Err(FoundryError::YearOutOfRange { year: y });
        }
    }
    if let (Some(f), Some(to)) = (t.from_year, t.to_year) {
        if f > to {
            return Err(FoundryError::YearsReversed { from: f, to });
        }
    }
    Ok(())
}

impl FoundryRaw {
    /// Checks the section and builds it; errors are (field path under `foundry`, message).
    pub fn resolve(self) -> Result<FoundryRules, crate::rules::FieldError> {
        if crate::rules::check_date(&self.effective).is_err() {
            return Err(crate::rules::FieldError::new(
                "foundry.effective".into(),
                format!("expected a date such as `2025-01-16`, found `{}`", self.effective),
            ));
        }
        let mut tests = Vec::new();
        for (i, t) in self.count_tests.into_iter().enumerate() {
            let below = count_value(&t.below)
                .map_err(|e| crate::rules::FieldError::at(format!("foundry.count_tests[{i}].below"), e))?;
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
            check_years(&test).map_err(|e| crate::rules::FieldError::at(format!("foundry.count_tests[{i}]"), e))?;
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

fn year_value(s: &Scalar) -> Result<Option<i32>, FoundryError> {
    match s {
        Scalar::Text(t) if t == "none" || t.is_empty() => Ok(None),
        Scalar::Text(t) => t
            .parse::<i32>()
            .map(Some)
            .map_err(|_| FoundryError::NotAYear { found: t.clone() }),
        Scalar::Number(n) if n.fract() == 0.0 => Ok(Some(*n as i32)),
        other => Err(FoundryError::NotAYear { found: other.written() }),
    }
}

fn bool_value(s: &Scalar) -> Result<bool, FoundryError> {
    match s {
        Scalar::Bool(b) => Ok(*b),
        other => Err(FoundryError::NotABool { found: other.written() }),
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
    pub fn apply_set(&mut self, rest: &str, value: &Scalar) -> Result<(), FoundryError> {
        if let Some(route) = rest.strip_prefix("routes.") {
            let b = bool_value(value).map_err(|e| e.at(rest))?;
            let r = match route {
                "designer" => &mut self.designer,
                "fabricator" => &mut self.fabricator,
                "approved_osat" => &mut self.approved_osat,
                other => {
                    return Err(FoundryError::UnknownRoute {
                        route: other.to_string(),
                    })
                }
            };
            r.enabled = b;
            return Ok(());
        }
        let tests = || self.count_tests.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
        let Some((id, field)) = rest.rsplit_once('.') else {
            return Err(FoundryError::KeyShape {
                rest: rest.to_string(),
                tests: tests(),
            });
        };
        let known = tests();
        let Some(t) = self.count_tests.iter_mut().find(|t| t.id == id) else {
            return Err(FoundryError::UnknownTest {
                rest: rest.to_string(),
                tests: known,
            });
        };
        match field {
            "below" => t.below = count_value(value).map_err(|e| e.at(rest))?,
            "from_year" => t.from_year = year_value(value).map_err(|e| e.at(rest))?,
            "to_year" => t.to_year = year_value(value).map_err(|e| e.at(rest))?,
            "hbm" => {
                t.hbm = match value {
                    Scalar::Text(v) if v == "any" => HbmCondition::Any,
                    Scalar::Text(v) if v == "absent" => HbmCondition::Absent,
                    other => return Err(FoundryError::NotAnHbmCondition { found: other.written() }.at(rest)),
                }
            }
            other => {
                return Err(FoundryError::UnknownField {
                    rest: rest.to_string(),
                    field: other.to_string(),
                })
            }
        }
        check_years(t).map_err(|e| e.at(rest))
    }

    /// The count tests that cover transactions completed in `year`.
    pub fn tests_in(&self, year: i32) -> Vec<&CountTest> {
        self.count_tests.iter().filter(|t| t.covers(year)).collect()
    }
}

/// Reads `YYYY-MM-DD` as a calendar date (year, month, day).
///
/// ```
/// assert_eq!(tppcalc::foundry::parse_date("2028-02-29"), Ok((2028, 2, 29)));
/// assert!(tppcalc::foundry::parse_date("2027-02-29").is_err());
/// assert!(tppcalc::foundry::parse_date("2027-1-5").is_err());
/// ```
pub fn parse_date(s: &str) -> Result<(i32, u32, u32), FoundryError> {
    let bad = || FoundryError::NotADate { found: s.to_string() };
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let y: i32 = s[0..4].parse().map_err(|_| bad())?;
    let m: u32 = s[5..7].parse().map_err(|_| bad())?;
    let d: u32 = s[8..10].parse().map_err(|_| bad())?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => {
            return Err(FoundryError::NoSuchMonth {
                found: s.to_string(),
                month: m,
            })
        }
    };
    if d == 0 || d > days {
        return Err(FoundryError::NoSuchDay {
            found: s.to_string(),
            year: y,
            month: m,
            days,
        });
    }
    Ok((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleRegistry;

    fn foundry() -> FoundryRules {
        RuleRegistry::shipped()
            .resolve("us-2026-01", &[])
            .unwrap()
            .foundry
            .unwrap()
    }

    fn text(s: &str) -> Scalar {
        Scalar::Text(s.to_string())
    }

    #[test]
    fn each_bad_foundry_value_or_key_gives_its_variant_and_message() {
        assert_eq!(
            parse_date("2027-1-5"),
            Err(FoundryError::NotADate {
                found: "2027-1-5".into()
            })
        );
        let e = parse_date("2027-13-01").unwrap_err();
        assert_eq!(
            e,
            FoundryError::NoSuchMonth {
                found: "2027-13-01".into(),
                month: 13
            }
        );
        assert_eq!(
            e.to_string(),
            "expected a date `YYYY-MM-DD` such as `2027-03-31`, found `2027-13-01`: there is no month 13"
        );
        let e = parse_date("2027-02-29").unwrap_err();
        assert_eq!(
            e,
            FoundryError::NoSuchDay {
                found: "2027-02-29".into(),
                year: 2027,
                month: 2,
                days: 28
            }
        );
        assert_eq!(
            e.to_string(),
            "expected a date `YYYY-MM-DD` such as `2027-03-31`, found `2027-02-29`: month 2 of 2027 has 28 days"
        );

        assert!(matches!(
            count_value(&text("30 billion")),
            Err(FoundryError::NotACount { source: Some(_), .. })
        ));
        let e = count_value(&Scalar::Bool(true)).unwrap_err();
        assert_eq!(
            e,
            FoundryError::NotACount {
                found: "true".into(),
                source: None
            }
        );
        assert_eq!(
            e.to_string(),
            "expected a number of transistors such as `30000000000`, found `true`"
        );
        let e = count_value(&Scalar::Number(2.5)).unwrap_err();
        assert_eq!(e, FoundryError::NotWholePositive { found: "2.5".into() });

        let id = foundry().count_tests[0].id.clone();
        let e = foundry().apply_set(&format!("{id}.below"), &text("0")).unwrap_err();
        assert_eq!(
            e,
            FoundryError::At {
                key: format!("foundry.{id}.below"),
                source: Box::new(FoundryError::NotWholePositive { found: "0".into() })
            }
        );
        assert_eq!(
            e.to_string(),
            format!("`foundry.{id}.below`: expected a whole number of transistors greater than zero, found `0`")
        );
        let e = foundry()
            .apply_set(&format!("{id}.from_year"), &text("1800"))
            .unwrap_err();
        assert!(
            matches!(&e, FoundryError::At { source, .. } if **source == FoundryError::YearOutOfRange { year: 1800 })
        );
        let e = foundry()
            .apply_set(&format!("{id}.to_year"), &text("soon"))
            .unwrap_err();
        assert!(matches!(&e, FoundryError::At { source, .. } if matches!(**source, FoundryError::NotAYear { .. })));
        let e = foundry().apply_set(&format!("{id}.hbm"), &text("some")).unwrap_err();
        assert!(
            matches!(&e, FoundryError::At { source, .. } if matches!(**source, FoundryError::NotAnHbmCondition { .. }))
        );
        let e = foundry().apply_set("routes.osat", &Scalar::Bool(true)).unwrap_err();
        assert_eq!(e, FoundryError::UnknownRoute { route: "osat".into() });
        let e = foundry().apply_set("below", &text("1")).unwrap_err();
        assert!(matches!(e, FoundryError::KeyShape { .. }), "{e:?}");
        let e = foundry().apply_set("no-such-test.below", &text("1")).unwrap_err();
        assert!(
            matches!(&e, FoundryError::UnknownTest { tests, .. } if tests.contains(&id)),
            "{e:?}"
        );
        let e = foundry().apply_set(&format!("{id}.above"), &text("1")).unwrap_err();
        assert_eq!(
            e,
            FoundryError::UnknownField {
                rest: format!("{id}.above"),
                field: "above".into()
            }
        );
        let mut f = foundry();
        f.count_tests[0].from_year = Some(2030);
        let e = f.apply_set(&format!("{id}.to_year"), &text("2029")).unwrap_err();
        assert!(
            matches!(&e, FoundryError::At { source, .. } if **source == FoundryError::YearsReversed { from: 2030, to: 2029 })
        );
        assert_eq!(
            e.to_string(),
            format!("`foundry.{id}.to_year`: `from_year` 2030 is after `to_year` 2029")
        );
    }

    #[test]
    fn a_bad_section_keeps_the_foundry_error_under_its_field_path() {
        let section = |below: &str, years: &str| {
            format!(
                "effective: 2025-01-16\ncitation: c\nsource: s\ntext: t\ntechnical_note: n\npresumed_eccn: 3A090.a\n\
                 count_tests:\n  - {{ id: any-year, below: {below}, hbm: any{years}, text: t }}\n\
                 routes:\n  designer: {{ enabled: true, text: t }}\n  fabricator: {{ enabled: true, text: t }}\n  approved_osat: {{ enabled: true, text: t }}\n"
            )
        };
        let raw: FoundryRaw = crate::yaml::from_str(&section("0", "")).unwrap();
        let e = raw.resolve().unwrap_err();
        assert_eq!(e.field, "foundry.count_tests[0].below");
        assert_eq!(
            e.problem,
            crate::rules::FieldProblem::Foundry(Box::new(FoundryError::NotWholePositive { found: "0".into() }))
        );
        assert_eq!(
            e.to_string(),
            "foundry.count_tests[0].below: expected a whole number of transistors greater than zero, found `0`"
        );
        let raw: FoundryRaw =
            crate::yaml::from_str(&section("30000000000", ", from_year: 2029, to_year: 2027")).unwrap();
        let e = raw.resolve().unwrap_err();
        assert_eq!(e.field, "foundry.count_tests[0]");
        assert_eq!(
            e.problem,
            crate::rules::FieldProblem::Foundry(Box::new(FoundryError::YearsReversed { from: 2029, to: 2027 }))
        );
    }
}
