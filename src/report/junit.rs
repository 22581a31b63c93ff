//! JUnit XML for CI systems (GitLab, Jenkins, GitHub test-report actions): one `<testsuite>`
//! per rule set, one `<testcase>` per (part, rule set). A case that fails the gate has a
//! `<failure>` whose message names the deciding clause and margin, or the missing figures;
//! files that could not be loaded (with `--keep-going`) are `<error>` cases in a `load` suite.
//!
//! Written with `quick-xml`'s writer, which escapes text and attributes; characters that XML
//! 1.0 cannot carry at all (most control characters) are replaced with U+FFFD.

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use std::collections::BTreeMap;

/// One test case: a part classified under a rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Part id (the test case's name).
    pub part: String,
    /// Rule-set id (the test suite, and the case's class name).
    pub rules: String,
    /// The overrides applied to the rule set (`KEY=VALUE, ...`), when it is a scenario: a
    /// `scenario` property of the suite, and named in failure messages.
    pub scenario: Option<String>,
    /// The datasheet file the part came from, if any (`explain` takes it in place of the id).
    pub file: Option<String>,
    /// The one-line verdict and reason ([`super::gate::reason`]), shown as the case's output.
    pub verdict: String,
    /// `Some(status)` when the case fails the gate (`controlled` or `indeterminate`).
    pub failure: Option<String>,
}

/// A file that could not be loaded: its name and the error message.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    /// The file (or `<input>`).
    pub file: String,
    /// The rendered error.
    pub message: String,
}

/// XML 1.0 allows tab, newline, carriage return and everything from U+0020 except the
/// surrogates (which Rust strings cannot hold) and U+FFFE/U+FFFF.
fn xml_safe(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Renders the cases (grouped into suites by rule set, in order of first appearance) and any
/// load errors as a JUnit XML document.
///
/// ```
/// use tppcalc::report::junit::{render, Case};
/// let cases = vec![
///     Case { part: "acme-x1".into(), rules: "us-2024-12".into(), scenario: None, file: None,
///            verdict: "controlled 3A090.a (3A090.a.1: tpp 5120 >= 4800, margin +320 (+6.67%))".into(),
///            failure: Some("controlled".into()) },
///     Case { part: "acme-s2".into(), rules: "us-2024-12".into(), scenario: None, file: None,
///            verdict: "not_controlled (no clause met)".into(), failure: None },
/// ];
/// let xml = render(&cases, &[]);
/// assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
/// assert!(xml.contains(r#"<testsuite name="us-2024-12" tests="2" failures="1" errors="0">"#));
/// assert!(xml.contains(r#"margin +320 (+6.67%)"#));
/// ```
pub fn render(cases: &[Case], load_errors: &[LoadError]) -> String {
    let mut order: Vec<&str> = Vec::new();
    let mut suites: BTreeMap<&str, Vec<&Case>> = BTreeMap::new();
    for c in cases {
        if !suites.contains_key(c.rules.as_str()) {
            order.push(&c.rules);
        }
        suites.entry(&c.rules).or_default().push(c);
    }
    let failures = cases.iter().filter(|c| c.failure.is_some()).count();
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let result: std::io::Result<()> = (|| {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element("testsuites")
            .with_attributes([
                ("name", "tppcalc classify"),
                ("tests", (cases.len() + load_errors.len()).to_string().as_str()),
                ("failures", failures.to_string().as_str()),
                ("errors", load_errors.len().to_string().as_str()),
            ])
            .write_inner_content(|w| {
                if !load_errors.is_empty() {
                    w.create_element("testsuite")
                        .with_attributes([
                            ("name", "load"),
                            ("tests", load_errors.len().to_string().as_str()),
                            ("failures", "0"),
                            ("errors", load_errors.len().to_string().as_str()),
                        ])
                        .write_inner_content(|w| {
                            for e in load_errors {
                                let file = xml_safe(&e.file);
                                let message = xml_safe(&e.message);
                                w.create_element("testcase")
                                    .with_attributes([
                                        ("name", file.as_str()),
                                        ("classname", "load"),
                                        ("file", file.as_str()),
                                    ])
                                    .write_inner_content(|w| {
                                        w.create_element("error")
                                            .with_attributes([("message", message.as_str()), ("type", "bad_input")])
                                            .write_text_content(BytesText::new(&message))?;
                                        Ok(())
                                    })?;
                            }
                            Ok(())
                        })?;
                }
                for rules in &order {
                    let cs = &suites[rules];
                    let fails = cs.iter().filter(|c| c.failure.is_some()).count();
                    let scenario = cs.first().and_then(|c| c.scenario.as_deref()).map(xml_safe);
                    let rules = xml_safe(rules);
                    w.create_element("testsuite")
                        .with_attributes([
                            ("name", rules.as_str()),
                            ("tests", cs.len().to_string().as_str()),
                            ("failures", fails.to_string().as_str()),
                            ("errors", "0"),
                        ])
                        .write_inner_content(|w| {
                            if let Some(s) = &scenario {
                                w.create_element("properties").write_inner_content(|w| {
                                    w.create_element("property")
                                        .with_attributes([("name", "scenario"), ("value", s.as_str())])
                                        .write_empty()?;
                                    Ok(())
                                })?;
                            }
                            for c in cs {
                                write_case(w, c, &rules, scenario.as_deref())?;
                            }
                            Ok(())
                        })?;
                }
                Ok(())
            })?;
        Ok(())
    })();
    result.expect("writing to memory does not fail");
    let mut s = String::from_utf8(w.into_inner()).expect("the writer writes the UTF-8 it is given");
    s.push('\n');
    s
}

fn write_case(w: &mut Writer<Vec<u8>>, c: &Case, rules: &str, scenario: Option<&str>) -> std::io::Result<()> {
    let part = xml_safe(&c.part);
    let verdict = xml_safe(&c.verdict);
    let file = c.file.as_deref().map(xml_safe);
    let mut attrs = vec![("name", part.as_str()), ("classname", rules)];
    if let Some(f) = &file {
        attrs.push(("file", f.as_str()));
    }
    w.create_element("testcase")
        .with_attributes(attrs)
        .write_inner_content(|w| {
            if let Some(kind) = &c.failure {
                let (under, set) = match scenario {
                    Some(s) => (
                        format!("{rules} (with {s})"),
                        s.split(", ")
                            .map(|kv| match kv.contains(' ') {
                                true => format!(" --set '{kv}'"),
                                false => format!(" --set {kv}"),
                            })
                            .collect::<String>(),
                    ),
                    None => (rules.to_string(), String::new()),
                };
                let message = format!("{part} under {under}: {verdict}");
                let subject = file.as_deref().unwrap_or(part.as_str());
                let body = format!(
                    "{message}\nevery clause, value and margin: tppcalc explain {subject} --rules {rules}{set}"
                );
                w.create_element("failure")
                    .with_attributes([("message", message.as_str()), ("type", kind.as_str())])
                    .write_text_content(BytesText::new(&body))?;
            }
            w.create_element("system-out")
                .write_text_content(BytesText::new(&verdict))?;
            Ok(())
        })?;
    Ok(())
}
