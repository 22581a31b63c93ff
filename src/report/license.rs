//! Licence answers (`tppcalc license`): a text report for one destination, a table for
//! `--to all`, and their Markdown forms. JSON is [`super::json::render`] of the answers.

use crate::licensing::Answer;
use comfy_table::{presets, ContentArrangement, Table};
use std::fmt::Write;

/// The last line of every text and Markdown licence report.
pub const DISCLAIMER: &str = "This answer is not legal advice: it applies the rule set's data to the datasheet as given; check the regulation and seek counsel before relying on it.";

fn hq(a: &Answer) -> String {
    match (&a.end_user_hq, &a.parent_hq) {
        (Some(h), Some(p)) => format!("{h} (ultimate parent: {p})"),
        (Some(h), None) => h.clone(),
        _ => "unknown".to_string(),
    }
}

fn destination(a: &Answer) -> String {
    if a.destination == "other" {
        return "any other country (in none of the groups)".to_string();
    }
    let groups = if a.destination_groups.is_empty() {
        "in no group this rule set names".to_string()
    } else {
        a.destination_groups.join(", ")
    };
    format!("{} {} [{groups}]", a.destination, a.destination_name)
}

fn classification(a: &Answer) -> String {
    match &a.eccn {
        Some(e) => format!("{}, {e}", a.classification),
        None => a.classification.clone(),
    }
}

fn audit_line(a: &Answer) -> String {
    let mut s = format!(
        "tppcalc {}; rules {} {}; datasheet {}",
        a.audit.tool_version, a.audit.rules, a.audit.rules_digest, a.audit.datasheet_digest
    );
    if let (Some(g), Some(d)) = (&a.audit.country_groups, &a.audit.country_groups_digest) {
        let _ = write!(s, "; country groups {g} {d}");
    }
    s
}

fn policy_words(p: &str) -> &str {
    match p {
        "presumption_of_denial" => "presumption of denial",
        "case_by_case" => "case-by-case",
        "presumption_of_approval" => "presumption of approval",
        other => other,
    }
}

fn body(a: &Answer, md: bool) -> String {
    let mut s = String::new();
    let (b, q) = if md { ("**", "> ") } else { ("", "    ") };
    let item = if md { "- " } else { "  " };
    let _ = writeln!(s, "{b}licence required: {}{b}", a.license_required);
    for r in &a.requirements {
        let may = if r.applies == "yes" { "" } else { " (may apply)" };
        let _ = writeln!(s, "{item}under {}{may}, {}", r.id, r.citation);
        let _ = writeln!(s, "{q}\"{}\"", r.text);
        if let Some(u) = &r.unverified {
            let _ = writeln!(s, "{q}unverified: {u}");
        }
    }
    if md {
        s.push('\n');
    }
    match (&a.review_policy, &a.review_policy_basis) {
        (Some(p), Some(basis)) => {
            let _ = writeln!(s, "{b}review policy: {}{b}", policy_words(p));
            let _ = writeln!(s, "{item}under {}, {}", basis.id, basis.citation);
            let _ = writeln!(s, "{q}\"{}\"", basis.text);
            if let Some(u) = &basis.unverified {
                let _ = writeln!(s, "{q}unverified: {u}");
            }
            for c in &basis.conditions_not_checked {
                let _ = writeln!(s, "{item}condition not checked: {c}");
            }
        }
        _ if !a.possible_review_policies.is_empty() => {
            let _ = writeln!(
                s,
                "{b}review policy: undecided{b} (one of {})",
                a.possible_review_policies
                    .iter()
                    .map(|p| policy_words(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        _ if a.license_required == "no" => {
            let _ = writeln!(s, "{b}review policy: -{b} (no licence required)");
        }
        _ => {
            let _ = writeln!(
                s,
                "{b}review policy: none stated{b} (the rule set lists no policy for this case)"
            );
        }
    }
    if md {
        s.push('\n');
    }
    if a.exceptions.is_empty() {
        let _ = writeln!(s, "{b}licence exceptions: -{b}");
    } else {
        let _ = writeln!(s, "{b}licence exceptions:{b}");
        for e in &a.exceptions {
            let _ = writeln!(
                s,
                "{item}{} ({}): {}: {}",
                e.id,
                e.name,
                e.eligibility.replace('_', " "),
                e.why
            );
            let sub = if md { "  - " } else { "      " };
            for o in &e.obligations {
                let when = if o.applies == "yes" { "" } else { " (may apply)" };
                let _ = writeln!(s, "{sub}obligation{when}: {} ({})", o.summary, o.id);
            }
            if e.eligibility == "not_eligible" {
                continue;
            }
            for c in &e.conditions_not_checked {
                let _ = writeln!(s, "{sub}condition not checked: {c}");
            }
            if let Some(u) = &e.unverified {
                let _ = writeln!(s, "{sub}unverified: {u}");
            }
        }
    }
    if md {
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "{b}missing:{b} {}",
        if a.missing.is_empty() {
            "-".to_string()
        } else {
            a.missing.join("; ")
        }
    );
    for x in &a.assumptions {
        let _ = writeln!(s, "{b}assumed:{b} {x}");
    }
    for n in &a.notes {
        let _ = writeln!(s, "{b}note:{b} {n}");
    }
    if md {
        s.push('\n');
    }
    let _ = writeln!(s, "{b}audit:{b} {}", audit_line(a));
    s
}

/// ` with K=V, ... (a scenario, not the rule set as published)`, or nothing.
fn scenario_words(a: &Answer) -> String {
    match &a.scenario {
        Some(s) => format!(" with {s} (a scenario, not the rule set as published)"),
        None => String::new(),
    }
}

/// One answer as plain text, ending with the not-legal-advice line.
pub fn text(a: &Answer) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} ({}) to {}", a.part, a.name, destination(a));
    let _ = writeln!(s, "rules: {} ({}){}", a.rules, a.rules_status, scenario_words(a));
    let _ = writeln!(s, "classification: {}", classification(a));
    let _ = writeln!(s, "end user headquartered in: {}", hq(a));
    s.push_str(&body(a, false));
    s.push_str(DISCLAIMER);
    s.push('\n');
    s
}

/// One answer as Markdown, ending with the not-legal-advice line.
pub fn markdown(a: &Answer) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "## {} to {}\n", a.part, destination(a));
    let _ = writeln!(
        s,
        "- part: {} ({})\n- rules: `{}` ({}){}\n- classification: {}\n- end user headquartered in: {}\n",
        a.part,
        a.name,
        a.rules,
        a.rules_status,
        scenario_words(a),
        classification(a),
        hq(a)
    );
    s.push_str(&body(a, true));
    s.push('\n');
    s.push_str(&format!("*{DISCLAIMER}*\n"));
    s
}

