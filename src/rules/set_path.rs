//! The `--set` path language: `KEY=VALUE` overrides such as `3A090.a.1.tpp.at_least=4000`,
//! `3A090.a.any_of[1].tpp.at_least=1600`, `interpretation.bit_length.fp8=8` or
//! `foundry.<key>`; parsed here and applied to a resolved rule set. A key that names nothing
//! is an error, never silently ignored.

use super::condition::parse_bound;
use super::validate::check;
use super::{BoundKey, Condition, Eccn, MetricKey, RuleSet, Term};
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
pub(super) fn apply_set(rs: &mut RuleSet, s: &SetValue) -> Result<(), String> {
    let key = s.key.as_str();
    if let Some(prec) = key.strip_prefix("interpretation.bit_length.") {
        crate::datasheet::Precision::parse(prec).map_err(|e| e.to_string())?;
        let bits = match &s.value {
            Scalar::Number(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= 1024.0 => *n as u32,
            Scalar::Text(t) => t
                .parse::<u32>()
                .ok()
                .filter(|b| (1..=1024).contains(b))
                .ok_or_else(|| format!("expected a bit length from 1 to 1024, found `{t}`"))?,
            other => return Err(format!("expected a bit length from 1 to 1024, found {other}")),
        };
        rs.interpretation.bit_length.insert(prec.to_string(), bits);
        return Ok(());
    }
    if let Some(rest) = key.strip_prefix("foundry.") {
        let id = rs.id.clone();
        return match rs.foundry.as_mut() {
            Some(f) => f.apply_set(rest, &s.value),
            None => Err(format!(
                "`{key}` names nothing: rule set `{id}` has no `foundry` section"
            )),
        };
    }
    if let Some(id) = key.strip_suffix(".enabled") {
        if rs.controls.iter().chain(&rs.switched_off).any(|c| c.id == id) {
            let on = match &s.value {
                Scalar::Bool(b) => *b,
                other => return Err(format!("`{key}`: expected `true` or `false`, found {other}")),
            };
            switch(rs, id, on);
            return Ok(());
        }
    }
    if key == "interpretation.applicable_die_area" {
        rs.interpretation.applicable_die_area = match &s.value {
            Scalar::Text(t) if t == "all-logic" => DieAreaPolicy::AllLogic,
            Scalar::Text(t) if t == "compute-only" => DieAreaPolicy::ComputeOnly,
            other => return Err(format!("expected `all-logic` or `compute-only`, found {other}")),
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
        return Err(format!(
            "`{key}` names no clause; expected `<clause>.<condition>.<bound>` with a clause among {}",
            clause_ids
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
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
        let i: usize = idx
            .parse()
            .map_err(|_| format!("`{seg}` in `{key}`: expected `any_of[N]`"))?;
        let branches = cond
            .terms
            .iter_mut()
            .find_map(|t| if let Term::AnyOf(cs) = t { Some(cs) } else { None });
        let Some(branches) = branches else {
            return Err(format!(
                "`{key}` names nothing: clause `{clause}` has no `any_of` there"
            ));
        };
        let n = branches.len();
        cond = branches
            .get_mut(i)
            .ok_or_else(|| format!("`{key}` names nothing: `any_of` has {n} branches"))?;
        segments.remove(0);
    }
    let (cond_key, bound_key) = match segments.as_slice() {
        [c] => (*c, None),
        [c, b] => (*c, Some(*b)),
        _ => {
            return Err(format!(
                "`{key}` names nothing: expected `<clause>.<condition>.<bound>`, e.g. `{clause}.tpp.at_least`"
            ))
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
                return Err(format!(
                    "`{key}` names nothing: clause `{clause}` has no `{cond_key}` condition"
                ))
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
                return Err(format!(
                    "`{key}` is ambiguous: `{cond_key}` appears in several branches; use one of {}",
                    paths
                        .iter()
                        .map(|(p, _)| format!(
                            "`{clause}.{p}{cond_key}{}`",
                            bound_key.map(|b| format!(".{b}")).unwrap_or_default()
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        }
    } else {
        return Err(format!(
            "`{key}` names nothing: that branch has no `{cond_key}` condition"
        ));
    };
    match target {
        Term::Bound(metric, bound) => {
            let Some(bk) = bound_key else {
                return Err(format!(
                    "`{key}` needs a bound key: `{key}.at_least`, `.above`, `.below` or `.at_most`"
                ));
            };
            let bk = BoundKey::parse(bk).ok_or_else(|| format!("`{key}` names nothing: unknown bound `{bk}`"))?;
            let Some(slot) = bound.limits.iter().position(|(k, _)| *k == bk) else {
                let has: Vec<String> = bound.limits.iter().map(|(k, _)| format!("`{}`", k.name())).collect();
                return Err(format!("`{key}` names nothing: that bound has {}", has.join(" and ")));
            };
            let mut raw: Vec<(String, Scalar)> = bound
                .limits
                .iter()
                .map(|(k, t)| (k.name().to_string(), threshold_scalar(*metric, t)))
                .collect();
            raw[slot].1 = s.value.clone();
            *bound = parse_bound(*metric, raw).map_err(|m| format!("`{key}`: {m}"))?;
            Ok(())
        }
        Term::Flag(_, v) => {
            if bound_key.is_some() {
                return Err(format!("`{key}` names nothing: `{cond_key}` is a flag"));
            }
            match s.value {
                Scalar::Bool(b) => {
                    *v = b;
                    Ok(())
                }
                ref other => Err(format!("`{key}`: expected `true` or `false`, found {other}")),
            }
        }
        Term::Contains(e) => {
            if let Some(b) = bound_key {
                return Err(format!(
                    "`{key}` names nothing: `contains` takes an ECCN, not a bound key such as `{b}`; use `{}`",
                    key.strip_suffix(&format!(".{b}")).unwrap_or(key)
                ));
            }
            match &s.value {
                Scalar::Text(t) => *e = Eccn(t.clone()),
                other => return Err(format!("`{key}`: expected an ECCN such as `3A090.a`, found {other}")),
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
            .map_err(|m| Error::new(ErrorKind::UnknownReference, m).at_field(format!("--set {}", s.key)))?;
        check(&rs).map_err(|super::FieldError { message: m, .. }| {
            Error::new(ErrorKind::UnknownReference, format!("`{}`: {m}", s.key)).at_field(format!("--set {}", s.key))
        })?;
        rs.overrides.push((s.key.clone(), scalar_text(&s.value)));
        Ok(rs)
    }
}
