//! The `--set` path language: `KEY=VALUE` overrides such as `3A090.a.1.tpp.at_least=4000`,
//! `3A090.a.any_of[1].tpp.at_least=1600`, `interpretation.bit_length.fp8=8` or
//! `foundry.<key>`; parsed here and applied to a resolved rule set. A key that names nothing
//! is an error, never silently ignored.

use super::condition::parse_bound;
use super::validate::check;
use super::{BoundKey, Condition, Eccn, MetricKey, RuleSet, SetError, Term};
use crate::datasheet::Scalar;
use crate::error::{Error, ErrorKind};
use crate::exact;
use crate::metrics::DieAreaPolicy;

/// One override: `3A090.a.1.tpp.at_least = 4000`.
#[derive(Debug, Clone)]
pub struct SetValue {
    /// The key: a clause id, optional `any_of[i]` steps, a condition key and a bound key; or
    /// `interpretation.bit_length.<precision>` / `interpretation.applicable_die_area`.
    pub key: String,
    /// The value as written.
    pub value: Scalar,
}

impl SetValue {
    /// Parses `KEY=VALUE` from the command line. The value is kept as text so that numbers are
    /// read exactly.
    ///
    /// ```
    /// use tppcalc::rules::SetValue;
    /// let s = SetValue::parse("Note 2 to 3A090.tpp.below=4000").unwrap();
    /// assert_eq!(s.key, "Note 2 to 3A090.tpp.below");
    /// assert!(SetValue::parse("no-equals-sign").is_err());
    /// ```
    pub fn parse(arg: &str) -> Result<SetValue, Error> {
        let (k, v) = arg.split_once('=').ok_or_else(|| {
            Error::new(
                ErrorKind::Usage,
                format!("expected `--set KEY=VALUE` (e.g. `3A090.a.1.tpp.at_least=4000`), found `{arg}`"),
            )
        })?;
        let v = v.trim();
        let value = match v {
            "true" => Scalar::Bool(true),
            "false" => Scalar::Bool(false),
            _ => Scalar::Text(v.to_string()),
        };
        Ok(SetValue {
            key: k.trim().to_string(),
            value,
        })
    }
}

pub(super) fn scalar_text(s: &Scalar) -> String {
    match s {
        Scalar::Text(t) => t.clone(),
        Scalar::Number(n) => exact::from_f64_literal(*n)
            .map(|x| crate::numfmt::exact(&x))
            .unwrap_or_else(|| n.to_string()),
        Scalar::Bool(b) => b.to_string(),
    }
}

/// Switches control `id` on (evaluated) or off (listed by `rules` only); the controls keep their
/// order.
fn switch(rs: &mut RuleSet, id: &str, on: bool) {
    let (from, to) = if on {
        (&mut rs.switched_off, &mut rs.controls)
    } else {
        (&mut rs.controls, &mut rs.switched_off)
    };
    if let Some(i) = from.iter().position(|c| c.id == id) {
        to.push(from.remove(i));
    }
}

