//! The quick path of the YAML loader: a glance at the text that decides, without parsing it,
//! that the full scan ([`check_limits`](super::check_limits), yaml-rust2's event parser) has
//! nothing to refuse, so that a plain datasheet is read in one pass (serde_yaml only).
//!
//! It must never change what loads or what a message says. The rule that makes this hold:
//! the quick path only ever *skips* the full scan, for a text the full scan would accept, and
//! any error on the quick path sends the text through the full scan, whose message is the one
//! reported.
//!
//! - **Reference it copies:** [`check_limits`](super::check_limits) followed by
//!   [`from_checked_str`](super::from_checked_str), the full route of
//!   [`from_str`](super::from_str) (and `datasheet::validate::peek_kind` for the `kind`).
//! - **Tests that prove it:** the property tests below,
//!   `yaml::quick::tests::the_quick_path_and_the_full_scan_accept_the_same_files` (generated
//!   datasheets mutated with tabs, anchors, aliases, flow maps, quotes, comments, directives and
//!   odd scalars: whenever the glance passes and serde_yaml reads the text, the full scan
//!   accepts it too and finds the same `kind`, and loading gives the same value or the same
//!   message either way; seeds of past failures in `quick.proptest-regressions` beside this
//!   file) and `the_glance_never_accepts_an_anchor_or_alias`; the bad-input corpus
//!   (`tests/it/bad_inputs.rs`) holds the case that once took different routes
//!   (`syntax-tab-after-colon*.yaml`: the same error at the same place).
//! - **What it buys:** without it, classifying 10,000 generated datasheets under three rule sets
//!   takes 28% more instructions (15,281 M against 11,928 M, callgrind, one thread); the full
//!   scan it skips was 18.3% of that run's instructions (docs/performance.md, "One loader").

use super::refused_character;

/// Whether a text certainly keeps every limit, from a glance (no parse); `false` when that is
/// not certain (then the text goes through [`check_limits`](super::check_limits)).
///
/// Certain means: no `&` or `*` where a node can start (after a line start, a space or an
/// indicator, and followed by a name; so no anchors or aliases, and the document cannot
/// expand beyond its own size), no line starting with `---` or `...` (one document), no
/// directive (`%` at a line start), and lines indented by at most 20 spaces with at most 8 open
/// brackets (so nesting stays below [`MAX_DEPTH`](super::MAX_DEPTH): each level of block
/// nesting needs a deeper indent or a `- ` at the same one, so depth is at most 2 x (20 + 1) +
/// 8 + 1 = 51). The size limit is checked when reading.
pub fn within_limits(text: &str) -> bool {
    let bytes = text.as_bytes();
    // An anchor or alias starts a node, so it follows a line start, a space, an indicator
    // (`[`, `{`, `,`, `:`, `-`, `?`) or a tag; `R&D` or `485*` inside a note cannot be one.
    // This over-approximates (a quoted ` *x` also counts), which only costs the full scan.
    let node_start = |i: usize| {
        i == 0
            || matches!(
                bytes[i - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b',' | b':' | b'-' | b'?' | b'!'
            )
    };
    // ... and is followed by its name: at least one character that is not a space or a flow
    // indicator (`R & D` is text).
    let named = |i: usize| bytes.get(i).is_some_and(|b| !b" \t\r\n,[]{}".contains(b));
    // A refused character, or a backslash (an escape in a double-quoted string may write
    // one), is for the full scan to report.
    // A tab is for the full scan too: libyaml reads `vendor:<TAB>ACME` where yaml-rust2 does
    // not, and the full scan refuses what either parser refuses, so a file must not load or
    // fail depending on which path it takes.
    if text.contains(['\\', '\t']) || refused_character(text).is_some() {
        return false;
    }
    // A quoted scalar that goes on past its line is for the full scan: libyaml reads one whose
    // next lines start at column 0, where yaml-rust2 does not.
    if text.lines().any(|l| !quotes_close_on_their_line(l)) {
        return false;
    }
    // One pass: `indent` counts the leading spaces of the current line until its first other
    // character; brackets are counted across lines.
    let mut indent = Some(0usize);
    let mut brackets = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(n) = indent {
            if b == b' ' {
                if n == 20 {
                    return false;
                }
                indent = Some(n + 1);
                continue;
            }
            if n == 0 && (bytes[i..].starts_with(b"---") || bytes[i..].starts_with(b"...") || b == b'%') {
                return false;
            }
            indent = None;
        }
        match b {
            b'\n' => indent = Some(0),
            b'[' | b'{' => {
                brackets += 1;
                if brackets > 8 {
                    return false;
                }
            }
            b']' | b'}' => brackets = brackets.saturating_sub(1),
            b'&' | b'*' if node_start(i) && named(i + 1) => return false,
            _ => {}
        }
    }
    true
}

