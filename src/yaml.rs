//! The only module that touches a YAML parser.
//!
//! `serde_yaml` deserializes; its errors are turned into [`Error`]s with file, line, column and
//! field path. Because `serde_yaml` reports no positions for values once they are parsed, the
//! checks that run after deserialization (sparse against dense, references between fields) ask
//! [`locate`] for the position of a field path; it reads the same text with `yaml-rust2`'s
//! event parser, which carries positions. Swapping the parser means editing this file only.
//!
//! Limits, so that a hostile file cannot exhaust memory or time (documented in
//! `docs/testing.md`):
//!
//! - a file is at most [`MAX_FILE_BYTES`] bytes (a read stops one byte past the limit);
//! - maps and lists nest at most [`MAX_DEPTH`] levels;
//! - with its aliases expanded, a document is at most [`MAX_EXPANDED_SIZE`] (scalar bytes plus
//!   one per node): this refuses the "billion laughs" alias bomb, and also an alias to a long
//!   string repeated many times, which `serde_yaml`'s own repetition limit lets through;
//! - one document per file.
//!
//! These are checked by [`check_limits`] in one pass of `yaml-rust2`'s event parser, which is
//! iterative (no recursion), before `serde_yaml` sees the text. `serde_yaml` keeps its own
//! limits as a second line: nesting deeper than 128 levels and alias repetition.

use crate::error::{Error, ErrorKind, Location};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

pub mod quick;
pub mod twin;

/// Largest datasheet or rule file accepted, in bytes (256 KiB; real datasheets are under 8 KiB).
pub const MAX_FILE_BYTES: usize = 256 * 1024;

/// Deepest nesting of maps and lists accepted (datasheets and rule sets nest fewer than 10).
pub const MAX_DEPTH: usize = 64;

/// Largest size of a document with its aliases expanded, counted as the bytes of its scalars
/// plus one per node (1 MiB, four times [`MAX_FILE_BYTES`]).
pub const MAX_EXPANDED_SIZE: u64 = 4 * MAX_FILE_BYTES as u64;

/// Checks size and encoding, strips a UTF-8 byte-order mark, and returns the text.
pub fn decode(bytes: &[u8]) -> Result<&str, Error> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Error::new(
            ErrorKind::Syntax,
            "UTF-16 text (it starts with a UTF-16 byte-order mark): expected a UTF-8 text file",
        )
        .at(Some(Location { line: 1, column: 1 })));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        Error::new(ErrorKind::Syntax, "invalid UTF-8: expected a UTF-8 text file").at(Some(Location { line, column }))
    })
}

/// Reads a file for [`decode`], refusing one larger than [`MAX_FILE_BYTES`] without reading
/// more than one byte past the limit (a huge file cannot exhaust memory). Anything that is not a
/// regular file (a pipe, a device, a directory) is refused without waiting on it
/// ([`open_regular`](crate::files::open_regular)). The error is not yet attached to the file;
/// the caller adds it.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, std::io::Error> {
    use std::io::Read;
    let file = crate::files::open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The error for a file over [`MAX_FILE_BYTES`], given its size.
pub fn too_large(bytes: u64) -> Error {
    // A bounded read stops one byte past the limit: the size is then only known to be larger.
    let size = if bytes == MAX_FILE_BYTES as u64 + 1 {
        format!("more than {MAX_FILE_BYTES} bytes")
    } else {
        format!("{bytes} bytes")
    };
    Error::new(
        ErrorKind::Limit,
        format!("file is {size}; the limit is {MAX_FILE_BYTES} bytes (a datasheet or rule file is a few KiB)"),
    )
}

fn location(mark: &Marker) -> Location {
    Location {
        line: mark.line(),
        column: mark.col() + 1,
    }
}

