//! The page: server-rendered HTML (maud) with its style and a little plain JavaScript inline,
//! so it needs nothing from the network. Without JavaScript it still shows the rule set's
//! chart and verdict table and lets one pick another rule set; with it, threshold changes
//! re-classify live through the API.

use super::api::{self, RuleSetInfo, Threshold};
use super::Served;
use crate::datasheet::PartKind;
use crate::report::{cell, Row};
use crate::rules::{Label, RuleStatus};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Only what the page itself loads: inline style and script, and fetches to this server.
const CSP: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// A datasheet to start the editor with (the README's worked example).
const SAMPLE: &str = "kind: chip
id: acme-x1
name: ACME X1
vendor: ACME
datacenter: true
compute:
  - unit: NPU
    dense: { bf16: 150 TFLOPS, int8: 300 TOPS }
dies:
  - { name: X1, role: logic, transistor: finfet, process: N5, area: 420 mm^2 }
interconnect: 400 GB/s
";

#[derive(Deserialize)]
pub(super) struct PageQuery {
    rules: Option<String>,
}

/// What the script starts from: the rule set shown and its verdicts before any change.
#[derive(Serialize)]
struct PageState<'a> {
    rules: &'a str,
    rows: &'a [Row],
}

/// `GET /` (optionally `?rules=ID`).
pub(super) async fn index(State(s): State<Arc<Served>>, Query(q): Query<PageQuery>) -> Response {
    let result = tokio::task::spawn_blocking(move || render(&s, q.rules.as_deref())).await;
    let (status, body) = match result {
        Ok(Ok(page)) => (StatusCode::OK, page),
        Ok(Err((status, message))) => (status, message_page(&message)),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            message_page("internal error: the page could not be drawn"),
        ),
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
        ],
        body,
    )
        .into_response()
}

fn render(s: &Served, rules: Option<&str>) -> Result<String, (StatusCode, String)> {
    let rs = match s.resolve(rules, &[]) {
        Ok(rs) => rs,
        Err(None) => {
            return Err((
                StatusCode::NOT_FOUND,
                s.unknown_rules(rules.unwrap_or_default()).to_string(),
            ))
        }
        Err(Some(e)) => return Err((StatusCode::BAD_REQUEST, e.to_string())),
    };
    let all = api::rule_list(s);
    let current = api::info(&rs, s.default_rules() == Some(rs.id.as_str()));
    let verdicts = api::verdicts(s.catalog(), &rs);
    let rows: Vec<Row> = verdicts.iter().map(|v| Row::from_verdict(v, &rs)).collect();
    let svg = crate::report::chart::tpp_pd_map(&rs, &crate::report::chart::points(s.catalog(), &verdicts, &rs));
    let state = crate::report::json::render(&PageState {
        rules: &rs.id,
        rows: &rows,
    });
    Ok(page(s, &all, &current, &rows, &svg, &state).into_string())
}

/// The verdict as the table and the chart show it.
fn label(r: &Row) -> Label {
    r.label.clone()
}

/// A class per verdict, for its colour (the label is always shown as text too).
fn verdict_class(label: &Label) -> &'static str {
    match label {
        Label::Eccn(e) => match e.0.as_str() {
            "3A090.a" | "4A090.a" => "v-a",
            "3A090.b" | "4A090.b" => "v-b",
            "3A090.c" => "v-c",
            _ => "v-ind",
        },
        Label::NotControlled => "v-no",
        Label::Indeterminate => "v-ind",
    }
}

/// JSON inside `<script type="application/json">`: no `<` may end the element early.
fn script_json(json: &str) -> PreEscaped<String> {
    PreEscaped(json.replace('<', "\\u003c"))
}

fn rule_options(all: &[RuleSetInfo], selected: &str) -> Markup {
    html! {
        @for r in all {
            option value=(r.id) selected[r.id == selected] {
                (r.id) " — " (r.status) @if r.default { " (default)" }
            }
        }
    }
}

