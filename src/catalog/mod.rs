//! A catalog: the datasheets found under some paths (or embedded in the binary), with ids
//! checked unique and references between parts resolved.

use crate::datasheet::{Origin, Part, PartId};
use crate::error::{Error, ErrorKind, Errors};
use crate::yaml;
use parse::{parse_part_from, parse_part_of_kind, peek_kind, PendingRef, KNOWN_KINDS};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use std::path::{Path, PathBuf};

mod parse;
pub mod plausible;

pub use parse::parse_part;

/// A file with `kind: rules` found among datasheets; the rules module reads it.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// Where it came from.
    pub origin: Origin,
    /// Its text.
    pub text: String,
}

/// Parts by id, in id order.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    parts: BTreeMap<PartId, Part>,
}

/// The result of loading: every file is either in the catalog, a rule file, or an error.
#[derive(Debug, Default)]
pub struct LoadOutcome {
    /// The parts that loaded.
    pub catalog: Catalog,
    /// Rule files found among the paths.
    pub rule_files: Vec<RuleFile>,
    /// Country-group files (`kind: countries`) found among the paths; not parts.
    pub country_files: Vec<RuleFile>,
    /// Installation files (`kind: cluster`) found among the paths; not parts.
    pub cluster_files: Vec<RuleFile>,
    /// Data files found among the paths that are not parts: process tables
    /// (`kind: processes`) and definitions (`kind: supercomputer`), with their kind.
    pub data_files: Vec<(String, RuleFile)>,
    /// One error per bad file (or per bad reference), sorted.
    pub errors: Vec<Error>,
    /// How many files were found, counting entries the search could not read.
    pub files_seen: usize,
}

impl Catalog {
    /// All parts, in id order.
    pub fn parts(&self) -> impl Iterator<Item = &Part> {
        self.parts.values()
    }

    /// A part by id.
    pub fn get(&self, id: &str) -> Option<&Part> {
        self.parts.get(&PartId(id.to_string()))
    }

    /// Number of parts.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether the catalog is empty.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Ids close to `id`, for "did you mean" messages.
    pub fn near(&self, id: &str) -> Vec<&str> {
        let mut scored: Vec<(usize, &str)> = self
            .parts
            .keys()
            .map(|k| (strsim::levenshtein(&k.0, id), k.0.as_str()))
            .filter(|(d, k)| *d <= 3 || k.contains(id))
            .collect();
        scored.sort();
        scored.into_iter().take(5).map(|(_, k)| k).collect()
    }

    /// `"; did you mean `a`, `b`?"` for an id that names no part, or `""` when nothing is close.
    pub fn did_you_mean(&self, id: &str) -> String {
        let near = self.near(id);
        if near.is_empty() {
            String::new()
        } else {
            format!(
                "; did you mean {}?",
                near.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            )
        }
    }

    /// The catalog embedded in the binary (`specs/chips`, `specs/memory`, `specs/systems`).
    ///
    /// ```
    /// use tppcalc::catalog::Catalog;
    /// let loaded = Catalog::embedded();
    /// assert!(loaded.errors.is_empty());
    /// let h100 = loaded.catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    /// assert_eq!(h100.meta().vendor, "NVIDIA");
    /// ```
    pub fn embedded() -> LoadOutcome {
        let files: Vec<(Origin, Result<Vec<u8>, Error>)> = crate::embedded::FILES
            .iter()
            .filter(|(p, _)| {
                !p.starts_with("specs/rules/")
                    && !p.starts_with("specs/countries/")
                    && !p.starts_with("specs/foundry/")
                    && !p.starts_with("specs/supercomputer/")
            })
            .map(|(p, text)| (Origin::Embedded(p), Ok(text.as_bytes().to_vec())))
            .collect();
        Self::from_files(files)
    }