/// Applies one override to a resolved rule set. A key that names nothing is an error.
pub(super) fn apply_set(rs: &mut RuleSet, s: &SetValue) -> Result<(), SetError> {
    let key = s.key.as_str();
    if let Some(prec) = key.strip_prefix("interpretation.bit_length.") {
        crate::datasheet::Precision::parse(prec)?;
        let bits = match &s.value {
            Scalar::Number(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= 1024.0 => *n as u32,
            Scalar::Text(t) => t
                .parse::<u32>()
                .ok()
                .filter(|b| (1..=1024).contains(b))
                .ok_or_else(|| SetError::BitLength { found: t.clone() })?,
            other => return Err(SetError::BitLength { found: other.written() }),
        };
        rs.interpretation.bit_length.insert(prec.to_string(), bits);
        return Ok(());
    }
    if let Some(rest) = key.strip_prefix("foundry.") {
        let id = rs.id.clone();
        return match rs.foundry.as_mut() {
            Some(f) => Ok(f.apply_set(rest, &s.value)?),
            None => Err(SetError::NoFoundry {
                key: key.to_string(),
                rule_set: id,
            }),
        };
    }
    if let Some(id) = key.strip_suffix(".enabled") {
        if rs.controls.iter().chain(&rs.switched_off).any(|c| c.id == id) {
            let on = match &s.value {
                Scalar::Bool(b) => *b,
                other => {
                    return Err(SetError::NotABool {
                        key: key.to_string(),
                        found: other.written(),
                    })
                }
            };
            switch(rs, id, on);
            return Ok(());
        }
    }
    if key == "interpretation.applicable_die_area" {
        rs.interpretation.applicable_die_area = match &s.value {
            Scalar::Text(t) if t == "all-logic" => DieAreaPolicy::AllLogic,
            Scalar::Text(t) if t == "compute-only" => DieAreaPolicy::ComputeOnly,
            other => return Err(SetError::DieAreaPolicy { found: other.written() }),
        };
        return Ok(());
    }
    // The longest clause id that prefixes the key.
    let clause_ids: Vec<String> = rs
        .controls
        .iter()
        .map(|c| c.id.clone())
        .chain(rs.exclusions.iter().map(|x| x.id.clone()))
        .collect();
    let Some(clause) = clause_ids
        .iter()
        .filter(|id| key.starts_with(&format!("{id}.")))
        .max_by_key(|id| id.len())
        .cloned()
    else {
        return Err(SetError::NoClause {
            key: key.to_string(),
            clauses: clause_ids,
        });
    };
    let rest = &key[clause.len() + 1..];
    let when: &mut Condition = match rs.controls.iter_mut().find(|c| c.id == clause) {
        Some(c) => &mut c.when,
        None => {
            &mut rs
                .exclusions
                .iter_mut()
                .find(|x| x.id == clause)
                .expect("clause exists")
                .when
        }
    };
    let mut segments: Vec<&str> = rest.split('.').collect();
    let mut cond: &mut Condition = when;
    let mut explicit = false;
    while let Some(seg) = segments.first().copied() {
        let Some(idx) = seg.strip_prefix("any_of[").and_then(|s| s.strip_suffix(']')) else {
            break;
        };
        explicit = true;
        let i: usize = idx.parse().map_err(|_| SetError::BranchIndex {
            key: key.to_string(),
            segment: seg.to_string(),
        })?;
        let branches = cond
            .terms
            .iter_mut()
            .find_map(|t| if let Term::AnyOf(cs) = t { Some(cs) } else { None });
        let Some(branches) = branches else {
            return Err(SetError::NoAnyOf {
                key: key.to_string(),
                clause,
            });
        };
        let n = branches.len();
        cond = branches.get_mut(i).ok_or_else(|| SetError::NoBranch {
            key: key.to_string(),
            branches: n,
        })?;
        segments.remove(0);
    }
    let (cond_key, bound_key) = match segments.as_slice() {
        [c] => (*c, None),
        [c, b] => (*c, Some(*b)),
        _ => {
            return Err(SetError::Shape {
                key: key.to_string(),
                clause,
            })
        }
    };
    let is_match = |t: &Term| match t {
        Term::Bound(k, _) => k.name() == cond_key,
        Term::Flag(k, _) => k.name() == cond_key,
        Term::Contains(_) => cond_key == "contains",
        Term::AnyOf(_) => false,
    };
    let target: &mut Term = if let Some(pos) = cond.terms.iter().position(is_match) {
        &mut cond.terms[pos]
    } else if !explicit {
        let paths = find_paths(cond, cond_key, String::new());
        match paths.len() {
            0 => {
                return Err(SetError::NoCondition {
                    key: key.to_string(),
                    clause,
                    condition: cond_key.to_string(),
                })
            }
            1 => {
                let mut c: &mut Condition = cond;
                for i in paths[0].1.clone() {
                    c = match c
                        .terms
                        .iter_mut()
                        .find_map(|t| if let Term::AnyOf(cs) = t { Some(cs) } else { None })
                    {
                        Some(cs) => &mut cs[i],
                        None => unreachable!("path found above"),
                    };
                }
                let pos = c.terms.iter().position(is_match).expect("found above");
                &mut c.terms[pos]
            }
            _ => {
                return Err(SetError::Ambiguous {
                    key: key.to_string(),
                    condition: cond_key.to_string(),
                    candidates: paths
                        .iter()
                        .map(|(p, _)| {
                            format!(
                                "{clause}.{p}{cond_key}{}",
                                bound_key.map(|b| format!(".{b}")).unwrap_or_default()
                            )
                        })
                        .collect(),
                })
            }
        }
    } else {
        return Err(SetError::NotInBranch {
            key: key.to_string(),
            condition: cond_key.to_string(),
        });
    };
    match target {
        Term::Bound(metric, bound) => {
            let Some(bk) = bound_key else {
                return Err(SetError::NeedsBoundKey { key: key.to_string() });
            };
            let bk = BoundKey::parse(bk).ok_or_else(|| SetError::UnknownBound {
                key: key.to_string(),
                bound: bk.to_string(),
            })?;
            let Some(slot) = bound.limits.iter().position(|(k, _)| *k == bk) else {
                return Err(SetError::MissingLimit {
                    key: key.to_string(),
                    has: bound.limits.iter().map(|(k, _)| *k).collect(),
                });
            };
            let mut raw: Vec<(String, Scalar)> = bound
                .limits
                .iter()
                .map(|(k, t)| (k.name().to_string(), threshold_scalar(*metric, t)))
                .collect();
            raw[slot].1 = s.value.clone();
            *bound = parse_bound(*metric, raw).map_err(|e| SetError::Bound {
                key: key.to_string(),
                source: Box::new(e),
            })?;
            Ok(())
        }
        Term::Flag(_, v) => {
            if bound_key.is_some() {
                return Err(SetError::FlagHasNoBound {
                    key: key.to_string(),
                    condition: cond_key.to_string(),
                });
            }
            match s.value {
                Scalar::Bool(b) => {
                    *v = b;
                    Ok(())
                }
                ref other => Err(SetError::NotABool {
                    key: key.to_string(),
                    found: other.written(),
                }),
            }
        }
        Term::Contains(e) => {
            if let Some(b) = bound_key {
                return Err(SetError::ContainsHasNoBound {
                    key: key.to_string(),
                    bound: b.to_string(),
                    fix: key.strip_suffix(&format!(".{b}")).unwrap_or(key).to_string(),
                });
            }
            match &s.value {
                Scalar::Text(t) => *e = Eccn(t.clone()),
                other => {
                    return Err(SetError::NotAnEccn {
                        key: key.to_string(),
                        found: other.written(),
                    })
                }
            }
            Ok(())
        }
        Term::AnyOf(_) => unreachable!("never matched"),
    }
}

fn threshold_scalar(metric: MetricKey, t: &exact::Exact) -> Scalar {
    if metric.is_bandwidth() {
        Scalar::Text(format!("{} GB/s", crate::numfmt::exact(t)))
    } else {
        Scalar::Text(crate::numfmt::exact(t))
    }
}

/// Paths (`any_of[i].` prefixes) to every condition that has `cond_key`, with branch indices.
fn find_paths(c: &Condition, cond_key: &str, prefix: String) -> Vec<(String, Vec<usize>)> {
    let mut out = Vec::new();
    for t in &c.terms {
        if let Term::AnyOf(cs) = t {
            for (i, b) in cs.iter().enumerate() {
                let p = format!("{prefix}any_of[{i}].");
                let here = b.terms.iter().any(|t| match t {
                    Term::Bound(k, _) => k.name() == cond_key,
                    Term::Flag(k, _) => k.name() == cond_key,
                    Term::Contains(_) => cond_key == "contains",
                    _ => false,
                });
                if here {
                    out.push((p.clone(), vec![i]));
                }
                for (q, mut idx) in find_paths(b, cond_key, p) {
                    idx.insert(0, i);
                    out.push((q, idx));
                }
            }
        }
    }
    out
}

impl RuleSet {
    /// A copy with one more override applied, as `--set` would (used by sweeps).
    ///
    /// ```
    /// use tppcalc::rules::{RuleRegistry, SetValue};
    /// let r = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
    /// let lower = r.with_set(&SetValue::parse("3A090.a.1.tpp.at_least=4000").unwrap()).unwrap();
    /// assert_eq!(lower.overrides.len(), 1);
    /// ```
    pub fn with_set(&self, s: &SetValue) -> Result<RuleSet, Error> {
        let mut rs = self.clone();
        apply_set(&mut rs, s)
            .map_err(|e| Error::new(ErrorKind::UnknownReference, e.to_string()).at_field(format!("--set {}", s.key)))?;
        check(&rs).map_err(|super::FieldError { problem: m, .. }| {
            Error::new(ErrorKind::UnknownReference, format!("`{}`: {m}", s.key)).at_field(format!("--set {}", s.key))
        })?;
        rs.overrides.push((s.key.clone(), scalar_text(&s.value)));
        Ok(rs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::foundry::FoundryError;
    use crate::rules::{ConditionError, RuleRegistry};

    fn set(rules: &str, arg: &str) -> Result<(), SetError> {
        let mut rs = RuleRegistry::shipped().resolve(rules, &[]).unwrap();
        apply_set(&mut rs, &SetValue::parse(arg).unwrap())
    }

    #[test]
    fn each_bad_override_gives_its_variant_and_message() {
        let e = set("us-2023-11", "3A090.c.1.tpp.at_least=1").unwrap_err();
        assert!(
            matches!(&e, SetError::NoClause { key, clauses } if key == "3A090.c.1.tpp.at_least" && clauses.contains(&"3A090.a.1".to_string()))
        );
        assert!(e
            .to_string()
            .starts_with("`3A090.c.1.tpp.at_least` names no clause; expected `<clause>.<condition>.<bound>` with a clause among `3A090.a.1`, "));
        let e = set("us-2023-11", "3A090.a.1.tpp.at_least=0").unwrap_err();
        assert_eq!(
            e,
            SetError::Bound {
                key: "3A090.a.1.tpp.at_least".into(),
                source: Box::new(ConditionError::NotPositive { found: "0".into() })
            }
        );
        assert_eq!(
            e.to_string(),
            "`3A090.a.1.tpp.at_least`: expected a number greater than zero, found `0`"
        );
        let e = set("us-2023-11", "3A090.a.1.tpp=4000").unwrap_err();
        assert_eq!(
            e,
            SetError::NeedsBoundKey {
                key: "3A090.a.1.tpp".into()
            }
        );
        let e = set("us-2023-11", "3A090.a.1.tpp.below=4000").unwrap_err();
        assert_eq!(
            e,
            SetError::MissingLimit {
                key: "3A090.a.1.tpp.below".into(),
                has: vec![BoundKey::AtLeast]
            }
        );
        assert_eq!(
            e.to_string(),
            "`3A090.a.1.tpp.below` names nothing: that bound has `at_least`"
        );
        let e = set("us-2023-11", "3A090.a.1.interconnect.at_least=600 GB/s").unwrap_err();
        assert!(
            matches!(&e, SetError::NoCondition { condition, .. } if condition == "interconnect"),
            "{e:?}"
        );
        let e = set("us-2023-11", "interpretation.bit_length.FP8=8").unwrap_err();
        assert!(matches!(e, SetError::Precision(_)), "{e:?}");
        let e = set("us-2023-11", "interpretation.bit_length.fp8=2048").unwrap_err();
        assert_eq!(e, SetError::BitLength { found: "2048".into() });
        let e = set("us-2023-11", "interpretation.applicable_die_area=all").unwrap_err();
        assert_eq!(e.to_string(), "expected `all-logic` or `compute-only`, found `all`");
        let e = set("us-2023-11", "foundry.any-year.below=1").unwrap_err();
        assert_eq!(
            e,
            SetError::NoFoundry {
                key: "foundry.any-year.below".into(),
                rule_set: "us-2023-11".into()
            }
        );
        let e = set("us-2026-01", "foundry.routes.designer=maybe").unwrap_err();
        assert!(
            matches!(&e, SetError::Foundry(FoundryError::At { source, .. }) if matches!(**source, FoundryError::NotABool { .. })),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "`foundry.routes.designer`: expected `true` or `false`, found `maybe`"
        );
    }
}
