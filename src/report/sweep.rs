//! `sweep`: CSV (one row per step and verdict count, plus the parts that changed) and JSON.

use crate::exact;
use crate::rules::Label;
use crate::whatif::Sweep;
use serde::Serialize;

/// One step, for JSON.
#[derive(Debug, Clone, Serialize)]
pub struct StepOut {
    /// Parameter value.
    pub value: f64,
    /// Exact decimal.
    pub exact: String,
    /// Parts per verdict.
    pub counts: std::collections::BTreeMap<Label, usize>,
    /// Parts that changed since the previous step: part, before, after.
    pub changed: Vec<(String, Label, Label)>,
}

/// The sweep, for JSON.
#[derive(Debug, Clone, Serialize)]
pub struct SweepOut {
    /// What varied.
    pub param: String,
    /// Rule set.
    pub rules: String,
    /// The steps.
    pub steps: Vec<StepOut>,
}

/// Builds the JSON model.
pub fn build(s: &Sweep, rules: &str) -> SweepOut {
    SweepOut {
        param: s.param.clone(),
        rules: rules.to_string(),
        steps: s
            .steps
            .iter()
            .map(|st| StepOut {
                value: exact::to_f64(&st.value),
                exact: crate::numfmt::exact(&st.value),
                counts: st.counts.clone(),
                changed: st.changed.clone(),
            })
            .collect(),
    }
}

/// Renders CSV: `value`, one column per verdict, and `changed` (`part:before>after;...`).
pub fn csv(s: &Sweep) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut header = vec!["value".to_string()];
    header.extend(s.labels.iter().map(Label::to_string));
    header.push("changed".into());
    w.write_record(&header).expect("in-memory write");
    for st in &s.steps {
        let mut row = vec![crate::numfmt::machine(&st.value)];
        row.extend(
            s.labels
                .iter()
                .map(|l| st.counts.get(l).copied().unwrap_or(0).to_string()),
        );
        let changed = st
            .changed
            .iter()
            .map(|(p, a, b)| format!("{p}:{a}>{b}"))
            .collect::<Vec<_>>()
            .join(";");
        // A part id may start with `-`: the text column is neutralised as in classify's CSV.
        row.push(super::csv::text_cell(&changed).into_owned());
        w.write_record(&row).expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory flush")).expect("utf-8")
}
