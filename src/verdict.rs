//! Verdicts: a part classified under a rule set, with the metrics and evaluation behind it.

use crate::catalog::Catalog;
use crate::datasheet::{Part, PartId, PartKind};
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
    /// For systems: the verdicts of the contained parts (each distinct part evaluated once).
    pub contained: Vec<ContainedVerdict>,
    /// The sets of ECCNs the integrated circuits in this part may meet: its own met sets for
    /// a chip or memory part, the unions over its contents for a system. This is what a system
    /// containing this part reads (4A090: "containing integrated circuits, any of which ...").
    pub ic_met_sets: BTreeSet<BTreeSet<Eccn>>,
    /// `sha256:` of the datasheet, combined over contained parts for systems
    /// (see [`crate::audit`]).
    pub datasheet_digest: String,
}

impl Verdict {
    /// Datasheet fields whose absence leaves the verdict undecided (empty when decided).
    pub fn missing_fields(&self) -> Vec<String> {
        self.field_names(&self.evaluation.missing)
    }

    /// The datasheet fields behind some unknown inputs of this part.
    pub fn field_names(&self, inputs: &[Input]) -> Vec<String> {
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
        for input in inputs {
            match input {
                Input::Metric(MetricKey::Tpp) => from_value(&mut out, "compute", unknown(&self.metrics.tpp)),
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
///
/// ```
/// use tppcalc::datasheet::Origin;
/// use tppcalc::catalog::Catalog;
/// use tppcalc::rules::{RuleRegistry, Status};
/// use tppcalc::verdict;
/// let rules = RuleRegistry::shipped().resolve("us-2024-12", &[]).unwrap();
/// // TPP 250 x 8 = 2000 and no die area: 3A090.a.2 and .b depend on the performance density.
/// let sku = "kind: chip\nid: acme-e3\nname: ACME E3\nvendor: ACME\ndatacenter: true\n\
///            compute:\n  - unit: NPU\n    dense: { int8: 250 TOPS }\n";
/// let catalog = Catalog::from_files(vec![(Origin::Inline, Ok(sku.as_bytes().to_vec()))]).catalog;
/// let v = verdict::classify(&catalog, catalog.get("acme-e3").unwrap(), &rules);
/// assert_eq!(v.evaluation.status, Status::Indeterminate); // fail closed
/// assert_eq!(v.missing_fields(), ["dies"]);
/// ```
pub fn classify(catalog: &Catalog, part: &Part, rules: &RuleSet) -> Verdict {
    let m = metrics::compute(part, &rules.interpretation);
    classify_with_metrics(catalog, part, rules, m)
}

/// As [`classify`], with metrics already computed under `rules.interpretation`.
pub fn classify_with_metrics(catalog: &Catalog, part: &Part, rules: &RuleSet, m: Metrics) -> Verdict {
    classify_inner(catalog, part, rules, m, &mut HashMap::new())
}

/// Each contained part is evaluated once per top-level call (`cache`), so systems that share
/// parts, at any depth, cost time linear in the catalog rather than in the number of paths.
fn classify_inner(
    catalog: &Catalog,
    part: &Part,
    rules: &RuleSet,
    mut m: Metrics,
    cache: &mut HashMap<PartId, Verdict>,
) -> Verdict {
    let mut facts = Facts::from_metrics(&m);
    let mut contained = Vec::new();
    let mut digests: Vec<(String, String)> = Vec::new();
    if let Part::System(s) = part {
        for c in &s.contains {
            let Some(inner) = catalog.get(&c.part.0) else {
                // The catalog loader rejects unknown references; an absent part is fully unknown.
                facts.contained.push(unknown_met_sets(rules));
                continue;
            };
            let v = match cache.get(&c.part) {
                Some(v) => v.clone(),
                None => {
                    let im = metrics::compute(inner, &rules.interpretation);
                    let v = classify_inner(catalog, inner, rules, im, cache);
                    cache.insert(c.part.clone(), v.clone());
                    v
                }
            };
            digests.push((c.part.0.clone(), v.datasheet_digest.clone()));
            for a in &v.metrics.acknowledged {
                if !m.acknowledged.contains(a) {
                    m.acknowledged.push(a.clone());
                }
            }
            facts.contained.push(v.ic_met_sets.clone());
            contained.push(ContainedVerdict {
                part: c.part.clone(),
                count: c.count,
                status: v.evaluation.status,
                eccn: v.evaluation.eccn.clone(),
            });
        }
    }
    let evaluation = evaluate(rules, &facts);
    let ic_met_sets = match part {
        Part::System(_) => crate::rules::eval::unions(&facts.contained),
        _ => evaluation.met_sets.clone(),
    };
    let meta = part.meta();
    let datasheet_digest = match part {
        Part::System(_) => {
            let pairs: Vec<(&str, &str)> = digests.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            crate::digest::combined((&meta.id.0, &meta.digest), &pairs)
        }
        _ => meta.digest.clone(),
    };
    Verdict {
        part: meta.id.clone(),
        name: meta.name.clone(),
        kind: part.kind(),
        rules: rules.id.clone(),
        metrics: m,
        facts,
        evaluation,
        contained,
        ic_met_sets,
        datasheet_digest,
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

/// Classifies every part of a catalog under every rule set: the verdicts in part order, and for
/// each part in rule-set order. Metrics are computed once per part and interpretation (rule
/// sets that interpret alike share them), and parts are classified in parallel; the result
/// does not depend on the number of threads.
pub fn classify_all(catalog: &Catalog, rule_sets: &[RuleSet]) -> Vec<Verdict> {
    classify_all_with(catalog, rule_sets, |v, _| v)
}

/// As [`classify_all`], handing each verdict to `f` as soon as it is made and keeping only what
/// `f` returns (a report row, say), so a large catalog's verdicts are never all in memory. `f`
/// also gets the index of the verdict's rule set in `rule_sets`.
pub fn classify_all_with<T: Send>(
    catalog: &Catalog,
    rule_sets: &[RuleSet],
    f: impl Fn(Verdict, usize) -> T + Sync,
) -> Vec<T> {
    use rayon::prelude::*;
    let parts: Vec<&Part> = catalog.parts().collect();
    let k = rule_sets.len();
    // One item per (part, rule set), in order, collected straight into the result (an indexed
    // collect: no per-thread lists joined and copied at the end, which would hold every result
    // twice). A worker takes consecutive items, so it keeps the current part's metrics for the
    // part's next rule sets (a part split between two workers has them computed twice, alike).
    let mut out = Vec::with_capacity(parts.len() * k);
    (0..parts.len() * k)
        .into_par_iter()
        .map_init(
            Vec::<(usize, &crate::metrics::Interpretation, Metrics)>::new,
            |computed, i| {
                let (p, index) = (i / k, i % k);
                let (part, rs) = (parts[p], &rule_sets[index]);
                computed.retain(|(q, _, _)| *q == p);
                let m = match computed.iter().find(|(_, interp, _)| **interp == rs.interpretation) {
                    Some((_, _, m)) => m.clone(),
                    None => {
                        let m = metrics::compute(part, &rs.interpretation);
                        computed.push((p, &rs.interpretation, m.clone()));
                        m
                    }
                };
                f(classify_with_metrics(catalog, part, rs, m), index)
            },
        )
        .collect_into_vec(&mut out);
    out
}