    /// Loads datasheets from files and directories (directories are searched recursively for
    /// `*.yaml` and `*.yml`). Files are read in path order; the result does not depend on the
    /// order of `paths` or of directory entries.
    ///
    /// Every file ends up in the catalog, among the rule files, or as an error with its file,
    /// line, column and field: one bad file does not hide the others.
    ///
    /// ```
    /// use tppcalc::catalog::Catalog;
    /// let dir = std::env::temp_dir().join(format!("tppcalc-doc-load-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// std::fs::write(dir.join("x1.yaml"), "kind: chip\nid: acme-x1\nname: ACME X1\nvendor: ACME\n\
    ///     compute:\n  - unit: NPU\n    dense: { int8: 640 TOPS }\n").unwrap();
    /// std::fs::write(dir.join("bad.yaml"), "kind: chip\nid: bad\n").unwrap();
    /// let loaded = Catalog::load(&[dir.clone()]);
    /// assert_eq!(loaded.catalog.len(), 1);
    /// assert_eq!(loaded.files_seen, 2);
    /// assert!(loaded.errors[0].to_string().contains("bad.yaml"));
    /// std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn load(paths: &[PathBuf]) -> LoadOutcome {
        Self::load_with(paths, Vec::new())
    }

    /// Loads the datasheets a command line names. Each argument is a file or a directory, or,
    /// when no such path exists, the id of a part of the embedded catalog (a system brings the
    /// parts it contains). A path wins when both exist; an id whose part the paths already
    /// hold is not loaded twice.
    ///
    /// ```
    /// use tppcalc::catalog::Catalog;
    /// let loaded = Catalog::load_args(&["nvidia-h20".into()]);
    /// assert!(loaded.errors.is_empty());
    /// assert_eq!(loaded.catalog.parts().map(|p| p.id().0.as_str()).collect::<Vec<_>>(), ["nvidia-h20"]);
    /// let typo = Catalog::load_args(&["nvidia-h2".into()]);
    /// assert!(typo.errors[0].to_string().contains("did you mean `nvidia-h20`"));
    /// ```
    pub fn load_args(args: &[PathBuf]) -> LoadOutcome {
        let is_id = |a: &PathBuf| {
            std::fs::symlink_metadata(a).is_err()
                && a.to_str().is_some_and(|s| {
                    !s.is_empty() && !s.contains(['/', '\\']) && !s.ends_with(".yaml") && !s.ends_with(".yml")
                })
        };
        let (ids, paths): (Vec<PathBuf>, Vec<PathBuf>) = args.iter().cloned().partition(is_id);
        if ids.is_empty() {
            return Self::load(args);
        }
        let from_paths = Self::load(&paths);
        let embedded = Self::embedded();
        let mut wanted: BTreeSet<&'static str> = BTreeSet::new();
        let mut unknown = Vec::new();
        let mut stack: Vec<String> = Vec::new();
        for id in ids.iter().map(|i| i.to_string_lossy().into_owned()) {
            if embedded.catalog.get(&id).is_some() {
                stack.push(id);
            } else {
                unknown.push(id);
            }
        }
        while let Some(id) = stack.pop() {
            if from_paths.catalog.get(&id).is_some() {
                continue;
            }
            if let Some(part) = embedded.catalog.get(&id) {
                if let Origin::Embedded(path) = part.meta().origin {
                    if wanted.insert(path) {
                        if let Part::System(s) = part {
                            stack.extend(s.contains.iter().map(|c| c.part.0.clone()));
                        }
                    }
                }
            }
        }
        let mut out = if wanted.is_empty() {
            from_paths
        } else {
            let extra = crate::embedded::FILES
                .iter()
                .filter(|(p, _)| wanted.contains(p))
                .map(|(p, text)| (Origin::Embedded(p), Ok(text.as_bytes().to_vec())))
                .collect();
            Self::load_with(&paths, extra)
        };
        for id in unknown {
            out.files_seen += 1;
            out.errors.push(
                Error::new(
                    ErrorKind::Read,
                    format!(
                        "cannot read: no such file or directory, and no part of the embedded catalog has this id{}",
                        embedded.catalog.did_you_mean(&id)
                    ),
                )
                .in_file(id),
            );
        }
        out.errors.sort();
        out
    }

    /// As [`Catalog::load`], with files already read (`extra`) added to those found.
    fn load_with(paths: &[PathBuf], extra: Vec<(Origin, Result<Vec<u8>, Error>)>) -> LoadOutcome {
        let mut walker = Walker::default();
        for p in paths {
            walker.walk(p);
        }
        let Walker {
            found,
            errors,
            symlinks,
        } = walker;
        // One file reached by several paths (`specs` and `./specs/chips/x.yaml`, or through a
        // symlink) is read once, under the first of its paths in sort order. One path searched
        // without symlinks reaches each file once: nothing to resolve.
        let mut found: Vec<PathBuf> = if paths.len() > 1 || symlinks {
            let keyed: Vec<(PathBuf, PathBuf)> = found
                .into_par_iter()
                .map(|p| (std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone()), p))
                .collect();
            let mut unique: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
            for (key, p) in keyed {
                unique.entry(key).or_insert(p);
            }
            unique.into_values().collect()
        } else {
            found.into_iter().collect()
        };
        found.sort();
        let mut files: Vec<(Origin, Result<Vec<u8>, Error>)> = found
            .into_par_iter()
            .map(|p| {
                // Bounded: a file over the limit, a file that grows, or a device stops one byte
                // past it; only then is the size looked up, for the message.
                let bytes = yaml::read_file(&p).map_err(|e| read_error(&p, &e)).and_then(|b| {
                    if b.len() > yaml::MAX_FILE_BYTES {
                        let size = std::fs::metadata(&p).map_or(0, |m| m.len()).max(b.len() as u64);
                        Err(yaml::too_large(size).in_file(p.display().to_string()))
                    } else {
                        Ok(b)
                    }
                });
                (Origin::File(p), bytes)
            })
            .collect();
        files.extend(extra);
        let mut out = Self::from_files(files);
        // Each entry the search could not read (dangling symlink, loop, pipe) is a file found.
        out.files_seen += errors.len();
        out.errors.extend(errors);
        out.errors.sort();
        out
    }

    /// Builds a catalog from file contents (already read). Used by [`Catalog::load`], the
    /// embedded catalog and the web API.
    pub fn from_files(files: Vec<(Origin, Result<Vec<u8>, Error>)>) -> LoadOutcome {
        let mut out = LoadOutcome {
            files_seen: files.len(),
            ..Default::default()
        };
        let mut loaded: Vec<(Part, Vec<PendingRef>, Origin, String)> = Vec::new();
        // Files are parsed in parallel (each on its own); everything after is in file order, so
        // the result does not depend on the number of threads.
        let parsed: Vec<(Origin, Result<Loaded, Errors>)> = files
            .into_par_iter()
            .map(|(origin, bytes)| {
                let result = bytes.map_err(Errors::from).and_then(|b| {
                    let text = yaml::decode(&b)?;
                    // A plain datasheet is read in one pass; anything the quick path is not
                    // sure of, or any error, goes through the full scan (same result, same
                    // messages).
                    if let Some(kind @ ("chip" | "memory" | "system")) = yaml::quick::kind(text, &KNOWN_KINDS) {
                        let twin = match &origin {
                            Origin::Embedded(path) => yaml::twin::of(path),
                            _ => None,
                        };
                        if let Ok((p, r)) = parse_part_from(text, kind, &origin, twin) {
                            return Ok(Loaded::Part(p, r, text.to_string()));
                        }
                    }
                    let kind = peek_kind(text)?;
                    match kind.as_str() {
                        "rules" => Ok(Loaded::Rules(text.to_string())),
                        "countries" => Ok(Loaded::Countries(text.to_string())),
                        "cluster" => Ok(Loaded::Cluster(text.to_string())),
                        "processes" | "supercomputer" => Ok(Loaded::Data(kind.clone(), text.to_string())),
                        _ => {
                            parse_part_of_kind(text, &kind, &origin).map(|(p, r)| Loaded::Part(p, r, text.to_string()))
                        }
                    }
                });
                (origin, result)
            })
            .collect();
        for (origin, result) in parsed {
            let file = origin.to_string();
            match result {
                Ok(Loaded::Part(part, refs, text)) => loaded.push((part, refs, origin, text)),
                Ok(Loaded::Rules(text)) => out.rule_files.push(RuleFile { origin, text }),
                Ok(Loaded::Countries(text)) => out.country_files.push(RuleFile { origin, text }),
                Ok(Loaded::Cluster(text)) => out.cluster_files.push(RuleFile { origin, text }),
                Ok(Loaded::Data(kind, text)) => out.data_files.push((kind, RuleFile { origin, text })),
                Err(Errors(es)) => {
                    for e in es {
                        let e = if e.file.is_none() { e.in_file(file.clone()) } else { e };
                        out.errors.push(e);
                    }
                }
            }
        }
        // Path references in systems: resolve to the id of the file they name (only looked up
        // when some system refers to a path).
        let by_path: BTreeMap<PathBuf, PartId> = if loaded.iter().any(|(_, refs, _, _)| !refs.is_empty()) {
            loaded
                .par_iter()
                .filter_map(|(part, _, origin, _)| match origin {
                    Origin::File(p) => std::fs::canonicalize(p).ok().map(|c| (c, part.id().clone())),
                    _ => None,
                })
                .collect()
        } else {
            BTreeMap::new()
        };
        let mut parts: BTreeMap<PartId, Part> = BTreeMap::new();
        let mut first_origin: BTreeMap<PartId, Origin> = BTreeMap::new();
        // The text of each part kept, so that errors found across files carry positions.
        let mut texts: BTreeMap<PartId, String> = BTreeMap::new();
        for (mut part, refs, origin, text) in loaded {
            let id = part.id().clone();
            if let Some(prev) = first_origin.get(&id) {
                out.errors.push(
                    Error::new(
                        ErrorKind::DuplicateId,
                        format!(
                            "duplicate part id `{id}`: also defined in {prev}; expected each part once in a catalog"
                        ),
                    )
                    .in_file(origin.to_string())
                    .at_field("id")
                    .at(yaml::locate(&text, "id")),
                );
                continue;
            }
            let mut bad = None;
            if let Part::System(s) = &mut part {
                for r in refs {
                    match resolve_path(&origin, &r.written, &by_path) {
                        Ok(id) => s.contains[r.index].part = id,
                        Err(e) => {
                            let field = format!("contains[{}].part", r.index);
                            bad = Some(
                                Error::new(ErrorKind::UnknownReference, e.to_string())
                                    .in_file(origin.to_string())
                                    .at(yaml::locate(&text, &field))
                                    .at_field(field),
                            );
                            break;
                        }
                    }
                }
            }
            if let Some(e) = bad {
                out.errors.push(e);
                continue;
            }
            first_origin.insert(id.clone(), origin);
            texts.insert(id.clone(), text);
            parts.insert(id, part);
        }
        // Contained parts must exist, and a system must not contain itself.
        let mut broken: Vec<PartId> = Vec::new();
        for part in parts.values() {
            if let Part::System(s) = part {
                for (i, c) in s.contains.iter().enumerate() {
                    let msg = if c.part == s.meta.id {
                        Some((ErrorKind::Cycle, format!("system `{}` contains itself", s.meta.id)))
                    } else if !parts.contains_key(&c.part) {
                        Some((
                            ErrorKind::UnknownReference,
                            format!("unknown part `{}`: no datasheet in this catalog has that id", c.part),
                        ))
                    } else if contains_cycle(&parts, &c.part, &s.meta.id) {
                        Some((
                            ErrorKind::Cycle,
                            format!(
                                "`{}` contains `{}`, which contains `{}` again",
                                s.meta.id, c.part, s.meta.id
                            ),
                        ))
                    } else {
                        None
                    };
                    if let Some((kind, m)) = msg {
                        let field = format!("contains[{i}].part");
                        let at = texts.get(&s.meta.id).and_then(|t| yaml::locate(t, &field));
                        out.errors.push(
                            Error::new(kind, m)
                                .in_file(s.meta.origin.to_string())
                                .at(at)
                                .at_field(field),
                        );
                        broken.push(s.meta.id.clone());
                        break;
                    }
                }
            }
        }
        for id in broken {
            parts.remove(&id);
        }
        // Systems that contain systems, and so on: bounded, so that classifying (which
        // recurses through them) cannot exhaust the stack.
        for (id, depth) in system_depths(&parts) {
            if depth > MAX_SYSTEM_NESTING {
                let at = texts.get(&id).and_then(|t| yaml::locate(t, "contains"));
                let origin = parts[&id].meta().origin.to_string();
                out.errors.push(
                    Error::new(
                        ErrorKind::Limit,
                        format!("system `{id}` is the top of {depth} levels of systems containing systems; the limit is {MAX_SYSTEM_NESTING}"),
                    )
                    .in_file(origin)
                    .at_field("contains")
                    .at(at),
                );
                parts.remove(&id);
            }
        }
        out.catalog = Catalog { parts };
        out.errors.sort();
        out
    }
}

