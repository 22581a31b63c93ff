//! The local scenario explorer behind `tppcalc serve`: a page and a JSON API over the same
//! engine as the command line.
//!
//! [`Served`] holds what a server answers from: the catalog in use and the rule sets a request
//! may name, both fixed when the server starts. [`router`] builds the routes (the page at `/`,
//! the API under `/api/`); [`serve`] runs them on a listener until a shutdown signal. The
//! request and response shapes are documented in `docs/web.md`.
//!
//! Requests never reach the file system: a rule set is named by id among those loaded at
//! start, a part by id in the served catalog, and a datasheet is sent as text and read with
//! [`Origin::Inline`](crate::datasheet::Origin::Inline). Bodies are limited to [`BODY_LIMIT`]
//! bytes.
//!
//! ```
//! use tppcalc::catalog::Catalog;
//! use tppcalc::web::{router, HostPolicy, Served};
//! let served = Served::from_load(Catalog::embedded(), "the embedded catalog").unwrap();
//! assert!(served.rule_ids().contains(&"us-2023-11".to_string()));
//! let _app = router(served, HostPolicy::Loopback);
//! ```

mod api;
mod json;
mod page;

use crate::catalog::{Catalog, LoadOutcome};
use crate::error::{Error, ErrorKind};
use crate::rules::{RuleRegistry, RuleSet, SetValue};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// The largest request body accepted, in bytes: twice the largest datasheet file
/// ([`MAX_FILE_BYTES`](crate::yaml::MAX_FILE_BYTES)), room for its JSON escaping. A larger
/// body is answered with HTTP 413.
pub const BODY_LIMIT: usize = 2 * crate::yaml::MAX_FILE_BYTES;

/// What a server answers from: the catalog in use and the rule sets requests may name.
#[derive(Clone)]
pub struct Served {
    catalog: Catalog,
    registry: RuleRegistry,
    ids: Vec<String>,
    default_id: Option<String>,
    source: String,
}

impl Served {
    /// Takes a loaded catalog (the embedded one, or the files given to `serve`). Rule files
    /// found among those files become nameable by id, as with `tppcalc classify PATH
    /// --rules ID`. Any load error, or a rule file that does not resolve, is returned: a
    /// server does not start on a half-loaded catalog.
    ///
    /// `source` says where the catalog came from, for the page.
    pub fn from_load(loaded: LoadOutcome, source: impl Into<String>) -> Result<Served, Vec<Error>> {
        let mut errors = loaded.errors;
        let mut registry = RuleRegistry::shipped();
        let mut ids = registry.shipped_ids();
        for rf in &loaded.rule_files {
            match registry.add_text(rf.origin.clone(), &rf.text, false) {
                Ok(id) if !ids.contains(&id) => ids.push(id),
                Ok(_) => {}
                Err(e) => errors.push(e),
            }
        }
        for id in &ids {
            if let Err(e) = registry.resolve(id, &[]) {
                errors.push(e);
            }
        }
        if !errors.is_empty() {
            errors.sort();
            errors.dedup();
            return Err(errors);
        }
        let default_id = registry.default_id();
        Ok(Served {
            catalog: loaded.catalog,
            registry,
            ids,
            default_id,
            source: source.into(),
        })
    }

    /// The ids requests may name: the shipped rule sets by effective date, then those found
    /// among the served files.
    pub fn rule_ids(&self) -> &[String] {
        &self.ids
    }

    /// The catalog in use.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The rule set a request without `rules` gets: the newest shipped one in force, as the
    /// command line.
    pub fn default_rules(&self) -> Option<&str> {
        self.default_id.as_deref()
    }

    /// Resolves a rule set by id with overrides. An id that is not among [`Served::rule_ids`]
    /// is `Err(None)` (the caller answers 404); a bad override is `Err(Some(error))`.
    fn resolve(&self, id: Option<&str>, set: &[SetValue]) -> Result<RuleSet, Option<Error>> {
        let id = match id {
            Some(id) => id,
            None => self.default_id.as_deref().ok_or_else(|| {
                Some(Error::new(
                    ErrorKind::UnknownReference,
                    "no shipped rule set is in force",
                ))
            })?,
        };
        if !self.ids.iter().any(|i| i == id) {
            return Err(None);
        }
        self.registry.resolve(id, set).map_err(Some)
    }