/// A slider's range: 0 to twice the threshold, in steps of about a hundredth of it.
fn slider(t: &Threshold) -> (f64, f64, f64) {
    let v: f64 = t.value.parse().unwrap_or(0.0);
    if v <= 0.0 {
        return (0.0, 1.0, 0.01);
    }
    let step = 10f64.powi(v.log10().floor() as i32 - 2);
    (0.0, (2.0 * v / step).ceil() * step, step)
}

fn threshold_control(i: usize, t: &Threshold) -> Markup {
    let (min, max, step) = slider(t);
    let unit = if t.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", t.unit)
    };
    let name = format!("{}: {} {}", t.clause, t.metric.replace('_', " "), t.symbol);
    html! {
        div.threshold data-key=(t.key) {
            div.head {
                label for={ "t" (i) } {
                    span.clause { (t.clause) } " "
                    span.cond { (t.metric.replace('_', " ")) " " (t.symbol) }
                }
                small.default id={ "d" (i) } { "published: " (t.value) (unit) }
            }
            div.inputs {
                input.num type="number" id={ "t" (i) } step="any" value=(t.value)
                    data-key=(t.key) data-default=(t.value) data-unit=(t.unit)
                    aria-describedby={ "d" (i) };
                span.unit { (unit) }
                input.range type="range" min=(min) max=(max) step=(step) value=(t.value)
                    data-for={ "t" (i) } aria-label={ (name) " (slider)" };
            }
        }
    }
}

fn verdict_table(rows: &[Row]) -> Markup {
    let columns = [
        ("part", "part", false),
        ("name", "name", false),
        ("kind", "kind", false),
        ("verdict", "verdict", false),
        ("tpp", "TPP", true),
        ("pd", "performance density", true),
        ("bwd", "bandwidth density", true),
        ("why", "why", false),
    ];
    html! {
        div.table-wrap tabindex="0" role="region" aria-label="Verdict table (scrolls sideways on narrow screens)" {
            table #verdict-table {
                caption { "Verdicts of the catalog; select a column heading to sort." }
                thead {
                    tr {
                        @for (key, title, numeric) in columns {
                            th scope="col" class=[numeric.then_some("n")] aria-sort=[(key == "part").then_some("ascending")] {
                                button type="button" data-sort=(key) { (title) }
                            }
                        }
                    }
                }
                tbody {
                    @for r in rows {
                        @let l = label(r);
                        tr data-part=(r.part) {
                            td { (r.part) }
                            td { (r.name) }
                            td { (r.kind) }
                            td.verdict { span class={ "label " (verdict_class(&l)) } { (l.to_string()) } }
                            td.n { (cell(r.exact.tpp.as_ref())) }
                            td.n { (cell(r.exact.performance_density.as_ref())) }
                            td.n { (cell(r.exact.memory_bandwidth_density.as_ref())) }
                            td { (r.why) }
                        }
                    }
                }
            }
        }
    }
}

/// The parts a picker offers: `(id, label)` for every part of one of `kinds`, in catalog order.
fn part_options(s: &Served, kinds: &[PartKind]) -> Vec<(String, String)> {
    s.catalog()
        .parts()
        .filter(|p| kinds.contains(&p.kind()))
        .map(|p| {
            let m = p.meta();
            let kind = if p.kind() == PartKind::System { " (system)" } else { "" };
            (m.id.0.clone(), format!("{} — {}{kind}", m.id.0, m.name))
        })
        .collect()
}

fn options(list: &[(String, String)], selected: &str) -> Markup {
    html! {
        @for (id, text) in list {
            option value=(id) selected[id == selected] { (text) }
        }
    }
}