/// Deepest nesting of systems accepted: a system containing a system containing ... (real
/// catalogs nest two or three levels: a server, its boards, their chips).
pub const MAX_SYSTEM_NESTING: usize = 16;

/// For each system, how many levels of systems it stands on: 1 for a system of chips, 2 for a
/// system containing such a system, and so on (chips and memory are not listed: 0). Iterative, so a long chain cannot exhaust the stack.
fn system_depths(parts: &BTreeMap<PartId, Part>) -> BTreeMap<PartId, usize> {
    let mut depth: BTreeMap<PartId, usize> = BTreeMap::new();
    // Chips and memory stand on no system (depth 0, the default below): only systems are walked.
    let systems = parts
        .iter()
        .filter(|(_, p)| matches!(p, Part::System(_)))
        .map(|(id, _)| id);
    for start in systems {
        let mut stack: Vec<(PartId, bool)> = vec![(start.clone(), false)];
        let mut on_path: HashSet<PartId> = HashSet::new();
        while let Some((id, children_done)) = stack.pop() {
            if children_done {
                let d = match parts.get(&id) {
                    Some(Part::System(s)) => {
                        1 + s
                            .contains
                            .iter()
                            .map(|c| depth.get(&c.part).copied().unwrap_or(0))
                            .max()
                            .unwrap_or(0)
                    }
                    _ => 0,
                };
                depth.insert(id.clone(), d);
                on_path.remove(&id);
                continue;
            }
            if depth.contains_key(&id) || !on_path.insert(id.clone()) {
                continue;
            }
            stack.push((id.clone(), true));
            if let Some(Part::System(s)) = parts.get(&id) {
                for c in &s.contains {
                    if parts.contains_key(&c.part) && !depth.contains_key(&c.part) {
                        stack.push((c.part.clone(), false));
                    }
                }
            }
        }
    }
    depth
}

