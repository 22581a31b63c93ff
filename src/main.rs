//! The `tppcalc` command: parses arguments, runs a command, maps the result to an exit code.
//! A closed pipe on stdout (`tppcalc classify | head`) ends the program quietly with success.

mod cli;

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let out = cli::run(std::env::args_os());
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(out.stdout.as_bytes()).and_then(|_| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return ExitCode::SUCCESS;
        }
        let _ = writeln!(std::io::stderr(), "error: cannot write output: {e}");
        return ExitCode::from(2);
    }
    if !out.stderr.is_empty() {
        let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    }
    ExitCode::from(out.code)
}