/// Checks the limits above in one pass of an iterative event parser, before the text is
/// deserialized. Also the one place that decides whether the text is YAML: a syntax error is
/// reported from here, with its position.
pub fn check_limits(text: &str) -> Result<Outline, Error> {
    if let Some(e) = refused_character(text) {
        return Err(e);
    }
    let mut parser = Parser::new_from_str(text);
    let mut outline = Outline::default();
    // Entries of the top-level mapping: even positions are keys, odd ones values.
    let mut root_is_map = None;
    let mut root_entries = 0usize;
    let mut kind_next = false;
    let mut depth = 0usize;
    let mut documents = 0usize;
    // Open collections: their anchor id (0 = none) and the expanded size when they started.
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut sizes: HashMap<usize, u64> = HashMap::new();
    let mut total: u64 = 0;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| scan_error(text, &e))?;
        let at = Some(location(&mark));
        match event {
            Event::StreamEnd if documents == 0 => {
                return Err(Error::new(
                    ErrorKind::Schema,
                    "empty file (only comments or blank lines): expected a YAML mapping with a `kind` field",
                ))
            }
            Event::StreamEnd => return Ok(outline),
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(Error::new(
                        ErrorKind::Syntax,
                        "a second YAML document (`---` starts one): expected one document per file",
                    )
                    .at(at));
                }
            }
            Event::Scalar(value, style, anchor, _) => {
                if style == TScalarStyle::DoubleQuoted {
                    if let Some(e) = refused_in_value(text, &value, location(&mark)) {
                        return Err(e);
                    }
                }
                if depth == 1 && root_is_map == Some(true) {
                    if root_entries % 2 == 0 {
                        kind_next = value == "kind";
                    } else if kind_next {
                        outline.kind = Some(value.clone());
                        kind_next = false;
                    }
                    root_entries += 1;
                }
                let size = 1 + value.len() as u64;
                total = total.saturating_add(size);
                if anchor > 0 {
                    sizes.insert(anchor, size);
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if depth == 0 {
                    root_is_map = Some(matches!(event, Event::MappingStart(..)));
                } else if depth == 1 && root_is_map == Some(true) {
                    kind_next = false;
                    root_entries += 1;
                }
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(nesting_error(at));
                }
                total = total.saturating_add(1);
                open.push((anchor, total));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                depth = depth.saturating_sub(1);
                if let Some((anchor, start)) = open.pop() {
                    if anchor > 0 {
                        sizes.insert(anchor, total - start + 1);
                    }
                }
            }
            Event::Alias(anchor) => {
                if depth == 1 && root_is_map == Some(true) {
                    kind_next = false;
                    root_entries += 1;
                }
                // An alias to a collection still open (a recursive alias) counts what is read so far.
                let size = sizes
                    .get(&anchor)
                    .copied()
                    .or_else(|| {
                        open.iter()
                            .find(|(a, _)| *a == anchor)
                            .map(|(_, start)| total - start + 1)
                    })
                    .unwrap_or(1);
                total = total.saturating_add(size);
            }
            _ => {}
        }
        if total > MAX_EXPANDED_SIZE {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("aliases expand the document to more than {MAX_EXPANDED_SIZE} bytes (the limit against alias bombs); expected an alias to stand for a small value, used a few times"),
            )
            .at(at));
        }
    }
}

fn nesting_error(at: Option<Location>) -> Error {
    Error::new(
        ErrorKind::Limit,
        format!("maps and lists nest more than {MAX_DEPTH} levels deep (the limit); expected a datasheet or rule set, which nest a few levels"),
    )
    .at(at)
}

/// A text the iterative parser rejects. libyaml (through `serde_yaml`, reading into
/// `IgnoredAny`, which neither expands aliases nor builds values) usually says better what it
/// expected, so its message is used when it rejects the text too; if it accepts the text, the
/// parsers disagree and the text is refused with the iterative parser's message (fail closed).
fn scan_error(text: &str, e: &yaml_rust2::scanner::ScanError) -> Error {
    let at = location(e.marker());
    if e.info().contains("recursion limit exceeded") {
        return nesting_error(Some(at));
    }
    match serde_yaml::from_str::<serde::de::IgnoredAny>(text) {
        Err(libyaml) => serde_error(text, String::new(), libyaml, &[]),
        Ok(_) => {
            let message = format!("invalid YAML: {}", e.info());
            let hint = syntax_hint(text, at, &message);
            Error::new(ErrorKind::Syntax, format!("{message}{hint}")).at(Some(at))
        }
    }
}

