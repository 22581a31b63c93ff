//! `tppcalc completions SHELL` and `tppcalc man`: generated at run time from the same clap
//! definitions that parse the command line, so they never drift from it. Run time rather than
//! build time: an installed binary (`cargo install`) can always print its own, with no files to
//! find.

use super::{Cli, Output, BAD_INPUT};
use clap::CommandFactory;
use clap_complete::Shell;

#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    shell: Shell,
}

pub fn completions(a: CompletionsArgs) -> Output {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "tppcalc", &mut buf);
    utf8(buf)
}

pub fn man() -> Output {
    let mut buf = Vec::new();
    match clap_mangen::Man::new(Cli::command()).render(&mut buf) {
        Ok(()) => utf8(buf),
        Err(e) => Output {
            stderr: format!("error: cannot render the man page: {e}\n"),
            code: BAD_INPUT,
            ..Default::default()
        },
    }
}

fn utf8(buf: Vec<u8>) -> Output {
    Output::ok(String::from_utf8_lossy(&buf).into_owned())
}
