//! Shell and docs conventions, and the installed binary: `--version`, colour, `--quiet`,
//! completions, the man page, CSV for spreadsheets, JSON for jq, the changelog, and commands
//! that work from any folder.