// Parts are built once and moved into the catalog; boxing them would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Loaded {
    Part(Part, Vec<PendingRef>, String),
    Rules(String),
    Countries(String),
    Cluster(String),
    Data(String, String),
}

fn contains_cycle(parts: &BTreeMap<PartId, Part>, start: &PartId, target: &PartId) -> bool {
    let mut stack = vec![start.clone()];
    let mut seen = HashSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        if let Some(Part::System(s)) = parts.get(&id) {
            for c in &s.contains {
                if &c.part == target {
                    return true;
                }
                stack.push(c.part.clone());
            }
        }
    }
    false
}

/// Why a `contains[i].part` written as a path names no datasheet of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathRefError {
    /// A path in a text that is not a file on disk (an embedded or inline datasheet).
    #[error("`{written}` is neither a part id nor usable as a path here (only files on disk may refer to paths)")]
    NotOnDisk {
        /// The reference as written.
        written: String,
    },
    /// The file exists but is not one of the datasheets being loaded.
    #[error(
        "`{written}` is not a datasheet of this catalog (it is outside the paths being loaded, or failed to load)"
    )]
    NotInCatalog {
        /// The reference as written.
        written: String,
    },
    /// No file at that path.
    #[error("`{written}` is neither a part id nor an existing file (looked for `{}`)", .looked_for.display())]
    NoSuchFile {
        /// The reference as written.
        written: String,
        /// The path it was resolved to, relative to the referring file's folder.
        looked_for: PathBuf,
    },
}

