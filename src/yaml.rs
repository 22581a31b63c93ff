//! The only module that touches a YAML parser.
//!
//! `serde_yaml` deserializes; its errors are turned into [`Error`]s with file, line, column and
//! field path. Because `serde_yaml` reports no positions for values once they are parsed, the
//! checks that run after deserialization (sparse against dense, references between fields) ask
//! [`locate`] for the position of a field path; it reads the same text with `yaml-rust2`'s
//! event parser, which carries positions. Swapping the parser means editing this file only.
//!
//! Limits (documented in `docs/datasheet-format.md`): a file is at most [`MAX_FILE_BYTES`]
//! bytes; `serde_yaml` itself refuses nesting deeper than 128 levels and alias expansion that
//! would repeat nodes more than its repetition budget allows ("billion laughs").

use crate::error::{Error, ErrorKind, Location};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Largest datasheet or rule file accepted, in bytes (256 KiB; real datasheets are under 8 KiB).
pub const MAX_FILE_BYTES: usize = 256 * 1024;

/// Checks size and encoding, strips a UTF-8 byte-order mark, and returns the text.
pub fn decode(bytes: &[u8]) -> Result<&str, Error> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::new(
            ErrorKind::Limit,
            format!("file is {} bytes; the limit is {MAX_FILE_BYTES} bytes", bytes.len()),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        Error::new(ErrorKind::Syntax, "invalid UTF-8: expected a UTF-8 text file").at(Some(Location { line, column }))
    })
}

/// Deserializes one YAML document into `T`, with the field path and position of any error.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    if text.trim().is_empty() {
        return Err(Error::new(
            ErrorKind::Schema,
            "empty file: expected a YAML mapping with a `kind` field",
        ));
    }
    let de = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let location = inner.location().map(|l| Location {
            line: l.line(),
            column: l.column(),
        });
        let raw = inner.to_string();
        // serde_yaml appends " at line L column C" and prefixes the path; both are shown separately.
        let mut message = match raw.rfind(" at line ") {
            Some(i) => raw[..i].to_string(),
            None => raw,
        };
        if !path.is_empty() && path != "." {
            if let Some(rest) = message.strip_prefix(&format!("{path}: ")) {
                message = rest.to_string();
            }
        }
        if let Some((head, rest)) = message.split_once(": ") {
            if !head.contains(' ') && (head.contains('.') || head.contains('[')) {
                message = rest.to_string();
            }
        }
        let kind = classify_message(&message);
        let message = humanize(&message);
        let location = location.or_else(|| locate(text, &path));
        Error::new(kind, message).at_field(path).at(location)
    })
}

fn classify_message(m: &str) -> ErrorKind {
    if m.contains("recursion limit") || m.contains("repetition limit") {
        ErrorKind::Limit
    } else if m.starts_with("expected ") && m.contains(" such as ")
        || m.contains("not a finite")
        || m.contains("greater than zero")
    {
        ErrorKind::Value
    } else if m.contains("while parsing")
        || m.contains("while scanning")
        || m.contains("found character")
        || m.contains("did not find")
        || m.contains("control characters")
    {
        ErrorKind::Syntax
    } else {
        ErrorKind::Schema
    }
}

fn humanize(m: &str) -> String {
    if m.contains("recursion limit exceeded") {
        "nesting is deeper than 128 levels (limit)".to_string()
    } else if m.contains("repetition limit exceeded") {
        "aliases expand to too many nodes (limit against alias bombs)".to_string()
    } else {
        m.to_string()
    }
}

/// The position of the value at a field path such as `compute[0].dense.fp8`, if the text has
/// one. Used for errors found after deserialization.
pub fn locate(text: &str, path: &str) -> Option<Location> {
    let mut index = PathIndex::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut index, false).ok()?;
    let mut p = path.to_string();
    loop {
        if let Some(l) = index.positions.get(&p) {
            return Some(*l);
        }
        // Fall back to the nearest enclosing field that has a position.
        let cut = p.rfind(['.', '['])?;
        p.truncate(cut);
    }
}

enum Frame {
    Map { key: Option<String>, awaiting_key: bool },
    Seq { index: usize },
}

#[derive(Default)]
struct PathIndex {
    stack: Vec<Frame>,
    positions: HashMap<String, Location>,
}

impl PathIndex {
    fn path(&self) -> String {
        let mut s = String::new();
        for f in &self.stack {
            match f {
                Frame::Map {
                    key: Some(k),
                    awaiting_key: false,
                } => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(k);
                }
                Frame::Seq { index } => s.push_str(&format!("[{index}]")),
                _ => {}
            }
        }
        s
    }

    /// A node starts: either it is a map key, or it is a value whose path we record.
    fn node(&mut self, mark: Marker, scalar: Option<&str>) -> bool {
        let loc = Location {
            line: mark.line(),
            column: mark.col() + 1,
        };
        if let Some(Frame::Map { key, awaiting_key }) = self.stack.last_mut() {
            if *awaiting_key {
                *key = Some(scalar.unwrap_or("?").to_string());
                *awaiting_key = false;
                return true;
            }
        }
        let p = self.path();
        self.positions.entry(p).or_insert(loc);
        false
    }

    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { awaiting_key, .. }) => *awaiting_key = true,
            Some(Frame::Seq { index }) => *index += 1,
            None => {}
        }
    }
}

