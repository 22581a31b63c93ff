//! "Did you mean" for every closed set a message lists: field names, units, enum values
//! (transistor kinds, roles, statuses), precisions, `--set` bounds; and the fixes for two slips
//! that look like numbers: a quoted number or boolean, and thousands separators.
//!
//! [`hint`] reads a finished message and appends the fix when one is close; it is applied once,
//! in [`crate::error::Error::new`], so every error gets it whatever built the message.

/// Edit distance (insertions, deletions, substitutions), on characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The option closest to `found`: the same letters in another case, or the same letters and
/// digits (`cm2` for `cm^2`), or within a small edit distance. `None` when nothing is close, or
/// when `found` is itself an option.
///
/// ```
/// use tppcalc::suggest::closest;
/// assert_eq!(closest("datacentre", ["kind", "datacenter", "dies"]), Some("datacenter"));
/// assert_eq!(closest("TFLOPs", ["TOPS", "TFLOPS", "TFLOP/s"]), Some("TFLOPS"));
/// assert_eq!(closest("cm2", ["mm^2", "cm^2"]), Some("cm^2"));
/// assert_eq!(closest("FinFET", ["planar", "finfet", "gaafet"]), Some("finfet"));
/// assert_eq!(closest("atleast", ["at_least", "above", "below", "at_most"]), Some("at_least"));
/// assert_eq!(closest("zebra", ["at_least", "above"]), None);
/// ```
pub fn closest<'a>(found: &str, options: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let options: Vec<&str> = options.into_iter().collect();
    if options.contains(&found) {
        return None;
    }
    let lower = found.to_lowercase();
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    if let Some(o) = options.iter().find(|o| o.to_lowercase() == lower) {
        return Some(o);
    }
    if let Some(o) = options
        .iter()
        .find(|o| squash(o) == squash(found) && !squash(found).is_empty())
    {
        return Some(o);
    }
    let limit = (found.chars().count() / 3).clamp(1, 3);
    options
        .iter()
        .map(|o| (distance(&o.to_lowercase(), &lower), *o))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, o)| o)
}

/// The backticked words of `s`, in order.
fn ticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// `message` with the fix appended when the message names something found among a closed set
/// and an option is close, or when it found a quoted number or boolean. Messages that already
/// suggest something are left as they are.
///
/// ```
/// use tppcalc::suggest::hint;
/// assert_eq!(
///     hint("unknown variant `FinFET`, expected one of `planar`, `finfet`, `gaafet`"),
///     "unknown variant `FinFET`, expected one of `planar`, `finfet`, `gaafet`; did you mean `finfet`?"
/// );
/// assert!(hint("unknown variant `compute`, expected `logic` or `memory`")
///     .ends_with("did you mean `logic`, with `function: compute` to say what the logic die does?"));
/// ```
pub fn hint(message: &str) -> String {
    if ["did you mean", "remove the quotes", "thousands separators"]
        .iter()
        .any(|m| message.contains(m))
    {
        return message.to_string();
    }
    match suggestion(message) {
        Some(h) => format!("{message}; {h}"),
        None => message.to_string(),
    }
}

fn suggestion(m: &str) -> Option<String> {
    // `unknown field|variant|unit|bound|... `X`, expected ...` and `unknown unit `X` (accepted: ...)`.
    for marker in [
        "unknown field `",
        "unknown variant `",
        "unknown unit `",
        "unknown bound `",
    ] {
        if let Some(at) = m.find(marker) {
            let rest = &m[at + marker.len()..];
            let found = &rest[..rest.find('`')?];
            let after = &rest[found.len() + 1..];
            // The list ends with its sentence (`;`) or its parenthesis.
            let after = &after[..after.find([';', ')']).unwrap_or(after.len())];
            let options: Vec<&str> = match after.find("expected").or_else(|| after.find("accepted")) {
                Some(i) => ticked(&after[i..]),
                None if marker == "unknown bound `" => vec!["at_least", "above", "below", "at_most"],
                None => Vec::new(),
            };
            if marker == "unknown variant `" && options.contains(&"logic") && options.contains(&"memory") {
                if let f @ ("compute" | "io" | "cache") = found.to_lowercase().as_str() {
                    return Some(format!(
                        "did you mean `logic`, with `function: {f}` to say what the logic die does?"
                    ));
                }
            }
            return closest(found, options).map(|o| format!("did you mean `{o}`?"));
        }
    }
    // A number or boolean in quotes is text: the message found what it expected.
    if let Some(at) = m.find("expected `true` or `false`, found `") {
        let f = ticked(&m[at..]).last().copied()?;
        if f == "true" || f == "false" {
            return Some(format!("remove the quotes: `\"{f}\"` is text, `{f}` is the boolean"));
        }
    }
    if m.starts_with("expected a whole number") {
        let f = ticked(m).last().copied()?;
        if f.parse::<u64>().is_ok_and(|n| n >= 1) {
            return Some(format!("remove the quotes: `\"{f}\"` is text, `{f}` is the number"));
        }
    }
    // A precision written in capitals (`BF16`).
    if m.starts_with("expected a precision such as") {
        let found = *ticked(m).last()?;
        let lower = found.to_lowercase();
        let valid = lower.starts_with(|c: char| c.is_ascii_lowercase())
            && lower.ends_with(|c: char| c.is_ascii_digit())
            && lower.chars().all(|c| c.is_ascii_alphanumeric());
        return (valid && lower != found).then(|| format!("did you mean `{lower}`?"));
    }
    None
}

/// A note for a value written with thousands separators (`1,000 TFLOPS`), read from the
/// source text at the value's position; `None` when the text there is not such a number.
///
/// ```
/// use tppcalc::suggest::thousands_separator;
/// assert!(thousands_separator("1,000 TFLOPS }").unwrap().contains("`1000 TFLOPS`"));
/// assert!(thousands_separator("1000 TFLOPS").is_none());
/// ```
pub fn thousands_separator(source: &str) -> Option<String> {
    let s = source.trim_start().trim_start_matches(['"', '\'']);
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let head = digits(s);
    if head == 0 || head > 3 {
        return None;
    }
    let mut rest = &s[head..];
    let mut plain = s[..head].to_string();
    let mut groups = 0;
    while let Some(r) = rest.strip_prefix(',') {
        if digits(r) != 3 || r[3..].starts_with(|c: char| c.is_ascii_digit()) {
            break;
        }
        plain.push_str(&r[..3]);
        rest = &r[3..];
        groups += 1;
    }
    if groups == 0 {
        return None;
    }
    let unit: String = rest
        .chars()
        .take_while(|c| !matches!(c, ',' | '}' | ']' | '"' | '\'' | '#' | '\n'))
        .collect();
    Some(format!(
        "thousands separators are not accepted: write `{plain}{}`",
        unit.trim_end()
    ))
}
