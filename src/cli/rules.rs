//! `tppcalc rules`.

use super::{Output, RuleArgs};
use std::fmt::Write;
use tppcalc::rules::{RuleRegistry, SetValue};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A rule-set id or file to show; without it, list the shipped rule sets.
    id: Option<String>,
    #[command(flatten)]
    rules: RuleArgs,
}

pub fn run(a: Args) -> Output {
    let mut registry = RuleRegistry::shipped();
    let mut sets = Vec::new();
    for s in &a.rules.set {
        match SetValue::parse(s) {
            Ok(v) => sets.push(v),
            Err(e) => return Output::errors(&[e]),
        }
    }
    // Rule files named with `--rules` join the registry first, so that a file that extends
    // one of them can be shown.
    for r in &a.rules.rules {
        if let Err(e) = registry.add_arg(r) {
            return Output::errors(&[e]);
        }
    }
    let Some(arg) = a.id else {
        let mut t = comfy_table::Table::new();
        t.load_preset(comfy_table::presets::NOTHING);
        t.set_header(["id", "status", "effective", "title"]);
        let default = registry.default_id();
        for id in registry.shipped_ids() {
            match registry.resolve(&id, &[]) {
                Ok(r) => {
                    let mark = if Some(&id) == default.as_ref() {
                        " (default)"
                    } else {
                        ""
                    };
                    t.add_row([
                        format!("{id}{mark}"),
                        r.status.to_string(),
                        r.effective.clone().unwrap_or_default(),
                        r.title.clone(),
                    ]);
                }
                Err(e) => return Output::errors(&[e]),
            }
        }
        let s: Vec<String> = t.to_string().lines().map(|l| l.trim_end().to_string()).collect();
        return Output::ok(s.join("\n") + "\n");
    };
    let id = match registry.add_arg(&arg) {
        Ok(id) => id,
        Err(e) => return Output::errors(&[e]),
    };
    let r = match registry.resolve(&id, &sets) {
        Ok(r) => r,
        Err(e) => return Output::errors(&[e]),
    };
    let mut s = String::new();
    let _ = writeln!(s, "{}: {}", r.id, r.title);
    let _ = writeln!(
        s,
        "status: {}; effective: {}",
        r.status,
        r.effective.as_deref().unwrap_or("-")
    );
    if let Some(p) = &r.extends {
        let _ = writeln!(s, "extends: {p}");
    }
    for c in &r.citations {
        let _ = writeln!(s, "cites: {c}");
    }
    if let Some(c) = &r.certainty {
        let _ = writeln!(s, "how sure: {c}");
    }
    let bits: Vec<String> = r
        .interpretation
        .bit_length
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let _ = writeln!(
        s,
        "interpretation: bit_length {{{}}}; applicable_die_area {}",
        bits.join(", "),
        r.interpretation.applicable_die_area
    );
    for (k, v) in &r.overrides {
        let _ = writeln!(s, "set: {k} = {v}");
    }
    let _ = writeln!(s, "\ncontrols");
    for c in &r.controls {
        let _ = writeln!(s, "  {} -> {} ({}): {}", c.id, c.eccn, c.applies_to, c.when.describe());
        let _ = writeln!(s, "    \"{}\"", c.text);
        if let Some(d) = &c.doubt {
            let _ = writeln!(s, "    in doubt: {d}");
        }
    }
    if !r.switched_off.is_empty() {
        let _ = writeln!(
            s,
            "\nswitched off (listed, not evaluated; `--set ID.enabled=true` switches one on)"
        );
        for c in &r.switched_off {
            let _ = writeln!(s, "  {} -> {} ({}): {}", c.id, c.eccn, c.applies_to, c.when.describe());
            let _ = writeln!(s, "    \"{}\"", c.text);
            if let Some(d) = &c.doubt {
                let _ = writeln!(s, "    in doubt: {d}");
            }
        }
    }
    if !r.exclusions.is_empty() {
        let _ = writeln!(s, "\nexclusions");
        for x in &r.exclusions {
            let ex: Vec<String> = x.excludes.iter().map(|e| e.to_string()).collect();
            let _ = writeln!(s, "  {} removes {}: {}", x.id, ex.join(", "), x.when.describe());
            let _ = writeln!(s, "    \"{}\"", x.text);
        }
    }
    if let Some(f) = &r.foundry {
        let _ = writeln!(
            s,
            "\nNote 1 to 3A090.a (the foundry presumption; from {}; `tppcalc foundry` evaluates it)",
            f.effective
        );
        let _ = writeln!(s, "  cites: {}", f.citation);
        let _ = writeln!(s, "  how sure: {}", f.source);
        for p in f.text.split("\n\n") {
            let _ = writeln!(s, "    \"{p}\"");
        }
        let _ = writeln!(s, "  Technical Note 1 to 3A090.a:");
        let _ = writeln!(s, "    \"{}\"", f.technical_note);
    }
    let sev: Vec<String> = r.severity.iter().map(|e| e.to_string()).collect();
    let _ = writeln!(s, "\nseverity: {}", sev.join(" > "));
    if let Some(l) = &r.licensing {
        let _ = writeln!(s, "\nlicensing (country groups {})", l.country_groups);
        for q in &l.requirements {
            let eccns: Vec<String> = q.eccns.iter().map(|e| e.to_string()).collect();
            let scope = tppcalc::licensing::describe_scope(&q.scope);
            let _ = writeln!(s, "  requirement {}: {} for {scope}", q.id, eccns.join(", "));
        }
        for p in &l.review_policies {
            let _ = writeln!(s, "  policy {}: {}", p.id, p.policy.words());
        }
        for e in &l.exceptions {
            let _ = writeln!(s, "  exception {} ({})", e.id, e.name);
        }
    }
    if let Some(n) = &r.notes {
        let _ = writeln!(s, "\nnotes: {n}");
    }
    Output::ok(s)
}
