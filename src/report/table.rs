//! The aligned terminal table (default format of `classify`).

use super::{cell, Row};
use comfy_table::{presets, CellAlignment, ContentArrangement, Table};

fn build(rows: &[Row], preset: &str) -> Table {
    let mut t = Table::new();
    t.load_preset(preset)
        .set_content_arrangement(ContentArrangement::Disabled);
    t.set_header(["part", "rules", "status", "eccn", "tpp", "pd", "why"]);
    for r in rows {
        t.add_row([
            r.part.clone(),
            r.rules.clone(),
            r.status.clone(),
            r.eccn.clone().unwrap_or_else(|| "-".into()),
            cell(r.metrics.tpp, 0),
            cell(r.metrics.performance_density.or(r.metrics.memory_bandwidth_density), 2),
            r.why(),
        ]);
    }
    for i in [4, 5] {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// Renders classify rows as an aligned plain-text table.
pub fn rows(rows: &[Row]) -> String {
    let mut s = build(rows, presets::NOTHING).to_string();
    // comfy-table pads every line to the table width; trailing blanks only get in the way.
    s = s.lines().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n");
    s.push('\n');
    s
}

pub(crate) fn markdown(rows: &[Row]) -> String {
    let mut s = build(rows, presets::ASCII_MARKDOWN).to_string();
    s.push('\n');
    s
}