/// A hint for common syntax mistakes: tabs, misaligned keys.
fn syntax_hint(text: &str, at: Location, message: &str) -> &'static str {
    let line = text.lines().nth(at.line.saturating_sub(1)).unwrap_or("");
    let indent = &line[..line.len() - line.trim_start().len()];
    if indent.contains('\t') || message.contains("tabs disallowed") {
        "; expected spaces: YAML does not allow tabs for indentation"
    } else if message.contains("mapping values are not allowed") {
        "; expected `key: value` pairs that line up with their siblings (check the indentation)"
    } else {
        ""
    }
}

/// What [`check_limits`] learns of a document on its way: the value of the top-level `kind`
/// key, when it is a scalar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// The top-level `kind`, as written.
    pub kind: Option<String>,
}

/// Deserializes one YAML document into `T`, with the field path and position of any error.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    if text.trim().is_empty() {
        return Err(Error::new(
            ErrorKind::Schema,
            "empty file: expected a YAML mapping with a `kind` field",
        ));
    }
    // A text that keeps the limits at a glance is deserialized straight away; anything else,
    // and any error, goes through the full scan first (same result, same messages: see
    // [`quick`]).
    if quick::within_limits(text) {
        if let Ok(value) = from_checked_str::<T>(text) {
            return Ok(value);
        }
    }
    check_limits(text)?;
    from_checked_str(text)
}

/// As [`from_str`], for a text that [`check_limits`] has already accepted (so a file is
/// scanned once, not once per question asked of it).
pub fn from_checked_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    // Bare numbers that a binary float would not hold exactly are quoted first, so that they
    // reach the reader as their text (see [`exact_numbers`]).
    let quoted = if may_hold_an_inexact_number(text) {
        exact_numbers(text)?
    } else {
        None
    };
    let (source, inserted) = match &quoted {
        Some((t, at)) => (t.as_str(), at.as_slice()),
        None => (text, &[][..]),
    };
    // Field-path tracking costs a third of the parse; only a failed parse needs the path, so
    // the text is read again with tracking to report it.
    if let Ok(value) = serde_yaml::from_str::<T>(source) {
        return Ok(value);
    }
    let de = serde_yaml::Deserializer::from_str(source);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        serde_error(text, path, e.into_inner(), inserted)
    })
}

/// Whether a bare number in the text might not be held exactly by a binary float, from a
/// glance: a run of 16 or more digits (dots aside), an exponent of three or more digits, or a
/// hexadecimal, octal or binary integer. Any number with at most 15 significant digits and an
/// exponent below 100 is held exactly (a decimal of 15 digits survives the round trip through
/// a binary float), so a text without these needs no event scan.
fn may_hold_an_inexact_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut digits = 0usize;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                if digits >= 16 {
                    return true;
                }
            }
            b'.' => {}
            _ => digits = 0,
        }
        if matches!(c, b'e' | b'E') {
            let rest = &b[i + 1..];
            let rest = rest
                .strip_prefix(b"-")
                .or_else(|| rest.strip_prefix(b"+"))
                .unwrap_or(rest);
            if rest.len() >= 3 && rest[..3].iter().all(u8::is_ascii_digit) {
                return true;
            }
        }
        if c == b'0' && matches!(b.get(i + 1), Some(b'x' | b'o' | b'b')) {
            return true;
        }
    }
    false
}

/// The magnitude of a plain scalar that `serde_yaml` reads as an integer (decimal,
/// hexadecimal `0x`, octal `0o` or binary `0b`, with an optional sign), as its integer
/// visitors do; `None` for anything else, and for integers beyond 128 bits (which it reads as
/// floats).
fn yaml_integer(v: &str) -> Option<u128> {
    let body = v.strip_prefix(['-', '+']).unwrap_or(v);
    if body.starts_with(['+', '-']) {
        return None;
    }
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = body.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(n) = u128::from_str_radix(rest, radix) {
                return Some(n);
            }
        }
    }
    if body.len() > 1 && body.starts_with('0') && body.bytes().all(|b| b.is_ascii_digit()) {
        return None; // `0123` is a string in YAML 1.2
    }
    body.parse::<u128>().ok()
}

