//! The marks of an answer written as plain text or as Markdown (`foundry`, `cluster`): the
//! same lines, with bold headings, quoted text and list items in Markdown.

use std::fmt::{Display, Write};

/// Text or Markdown marks for one answer block.
pub(crate) struct Marks {
    /// Around a heading: `**` in Markdown.
    pub b: &'static str,
    /// Before a quoted line: `> ` in Markdown, an indent in text.
    pub q: &'static str,
    /// Before a list item: `- ` in Markdown, an indent in text.
    pub item: &'static str,
    md: bool,
}

impl Marks {
    pub(crate) fn new(md: bool) -> Self {
        if md {
            Marks {
                b: "**",
                q: "> ",
                item: "- ",
                md,
            }
        } else {
            Marks {
                b: "",
                q: "    ",
                item: "  ",
                md,
            }
        }
    }

    /// The blank line Markdown needs between a heading, a list and a quote.
    pub(crate) fn gap(&self, s: &mut String) {
        if self.md {
            s.push('\n');
        }
    }

    /// A heading and its items, one per line.
    pub(crate) fn list<T: Display>(&self, s: &mut String, heading: &str, items: &[T]) {
        let (b, item) = (self.b, self.item);
        let _ = writeln!(s, "{b}{heading}{b}");
        for i in items {
            let _ = writeln!(s, "{item}{i}");
        }
    }
}
