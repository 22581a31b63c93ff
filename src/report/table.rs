//! The aligned terminal table (default format of `classify`).

use super::{cell, Row};
use crate::rules::Status;
use anstyle::{AnsiColor, Style};
use comfy_table::{presets, CellAlignment, ContentArrangement, Table};

/// Whether the rows need a bandwidth-density column: some row is a memory part (HBM stacks are
/// judged on memory bandwidth density, not on performance density).
pub(crate) fn has_memory(rows: &[Row]) -> bool {
    rows.iter().any(|r| r.kind == "memory")
}

fn build(rows: &[Row], preset: &str) -> Table {
    let mut t = Table::new();
    t.load_preset(preset)
        .set_content_arrangement(ContentArrangement::Disabled);
    let memory = has_memory(rows);
    let mut header = vec!["part", "rules", "status", "eccn", "tpp", "pd"];
    if memory {
        header.push("bw density");
    }
    header.push("why");
    t.set_header(header);
    for r in rows {
        let mut line = vec![
            r.part.clone(),
            r.rules_label(),
            r.status.to_string(),
            r.eccn.as_ref().map_or_else(|| "-".into(), |e| e.to_string()),
            cell(r.exact.tpp.as_ref()),
            cell(r.exact.performance_density.as_ref()),
        ];
        if memory {
            line.push(cell(r.exact.memory_bandwidth_density.as_ref()));
        }
        line.push(r.why.clone());
        t.add_row(line);
    }
    let numeric = if memory { 4..7 } else { 4..6 };
    for i in numeric {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// Renders classify rows as an aligned plain-text table.
///
/// ```
/// use tppcalc::{catalog::Catalog, report::{table, Row}, rules::RuleRegistry, verdict};
/// let catalog = Catalog::embedded().catalog;
/// let rules = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
/// let h20 = catalog.get("nvidia-h20").unwrap();
/// let row = Row::from_verdict(&verdict::classify(&catalog, h20, &rules), &rules);
/// let text = table::rows(&[row]);
/// assert!(text.starts_with(" part"));
/// assert!(text.contains("nvidia-h20  us-2023-11  not_controlled"));
/// ```
pub fn rows(rows: &[Row]) -> String {
    rows_styled(rows, false)
}

/// The colour of a verdict status: red for `controlled`, yellow for `indeterminate`, green
/// for `not_controlled`.
pub fn status_style(status: Status) -> Style {
    let color = match status {
        Status::Controlled => AnsiColor::Red,
        Status::Indeterminate => AnsiColor::Yellow,
        Status::NotControlled => AnsiColor::Green,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

/// `text` wrapped in the ANSI codes of [`status_style`].
pub fn paint_status(status: Status, text: &str) -> String {
    let style = status_style(status);
    format!("{style}{text}{style:#}")
}

/// As [`rows`], with the status column coloured when `color` is true.
///
/// The table is laid out without colour first, then the codes are put around each status, so
/// the columns stay aligned (the codes take no room on a terminal).
pub fn rows_styled(rows: &[Row], color: bool) -> String {
    let table = build(rows, presets::NOTHING).to_string();
    let notes = super::scenario_notes(rows);
    // comfy-table pads every line to the table width; trailing blanks only get in the way.
    let lines: Vec<&str> = table.lines().map(|l| l.trim_end()).collect();
    let column = lines.first().and_then(|h| h.find(" status ")).map(|i| i + 1);
    let mut out = String::with_capacity(table.len() + notes.len());
    out.push_str(&notes);
    for (i, line) in lines.iter().enumerate() {
        // Line 0 is the header; line i is row i - 1. Part and rule ids are ASCII, so the
        // status starts at the same byte in every line.
        let status = i.checked_sub(1).and_then(|r| rows.get(r)).map(|r| r.status);
        match (color, column, status) {
            (true, Some(c), Some(st)) if line.get(c..).is_some_and(|rest| rest.starts_with(&st.to_string())) => {
                let text = st.to_string();
                out.push_str(&line[..c]);
                out.push_str(&paint_status(st, &text));
                out.push_str(&line[c + text.len()..]);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

pub(crate) fn markdown(rows: &[Row]) -> String {
    let mut s = super::scenario_notes(rows);
    if !s.is_empty() {
        // `*` is emphasis in Markdown; the notes name the marked rule sets literally.
        s = s.replace('*', "\\*") + "\n";
    }
    let table = build(rows, presets::ASCII_MARKDOWN).to_string();
    // Mark the numeric columns right-aligned in Markdown too (`---:`).
    let right = if has_memory(rows) { 4..7 } else { 4..6 };
    for (i, line) in table.lines().enumerate() {
        if i == 1 {
            let cells: Vec<&str> = line.split('|').collect();
            let n = cells.len();
            let marked: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(j, c)| {
                    // cells[0] and cells[n - 1] are the empty text outside the outer pipes.
                    if j > 0 && j < n - 1 && right.contains(&(j - 1)) && c.ends_with('-') {
                        format!("{}:", &c[..c.len() - 1])
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            s.push_str(&marked.join("|"));
        } else {
            s.push_str(line);
        }
        s.push('\n');
    }
    s
}