    /// The message for a rule-set id that is not served.
    fn unknown_rules(&self, id: &str) -> Error {
        let known: Vec<String> = self.ids.iter().map(|k| format!("`{k}`")).collect();
        Error::new(
            ErrorKind::UnknownReference,
            format!(
                "unknown rule set `{id}`: not a rule set of this server ({}); the server reads no rule files",
                known.join(", ")
            ),
        )
    }
}

/// Which `Host` headers a server accepts.
///
/// A server on a loopback address accepts only loopback names (`localhost`, `127.0.0.1`,
/// `[::1]`, ...): a web page on another site that points its own domain name at 127.0.0.1
/// ("DNS rebinding") then gets HTTP 403 instead of the served catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostPolicy {
    /// Only loopback host names (the default, for a server bound to a loopback address).
    Loopback,
    /// Any host name (for a server deliberately bound to another address).
    Any,
}

/// Builds the routes: the page at `/`, the JSON API under `/api/`, with the body limit and
/// the `Host` check.
pub fn router(served: Served, hosts: HostPolicy) -> Router {
    let state = Arc::new(served);
    Router::new()
        .route("/", get(page::index))
        .route("/api/rules", get(api::rules))
        .route("/api/classify", post(api::classify))
        .route("/api/explain", post(api::explain))
        .route("/api/headroom", post(api::headroom))
        .route("/api/diff", post(api::diff))
        .route("/api/chart", post(api::chart))
        .route("/api/license", post(api::license))
        .route("/api/matrix", post(api::matrix))
        .route("/api/foundry", post(api::foundry))
        .route("/api/cluster", post(api::cluster))
        .fallback(api::not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(check_post))
        .layer(middleware::from_fn(move |req, next| check_host(hosts, req, next)))
        .layer(middleware::map_response(common_headers))
}

/// How long a client may take to send a request's line and headers: from the moment the
/// connection opens, or the previous answer is written (so this is also how long an idle
/// keep-alive connection stays open). Past it the connection is closed without an answer.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a client may take to send a request's body, from the end of its headers. Past it
/// the request is answered with 400 and the connection closed.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// How many connections are served at once. Further connections wait, unanswered, in the
/// operating system's queue of the listening socket until one of these closes.
pub const MAX_CONNECTIONS: usize = 64;

/// After a shutdown signal, how long the requests in flight have to finish; then the
/// connections still open are dropped and [`serve`] returns.
pub const SHUTDOWN_DEADLINE: Duration = Duration::from_secs(5);

/// The limits of [`serve_with`]; [`Limits::default`] gives the documented values
/// ([`HEADER_TIMEOUT`], [`BODY_TIMEOUT`], [`MAX_CONNECTIONS`], [`SHUTDOWN_DEADLINE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// See [`HEADER_TIMEOUT`].
    pub header_timeout: Duration,
    /// See [`BODY_TIMEOUT`].
    pub body_timeout: Duration,
    /// See [`MAX_CONNECTIONS`] (at least 1).
    pub max_connections: usize,
    /// See [`SHUTDOWN_DEADLINE`].
    pub shutdown_deadline: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: HEADER_TIMEOUT,
            body_timeout: BODY_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
            shutdown_deadline: SHUTDOWN_DEADLINE,
        }
    }
}

/// How a server stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stopped {
    /// Connections still open at the shutdown deadline, dropped.
    pub dropped: usize,
}

/// Serves `app` on `listener` with the default [`Limits`] until `shutdown` completes; see
/// [`serve_with`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<Stopped> {
    serve_with(listener, app, Limits::default(), shutdown).await
}