/// The float a plain scalar is read as by `serde_yaml` when it is not an integer; `None` for a
/// string, and for `.inf` and `.nan` (which tppcalc's readers refuse with their own message).
fn yaml_float(v: &str) -> Option<f64> {
    let body = v.strip_prefix('+').unwrap_or(v);
    let digits = body.strip_prefix('-').unwrap_or(body);
    if body.starts_with('+')
        || (digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    body.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Whether a plain scalar is a number that would reach a reader other than exactly as
/// written: readers receive numbers as `f64` (an integer is exact up to 2^53; a decimal when
/// the shortest decimal of its float is the same number), so `1.99999999999999999` would
/// become 2 and `4800.0000000000000001` 4800.
fn inexact_number(v: &str) -> bool {
    if let Some(n) = yaml_integer(v) {
        return n > 1u128 << 53;
    }
    let Some(f) = yaml_float(v) else {
        return false;
    };
    match (crate::exact::parse_decimal(v), crate::exact::from_f64_literal(f)) {
        (Ok(written), Some(read)) => written != read,
        _ => true,
    }
}

/// The text with every bare number that [`inexact_number`] finds put in double quotes, so
/// that it reaches the reader as its text and is read exactly from it (figures, thresholds and
/// plain numbers accept numbers written as strings); with the positions of the quotes
/// inserted (line, column in the new text), to map error positions back. `None` when there is
/// none. A tagged number (`!!float 1.99999999999999999`) cannot be quoted and is refused.
fn exact_numbers(text: &str) -> Result<Option<(String, Vec<Location>)>, Error> {
    let mut found: Vec<(Location, String)> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    while let Ok((event, mark)) = parser.next_token() {
        match event {
            Event::StreamEnd => break,
            Event::Scalar(value, TScalarStyle::Plain, _, tag) if inexact_number(&value) => {
                let at = location(&mark);
                if tag.is_some() {
                    return Err(Error::new(
                        ErrorKind::Value,
                        format!("`{value}` cannot be read exactly as a tagged number: expected it without a tag (`{value}` or `\"{value}\"`)"),
                    )
                    .at(Some(at)));
                }
                found.push((at, value));
            }
            _ => {}
        }
    }
    if found.is_empty() {
        return Ok(None);
    }
    let mut out = String::with_capacity(text.len() + 2 * found.len());
    let mut inserted = Vec::new();
    let mut next = found.iter().peekable();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let number = i + 1;
        let (mut col, mut shift) = (1, 0);
        let mut rest = line;
        while let Some((at, value)) = next.next_if(|(at, _)| at.line == number) {
            // Columns count characters; the value starts at its column.
            let skip: usize = rest.chars().take(at.column - col).map(char::len_utf8).sum();
            let (before, after) = rest.split_at(skip);
            if !after.starts_with(value.as_str()) {
                return Err(Error::new(
                    ErrorKind::Value,
                    format!("`{value}` cannot be read exactly as a bare number: expected it in quotes (`\"{value}\"`)"),
                )
                .at(Some(*at)));
            }
            out.push_str(before);
            out.push('"');
            out.push_str(value);
            out.push('"');
            inserted.push(Location {
                line: number,
                column: at.column + shift,
            });
            inserted.push(Location {
                line: number,
                column: at.column + shift + value.chars().count() + 1,
            });
            shift += 2;
            col = at.column + value.chars().count();
            rest = &after[value.len()..];
        }
        out.push_str(rest);
    }
    Ok(Some((out, inserted)))
}

/// A `serde_yaml` error as an [`Error`], with the field path and the best position known.
/// `inserted` lists characters added to the text that was read (quotes, by
/// [`exact_numbers`]), so that positions are given in the text as written.
fn serde_error(text: &str, path: String, inner: serde_yaml::Error, inserted: &[Location]) -> Error {
    let location = inner.location().map(|l| Location {
        line: l.line(),
        column: l.column()
            - inserted
                .iter()
                .filter(|q| q.line == l.line() && q.column < l.column())
                .count(),
    });
    let raw = inner.to_string();
    // serde_yaml appends " at line L column C" and prefixes a path; both are shown separately.
    let mut message = strip_positions(&raw);
    if !path.is_empty() {
        if let Some(rest) = message.strip_prefix(&format!("{path}: ")) {
            message = rest.to_string();
        }
    }
    if let Some((head, rest)) = message.split_once(": ") {
        let is_path = !head.contains(' ')
            && (head.contains('.') || head.contains('[') || path == head || path.starts_with(&format!("{head}.")));
        if is_path {
            message = rest.to_string();
        }
    }
    let kind = classify_message(&message);
    let mut message = humanize(&message);
    // `1,000 TFLOPS`: read from the text at the value, as a flow mapping splits it at the comma.
    if let Some(note) = location
        .and_then(|l| text.lines().nth(l.line.saturating_sub(1)).map(|line| (l, line)))
        .and_then(|(l, line)| line.get(l.column.saturating_sub(1)..))
        .and_then(crate::suggest::thousands_separator)
    {
        message = format!("{message}; {note}");
    }
    if kind == ErrorKind::Syntax && !message.contains("control characters") {
        let hint = location.map_or("", |l| syntax_hint(text, l, &message));
        message = format!("invalid YAML: {message}{hint}");
    }
    let index = PathIndex::build(text);
    // A repeated key: point at the repetition, and name it in the field path.
    if let Some(key) = duplicate_key(&message) {
        let field = if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        };
        let second = index.keys.get(&field).and_then(|l| l.get(1)).copied();
        return Error::new(kind, message).at_field(field).at(second.or(location));
    }
    if message.contains("control characters are not allowed") {
        return refused_character(text).unwrap_or_else(|| Error::new(kind, message));
    }
    // serde_yaml places errors raised after a value was read at the start of an enclosing
    // map, before the field itself; the position of the field path is better then.
    let exact = index.positions.get(&path).copied();
    let start = index.keys.get(&path).and_then(|k| k.first().copied()).or(exact);
    let location = match (location, start) {
        (Some(l), Some(s)) if l < s && !message.starts_with("missing field") => exact,
        (Some(l), _) => Some(l),
        (None, _) => index.nearest(&path),
    };
    Error::new(kind, message).at_field(path).at(location)
}

