//! Content digests: `sha256:<64 lowercase hex digits>` of a text or of bytes. The datasheet
//! loader, the country-group snapshots and the audit records all use these; what each digest
//! covers is described in [`crate::audit`].

use sha2::{Digest, Sha256};

/// `sha256:<hex>` of some bytes.
///
/// ```
/// assert_eq!(
///     tppcalc::digest::sha256(b"abc"),
///     "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn sha256(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(7 + 64);
    s.push_str("sha256:");
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// `sha256:<hex>` of a text's UTF-8 bytes.
pub fn sha256_text(text: &str) -> String {
    sha256(text.as_bytes())
}

/// The combined digest of a system: its own file's digest and those of its contained parts.
pub fn combined(own: (&str, &str), contained: &[(&str, &str)]) -> String {
    let mut s = format!("{} {}\n", own.0, own.1);
    for (id, d) in contained {
        s.push_str(&format!("{id} {d}\n"));
    }
    sha256_text(&s)
}
