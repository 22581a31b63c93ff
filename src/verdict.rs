//! Verdicts: a part classified under a rule set, with the metrics and evaluation behind it.

use crate::datasheet::{Catalog, Part, PartId, PartKind};
use crate::metrics::{self, Metrics, Value};
use crate::rules::eval::Input;
use crate::rules::{evaluate, Eccn, Evaluation, Facts, MetricKey, RuleSet, Status};
use std::collections::{BTreeSet, HashMap};

/// A contained part's verdict, for systems.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainedVerdict {
    /// The contained part.
    pub part: PartId,
    /// How many.
    pub count: u64,
    /// Its verdict under the same rule set.
    pub status: Status,
    /// Its ECCN when controlled.
    pub eccn: Option<Eccn>,
}

/// One part classified under one rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The part id.
    pub part: PartId,
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: PartKind,
    /// The rule set's id.
    pub rules: String,
    /// Every metric, with derivations.
    pub metrics: Metrics,
    /// What the rule set read.
    pub facts: Facts,
    /// The three-valued evaluation.
    pub evaluation: Evaluation,
    /// For systems: the verdicts of the contained parts.
    pub contained: Vec<ContainedVerdict>,
}

impl Verdict {
    /// Datasheet fields whose absence leaves the verdict undecided (empty when decided).
    pub fn missing_fields(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let from_value = |missing: &mut Vec<String>, fallback: &str, v: Option<Vec<String>>| {
            missing.extend(v.unwrap_or_else(|| vec![fallback.to_string()]));
        };
        fn unknown<T>(v: &Option<Value<T>>) -> Option<Vec<String>> {
            match v {
                Some(Value::Unknown { missing, .. }) => Some(missing.clone()),
                _ => None,
            }
        }
        for input in &self.evaluation.missing {
            match input {
                Input::Metric(MetricKey::Tpp) => {
                    from_value(&mut out, "compute", unknown(&self.metrics.tpp))
                }
                Input::Metric(MetricKey::PerformanceDensity) => {
                    from_value(&mut out, "dies", unknown(&self.metrics.performance_density))
                }
                Input::Metric(MetricKey::Interconnect) => out.push("interconnect".into()),
                Input::Metric(MetricKey::MemoryBandwidth) => out.push("memory.bandwidth".into()),
                Input::Metric(MetricKey::MemoryBandwidthDensity) => out.push("bandwidth".into()),
                Input::Flag(f) => out.push(f.name().into()),
                Input::Contained(i) => {
                    if let Some(c) = self.contained.get(*i) {
                        out.push(format!("contains[{i}] (`{}` is indeterminate)", c.part));
                    }
                }
            }
        }
        out.dedup();
        out
    }
}

/// Classifies a part under a rule set. Systems are classified through the parts they contain,
/// each under the same rule set (no aggregation across ICs).
pub fn classify(catalog: &Catalog, part: &Part, rules: &RuleSet) -> Verdict {
    let m = metrics::compute(part, &rules.interpretation);
    classify_with_metrics(catalog, part, rules, m)
}

/// As [`classify`], with metrics already computed under `rules.interpretation`.
pub fn classify_with_metrics(
    catalog: &Catalog,
    part: &Part,
    rules: &RuleSet,
    m: Metrics,
) -> Verdict {
    classify_inner(catalog, part, rules, m, &mut HashMap::new())
}

/// Each contained part is evaluated once per top-level call (`cache`), so systems that share
/// parts, at any depth, cost time linear in the catalog rather than in the number of paths.
fn classify_inner(
    catalog: &Catalog,
    part: &Part,
    rules: &RuleSet,
    m: Metrics,
    cache: &mut HashMap<PartId, Evaluation>,
) -> Verdict {
    let mut facts = Facts::from_metrics(&m);
    let mut contained = Vec::new();
    if let Part::System(s) = part {
        for c in &s.contains {
            let Some(inner) = catalog.get(&c.part.0) else {
                // The catalog loader rejects unknown references; an absent part is fully unknown.
                facts.contained.push(unknown_met_sets(rules));
                continue;
            };
            let evaluation = match cache.get(&c.part) {
                Some(e) => e.clone(),
                None => {
                    let im = metrics::compute(inner, &rules.interpretation);
                    let e = classify_inner(catalog, inner, rules, im, cache).evaluation;
                    cache.insert(c.part.clone(), e.clone());
                    e
                }
            };
            facts.contained.push(evaluation.met_sets.clone());
            contained.push(ContainedVerdict {
                part: c.part.clone(),
                count: c.count,
                status: evaluation.status,
                eccn: evaluation.eccn.clone(),
            });
        }
    }
    let evaluation = evaluate(rules, &facts);
    let meta = part.meta();
    Verdict {
        part: meta.id.clone(),
        name: meta.name.clone(),
        kind: part.kind(),
        rules: rules.id.clone(),
        metrics: m,
        facts,
        evaluation,
        contained,
    }
}

fn unknown_met_sets(rules: &RuleSet) -> BTreeSet<BTreeSet<Eccn>> {
    let mut out = BTreeSet::new();
    out.insert(BTreeSet::new());
    for e in &rules.severity {
        out.insert([e.clone()].into_iter().collect());
    }
    out
}