/// Serves `app` on `listener` until `shutdown` completes: then it stops accepting, lets the
/// requests in flight finish for up to `limits.shutdown_deadline`, drops the connections still
/// open and returns. A client cannot hold the server open: a request's head must arrive within
/// `limits.header_timeout` and its body within `limits.body_timeout`, and at most
/// `limits.max_connections` are served at once (the others wait to be accepted).
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<Stopped> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let body_timeout = limits.body_timeout;
    let app = app.layer(middleware::from_fn(move |req, next| {
        body_deadline(body_timeout, req, next)
    }));
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        // A free place first, then a connection: past the limit, clients wait to be accepted.
        let permit = tokio::select! {
            () = &mut shutdown => break,
            p = permits.clone().acquire_owned() => p.expect("the semaphore is never closed"),
        };
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // A connection that failed before it was accepted concerns that client
                    // only; anything else (out of file descriptors) passes with time.
                    if !matches!(
                        e.kind(),
                        std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset
                    ) {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    continue;
                }
            },
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        connections.spawn(async move {
            // A connection's errors (a timeout, a client that went away) end that connection.
            let _ = connection.await;
            drop(permit);
        });
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let finished = tokio::time::timeout(limits.shutdown_deadline, graceful.shutdown()).await;
    while connections.try_join_next().is_some() {}
    let dropped = if finished.is_ok() { 0 } else { connections.len() };
    connections.abort_all();
    while connections.join_next().await.is_some() {}
    Ok(Stopped { dropped })
}

/// Puts a deadline on reading the request body (see [`BODY_TIMEOUT`]).
async fn body_deadline(limit: Duration, req: Request<axum::body::Body>, next: Next) -> Response {
    let req = req.map(|inner| {
        axum::body::Body::new(DeadlineBody {
            inner,
            deadline: Box::pin(tokio::time::sleep(limit)),
            limit,
        })
    });
    next.run(req).await
}

/// A request body that fails once its deadline passes.
struct DeadlineBody {
    inner: axum::body::Body,
    deadline: std::pin::Pin<Box<tokio::time::Sleep>>,
    limit: Duration,
}

impl http_body::Body for DeadlineBody {
    type Data = axum::body::Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        use std::task::Poll;
        let this = &mut *self;
        if let Poll::Ready(frame) = std::pin::Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        if this.deadline.as_mut().poll(cx).is_ready() {
            let secs = this.limit.as_secs_f64();
            return Poll::Ready(Some(Err(format!("the body did not arrive within {secs} s").into())));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// A `Host` header value (or the host of an `Origin`) split into its lowercase name and its
/// port: `name`, `name:port` or `[v6]:port`. `None` unless it is exactly that: no user
/// information (`127.0.0.1:80@evil.example`), path, spaces or empty parts; a port of 1 to 5
/// digits that fits in 16 bits.
///
/// ```
/// use tppcalc::web::parse_host;
/// assert_eq!(parse_host("LocalHost:4800"), Some(("localhost".to_string(), Some(4800))));
/// assert_eq!(parse_host("[::1]"), Some(("::1".to_string(), None)));
/// assert_eq!(parse_host("127.0.0.1:80@evil.example"), None);
/// assert_eq!(parse_host("localhost:"), None);
/// ```
pub fn parse_host(host: &str) -> Option<(String, Option<u16>)> {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        inside.parse::<std::net::Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (inside, port)
    } else {
        match host.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host, None),
        }
    };
    let name_ok = !name.is_empty()
        && (host.starts_with('[')
            || name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'));
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {
            Some(p.parse::<u16>().ok()?)
        }
        Some(_) => return None,
    };
    name_ok.then(|| (name.to_ascii_lowercase(), port))
}

