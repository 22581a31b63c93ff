//! A small writer of datasheet YAML: block mappings and sequences, two-space indent, keys in
//! the order given. Text that comes from the input goes through [`crate::yaml::scalar`], which
//! quotes and escapes it so it reads back as the same string; figures are written from values
//! the importer formatted itself.

use crate::yaml;

/// YAML text under construction.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    out: String,
}

impl Writer {
    fn line(&mut self, indent: usize, text: &str) {
        for _ in 0..indent {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// `key: value`, with `value` any string (quoted as needed).
    pub fn text(&mut self, indent: usize, key: &str, value: &str) {
        self.line(indent, &format!("{key}: {}", yaml::scalar(value)));
    }

    /// `- key: value`: the first field of a sequence item.
    pub fn item_text(&mut self, indent: usize, key: &str, value: &str) {
        self.line(indent, &format!("- {key}: {}", yaml::scalar(value)));
    }

    /// `key:` opening a nested block.
    pub fn open(&mut self, indent: usize, key: &str) {
        self.line(indent, &format!("{key}:"));
    }

    /// `key: { value: V, source: S, basis: B }` for a figure. `value`, `source` and `basis` are
    /// the importer's own tokens (a formatted quantity, an id, a basis name), checked here.
    pub fn figure(&mut self, indent: usize, key: &str, value: &str, source: &str, basis: &str) {
        for token in [value, source, basis] {
            assert!(
                !token.is_empty()
                    && token
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '/' | '^' | '-')),
                "not a figure token: {token:?}"
            );
        }
        self.line(
            indent,
            &format!("{key}: {{ value: {value}, source: {source}, basis: {basis} }}"),
        );
    }

    /// The text written so far.
    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::parse_part;
    use crate::datasheet::{Origin, Part};

    #[test]
    fn writes_a_datasheet_that_loads() {
        let mut w = Writer::default();
        w.text(0, "kind", "chip");
        w.text(0, "id", "acme-x1");
        w.text(0, "name", "ACME X1: \"fast\" # not a comment");
        w.text(0, "vendor", "true");
        w.text(0, "released", "2024-03");
        w.open(0, "compute");
        w.item_text(1, "unit", "GPU");
        w.open(2, "dense");
        w.figure(3, "fp8", "1979 TFLOPS", "src", "estimated");
        w.open(0, "sources");
        w.item_text(1, "id", "src");
        w.text(2, "title", "A title: with colon\nand a second line");
        let text = w.finish();
        let Part::Chip(c) = parse_part(&text, &Origin::Inline).unwrap_or_else(|e| panic!("{e}\n{text}")) else {
            panic!("not a chip")
        };
        assert_eq!(c.meta.name, "ACME X1: \"fast\" # not a comment");
        assert_eq!(c.meta.vendor, "true");
        assert_eq!(c.meta.released.unwrap().0, "2024-03");
        assert_eq!(c.meta.sources[0].title, "A title: with colon\nand a second line");
        let fp8 = &c.compute[0].dense.values().next().unwrap();
        assert_eq!(fp8.provenance.source.as_deref(), Some("src"));
        assert_eq!(fp8.basis(), crate::datasheet::Basis::Estimated);
    }

    #[test]
    #[should_panic(expected = "not a figure token")]
    fn figure_tokens_are_checked() {
        Writer::default().figure(0, "fp8", "1, x: y", "s", "reported");
    }
}