/// Removes the positions serde_yaml writes into its messages (`at line 8 column 1`), keeping
/// what it says about where a construct started.
fn strip_positions(raw: &str) -> String {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(i) = rest.find(" at line ") {
        let (before, after) = rest.split_at(i);
        let after = &after[" at line ".len()..];
        let digits = |s: &str| s.bytes().take_while(|b| b.is_ascii_digit()).count();
        let n = digits(after);
        let tail = &after[n..];
        let Some(col) = tail.strip_prefix(" column ") else {
            out.push_str(before);
            out.push_str(" at line ");
            rest = after;
            continue;
        };
        let m = digits(col);
        out.push_str(before);
        // "while parsing a flow mapping at line 7 column 5" tells where the mapping began.
        if before.rsplit(", ").next().is_some_and(|c| c.starts_with("while ")) {
            out.push_str(&format!(" that starts at line {} column {}", &after[..n], &col[..m]));
        }
        rest = &col[m..];
    }
    out.push_str(rest);
    out
}

/// What a character refused in a datasheet or rule file is, for messages; `None` for a
/// character that is allowed. Refused: every C0 control but TAB, LF and the CR of a CRLF; DEL;
/// every C1 control (NEL, U+0085, among them); the line and paragraph separators U+2028 and
/// U+2029; and the bidirectional embedding, override and isolate controls (U+202A to U+202E,
/// U+2066 to U+2069). Some parsers and terminals read each of them as a line break or a
/// command, or show text in another order, while an editor shows nothing: what is read would
/// differ from what a reviewer sees.
fn refused(c: char, next: Option<char>) -> Option<Refusal> {
    const LINE_BREAK: &str =
        "YAML 1.1 parsers start a new line there and editors do not show one; expected printable text";
    let (name, why, fix) = match c {
        '\t' | '\n' => return None,
        '\r' if next == Some('\n') => return None,
        '\r' => (
            "carriage return U+000D without a line feed after it".to_string(),
            "YAML starts a new line there and most editors do not show one; expected LF or CRLF line ends",
            "delete it",
        ),
        '\u{85}' => ("next-line character U+0085 (NEL)".to_string(), LINE_BREAK, "delete it, or use a plain line break"),
        '\u{2028}' => ("line separator U+2028".to_string(), LINE_BREAK, "delete it, or use a plain line break"),
        '\u{2029}' => ("paragraph separator U+2029".to_string(), LINE_BREAK, "delete it, or use a plain line break"),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => (
            format!("bidirectional control U+{:04X}", c as u32),
            "it changes the order in which text is shown, so what is read differs from what is seen; expected printable text",
            "delete it",
        ),
        c if c.is_control() => (
            format!("control character U+{:04X}", c as u32),
            "expected printable text",
            "delete it; a terminal may run it as a command",
        ),
        _ => return None,
    };
    Some(Refusal { name, why, fix })
}