/// Whether a `Host` header value names a loopback host (`localhost`, `*.localhost`, an
/// address in 127.0.0.0/8, `[::1]`), with or without a port. A value that is not a well-formed
/// host ([`parse_host`]) is not.
///
/// ```
/// use tppcalc::web::is_loopback_host;
/// assert!(is_loopback_host("localhost:4800") && is_loopback_host("127.0.0.1") && is_loopback_host("[::1]:80"));
/// assert!(!is_loopback_host("evil.example:4800") && !is_loopback_host("192.168.1.2"));
/// assert!(!is_loopback_host("127.0.0.1:80@evil.example"));
/// ```
pub fn is_loopback_host(host: &str) -> bool {
    let Some((name, _)) = parse_host(host) else {
        return false;
    };
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn refuse(status: StatusCode, message: String) -> Response {
    api::error_response(status, &[Error::new(ErrorKind::Usage, message)])
}

/// The `Host` check: exactly one `Host`, well formed (400 otherwise), and on a loopback server a
/// loopback name (403 otherwise: DNS rebinding).
async fn check_host(hosts: HostPolicy, req: Request<axum::body::Body>, next: Next) -> Response {
    let mut all = req.headers().get_all(header::HOST).iter();
    let (Some(h), None) = (all.next(), all.next()) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "expected exactly one `Host` header, such as `Host: localhost:4800`".to_string(),
        );
    };
    let shown = String::from_utf8_lossy(h.as_bytes()).into_owned();
    let Some(parsed) = h.to_str().ok().and_then(parse_host) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            format!("host `{shown}` is not a host name with an optional port, such as `localhost:4800`"),
        );
    };
    // A request line with an absolute URI (`POST http://other/ HTTP/1.1`) names its own host.
    if let Some(authority) = req.uri().authority() {
        if parse_host(authority.as_str()) != Some(parsed.clone()) {
            return refuse(
                StatusCode::BAD_REQUEST,
                format!("the request names the host `{authority}` but its `Host` header says `{shown}`"),
            );
        }
    }
    if hosts == HostPolicy::Loopback && !is_loopback_host(&shown) {
        return refuse(
            StatusCode::FORBIDDEN,
            format!(
                "host `{shown}` is not a loopback name; this server answers `localhost` and loopback addresses only"
            ),
        );
    }
    next.run(req).await
}

/// Checks on requests that change nothing but carry a body (every `POST`): sent from a page of
/// this server, or from no page at all (403 for another `Origin`, as a browser sends it for a
/// page elsewhere posting here), and with a body of declared length (411 without
/// `Content-Length` or chunked `Transfer-Encoding`: an HTTP/1.0 body of undeclared length
/// would otherwise be read as empty and answered under the defaults).
async fn check_post(req: Request<axum::body::Body>, next: Next) -> Response {
    if req.method() == axum::http::Method::GET || req.method() == axum::http::Method::HEAD {
        return next.run(req).await;
    }
    let headers = req.headers();
    let mut origins = headers.get_all(header::ORIGIN).iter();
    if let Some(origin) = origins.next() {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .and_then(parse_host);
        let same = origins.next().is_none()
            && origin
                .to_str()
                .ok()
                .and_then(|o| o.strip_prefix("http://"))
                .and_then(parse_host)
                .zip(host)
                .is_some_and(|((o_name, o_port), (h_name, h_port))| {
                    o_name == h_name && o_port.unwrap_or(80) == h_port.unwrap_or(80)
                });
        if !same {
            let shown = String::from_utf8_lossy(origin.as_bytes()).into_owned();
            return refuse(
                StatusCode::FORBIDDEN,
                format!(
                    "cross-origin request from `{shown}` refused: this server answers requests from its own pages only"
                ),
            );
        }
    }
    let chunked = headers
        .get(header::TRANSFER_ENCODING)
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| t.to_ascii_lowercase().trim_end().ends_with("chunked"));
    if !headers.contains_key(header::CONTENT_LENGTH) && !chunked {
        return refuse(
            StatusCode::LENGTH_REQUIRED,
            "a request body needs a `Content-Length` header (or chunked `Transfer-Encoding`); `Content-Length: 0` for none".to_string(),
        );
    }
    next.run(req).await
}

async fn common_headers(mut res: Response) -> impl IntoResponse {
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    res
}