/// The foundry panel: a chip, the transaction's facts, and the answer of `/api/foundry`.
fn foundry_panel(s: &Served, current: &RuleSetInfo) -> Markup {
    let chips = part_options(s, &[PartKind::Chip]);
    let first = if chips.iter().any(|(id, _)| id == "nvidia-l4") {
        "nvidia-l4"
    } else {
        chips.first().map_or("", |(id, _)| id.as_str())
    };
    html! {
        section #foundry aria-labelledby="foundry-h" {
            h2 #foundry-h { "Foundry presumption (Note 1 to 3A090.a)" }
            p.small {
                "When a front-end fabricator or OSAT exports an applicable advanced logic IC, it must presume the IC is 3A090.a unless the designer's attestation or an attested transistor count overcomes the presumption. As "
                code { "tppcalc foundry" } ", under " (current.id) " with the current thresholds."
            }
            form #foundry-form novalidate {
                div.grid2 {
                    div {
                        label for="foundry-part" { "Chip" }
                        select #foundry-part { (options(&chips, first)) }
                    }
                    div {
                        label for="foundry-completed" { "Transaction completed on" }
                        input #foundry-completed type="date" value="2027-07-01" min="2025-01-16" max="2100-12-31" required;
                    }
                    div {
                        label for="foundry-by" { "Packaged by" }
                        select #foundry-by {
                            option value="" { "not given (count route not taken)" }
                            option value="fabricator" selected { "the front-end fabricator (paragraph b)" }
                            option value="approved-osat" { "an approved OSAT (paragraph c)" }
                            option value="other" { "someone else" }
                        }
                    }
                    div {
                        label for="foundry-in" { "Packaged in (country code)" }
                        input #foundry-in type="text" value="TW" maxlength="2" size="4" autocomplete="off" spellcheck="false" aria-describedby="foundry-in-hint";
                        small #foundry-in-hint { " ISO 3166 alpha-2, e.g. TW, KR, MY, CN" }
                    }
                    div {
                        label for="foundry-designer" { "IC designer" }
                        select #foundry-designer {
                            option value="" selected { "not given (designer route not taken)" }
                            option value="approved" { "approved (Supplement No. 6 to part 740)" }
                            option value="authorized" { "authorized (paragraph a.(2)/(3))" }
                            option value="other" { "neither" }
                        }
                    }
                }
                button type="submit" { "Ask" }
            }
            div #foundry-out aria-live="polite" {}
        }
    }
}

/// One row of the cluster calculator: a part or system, how many per rack, how many racks,
/// the volume of one rack.
fn rack_row(parts: &[(String, String)], selected: &str, per: u64, racks: u64, volume: &str) -> Markup {
    html! {
        tr.rack {
            td { select.rack-part aria-label="Part or system, row 1" { (options(parts, selected)) } }
            td { input.rack-per type="number" min="1" step="1" value=(per) aria-label="Per rack, row 1"; }
            td { input.rack-count type="number" min="1" step="1" value=(racks) aria-label="Racks, row 1"; }
            td.vol {
                input.rack-vol type="number" min="0" step="any" value=(volume) aria-label="Volume of one rack, row 1";
                select.rack-unit aria-label="Volume unit, row 1" {
                    option value="ft^3" selected { "ft³" }
                    option value="m^3" { "m³" }
                    option value="L" { "L" }
                }
            }
            td { button.rack-remove type="button" aria-label="Remove row 1" { "Remove" } }
        }
    }
}

