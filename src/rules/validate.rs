//! Checks on rule sets and on user input: clause ids unique, every ECCN named is in
//! `severity`, licensing consistent, the evaluation bounded; and dates given by a user.

use super::registry::RuleFileRaw;
use super::{Condition, Eccn, FieldError, Leaf, MetricKey, RuleSet, TooManyCases};
use crate::error::{Error, ErrorKind};
use crate::exact;

/// Largest number of cases the three-valued evaluation may have to examine for one part: one
/// per combination of the classes that a rule set's thresholds cut each unknown metric into,
/// and of the values of its unknown flags. Shipped rule sets need at most a few hundred.
pub const MAX_EVALUATION_CASES: u64 = 100_000;

/// Refuses a rule set whose thresholds are so many that evaluating a part with unknown figures
/// would take unbounded time (each metric with `t` distinct thresholds has `2t + 1` classes).
pub(super) fn check_evaluation_size(rs: &RuleSet) -> Result<(), TooManyCases> {
    fn flags(c: &Condition, used: &mut [bool; 2]) {
        c.for_each_leaf(&mut |_, leaf| {
            if let Leaf::Flag(k, _) = leaf {
                used[k.index()] = true;
            }
        });
    }
    let mut thresholds: [std::collections::BTreeSet<exact::Exact>; 5] = Default::default();
    let mut used = [false; 2];
    let conditions = rs
        .controls
        .iter()
        .map(|c| &c.when)
        .chain(rs.exclusions.iter().map(|x| &x.when));
    for c in conditions {
        c.for_each_bound(&mut |k, b| {
            thresholds[k.index()].extend(b.limits.iter().map(|(_, t)| t.clone()));
        });
        flags(c, &mut used);
    }
    let cases = thresholds
        .iter()
        .map(|t| 2 * t.len() as u64 + 1)
        .chain(used.iter().map(|&u| if u { 2 } else { 1 }))
        .fold(1u64, |acc, n| acc.saturating_mul(n));
    if cases > MAX_EVALUATION_CASES {
        let per_metric: Vec<String> = MetricKey::ALL
            .iter()
            .filter(|k| !thresholds[k.index()].is_empty())
            .map(|k| format!("{} on `{}`", thresholds[k.index()].len(), k.name()))
            .collect();
        return Err(TooManyCases { per_metric, cases });
    }
    Ok(())
}

/// Clause ids repeated inside one file (a later one would silently replace the earlier).
pub(super) fn check_file_ids(raw: &RuleFileRaw) -> Result<(), FieldError> {
    let mut seen: Vec<&str> = Vec::new();
    let controls = raw.controls.iter().flatten().map(|c| ("controls", &c.id));
    let exclusions = raw.exclusions.iter().flatten().map(|x| ("exclusions", &x.id));
    let mut index = [0usize; 2];
    for (list, id) in controls.chain(exclusions) {
        let slot = usize::from(list == "exclusions");
        if seen.contains(&id.as_str()) {
            return Err(FieldError::new(
                format!("{list}[{}].id", index[slot]),
                format!("duplicate clause id `{id}`: each control and exclusion of a file needs its own id"),
            ));
        }
        seen.push(id);
        index[slot] += 1;
    }
    Ok(())
}

pub(super) fn check(rs: &RuleSet) -> Result<(), FieldError> {
    let mut ids: Vec<&str> = Vec::new();
    for (i, c) in rs.controls.iter().enumerate() {
        if ids.contains(&c.id.as_str()) {
            return Err(FieldError::new(
                format!("controls[{i}].id"),
                format!("duplicate clause id `{}`", c.id),
            ));
        }
        ids.push(&c.id);
        if !rs.severity.contains(&c.eccn) {
            return Err(FieldError::new(
                format!("controls[{i}].eccn"),
                format!("ECCN `{}` is not listed in `severity`", c.eccn),
            ));
        }
        check_contains(&c.when, &format!("controls[{i}].when"), &rs.severity)?;
    }
    for (i, x) in rs.exclusions.iter().enumerate() {
        if ids.contains(&x.id.as_str()) {
            return Err(FieldError::new(
                format!("exclusions[{i}].id"),
                format!("duplicate clause id `{}`", x.id),
            ));
        }
        ids.push(&x.id);
        for e in &x.excludes {
            if !rs.severity.contains(e) {
                return Err(FieldError::new(
                    format!("exclusions[{i}].excludes"),
                    format!("ECCN `{e}` is not listed in `severity`"),
                ));
            }
        }
        check_contains(&x.when, &format!("exclusions[{i}].when"), &rs.severity)?;
    }
    for (i, e) in rs.severity.iter().enumerate() {
        if rs.severity[..i].contains(e) {
            return Err(FieldError::new(
                format!("severity[{i}]"),
                format!("ECCN `{e}` is listed twice"),
            ));
        }
    }
    if let Some(l) = &rs.licensing {
        super::licensing::check(l, &rs.severity)?;
    }
    Ok(())
}

/// Every `contains` in a condition (including inside `any_of`) names an ECCN of `severity`: an
/// ECCN no clause can place a part in would make the clause silently never match.
pub(super) fn check_contains(c: &Condition, path: &str, severity: &[Eccn]) -> Result<(), FieldError> {
    let mut first = None;
    c.for_each_leaf(&mut |branch, leaf| match leaf {
        Leaf::Contains(e) if first.is_none() && !severity.contains(e) => {
            first = Some(FieldError::new(
                format!("{path}.{}contains", super::branch_prefix(branch)),
                format!("`contains: {e}` names an ECCN that is not listed in `severity`"),
            ));
        }
        _ => {}
    });
    first.map_or(Ok(()), Err)
}

/// Checks a date given by a user (`YYYY-MM-DD`, a real calendar day).
///
/// ```
/// use tppcalc::rules::check_date;
/// assert!(check_date("2024-02-29").is_ok());
/// assert!(check_date("2023-02-29").is_err());
/// assert!(check_date("2025-6-1").unwrap_err().message.contains("YYYY-MM-DD"));
/// ```
pub fn check_date(date: &str) -> Result<(), Error> {
    super::foundry::parse_date(date)
        .map(|_| ())
        .map_err(|e| Error::new(ErrorKind::Usage, e.to_string()))
}
