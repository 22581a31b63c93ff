//! Opening the files a user names, without ever waiting on one.
//!
//! A path may name something that is not a regular file: a named pipe (FIFO) blocks an `open`
//! until some other program opens its other end, a device may never end, a directory has no
//! text. [`open_regular`] refuses all of them before opening (it looks the path up first) and
//! again after (it checks what it opened), and on Unix opens with `O_NONBLOCK`, so that a path
//! replaced by a FIFO between the look-up and the open cannot block either. The error says
//! what the path is instead.

use std::fs::{File, FileType};
use std::io;
use std::path::Path;

/// What a file type is, in words, for a path that is not a regular file: `a directory`,
/// `a named pipe`, `a socket`, `a character device`, `a block device`, or `not a
/// regular file` for anything else.
pub fn describe(file_type: FileType) -> &'static str {
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
    }
    "not a regular file"
}

/// The error for a path that is not a regular file: kind [`io::ErrorKind::InvalidInput`],
/// message `not a regular file: it is a named pipe` (or whatever it is).
pub fn not_regular(file_type: FileType) -> io::Error {
    let what = describe(file_type);
    let msg = if what == "not a regular file" {
        what.to_string()
    } else {
        format!("not a regular file: it is {what}")
    };
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

/// Opens `path` for reading if it is a regular file (a symlink to one counts), and refuses
/// anything else with [`not_regular`] without waiting: see the module documentation.
///
/// ```
/// let dir = std::env::temp_dir();
/// let e = tppcalc::files::open_regular(&dir).unwrap_err();
/// assert_eq!(e.to_string(), "not a regular file: it is a directory");
/// ```
pub fn open_regular(path: &Path) -> io::Result<File> {
    // Looked up first: a FIFO or device is never opened at all.
    let before = std::fs::metadata(path)?;
    if !before.is_file() {
        return Err(not_regular(before.file_type()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Should the path become a FIFO after the look-up, the open still returns at once; on a
        // regular file the flag changes nothing.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    // Checked again on what was opened, which cannot change any more.
    let opened = file.metadata()?;
    if !opened.is_file() {
        return Err(not_regular(opened.file_type()));
    }
    Ok(file)
}