/// The cluster calculator: rack rows, and the answer of `/api/cluster`.
fn cluster_panel(s: &Served) -> Markup {
    let parts = part_options(s, &[PartKind::Chip, PartKind::System]);
    let first = if parts.iter().any(|(id, _)| id == "nvidia-h100-sxm5-80gb") {
        "nvidia-h100-sxm5-80gb"
    } else {
        parts.first().map_or("", |(id, _)| id.as_str())
    };
    html! {
        section #cluster aria-labelledby="cluster-h" {
            h2 #cluster-h { "Is it a supercomputer? (15 CFR 772.1)" }
            p.small {
                "100 or more FP64 petaflops, or 200 or more FP32 petaflops, within 41,600 ft³ or less. Add the installation's racks: the envelope is the set of whole racks with the most capacity that fits. As "
                code { "tppcalc cluster" } "."
            }
            form #cluster-form novalidate {
                div.table-wrap {
                    table #rack-table {
                        caption { "Racks (each row: identical racks)" }
                        thead {
                            tr {
                                th scope="col" { "part or system" }
                                th scope="col" { "per rack" }
                                th scope="col" { "racks" }
                                th scope="col" { "volume per rack" }
                                th scope="col" { span.sr { "remove" } }
                            }
                        }
                        tbody { (rack_row(&parts, first, 8, 1250, "100")) }
                    }
                }
                div.row {
                    button #rack-add type="button" { "Add a rack row" }
                }
                div.row {
                    label for="cluster-fp64" { "FP64 reading" }
                    select #cluster-fp64 {
                        option value="highest" selected { "highest unit" }
                        option value="sum" { "sum of units" }
                    }
                    label for="cluster-fp32" { "FP32 reading" }
                    select #cluster-fp32 {
                        option value="highest" selected { "highest unit" }
                        option value="sum" { "sum of units" }
                    }
                }
                button type="submit" { "Assess" }
            }
            div #cluster-out aria-live="polite" {}
        }
    }
}