fn resolve_path(origin: &Origin, written: &str, by_path: &BTreeMap<PathBuf, PartId>) -> Result<PartId, PathRefError> {
    let written_owned = || written.to_string();
    let Origin::File(file) = origin else {
        return Err(PathRefError::NotOnDisk {
            written: written_owned(),
        });
    };
    let dir = file.parent().unwrap_or(Path::new("."));
    let target = dir.join(written);
    match std::fs::canonicalize(&target) {
        Ok(c) => by_path.get(&c).cloned().ok_or_else(|| PathRefError::NotInCatalog {
            written: written_owned(),
        }),
        Err(_) => Err(PathRefError::NoSuchFile {
            written: written_owned(),
            looked_for: target,
        }),
    }
}

fn read_error(p: &Path, e: &std::io::Error) -> Error {
    Error::new(ErrorKind::Read, format!("cannot read: {}", io_message(e))).in_file(p.display().to_string())
}

fn io_message(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_lowercase(),
        None => s.to_lowercase(),
    }
}

/// The search of datasheet paths: what it found, what it could not read, and whether it met a
/// symlink (then one file may be reached by two paths).
#[derive(Default)]
struct Walker {
    found: BTreeSet<PathBuf>,
    errors: Vec<Error>,
    symlinks: bool,
}

