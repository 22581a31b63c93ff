//! Issue 14: no module imports one that imports it back. The library's top-level modules
//! (`src/<name>.rs` or `src/<name>/`) form a graph through their `crate::<name>` paths; the
//! graph must have no circle, and the data-flow line in docs/architecture.md must list its
//! modules in an order the graph agrees with.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level module each source file belongs to, with the `crate::` modules it names
/// outside comments.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("walk src");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .into_owned();
        let module = first.trim_end_matches(".rs").to_string();
        // The crate root and the binary (main.rs, cli/) are not library modules.
        if ["lib", "main", "cli"].contains(&module.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let deps = g.entry(module.clone()).or_default();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            for (i, _) in code.match_indices("crate::") {
                let rest = &code[i + "crate::".len()..];
                let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                    let group = group.split('}').next().unwrap_or("");
                    group
                        .split(',')
                        .map(|n| n.trim().split("::").next().unwrap_or(""))
                        .collect()
                } else {
                    vec![rest
                        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or("")]
                };
                for n in names {
                    if !n.is_empty() && n != module {
                        deps.insert(n.to_string());
                    }
                }
            }
        }
    }
    // Keep only edges between modules (not crate-root items such as `Error`).
    let modules: BTreeSet<String> = g.keys().cloned().collect();
    for deps in g.values_mut() {
        deps.retain(|d| modules.contains(d));
    }
    g
}

/// A path from `from` to `to` through the graph, if there is one.
fn path(g: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> Option<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![vec![from.to_string()]];
    while let Some(p) = stack.pop() {
        let last = p.last().unwrap().clone();
        if last == to && p.len() > 1 {
            return Some(p);
        }
        for d in g.get(&last).into_iter().flatten() {
            if seen.insert(d.clone()) {
                let mut q = p.clone();
                q.push(d.clone());
                stack.push(q);
            }
        }
    }
    None
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let g = graph();
    assert!(g.len() >= 20, "{} modules found: the scan of src/ is broken", g.len());
    assert!(
        g["verdict"].contains("rules") && g["report"].contains("verdict"),
        "edges not found: {g:?}"
    );
    let mut circles = Vec::new();
    for (m, deps) in &g {
        for d in deps {
            if let Some(back) = path(&g, d, m) {
                circles.push(format!("{m} -> {}", back.join(" -> ")));
            }
        }
    }
    assert!(circles.is_empty(), "module circles:\n{}", circles.join("\n"));
}

#[test]
fn the_documented_data_flow_agrees_with_the_imports() {
    // docs/architecture.md: `units -> datasheet -> metrics -> ... -> {cli, web}`. A module
    // named on that line may import only modules named before it (or helpers not on it).
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md")).unwrap();
    let line = doc
        .lines()
        .find(|l| l.starts_with("units -> datasheet"))
        .expect("the data-flow line");
    let mut rank = BTreeMap::new();
    for (i, step) in line.split("->").enumerate() {
        for m in step.trim().trim_matches(|c| c == '{' || c == '}').split(',') {
            rank.insert(m.trim().to_string(), i);
        }
    }
    let g = graph();
    for m in rank.keys().filter(|m| *m != "cli") {
        assert!(
            g.contains_key(m),
            "docs/architecture.md names `{m}`, which is not a module of src/"
        );
    }
    let mut against = Vec::new();
    for (m, deps) in &g {
        let Some(&rm) = rank.get(m) else { continue };
        for d in deps {
            if let Some(&rd) = rank.get(d) {
                if rd >= rm {
                    against.push(format!("{m} imports {d}, which the data-flow line puts at or after it"));
                }
            }
        }
    }
    assert!(against.is_empty(), "{}", against.join("\n"));
}