fn page(s: &Served, all: &[RuleSetInfo], current: &RuleSetInfo, rows: &[Row], svg: &str, state: &str) -> Markup {
    // The comparison starts from the nearest earlier rule set that was enforced (a rule set
    // marked not-enforced is skipped: comparing against it answers a question nobody asks).
    let pos = all.iter().position(|r| r.id == current.id).unwrap_or(0);
    let other = all[..pos]
        .iter()
        .rev()
        .find(|r| r.status != RuleStatus::NotEnforced)
        .or_else(|| all.iter().find(|r| r.id != current.id))
        .map_or(current.id.as_str(), |r| r.id.as_str());
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "tppcalc — " (current.id) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                a.skip href="#verdicts" { "Skip to the verdict table" }
                header {
                    h1 { "tppcalc scenario explorer" }
                    p {
                        "Classifies " (rows.len()) " parts of " (s.source) " under " strong { (current.id) }
                        " (" (current.status) @if let Some(e) = &current.effective { ", effective " (e) } "): " (current.title) "."
                    }
                    p.small { "Everything runs on this machine; nothing is sent elsewhere. Not legal advice." }
                }
                main {
                    div.top {
                        section #controls aria-labelledby="controls-h" {
                            h2 #controls-h { "Rule set and thresholds" }
                            form #rules-form method="get" action="/" {
                                label for="rules" { "Rule set" }
                                div.row {
                                    select #rules name="rules" { (rule_options(all, &current.id)) }
                                    button type="submit" { "Show" }
                                }
                            }
                            fieldset #thresholds {
                                legend { "Thresholds of " (current.id) }
                                p.small { "Change a figure to re-classify the catalog with it; the chart and the table follow." }
                                @for (i, t) in current.thresholds.iter().enumerate() {
                                    (threshold_control(i, t))
                                }
                                button #reset type="button" { "Reset to the published thresholds" }
                            }
                        }
                        div.results {
                            p #status role="status" aria-live="polite" { "Thresholds as published in " (current.id) "." }
                            section #chart-section aria-labelledby="chart-h" {
                                h2 #chart-h { "TPP × performance density" }
                                div.row.chart-tools {
                                    button #zoom-cluster type="button" { "Zoom into the dense cluster" }
                                    button #zoom-reset type="button" disabled { "Show every part" }
                                    span.small #zoom-hint { "Drag across the chart to zoom into a region; hover a part for its figures, click it for its explanation." }
                                }
                                figure {
                                    div #chart role="group" aria-label={ "Map of total processing performance against performance density, with the regions of each verdict under " (current.id) " and the catalog's parts; each part can be focused and opened" } {
                                        (PreEscaped(svg))
                                    }
                                    div #tip role="tooltip" hidden {}
                                    figcaption.small { "Shaded regions: the verdict of a datacenter chip under the current thresholds. Each marker is a part of the catalog, coloured by its own verdict; a triangle is a part not designed or marketed for datacenters." }
                                }
                                section #part-explain hidden aria-live="polite" {
                                    h3 #part-explain-h {}
                                    pre #part-explain-text tabindex="0" {}
                                }
                            }
                            section #changes aria-labelledby="changes-h" {
                                h2 #changes-h { "Verdicts that differ from " (current.id) " as published" }
                                p #changes-none { "None: the thresholds are as published." }
                                ul #changes-list {}
                            }
                        }
                    }
                    section #verdicts aria-labelledby="verdicts-h" tabindex="-1" {
                        div.row {
                            h2 #verdicts-h { "Verdicts" }
                            div.tabs role="tablist" aria-label="Verdict views" {
                                button #tab-table type="button" role="tab" aria-selected="true" aria-controls="table-view" { "Under " (current.id) }
                                button #tab-matrix type="button" role="tab" aria-selected="false" aria-controls="matrix-view" { "Across rule versions" }
                            }
                        }
                        div #table-view role="tabpanel" aria-labelledby="tab-table" { (verdict_table(rows)) }
                        div #matrix-view role="tabpanel" aria-labelledby="tab-matrix" hidden {
                            p.small { "One row per part, one column per shipped rule set: the ECCN paragraph, `-` not controlled, `?` indeterminate. Rows marked * change verdict between versions (published thresholds; the threshold changes above do not apply here)." }
                            div.table-wrap { table #matrix-table { thead {} tbody {} } }
                        }
                    }
                    div.bottom {
                        section #check aria-labelledby="check-h" {
                            h2 #check-h { "Check a datasheet" }
                            form #check-form {
                                label for="datasheet" { "Datasheet (YAML, as in docs/datasheet-format.md)" }
                                textarea #datasheet name="datasheet" rows="16" spellcheck="false" { (SAMPLE) }
                                button type="submit" { "Check under the current thresholds" }
                            }
                            div #check-out aria-live="polite" {}
                        }
                        section #diff aria-labelledby="diff-h" {
                            h2 #diff-h { "Compare two rule sets" }
                            form #diff-form {
                                div.row {
                                    div {
                                        label for="diff-a" { "From (A)" }
                                        select #diff-a { (rule_options(all, other)) }
                                    }
                                    div {
                                        label for="diff-b" { "To (B)" }
                                        select #diff-b { (rule_options(all, &current.id)) }
                                    }
                                }
                                div.row {
                                    input #diff-set type="checkbox";
                                    label for="diff-set" { "Apply my threshold changes to B" }
                                }
                                button type="submit" { "Compare" }
                            }
                            pre #diff-out tabindex="0" aria-live="polite" aria-label="Comparison" {}
                        }
                    }
                    div.bottom #tools {
                        (foundry_panel(s, current))
                        (cluster_panel(s))
                    }
                }
                footer { p.small { "tppcalc " (env!("CARGO_PKG_VERSION")) " · API: /api/rules, /api/classify, /api/explain, /api/headroom, /api/diff, /api/chart, /api/matrix, /api/license, /api/foundry, /api/cluster" } }
                script #state type="application/json" { (script_json(state)) }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
}

/// A short page for an error (unknown rule set in `?rules=`).
fn message_page(message: &str) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { "tppcalc" } style { (PreEscaped(STYLE)) } }
            body { main { h1 { "tppcalc" } p.error { (message) } p { a href="/" { "Back to the explorer" } } } }
        }
    }
    .into_string()
}
