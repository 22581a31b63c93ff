//! `tppcalc serve`: the scenario explorer on a local port. The one command that prints while
//! it runs: the URL goes out as soon as the port is open, since the command then waits for
//! Ctrl-C.

use super::Output;
#[cfg(feature = "web")]
use super::{load_catalog, BAD_INPUT, OK};
#[cfg(feature = "web")]
use std::io::Write;
#[cfg(feature = "web")]
use std::net::SocketAddr;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
#[cfg(feature = "web")]
use tppcalc::error::{Error, ErrorKind};
#[cfg(feature = "web")]
use tppcalc::web::{self, HostPolicy, Served};

#[derive(clap::Args, Debug)]
#[cfg_attr(not(feature = "web"), allow(dead_code))]
pub struct Args {
    /// Datasheet files or directories to serve (searched recursively). Default: the embedded
    /// catalog. Rule files among them become selectable by id.
    paths: Vec<PathBuf>,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 4800)]
    port: u16,
    /// Address to listen on. The default, loopback, keeps the server to this machine.
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
}

/// Without the `web` feature: says which feature the command needs.
#[cfg(not(feature = "web"))]
pub fn run(_: Args) -> Output {
    super::feature_off("serve", "web")
}

#[cfg(feature = "web")]
pub fn run(a: Args) -> Output {
    let source = if a.paths.is_empty() {
        "the embedded catalog".to_string()
    } else {
        a.paths
            .iter()
            .map(|p| format!("`{}`", p.display()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let served = match Served::from_load(load_catalog(&a.paths), source.clone()) {
        Ok(s) => s,
        Err(e) => return Output::errors(&e),
    };
    let parts = served.catalog().len();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return Output::errors(&[Error::new(ErrorKind::Usage, format!("cannot start: {e}"))]),
    };
    let addr = SocketAddr::new(a.bind, a.port);
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => {
                let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                    " (another program uses the port; try `--port 0` for any free port)"
                } else {
                    ""
                };
                return Output::errors(&[Error::new(
                    ErrorKind::Usage,
                    format!("cannot listen on `{addr}`: {}{hint}", io_message(&e)),
                )]);
            }
        };
        let local = listener.local_addr().unwrap_or(addr);
        let hosts = if a.bind.is_loopback() {
            HostPolicy::Loopback
        } else {
            eprintln!(
                "warning: listening on {} is not loopback: other machines that can reach it may use the server",
                a.bind
            );
            HostPolicy::Any
        };
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "tppcalc serve: http://{local}/ ({parts} parts of {source}; Ctrl-C stops)"
            );
            let _ = out.flush();
        }
        match web::serve(listener, web::router(served, hosts), shutdown_signal()).await {
            Ok(stopped) => Output {
                stderr: if stopped.dropped == 0 {
                    "tppcalc serve: stopped\n".to_string()
                } else {
                    let n = stopped.dropped;
                    format!(
                        "tppcalc serve: stopped ({n} {} still open after {} s dropped)\n",
                        if n == 1 { "connection" } else { "connections" },
                        web::SHUTDOWN_DEADLINE.as_secs()
                    )
                },
                code: OK,
                ..Default::default()
            },
            Err(e) => Output {
                stderr: format!("error: server stopped: {}\n", io_message(&e)),
                code: BAD_INPUT,
                ..Default::default()
            },
        }
    })
}

/// Completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM.
#[cfg(feature = "web")]
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

#[cfg(feature = "web")]
fn io_message(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_lowercase(),
        None => s.to_lowercase(),
    }
}