impl MarkedEventReceiver for PathIndex {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, ..) if !self.node(mark, Some(&value)) => self.value_done(),
            Event::Alias(_) if !self.node(mark, None) => self.value_done(),
            Event::MappingStart(..) => {
                self.node(mark, None);
                self.stack.push(Frame::Map {
                    key: None,
                    awaiting_key: true,
                });
            }
            Event::SequenceStart(..) => {
                self.node(mark, None);
                self.stack.push(Frame::Seq { index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_done();
            }
            _ => {}
        }
    }
}

/// Whether YAML can carry `c` unescaped (the spec's `c-printable`, less line breaks and tab).
fn plain_printable(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// Writes `s` as a one-line YAML scalar that reads back as exactly the string `s`: plain when
/// that is unambiguous, quoted when it would otherwise read as something else (`true`, `2022`,
/// `null`, `- x`, `a: b`), double-quoted with escapes when it holds line breaks, tabs or
/// characters YAML cannot carry raw. For writers of datasheets (`tppcalc import`), which put
/// it after `key: ` in block context.
///
/// ```
/// use tppcalc::yaml::scalar;
/// assert_eq!(scalar("NVIDIA H100"), "NVIDIA H100");
/// assert_eq!(scalar("2022"), "'2022'");
/// assert_eq!(scalar("true"), "'true'");
/// assert_eq!(scalar("a: b"), "'a: b'");
/// assert_eq!(scalar("two\nlines"), r#""two\nlines""#);
/// ```
pub fn scalar(s: &str) -> String {
    if s.chars().all(plain_printable) {
        // serde_yaml decides when a string needs quotes to stay a string.
        if let Ok(text) = serde_yaml::to_string(s) {
            let text = text.strip_suffix('\n').unwrap_or(&text);
            if !text.contains('\n') && !text.starts_with(['|', '>']) {
                return text.to_string();
            }
        }
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if plain_printable(c) => out.push(c),
            c if (c as u32) <= 0xFF => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_as_the_same_string() {
        for s in [
            "",
            " ",
            "plain",
            "ACME X1",
            "2022",
            "2022-09",
            "1e3",
            "0x10",
            "true",
            "no",
            "null",
            "~",
            "- a",
            "a: b",
            "a #b",
            "#x",
            "'q'",
            "\"dq\"",
            "back\\slash",
            "tab\there",
            "cr\rlf\n",
            "\u{85}next",
            "\u{2028}",
            "\u{FEFF}bom",
            "\u{1}ctl",
            "\u{7F}del",
            "\u{9F}c1",
            "\u{FFFE}",
            "🚀 emoji",
            "  lead",
            "trail  ",
            "[x]",
            "{x}",
            "*alias",
            "&anchor",
            "!tag",
            "%dir",
            "@at",
            "`tick`",
            "? q",
            "|",
            ">",
            "---",
            "...",
            ": ",
        ] {
            let doc = format!("k: {}\n", scalar(s));
            let back: std::collections::BTreeMap<String, String> =
                from_str(&doc).unwrap_or_else(|e| panic!("{s:?} -> {doc:?}: {e}"));
            assert_eq!(back["k"], s, "{doc:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_string_reads_back(s in "\\PC*|[\\x00-\\x7F]{0,12}|.*") {
            let doc = format!("k: {}\n", scalar(&s));
            let back: std::collections::BTreeMap<String, String> = from_str(&doc).unwrap();
            proptest::prop_assert_eq!(&back["k"], &s);
        }
    }

    #[test]
    fn locates_nested_fields() {
        let text = "kind: chip\ncompute:\n  - unit: GPU\n    dense:\n      fp8: 1979 TFLOPS\n  - unit: B\n    dense: { fp16: 1 TFLOPS }\n";
        assert_eq!(
            locate(text, "compute[0].dense.fp8"),
            Some(Location { line: 5, column: 12 })
        );
        assert_eq!(
            locate(text, "compute[1].dense.fp16"),
            Some(Location { line: 7, column: 20 })
        );
        assert_eq!(locate(text, "compute[1].unit"), Some(Location { line: 6, column: 11 }));
        // An unknown path falls back to its nearest known parent.
        assert_eq!(
            locate(text, "compute[1].dense.fp4"),
            Some(Location { line: 7, column: 12 })
        );
    }

    #[test]
    fn rejects_oversized_and_non_utf8_input() {
        assert_eq!(
            decode(&vec![b' '; MAX_FILE_BYTES + 1]).unwrap_err().kind,
            ErrorKind::Limit
        );
        let e = decode(b"kind: chip\nid: \xff\n").unwrap_err();
        assert_eq!(e.location, Some(Location { line: 2, column: 5 }));
        assert_eq!(decode(b"\xEF\xBB\xBFkind: chip").unwrap(), "kind: chip");
    }
}
