//! The process table (`kind: processes`, `specs/foundry/`): process names, whether each is at or
//! below the "16/14 nanometer node", its transistor architecture, and a transistor density for
//! Technical Note 1 to 3A090.a. Data, not code: the table is a cited file.

use crate::datasheet::{Figure, Origin, Positive, Source, Transistor};
use crate::error::{Error, ErrorKind};
use crate::yaml;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProcessFileRaw {
    #[allow(dead_code)]
    kind: String,
    id: String,
    title: String,
    citation: String,
    notes: Option<String>,
    #[serde(default)]
    sources: Vec<Source>,
    processes: Vec<ProcessRaw>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProcessRaw {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    transistor: Transistor,
    node: String,
    at_or_below_16_14nm: bool,
    density: Option<Figure<Positive>>,
}

/// One logic process.
#[derive(Debug, Clone, PartialEq)]
pub struct Process {
    /// The name the table gives it (`TSMC N5`).
    pub name: String,
    /// Other spellings datasheets use (`TSMC 5nm`).
    pub aliases: Vec<String>,
    /// Planar, FinFET or GAAFET.
    pub transistor: Transistor,
    /// The node, as words (`5 nm`).
    pub node: String,
    /// Whether the process is at or below the "16/14 nanometer node" (772.1).
    pub at_or_below_16_14nm: bool,
    /// Transistors per mm^2, in millions (MTr/mm^2), with its source; `None` when no figure is
    /// published.
    pub density: Option<Figure<Positive>>,
}

/// The process table.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessTable {
    /// `logic-processes`.
    pub id: String,
    /// Title.
    pub title: String,
    /// What the node classes rest on.
    pub citation: String,
    /// How sure the table is.
    pub notes: Option<String>,
    /// Cited documents.
    pub sources: Vec<Source>,
    /// The processes.
    pub processes: Vec<Process>,
    /// `sha256:` of the file's text.
    pub digest: String,
}

/// Lower case, whitespace removed (`TSMC 7 nm` and `TSMC 7nm` are one name).
fn norm(s: &str) -> String {
    s.split_whitespace().collect::<String>().to_lowercase()
}

impl ProcessTable {
    /// Reads a table from its text.
    pub fn from_text(origin: &Origin, text: &str) -> Result<ProcessTable, Error> {
        let file = origin.to_string();
        let raw: ProcessFileRaw = yaml::from_str(text).map_err(|e| e.in_file(file.clone()))?;
        let fail = |field: String, m: String| {
            Error::new(ErrorKind::Schema, m)
                .in_file(file.clone())
                .at(yaml::locate(text, &field))
                .at_field(field)
        };
        if raw.kind != "processes" {
            return Err(fail(
                "kind".into(),
                format!("expected `kind: processes`, found `{}`", raw.kind),
            ));
        }
        let known: Vec<&str> = raw.sources.iter().map(|s| s.id.as_str()).collect();
        let mut seen: Vec<String> = Vec::new();
        for (i, p) in raw.processes.iter().enumerate() {
            for (j, n) in std::iter::once(&p.name).chain(&p.aliases).enumerate() {
                let k = norm(n);
                if seen.contains(&k) {
                    let field = if j == 0 {
                        format!("processes[{i}].name")
                    } else {
                        format!("processes[{i}].aliases[{}]", j - 1)
                    };
                    return Err(
                        Error::new(ErrorKind::DuplicateId, format!("process name `{n}` is listed twice"))
                            .in_file(file.clone())
                            .at(yaml::locate(text, &field))
                            .at_field(field),
                    );
                }
                seen.push(k);
            }
            if let Some(src) = p.density.as_ref().and_then(|d| d.provenance.source.as_ref()) {
                if !known.contains(&src.as_str()) {
                    return Err(fail(
                        format!("processes[{i}].density.source"),
                        format!("unknown source `{src}`"),
                    ));
                }
            }
            if p.density.is_some() && p.density.as_ref().and_then(|d| d.provenance.source.as_ref()).is_none() {
                return Err(fail(
                    format!("processes[{i}].density"),
                    "a density needs its `source`".into(),
                ));
            }
        }
        Ok(ProcessTable {
            id: raw.id,
            title: raw.title,
            citation: raw.citation,
            notes: raw.notes,
            sources: raw.sources,
            processes: raw
                .processes
                .into_iter()
                .map(|p| Process {
                    name: p.name,
                    aliases: p.aliases,
                    transistor: p.transistor,
                    node: p.node,
                    at_or_below_16_14nm: p.at_or_below_16_14nm,
                    density: p.density,
                })
                .collect(),
            digest: crate::audit::sha256_text(text),
        })
    }

    /// The shipped table (`specs/foundry/logic-processes.yaml`).
    ///
    /// ```
    /// let t = tppcalc::foundry::ProcessTable::shipped();
    /// assert!(t.lookup("TSMC 4N").unwrap().at_or_below_16_14nm);
    /// assert_eq!(t.lookup("Samsung 8N (8LPP)").unwrap().name, "Samsung 8LPP");
    /// assert!(t.lookup("undisclosed").is_none());
    /// ```
    pub fn shipped() -> &'static ProcessTable {
        static TABLE: std::sync::LazyLock<ProcessTable> = std::sync::LazyLock::new(|| {
            let path = "specs/foundry/logic-processes.yaml";
            let text = crate::embedded::FILES
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, t)| *t)
                .expect("the process table is embedded");
            ProcessTable::from_text(&Origin::Embedded(path), text).expect("the shipped process table is valid (tested)")
        });
        &TABLE
    }

    /// The process a datasheet's free-text `process` names: by name or alias (case and
    /// whitespace ignored), then by the text before a parenthesis (`Samsung 8N (8LPP)`).
    pub fn lookup(&self, process: &str) -> Option<&Process> {
        let find = |k: &str| {
            self.processes
                .iter()
                .find(|p| norm(&p.name) == k || p.aliases.iter().any(|a| norm(a) == k))
        };
        let k = norm(process);
        find(&k).or_else(|| {
            let head = process.split('(').next().unwrap_or("");
            let h = norm(head);
            if h.is_empty() || h == k {
                None
            } else {
                find(&h)
            }
        })
    }
}