/// A refused character, for messages.
struct Refusal {
    name: String,
    why: &'static str,
    fix: &'static str,
}

/// The first character of the text that a datasheet or rule file refuses (control characters
/// but tab and line ends, NEL, U+2028, U+2029, bidirectional controls), as an error at its
/// position.
pub fn refused_character(text: &str) -> Option<Error> {
    // Almost every file is plain ASCII text: a byte scan finds nothing quickly.
    let suspect = text
        .bytes()
        .any(|b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7F || b >= 0xC2);
    if !suspect {
        return None;
    }
    let mut chars = text.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        let Some(r) = refused(c, chars.peek().map(|&(_, n)| n)) else {
            continue;
        };
        let message = format!("{} is not allowed: {} ({})", r.name, r.why, r.fix);
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before[before.rfind('\n').map_or(0, |p| p + 1)..].chars().count() + 1;
        return Some(Error::new(ErrorKind::Syntax, message).at(Some(Location { line, column })));
    }
    None
}

/// What the first character of a string value that a datasheet or rule file refuses is
/// (`control character U+001B`), if it holds one: for writers of datasheets, such as
/// `tppcalc import`. A carriage return is refused even before a line feed (a value's line
/// breaks are line feeds).
pub fn refused_in_text(s: &str) -> Option<String> {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let next = if c == '\r' { None } else { chars.peek().copied() };
        if let Some(r) = refused(c, next) {
            return Some(r.name);
        }
    }
    None
}

/// A refused character in the value of a double-quoted scalar (where escapes such as `\e`,
/// `\x1b` or `\N` can write one that the text does not hold), as an error at the scalar.
fn refused_in_value(text: &str, value: &str, at: Location) -> Option<Error> {
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        // In a value, a CR is refused even before a LF: the text's line ends never reach one.
        let next = if c == '\r' { None } else { chars.peek().copied() };
        if let Some(r) = refused(c, next) {
            let message = format!(
                "an escape in this double-quoted string writes {}, which is not allowed: {} (remove the escape)",
                r.name, r.why
            );
            let field = PathIndex::build(text).field_at(at);
            return Some(
                Error::new(ErrorKind::Syntax, message)
                    .at_field(field.unwrap_or_default())
                    .at(Some(at)),
            );
        }
    }
    None
}

/// `a.b[0].c` -> `a.b[0]`, `a.b`, `a`, `` (the root).
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    let mut p = path;
    std::iter::from_fn(move || {
        if p.is_empty() {
            return None;
        }
        p = &p[..p.rfind(['.', '[']).unwrap_or(0)];
        Some(p)
    })
}