/// Whether every quoted scalar that starts on this line also ends on it. A quote starts a
/// scalar where a node can start: after the indentation, after `: `, `- ` or `? `, or after
/// `[`, `{` or `,` (spaces aside); a quote elsewhere (`it's`) is text, and a comment ends the
/// line. In single quotes `''` is a quote; double quotes have no escapes here (a backslash
/// already sends the text to the full scan).
fn quotes_close_on_their_line(line: &str) -> bool {
    let b = line.as_bytes();
    let mut i = 0;
    let mut node = true;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' => {}
            b'#' if i == 0 || b[i - 1] == b' ' => return true,
            b'\'' | b'"' if node => {
                let mut j = i + 1;
                loop {
                    match b.get(j) {
                        None => return false,
                        Some(&q) if q == c && c == b'\'' && b.get(j + 1) == Some(&b'\'') => j += 2,
                        Some(&q) if q == c => break,
                        Some(_) => j += 1,
                    }
                }
                i = j;
                node = false;
            }
            b'[' | b'{' | b',' => node = true,
            b':' | b'-' | b'?' if b.get(i + 1).is_none_or(|n| *n == b' ') => node = true,
            _ => node = false,
        }
        i += 1;
    }
    true
}

/// The top-level `kind` of a text that [`within_limits`] accepts, found without parsing it:
/// exactly one `kind:` line at column 0 naming a kind of `known`; `None` otherwise. A file
/// that passes is still fully parsed by the deserializer, whose result must agree with this
/// `kind`; any error sends the file through the full scan, so its message is the same either
/// way.
pub fn kind(text: &str, known: &[&'static str]) -> Option<&'static str> {
    if !within_limits(text) {
        return None;
    }
    let mut kind = None;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("kind:") {
            if kind.is_some() {
                return None;
            }
            let value = rest.split(" #").next().unwrap_or("").trim();
            kind = Some(
                known
                    .iter()
                    .find(|k| [k.to_string(), format!("'{k}'"), format!("\"{k}\"")].contains(&value.to_string()))
                    .copied()?,
            );
            // An indented line after it (blank lines aside) would continue the value
            // (`kind: chip` then `  - a` reads `chip - a`): not certain, so not quick.
            while lines.next_if(|l| l.trim().is_empty()).is_some() {}
            if lines.peek().is_some_and(|l| l.starts_with([' ', '\t'])) {
                return None;
            }
        }
    }
    kind
}

#[cfg(test)]
mod tests {
    use super::super::{check_limits, from_checked_str, from_str};
    use super::*;
    use yaml_rust2::parser::{Event, Parser};

    /// Anchors and aliases found by a real YAML parser (the one the full scan uses).
    fn anchors_and_aliases(text: &str) -> Option<usize> {
        let mut parser = Parser::new_from_str(text);
        let mut n = 0;
        loop {
            match parser.next_token() {
                Ok((Event::StreamEnd, _)) => return Some(n),
                Ok((Event::Alias(_), _)) => n += 1,
                Ok((Event::Scalar(_, _, a, _) | Event::SequenceStart(a, _) | Event::MappingStart(a, _), _))
                    if a > 0 =>
                {
                    n += 1
                }
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }

    #[test]
    fn every_anchor_and_alias_goes_to_the_full_scan() {
        let known = ["chip"];
        for text in [
            "kind: chip\na: &x 1\nb: *x\n",
            "kind: chip\nl: [&x 1,*x]\n",
            "kind: chip\nm: {a: &x 1,b: *x}\n",
            "kind: chip\nl:\n- &x a\n- *x\n",
            "kind: chip\nl:\n-\t*x\n",
            "kind: chip\nx: !!str &a b\n",
            "kind: chip\nx: &a\n  y: 1\nz: *a\n",
            "&a kind: chip\n",
        ] {
            assert_eq!(kind(text, &known), None, "{text:?}");
        }
        // Ampersands and asterisks inside words and notes are not anchors.
        let note = "kind: chip\nnote: \"R&D, AI Core & AI Edge, with sparsity (*) only; INT8 485*\"\n";
        assert_eq!(kind(note, &known), Some("chip"));
        assert_eq!(anchors_and_aliases(note), Some(0));
    }

    /// The case: whether a file loads does not depend on an unrelated anchor elsewhere
    /// in it (which sends it through the full scan): the same result or the same message
    /// either way.
    #[test]
    fn an_unrelated_anchor_does_not_change_whether_a_file_loads() {
        type Map = std::collections::BTreeMap<String, String>;
        for body in [
            "vendor:\tACME\n",
            "vendor: ACME\t\n",
            "vendor: 'A\tB'\n",
            "vendor: ACME\n",
        ] {
            let plain = format!("kind: chip\n{body}");
            let anchored = format!("kind: chip\n{body}family: &f F\n");
            let a = from_str::<Map>(&plain)
                .map(|m| m["vendor"].clone())
                .map_err(|e| (e.message, e.location));
            let b = from_str::<Map>(&anchored)
                .map(|m| m["vendor"].clone())
                .map_err(|e| (e.message, e.location));
            assert_eq!(a, b, "{body:?}");
        }
    }

    #[test]
    fn the_glance_refuses_deep_indents_many_brackets_more_documents_and_directives() {
        let deep = format!("kind: chip\nx:\n{}y: 1\n", " ".repeat(21));
        let edge = format!("kind: chip\nx:\n{}y: 1\n", " ".repeat(20));
        assert!(!within_limits(&deep));
        assert!(within_limits(&edge));
        assert!(!within_limits("kind: chip\nx: [[[[{{{{[1]}}}}]]]]\n"));
        assert!(within_limits(
            "kind: chip\nx: [[[[{{{{1}}}}]]]]\ny: [[[[{{{{1}}}}]]]]\n"
        ));
        assert!(!within_limits("kind: chip\n---\nkind: chip\n"));
        assert!(!within_limits("kind: chip\n...\n"));
        assert!(!within_limits("---\nkind: chip\n"));
        assert!(!within_limits("%YAML 1.2\n---\nkind: chip\n"));
        assert!(!within_limits("kind: chip\nx: 'two\nlines'\n"));
        assert!(!within_limits("kind: chip\nx: [\"two\nlines\"]\n"));
        assert!(within_limits("kind: chip\nx: 'it''s' # it's\ny: it's \"fine\"\n"));
        assert!(within_limits("kind: chip\nnote: >\n  ---\n"));
        assert_eq!(kind("kind: chip\nkind: memory\n", &["chip", "memory"]), None);
        assert_eq!(kind("kind: memory # HBM\n", &["chip", "memory"]), Some("memory"));
    }

    /// A datasheet as people write them, one line per entry, to be mutated.
    const BASE: &[&str] = &[
        "# ACME X1 datasheet",
        "kind: chip",
        "id: acme-x1",
        "name: ACME X1",
        "vendor: ACME",
        "released: \"2024-03\"",
        "datacenter: { value: true, source: brief }",
        "compute:",
        "  - unit: GPU",
        "    dense:",
        "      fp16: { value: 989.5 TFLOPS, source: brief }",
        "      fp8: 1979 TFLOPS",
        "dies:",
        "  - name: main",
        "    role: logic",
        "    transistor: finfet",
        "    area: { value: 814 mm^2, source: brief, basis: estimated }",
        "memory: { type: HBM3, capacity: 80 GB, bandwidth: 3.35 TB/s }",
        "interconnect: 900 GB/s # NVLink",
        "sources:",
        "  - id: brief",
        "    title: ACME X1 brief",
        "    url: https://example.com/x1",
        "notes: >-",
        "  A folded note",
        "  over two lines.",
    ];

    /// Lines and fragments that real and hostile files hold: anchors and aliases, flow maps
    /// and lists, every kind of quote, comments, directives, tags, block scalars, odd plain
    /// scalars, broken syntax.
    const EXTRA: &[&str] = &[
        "family: &f F",
        "family: *f",
        "x: &a { k: 1 }",
        "y: *a",
        "vendor: R&D",
        "vendor: 485*",
        "vendor: a & b * c",
        "notes: 'single # not a comment'",
        "notes: 'it''s'",
        "notes: \"double: quoted\"",
        "notes: plain # comment",
        "notes: a#b",
        "notes: x # c # d",
        "#comment",
        "   ",
        "",
        "notes: |",
        "  block",
        "notes: |2",
        "   indented",
        "notes: >+",
        "notes: |-",
        "x: {a: 1, b: [2, 3]}",
        "x: {a, b}",
        "x: {a: }",
        "x: [a: b]",
        "x: [? a : b]",
        "x: {? a}",
        "x: [a, b",
        "x: {a: 1",
        "x: [a, [b, [c, [d]]]]",
        "x: {a:1}",
        "x: [a,b,]",
        "x: [, a]",
        "{a: 1}: b",
        "[a]: b",
        "? complex",
        ": value",
        "? [a, b]",
        "x: ? y",
        "x: : y",
        "x: ,y",
        "x: y,",
        "x:y",
        "x: a: b",
        "x: - y",
        "- item",
        "  - item",
        "x:",
        "  - a",
        "  -b",
        "  - - nested",
        "x: !!str 2022",
        "x: !!float 1",
        "x: !!binary aGVsbG8=",
        "x: !local y",
        "x: !<tag:yaml.org,2002:str> y",
        "x: !",
        "x: !!",
        "%YAML 1.2",
        "%TAG ! tag:example.com,2000:",
        "---",
        "...",
        "--- x",
        "x: ~",
        "x: null",
        "x: Null",
        "x: NULL",
        "x: yes",
        "x: off",
        "x: 0x1F",
        "x: 0o17",
        "x: 0b101",
        "x: 017",
        "x: 1_000",
        "x: +1",
        "x: -.5",
        "x: .inf",
        "x: -.Inf",
        "x: .NaN",
        "x: 1e400",
        "x: 1.99999999999999999",
        "x: 123456789012345678901",
        "x: 2024-01-01",
        "x: 12:30:00",
        "x: @at",
        "x: `tick`",
        "x: %pct",
        "x: |x",
        "x: >x",
        "x: 'unterminated",
        "x: \"unterminated",
        "x: \"multi",
        "  line\"",
        "x: 'multi",
        "",
        "  line'",
        "x: plain",
        "  continued",
        "x: plain",
        "continued at column 0",
        "  bad: indent",
        " odd: indent",
        "kind: memory",
        "kind: 'chip'",
        "kind: \"chip\"",
        "kind:chip",
        "kind: chip # again",
        "x: \u{a0}nbsp",
        "x: caf\u{e9} \u{1F680}",
        "x: \u{feff}bom",
        "x: zero\u{200b}width",
        "x: [&a 1, *a]",
        "x: *",
        "x: &",
        "x: *a*",
        "x: a*b",
        "? a",
        "- &x",
        "x: !!str &a b",
        "x: &a !!str b",
    ];

    #[derive(Debug, Clone)]
    enum Edit {
        /// Insert the `EXTRA` line at a line.
        Insert(usize, usize),
        /// Delete a line.
        Delete(usize),
        /// Put a tab at a byte position (on a char boundary).
        Tab(usize),
        /// Indent a line by some spaces.
        Indent(usize, usize),
        /// Use CRLF line ends.
        Crlf,
    }

    fn edit() -> impl proptest::strategy::Strategy<Value = Edit> {
        use proptest::prelude::*;
        prop_oneof![
            6 => (0..40usize, 0..EXTRA.len()).prop_map(|(l, e)| Edit::Insert(l, e)),
            1 => (0..40usize).prop_map(Edit::Delete),
            1 => (0..2000usize).prop_map(Edit::Tab),
            1 => (0..40usize, 1..4usize).prop_map(|(l, n)| Edit::Indent(l, n)),
            1 => Just(Edit::Crlf),
        ]
    }

    fn apply(edits: &[Edit]) -> String {
        let mut lines: Vec<String> = BASE.iter().map(|s| s.to_string()).collect();
        let mut crlf = false;
        let mut tabs = Vec::new();
        for e in edits {
            match *e {
                Edit::Insert(l, x) => lines.insert(l % (lines.len() + 1), EXTRA[x].to_string()),
                Edit::Delete(l) if !lines.is_empty() => {
                    let i = l % lines.len();
                    lines.remove(i);
                }
                Edit::Indent(l, n) if !lines.is_empty() => {
                    let i = l % lines.len();
                    lines[i] = format!("{}{}", " ".repeat(n), lines[i]);
                }
                Edit::Tab(p) => tabs.push(p),
                Edit::Crlf => crlf = true,
                _ => {}
            }
        }
        let mut text = lines.join(if crlf { "\r\n" } else { "\n" });
        text.push('\n');
        for p in tabs {
            let mut at = p % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.insert(at, '\t');
        }
        text
    }

    /// The full scan alone: what a file gives when the quick path is not taken.
    fn full(text: &str) -> Result<serde_yaml::Value, (String, Option<crate::error::Location>)> {
        if text.trim().is_empty() {
            return from_str(text).map_err(|e| (e.message, e.location));
        }
        check_limits(text)
            .and_then(|_| from_checked_str(text))
            .map_err(|e| (e.message, e.location))
    }

    proptest::proptest! {
        // Seeds of past failures live beside this file (src/yaml/quick.proptest-regressions),
        // not in a top-level folder of their own.
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 2000,
            failure_persistence: Some(Box::new(
                proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
            )),
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// The quick path and the full scan accept exactly the same files, with the same
        /// values and the same messages.
        #[test]
        fn the_quick_path_and_the_full_scan_accept_the_same_files(
            edits in proptest::collection::vec(edit(), 0..8)
        ) {
            let text = apply(&edits);
            let libyaml_reads = serde_yaml::from_str::<serde::de::IgnoredAny>(&text).is_ok();
            if within_limits(&text) && libyaml_reads {
                // What the quick path skips, the full scan accepts (the only way the two
                // could differ).
                let scan = check_limits(&text);
                proptest::prop_assert!(scan.is_ok(), "{:?}: the full scan refuses it: {:?}", text, scan);
                // And the kind the glance finds is the document's.
                if let Some(k) = kind(&text, &["chip", "memory"]) {
                    let found = scan.unwrap().kind;
                    proptest::prop_assert_eq!(found.as_deref(), Some(k), "{:?}", text);
                }
            }
            let quick = from_str::<serde_yaml::Value>(&text).map_err(|e| (e.message, e.location));
            proptest::prop_assert_eq!(quick, full(&text), "{:?}", text);
        }

        /// Whenever the quick path accepts a text, a real parser finds no anchor or alias in it.
        #[test]
        fn the_glance_never_accepts_an_anchor_or_alias(
            tokens in proptest::collection::vec(proptest::sample::select(vec![
                "a: ", "b:", "&x ", "&y", "*x", "*y", "- ", "-", "[", "]", "{", "}", ", ", ",", "\n",
                "\n  ", "\t", "1", "\"R&D (*)\"", "& ", "* ", "&,", "*]", "'&*'", ":", "? ", "!!str ", "# *x\n", "|\n  ",
            ]), 0..14)
        ) {
            let text = format!("kind: chip\n{}", tokens.concat());
            if kind(&text, &["chip"]).is_some() {
                proptest::prop_assert_ne!(anchors_and_aliases(&text).map(|n| n > 0), Some(true), "{:?}", text);
            }
        }
    }
}