fn exceptions_cell(a: &Answer) -> String {
    let pick = |want: &str| -> Vec<&str> {
        a.exceptions
            .iter()
            .filter(|e| e.eligibility == want)
            .map(|e| e.id.as_str())
            .collect()
    };
    let mut parts = Vec::new();
    let (yes, maybe) = (pick("eligible"), pick("undecided"));
    if !yes.is_empty() {
        parts.push(format!("eligible {}", yes.join(", ")));
    }
    if !maybe.is_empty() {
        parts.push(format!("undecided {}", maybe.join(", ")));
    }
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join("; ")
    }
}

fn build(answers: &[Answer], preset: &str) -> Table {
    let mut t = Table::new();
    t.load_preset(preset)
        .set_content_arrangement(ContentArrangement::Disabled);
    t.set_header([
        "to",
        "destination",
        "groups",
        "licence",
        "requirement",
        "policy",
        "exceptions",
        "missing",
    ]);
    for a in answers {
        let policy = match &a.review_policy {
            Some(p) => policy_words(p).to_string(),
            None if !a.possible_review_policies.is_empty() => "undecided".to_string(),
            None => "-".to_string(),
        };
        t.add_row([
            a.destination.clone(),
            a.destination_name.clone(),
            if a.destination_groups.is_empty() {
                "-".to_string()
            } else {
                a.destination_groups.join(" ")
            },
            a.license_required.clone(),
            a.requirement.clone().unwrap_or_else(|| "-".into()),
            policy,
            exceptions_cell(a),
            if a.missing.is_empty() {
                "-".to_string()
            } else {
                a.missing.join("; ")
            },
        ]);
    }
    t
}

fn header(answers: &[Answer]) -> String {
    match answers.first() {
        Some(a) => format!(
            "{} ({}) under {} ({}){}: {}; end user headquartered in: {}\n",
            a.part,
            a.name,
            a.rules,
            a.rules_status,
            scenario_words(a),
            classification(a),
            hq(a)
        ),
        None => String::new(),
    }
}

/// Answers for many destinations as an aligned table, ending with the not-legal-advice line.
pub fn table(answers: &[Answer]) -> String {
    let mut s = header(answers);
    s.push('\n');
    let t = build(answers, presets::NOTHING).to_string();
    for l in t.lines() {
        s.push_str(l.trim_end());
        s.push('\n');
    }
    s.push('\n');
    if let Some(a) = answers.first() {
        for n in &a.notes {
            let _ = writeln!(s, "note: {n}");
        }
        let _ = writeln!(s, "audit: {}", audit_line(a));
    }
    s.push_str(DISCLAIMER);
    s.push('\n');
    s
}

/// Answers for many destinations as a Markdown table, ending with the not-legal-advice line.
pub fn markdown_table(answers: &[Answer]) -> String {
    let mut s = header(answers);
    s.push('\n');
    s.push_str(&build(answers, presets::ASCII_MARKDOWN).to_string());
    s.push_str("\n\n");
    if let Some(a) = answers.first() {
        for n in &a.notes {
            let _ = writeln!(s, "- note: {n}");
        }
        let _ = writeln!(s, "- audit: {}\n", audit_line(a));
    }
    let _ = writeln!(s, "*{DISCLAIMER}*");
    s
}
