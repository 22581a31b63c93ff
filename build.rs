//! Embeds `specs/` (datasheets, rule sets, country groups) into the binary, so an installed
//! `tppcalc` works from any folder. The list is sorted, so the build is reproducible.
//!
//! Each file also gets a JSON twin, converted here once: reading JSON at run time costs a
//! fraction of reading YAML, and the embedded catalog is read on every run. The twin is only a
//! faster route to the same values: `tppcalc::yaml::twin` reads it, names the tests that check
//! every shipped file reads the same either way, and the YAML is read whenever the twin fails.

use std::fs;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(path);
        }
    }
}

/// The JSON form of a one-document YAML text, keys in document order, or `None` when it has no
/// faithful one (a key that is not a string, an alias, more than one document). Reals go
/// through `f64`, as the YAML deserializer hands them to the library.
fn json_twin(text: &str) -> Option<String> {
    use yaml_rust2::{Yaml, YamlLoader};
    fn write(y: &Yaml, out: &mut String) -> Option<()> {
        let scalar = |v: serde_json::Value| serde_json::to_string(&v).ok();
        match y {
            Yaml::Null => out.push_str("null"),
            Yaml::Boolean(b) => out.push_str(&scalar((*b).into())?),
            Yaml::Integer(i) => out.push_str(&scalar((*i).into())?),
            Yaml::Real(r) => out.push_str(&scalar(r.parse::<f64>().ok().filter(|f| f.is_finite())?.into())?),
            Yaml::String(s) => out.push_str(&scalar(s.as_str().into())?),
            Yaml::Array(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(v, out)?;
                }
                out.push(']');
            }
            Yaml::Hash(h) => {
                out.push('{');
                for (i, (k, v)) in h.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&scalar(k.as_str()?.into())?);
                    out.push(':');
                    write(v, out)?;
                }
                out.push('}');
            }
            Yaml::Alias(_) | Yaml::BadValue => return None,
        }
        Some(())
    }
    let docs = YamlLoader::load_from_str(text).ok()?;
    let [doc] = docs.as_slice() else { return None };
    let mut out = String::new();
    write(doc, &mut out)?;
    Some(out)
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let specs = root.join("specs");
    println!("cargo:rerun-if-changed=specs");
    let mut files = Vec::new();
    collect(&specs, &mut files);
    files.sort();
    let mut code = String::from("/// Every file under `specs/`, as (path relative to the crate, contents), sorted by path.\npub static FILES: &[(&str, &str)] = &[\n");
    let mut twins = String::from(
        "/// The JSON twin of each file of [`FILES`], in the same order (`None` when it has none).\npub static JSON_TWINS: &[Option<&str>] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            f.display().to_string()
        ));
        let twin = fs::read_to_string(f).ok().and_then(|t| json_twin(&t));
        twins.push_str(&format!("    {twin:?},\n"));
    }
    code.push_str("];\n");
    code.push_str(&twins);
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    fs::write(out, code).unwrap();
}