fn duplicate_key(m: &str) -> Option<&str> {
    let rest = m
        .strip_prefix("duplicate field `")
        .or_else(|| m.strip_prefix("duplicate key `"))?;
    rest.split('`').next()
}

fn classify_message(m: &str) -> ErrorKind {
    if m.contains("recursion limit") || m.contains("repetition limit") {
        ErrorKind::Limit
    } else if m.starts_with("expected ")
        && (m.contains(" such as ")
            || m.contains("a finite number")
            || m.contains("greater than zero")
            || m.contains("a whole number"))
    {
        ErrorKind::Value
    } else if m.contains("while parsing")
        || m.contains("while scanning")
        || m.contains("found character")
        || m.contains("did not find")
        || m.contains("control characters")
        || m.contains("mapping values are not allowed")
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
    } else if let Some(rest) = m.strip_prefix("invalid type: enum, ") {
        format!("a tagged value (`!tag`), which the format does not use; {rest}")
    } else if m == "deserializing from YAML containing more than one document is not supported" {
        "a second YAML document (`---` starts one): expected one document per file".to_string()
    } else {
        m.to_string()
    }
}

/// The position of the value at a field path such as `compute[0].dense.fp8`, if the text has
/// one. Used for errors found after deserialization.
pub fn locate(text: &str, path: &str) -> Option<Location> {
    PathIndex::build(text).nearest(path)
}

enum Frame {
    Map { key: Option<String>, awaiting_key: bool },
    Seq { index: usize },
}

#[derive(Default)]
struct PathIndex {
    stack: Vec<Frame>,
    /// The first position of the value at each field path.
    positions: HashMap<String, Location>,
    /// Every position of each key, by the field path it names (a repeated key has several).
    keys: HashMap<String, Vec<Location>>,
}

impl PathIndex {
    /// Indexes a text with the iterative event parser; stops quietly at a syntax error or past
    /// the nesting limit (positions are a help for messages, never a reason to fail).
    fn build(text: &str) -> PathIndex {
        let mut index = PathIndex::default();
        let mut parser = Parser::new_from_str(text);
        while let Ok((event, mark)) = parser.next_token() {
            if matches!(event, Event::StreamEnd) || index.stack.len() > MAX_DEPTH {
                break;
            }
            index.on_event(event, mark);
        }
        index
    }

    /// The field path of the value or key that starts at `at`, if one does.
    fn field_at(&self, at: Location) -> Option<String> {
        let value = self.positions.iter().filter(|(_, l)| **l == at).map(|(p, _)| p);
        let key = self.keys.iter().filter(|(_, ls)| ls.contains(&at)).map(|(p, _)| p);
        // The longest path: a value at the start of a collection shares its position.
        value.max_by_key(|p| p.len()).or_else(|| key.min()).cloned()
    }