impl Walker {
    /// Searches one path given by the user: a file is taken as it is (reading it tells whether
    /// it is a regular file); a directory is searched recursively for `*.yaml` and `*.yml`,
    /// following symlinks. `walkdir` finds the symlink loops (a directory that is its own
    /// ancestor); each is reported, as is every entry that cannot be read.
    fn walk(&mut self, root: &Path) {
        for entry in walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name() {
            match entry {
                Ok(e) => {
                    self.symlinks |= e.depth() > 0 && e.path_is_symlink();
                    let file_type = e.file_type();
                    if file_type.is_dir() {
                        continue;
                    }
                    if e.depth() == 0 {
                        self.found.insert(e.into_path());
                    } else if is_yaml(e.path()) {
                        if file_type.is_file() {
                            self.found.insert(e.into_path());
                        } else {
                            // A FIFO or device would block or never end: reported, never opened
                            // (one named on the command line is refused when it is read, by
                            // the same check).
                            self.errors
                                .push(read_error(e.path(), &crate::files::not_regular(file_type)));
                        }
                    }
                }
                Err(e) => {
                    let path = e.path().unwrap_or(root).to_path_buf();
                    let msg = if let Some(ancestor) = e.loop_ancestor() {
                        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
                        let (ancestor, top) = (canonical(ancestor), canonical(root));
                        if ancestor != top && top.starts_with(&ancestor) {
                            // `walkdir` also counts the directories above the one searched.
                            format!(
                                "symlink loop: this directory is `{}`, which holds `{}`, being searched",
                                ancestor.display(),
                                top.display()
                            )
                        } else {
                            format!(
                                "symlink loop: this directory is `{}`, already searched",
                                ancestor.display()
                            )
                        }
                    } else {
                        let io = e.io_error();
                        let target = std::fs::read_link(&path).ok();
                        match (io, target) {
                            (Some(io), _) if io.raw_os_error() == Some(ELOOP) => {
                                "cannot read: symlink loop".to_string()
                            }
                            (Some(io), Some(t)) if io.kind() == std::io::ErrorKind::NotFound => {
                                format!(
                                    "cannot read: dangling symlink: its target `{}` does not exist",
                                    t.display()
                                )
                            }
                            (Some(io), _) => format!("cannot read: {}", io_message(io)),
                            (None, _) => format!("cannot read: {}", e.to_string().to_lowercase()),
                        }
                    };
                    self.errors
                        .push(Error::new(ErrorKind::Read, msg).in_file(path.display().to_string()));
                }
            }
        }
    }
}

/// `ELOOP`: too many levels of symlinks (a symlink that points at itself, or a ring of them).
#[cfg(unix)]
const ELOOP: i32 = libc::ELOOP;
#[cfg(not(unix))]
const ELOOP: i32 = -1;

fn is_yaml(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

#[cfg(test)]
mod path_ref_tests {
    use super::*;

    #[test]
    fn each_unresolvable_path_gives_its_variant_and_message() {
        let none = BTreeMap::new();
        let e = resolve_path(&Origin::Inline, "gpu.yaml", &none).unwrap_err();
        assert_eq!(
            e,
            PathRefError::NotOnDisk {
                written: "gpu.yaml".into()
            }
        );
        assert_eq!(
            e.to_string(),
            "`gpu.yaml` is neither a part id nor usable as a path here (only files on disk may refer to paths)"
        );

        let dir = std::env::temp_dir().join(format!("tppcalc-pathref-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let here = dir.join("system.yaml");
        std::fs::write(&here, "").unwrap();
        let origin = Origin::File(here.clone());
        let e = resolve_path(&origin, "missing.yaml", &none).unwrap_err();
        assert_eq!(
            e,
            PathRefError::NoSuchFile {
                written: "missing.yaml".into(),
                looked_for: dir.join("missing.yaml")
            }
        );
        assert!(e
            .to_string()
            .starts_with("`missing.yaml` is neither a part id nor an existing file (looked for `"));
        // The file exists but was not loaded.
        let e = resolve_path(&origin, "system.yaml", &none).unwrap_err();
        assert_eq!(
            e,
            PathRefError::NotInCatalog {
                written: "system.yaml".into()
            }
        );
        let mut loaded = BTreeMap::new();
        loaded.insert(std::fs::canonicalize(&here).unwrap(), PartId("box".into()));
        assert_eq!(resolve_path(&origin, "system.yaml", &loaded), Ok(PartId("box".into())));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
