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
//! use tppcalc::datasheet::Catalog;
//! use tppcalc::web::{router, HostPolicy, Served};
//! let served = Served::from_load(Catalog::embedded(), "the embedded catalog").unwrap();
//! assert!(served.rule_ids().contains(&"us-2023-11".to_string()));
//! let _app = router(served, HostPolicy::Loopback);
//! ```

mod api;
mod page;

use crate::datasheet::{Catalog, LoadOutcome};
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
        .fallback(api::not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(move |req, next| check_host(hosts, req, next)))
        .layer(middleware::map_response(common_headers))
}

/// Serves `app` on `listener` until `shutdown` completes, then finishes the requests in
/// flight and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

/// Whether a `Host` header value names a loopback host (`localhost`, `*.localhost`, an
/// address in 127.0.0.0/8, `[::1]`), with or without a port.
///
/// ```
/// use tppcalc::web::is_loopback_host;
/// assert!(is_loopback_host("localhost:4800") && is_loopback_host("127.0.0.1") && is_loopback_host("[::1]:80"));
/// assert!(!is_loopback_host("evil.example:4800") && !is_loopback_host("192.168.1.2"));
/// ```
pub fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((inside, _)) => inside,
            None => return false,
        }
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    let name = name.to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

async fn check_host(hosts: HostPolicy, req: Request<axum::body::Body>, next: Next) -> Response {
    if hosts == HostPolicy::Loopback {
        // No `Host` at all is not a browser (browsers always send one), so not a rebinding.
        if let Some(h) = req.headers().get(header::HOST) {
            let ok = h.to_str().is_ok_and(is_loopback_host);
            if !ok {
                let shown = String::from_utf8_lossy(h.as_bytes()).into_owned();
                return api::error_response(
                    StatusCode::FORBIDDEN,
                    &[Error::new(
                        ErrorKind::Usage,
                        format!("host `{shown}` is not a loopback name; this server answers `localhost` and loopback addresses only"),
                    )],
                );
            }
        }
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