    /// The position of `path`, or of its nearest enclosing field that has one.
    fn nearest(&self, path: &str) -> Option<Location> {
        std::iter::once(path)
            .chain(ancestors(path))
            .find_map(|p| self.positions.get(p).copied())
    }

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
        let loc = location(&mark);
        let map_path = match self.stack.last() {
            Some(Frame::Map { awaiting_key: true, .. }) => Some(self.path()),
            _ => None,
        };
        if let Some(Frame::Map { key, awaiting_key }) = self.stack.last_mut() {
            if *awaiting_key {
                let k = scalar.unwrap_or("?").to_string();
                let field = match map_path.as_deref() {
                    Some("") | None => k.clone(),
                    Some(p) => format!("{p}.{k}"),
                };
                self.keys.entry(field).or_default().push(loc);
                *key = Some(k);
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
            "lf\n",
            "\u{FEFF}bom",
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

    /// Strings that hold a character refused in a datasheet are written (escaped) but refused
    /// when read back, at the string, whatever the escape.
    #[test]
    fn strings_with_refused_characters_are_refused_when_read() {
        for s in [
            "cr\rlf\n",
            "\u{85}next",
            "\u{2028}",
            "\u{2029}",
            "\u{1}ctl",
            "\u{1B}[31mred",
            "\u{7}bel",
            "\u{7F}del",
            "\u{9F}c1",
            "\u{202E}rtl",
        ] {
            let doc = format!("a: 1\nk: {}\n", scalar(s));
            let e = from_str::<std::collections::BTreeMap<String, String>>(&doc).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Syntax, "{s:?}: {e}");
            assert!(e.message.contains("not allowed"), "{s:?}: {e}");
            assert_eq!(e.location, Some(Location { line: 2, column: 4 }), "{s:?}: {e}");
            if e.message.contains("an escape") {
                assert_eq!(e.field.as_deref(), Some("k"), "{s:?}: {e}");
            }
        }
        for escape in [
            "\\e",
            "\\a",
            "\\x1b",
            "\\u001B",
            "\\N",
            "\\L",
            "\\P",
            "\\r",
            "\\0",
            "\\U0000202E",
        ] {
            let doc = format!("k: [\"a{escape}b\"]\n");
            let e = from_str::<std::collections::BTreeMap<String, Vec<String>>>(&doc).unwrap_err();
            assert!(e.message.contains("an escape"), "{escape}: {e}");
            assert_eq!(e.location, Some(Location { line: 1, column: 5 }), "{escape}: {e}");
            assert_eq!(e.field.as_deref(), Some("k[0]"), "{escape}: {e}");
        }
        // Escapes of allowed characters stay allowed.
        let ok: std::collections::BTreeMap<String, String> = from_str("k: \"a\\tb\\nc\\\\\"\n").unwrap();
        assert_eq!(ok["k"], "a\tb\nc\\");
    }

    /// Every raw refused character is reported at its line and column, in any kind of scalar,
    /// in a comment, or between tokens.
    #[test]
    fn raw_refused_characters_are_reported_where_they_are() {
        for c in [
            '\u{0}', '\u{7}', '\u{1B}', '\u{7F}', '\u{85}', '\u{9B}', '\u{2028}', '\u{2029}', '\u{202E}', '\u{2066}',
            '\r',
        ] {
            for line in [
                format!("x: 1 # note{c}y: 2"),
                format!("x: 'a{c}'"),
                format!("x: a{c}b"),
                format!("x: |\n  ab{c}c"),
            ] {
                let doc = format!("kind: chip\n{line}\n");
                let e = check_limits(&doc).unwrap_err();
                let col = line
                    .split('\n')
                    .next_back()
                    .unwrap()
                    .chars()
                    .position(|x| x == c)
                    .unwrap()
                    + 1;
                let row = 2 + line.matches('\n').count();
                assert_eq!(e.location, Some(Location { line: row, column: col }), "{doc:?}: {e}");
                assert!(e.message.contains(&format!("U+{:04X}", c as u32)), "{e}");
                assert!(!quick::within_limits(&doc), "{doc:?}");
                assert!(from_str::<serde::de::IgnoredAny>(&doc).is_err(), "{doc:?}");
            }
        }
        // CRLF line ends are fine.
        assert!(check_limits("kind: chip\r\nx: 1\r\n").is_ok());
    }

    proptest::proptest! {
        #[test]
        fn any_string_reads_back_or_is_refused(s in "\\PC*|[\\x00-\\x7F]{0,12}|.*") {
            let doc = format!("k: {}\n", scalar(&s));
            let back = from_str::<std::collections::BTreeMap<String, String>>(&doc);
            let refused_char = s.chars().any(|c| refused(c, None).is_some());
            match back {
                Ok(back) => {
                    proptest::prop_assert!(!refused_char, "{:?} was accepted", s);
                    proptest::prop_assert_eq!(&back["k"], &s);
                }
                Err(e) => {
                    proptest::prop_assert!(refused_char, "{:?}: {}", s, e);
                    proptest::prop_assert!(e.message.contains("not allowed"), "{}", e);
                }
            }
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
