//! Licence answers (`tppcalc license`): a text report for one destination, a table for
//! `--to all`, and their Markdown forms. JSON is [`super::json::render`] of the answers.

use crate::licensing::{Answer, Applies, Destination, Eligibility, LicenceRequired, PolicyKind, PossiblePolicy};
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
    if a.destination == Destination::Other {
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
        None => a.classification.to_string(),
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

fn policy_words(p: &PolicyKind) -> &'static str {
    p.words()
}

/// A possible review policy in words; `none` when no listed policy may apply.
fn possible_words(p: &PossiblePolicy, none: &'static str) -> &'static str {
    p.0.as_ref().map_or(none, policy_words)
}

fn body(a: &Answer, md: bool) -> String {
    let mut s = String::new();
    let (b, q) = if md { ("**", "> ") } else { ("", "    ") };
    let item = if md { "- " } else { "  " };
    let _ = writeln!(s, "{b}licence required: {}{b}", a.license_required);
    for r in &a.requirements {
        let may = if r.applies == Applies::Yes { "" } else { " (may apply)" };
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
                    .map(|p| possible_words(p, "none"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        _ if a.license_required == LicenceRequired::No => {
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
            let _ = writeln!(s, "{item}{} ({}): {}: {}", e.id, e.name, e.eligibility, e.why);
            let sub = if md { "  - " } else { "      " };
            for o in &e.obligations {
                let when = if o.applies == Applies::Yes { "" } else { " (may apply)" };
                let _ = writeln!(s, "{sub}obligation{when}: {} ({})", o.summary, o.id);
            }
            if e.eligibility == Eligibility::NotEligible {
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
    let _ = writeln!(
        s,
        "rules: {} ({}){}; reading: {}",
        a.rules,
        a.rules_status,
        scenario_words(a),
        a.reading
    );
    let _ = writeln!(s, "{}", groups_line(a));
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
        "- part: {} ({})\n- rules: `{}` ({}){}; reading: {}\n- {}\n- classification: {}\n- end user headquartered in: {}\n",
        a.part,
        a.name,
        a.rules,
        a.rules_status,
        scenario_words(a),
        a.reading,
        groups_line(a),
        classification(a),
        hq(a)
    );
    s.push_str(&body(a, true));
    s.push('\n');
    s.push_str(&format!("*{DISCLAIMER}*\n"));
    s
}

fn exceptions_cell(a: &Answer) -> String {
    let pick = |want: Eligibility| -> Vec<&str> {
        a.exceptions
            .iter()
            .filter(|e| e.eligibility == want)
            .map(|e| e.id.as_str())
            .collect()
    };
    let mut parts = Vec::new();
    let (yes, maybe) = (pick(Eligibility::Eligible), pick(Eligibility::Undecided));
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
            a.destination.to_string(),
            a.destination_name.clone(),
            if a.destination_groups.is_empty() {
                "-".to_string()
            } else {
                a.destination_groups.join(" ")
            },
            a.license_required.to_string(),
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

/// `country groups: <id> (in force from <date>; <citation>): <how sure>`, and the date asked
/// about when there is one.
fn groups_line(a: &Answer) -> String {
    let g = &a.country_groups;
    let on = a.on.as_deref().map(|d| format!("as of {d}, ")).unwrap_or_default();
    format!(
        "country groups: {on}{} (in force from {}; {}): {}",
        g.id, g.valid_from, g.citation, g.certainty
    )
}

fn header(answers: &[Answer]) -> String {
    match answers.first() {
        Some(a) => format!(
            "{} ({}) under {} ({}{}; reading: {}): {}; end user headquartered in: {}\n{}\n",
            a.part,
            a.name,
            a.rules,
            a.rules_status,
            scenario_words(a),
            a.reading,
            classification(a),
            hq(a),
            groups_line(a)
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

/// The cell of a licence matrix: `yes: 742.6(a)(6)(iii); presumption of denial`, `no`, or
/// `indeterminate (end-user headquarters)`.
fn matrix_cell(a: &Answer) -> String {
    let policy = match &a.review_policy {
        Some(p) => policy_words(p).to_string(),
        None if !a.possible_review_policies.is_empty() => format!(
            "policy undecided ({})",
            a.possible_review_policies
                .iter()
                .map(|p| possible_words(p, "none listed"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        None => "no policy stated".to_string(),
    };
    let short = |m: &str| -> String { m.split(" (`").next().unwrap_or(m).to_string() };
    match a.license_required {
        LicenceRequired::No => "no".to_string(),
        LicenceRequired::Yes => format!("yes: {}; {policy}", a.requirement.clone().unwrap_or_else(|| "-".into())),
        LicenceRequired::Indeterminate => format!(
            "indeterminate: {}",
            if a.missing.is_empty() {
                "-".to_string()
            } else {
                a.missing.iter().map(|m| short(m)).collect::<Vec<_>>().join(", ")
            }
        ),
    }
}

/// Answers for several destinations under several rule sets (`answers[i][j]`: rule set `i`,
/// destination `j`) as one table: a column per rule set (with its classification, reading and
/// country-group snapshot), a row per destination.
fn matrix_table(answers: &[Vec<Answer>], preset: &str) -> Table {
    let mut t = Table::new();
    t.load_preset(preset)
        .set_content_arrangement(ContentArrangement::Disabled);
    let mut header = vec!["to".to_string()];
    header.extend(answers.iter().filter_map(|col| col.first()).map(|a| a.rules.clone()));
    t.set_header(header);
    let row = |label: &str, f: &dyn Fn(&Answer) -> String| -> Vec<String> {
        let mut r = vec![label.to_string()];
        r.extend(answers.iter().filter_map(|col| col.first()).map(f));
        r
    };
    t.add_row(row("classification", &|a| match &a.eccn {
        Some(e) => e.to_string(),
        None => a.classification.words().to_string(),
    }));
    t.add_row(row("reading", &|a| a.reading.to_string()));
    t.add_row(row("country groups", &|a| a.country_groups.id.clone()));
    let n = answers.first().map(Vec::len).unwrap_or(0);
    for j in 0..n {
        let Some(first) = answers.first().and_then(|c| c.get(j)) else {
            continue;
        };
        let mut r = vec![first.destination.to_string()];
        r.extend(
            answers
                .iter()
                .map(|col| col.get(j).map(matrix_cell).unwrap_or_default()),
        );
        t.add_row(r);
    }
    t
}

fn matrix_header(answers: &[Vec<Answer>]) -> String {
    match answers.first().and_then(|c| c.first()) {
        Some(a) => {
            let mut s = format!(
                "{} ({}); end user headquartered in: {}",
                a.part,
                a.name,
                hq_matrix(answers)
            );
            if let Some(t) = &a.end_user_type {
                let _ = write!(s, "; end-user type: {t}");
            }
            if let Some(on) = &a.on {
                let _ = write!(s, "; as of {on}");
            }
            s.push('\n');
            s
        }
        None => String::new(),
    }
}

/// `unknown`, one code, or `the destination` when it follows each row.
fn hq_matrix(answers: &[Vec<Answer>]) -> String {
    let all: Vec<&Answer> = answers.iter().flatten().collect();
    if all.iter().all(|a| a.end_user_hq.is_none()) {
        return "unknown".to_string();
    }
    if all.len() > 1
        && all
            .iter()
            .all(|a| a.end_user_hq.is_some() && a.end_user_hq.as_deref() == a.destination.code())
    {
        return "the destination".to_string();
    }
    all.first().map(|a| hq(a)).unwrap_or_default()
}

/// Several destinations under several rule sets as an aligned text table, ending with the
/// not-legal-advice line.
pub fn matrix(answers: &[Vec<Answer>]) -> String {
    let mut s = matrix_header(answers);
    s.push('\n');
    for l in matrix_table(answers, presets::NOTHING).to_string().lines() {
        s.push_str(l.trim_end());
        s.push('\n');
    }
    s.push('\n');
    s.push_str(DISCLAIMER);
    s.push('\n');
    s
}

/// Several destinations under several rule sets as a Markdown table, ending with the
/// not-legal-advice line.
pub fn markdown_matrix(answers: &[Vec<Answer>]) -> String {
    let mut s = matrix_header(answers);
    s.push('\n');
    s.push_str(&matrix_table(answers, presets::ASCII_MARKDOWN).to_string());
    s.push_str("\n\n");
    let _ = writeln!(s, "*{DISCLAIMER}*");
    s
}
