//! The rule-version matrix (`tppcalc matrix`): one row per part, one column per rule set, each
//! cell the ECCN paragraph, `-` (not controlled) or `?` (indeterminate). Rows whose verdict
//! differs between the rule sets are marked. One model, one small renderer per format.

use crate::catalog::Catalog;
use crate::rules::{RuleSet, Status};
use crate::verdict;
use serde::Serialize;

/// A column: one rule set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// Rule-set id.
    pub rules: String,
    /// Legal standing (`in-force`, `superseded`, `not-enforced`, `scenario`).
    pub status: String,
    /// The date the text took effect, where known.
    pub effective: Option<String>,
}

/// One rule set's verdict on one part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// `controlled`, `not_controlled` or `indeterminate`.
    pub status: String,
    /// The ECCN paragraph when controlled.
    pub eccn: Option<String>,
    /// What the tables print: the ECCN, `-` (not controlled) or `?` (indeterminate).
    pub text: String,
}

/// One part across the rule sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixRow {
    /// Part id.
    pub part: String,
    /// Part name.
    pub name: String,
    /// One cell per column, in column order.
    pub cells: Vec<Cell>,
    /// Whether the cells are not all the same.
    pub differs: bool,
}

/// The matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrix {
    /// The rule sets, in the order given (shipped ones in order of effective date).
    pub columns: Vec<Column>,
    /// One row per part, in catalog order.
    pub rows: Vec<MatrixRow>,
}

/// What the legend under a table says.
pub const LEGEND: &str =
    "`-` not controlled; `?` indeterminate (a figure the rules need is missing); `*` the verdict differs between rule sets";

impl Cell {
    fn of(status: Status, eccn: Option<String>) -> Cell {
        let text = match (status, &eccn) {
            (Status::Controlled, Some(e)) => e.clone(),
            (Status::NotControlled, _) => "-".to_string(),
            // Controlled without a paragraph cannot happen; shown as undecided, never as `-`.
            _ => "?".to_string(),
        };
        Cell {
            status: status.to_string(),
            eccn,
            text,
        }
    }
}

/// Classifies every part of `catalog` under every rule set and builds the matrix.
///
/// ```
/// use tppcalc::{catalog::Catalog, report::matrix, rules::RuleRegistry};
/// let catalog = Catalog::embedded().catalog;
/// let registry = RuleRegistry::shipped();
/// let sets: Vec<_> = ["us-2022-10", "us-2023-11"].iter().map(|id| registry.resolve(id, &[]).unwrap()).collect();
/// let m = matrix::build(&catalog, &sets);
/// let a800 = m.rows.iter().find(|r| r.part == "nvidia-a800-sxm4-80gb").unwrap();
/// assert_eq!(a800.cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), ["-", "3A090.a"]);
/// assert!(a800.differs);
/// ```
pub fn build(catalog: &Catalog, rule_sets: &[RuleSet]) -> Matrix {
    let n = rule_sets.len().max(1);
    let cells = verdict::classify_all_with(catalog, rule_sets, |v, _| {
        (
            v.part.0.clone(),
            v.name.clone(),
            Cell::of(v.evaluation.status, v.evaluation.eccn.map(|e| e.0)),
        )
    });
    let mut rows = Vec::with_capacity(cells.len() / n);
    let mut it = cells.into_iter().peekable();
    while let Some((part, name, first)) = it.next() {
        let mut row = vec![first];
        while row.len() < rule_sets.len() {
            match it.next() {
                Some((_, _, c)) => row.push(c),
                None => break,
            }
        }
        let differs = row.iter().any(|c| c.text != row[0].text);
        rows.push(MatrixRow {
            part,
            name,
            cells: row,
            differs,
        });
    }
    Matrix {
        columns: rule_sets
            .iter()
            .map(|r| Column {
                rules: r.display_name(),
                status: r.status.to_string(),
                effective: r.effective.clone(),
            })
            .collect(),
        rows,
    }
}

fn header(m: &Matrix) -> Vec<String> {
    let mut h = vec!["part".to_string()];
    h.extend(m.columns.iter().map(|c| c.rules.clone()));
    h.push("differs".to_string());
    h
}

fn cells(r: &MatrixRow) -> Vec<String> {
    let mut v = vec![r.part.clone()];
    v.extend(r.cells.iter().map(|c| c.text.clone()));
    v.push(if r.differs { "*" } else { "" }.to_string());
    v
}

/// The aligned plain-text table, with the legend under it.
pub fn table(m: &Matrix) -> String {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::NOTHING)
        .set_content_arrangement(comfy_table::ContentArrangement::Disabled);
    t.set_header(header(m));
    for r in &m.rows {
        t.add_row(cells(r));
    }
    let mut out: String = t.to_string().lines().map(|l| format!("{}\n", l.trim_end())).collect();
    out.push_str(&format!("\n{LEGEND}\n"));
    out
}

/// A Markdown table, with the legend under it.
pub fn markdown(m: &Matrix) -> String {
    let esc = |s: &str| s.replace('|', "\\|");
    let mut out = String::new();
    let h = header(m);
    out.push_str(&format!(
        "| {} |\n",
        h.iter().map(|s| esc(s)).collect::<Vec<_>>().join(" | ")
    ));
    out.push_str(&format!("|{}\n", "---|".repeat(h.len())));
    for r in &m.rows {
        let c: Vec<String> = cells(r)
            .iter()
            .map(|s| match s.as_str() {
                "*" => "\\*".to_string(),
                s => esc(s),
            })
            .collect();
        out.push_str(&format!("| {} |\n", c.join(" | ")));
    }
    out.push_str(&format!("\n{LEGEND}\n"));
    out
}

/// CSV: a header row (`part`, `name`, one column per rule set, `differs`), one row per part.
pub fn csv(m: &Matrix) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut h = vec!["part".to_string(), "name".to_string()];
    h.extend(m.columns.iter().map(|c| c.rules.clone()));
    h.push("differs".to_string());
    // Part ids, names and rule-set ids are text from files: safe for spreadsheet tools. The
    // cells are tppcalc's own (`-` alone is not a formula).
    w.write_record(h.iter().map(|c| super::csv::text_cell(c).into_owned()))
        .expect("in-memory write");
    for r in &m.rows {
        let mut v = vec![
            super::csv::text_cell(&r.part).into_owned(),
            super::csv::text_cell(&r.name).into_owned(),
        ];
        v.extend(r.cells.iter().map(|c| c.text.clone()));
        v.push(r.differs.to_string());
        w.write_record(&v).expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory flush")).expect("utf-8 in, utf-8 out")
}

/// JSON: the model as it is.
pub fn json(m: &Matrix) -> String {
    super::json::render(m)
}
